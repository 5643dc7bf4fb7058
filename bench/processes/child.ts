/**
 * What every benchmark child process shares: it tells the parent where it listens, answers the parent's questions
 * over IPC with its own figures (CPU time from process.cpuUsage(), so no /proc parsing and microsecond resolution),
 * and exits when the parent goes away, so a crashed run leaves nothing behind.
 */
export type ChildQuestion = { ask: 'cpu' } | { ask: 'stats' };

export interface ChildAnswer {
  /** User plus system CPU time of this whole process (all threads, GC included), in milliseconds. */
  cpuMs: number;
  /** Whatever else the process counts, e.g. the sandbox's CRM requests served. */
  stats: Record<string, number>;
}

export function serveParent(url: string, stats: () => Record<string, number> = () => ({})): void {
  if (!process.send) throw new Error('a benchmark process runs under bench/run.ts, which forks it with an IPC channel');
  process.on('message', (question: ChildQuestion & { id: number }) => {
    const { user, system } = process.cpuUsage();
    const answer: ChildAnswer & { id: number } = { id: question.id, cpuMs: (user + system) / 1000, stats: stats() };
    process.send!(answer);
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: url });
}

export function loopbackUrl(address: string | { port: number } | null): string {
  if (!address || typeof address === 'string') throw new Error(`unexpected listening address ${String(address)}`);
  return `http://127.0.0.1:${address.port}`;
}
