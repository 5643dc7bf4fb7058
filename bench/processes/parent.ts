/**
 * The parent's side of a benchmark child process (child.ts): started with an IPC channel, ready when it says where
 * it listens, asked for its figures (CPU time, its own counts) at any time. Every child started is remembered, so a
 * failing run can kill them all.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildAnswer } from './child.js';

const started: ChildProcess[] = [];

export class Child {
  private nextId = 0;
  private readonly pending = new Map<number, (answer: ChildAnswer) => void>();

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
    readonly url: string,
  ) {
    process.on('message', (message: ChildAnswer & { id: number }) => this.pending.get(message.id)?.(message));
  }

  /** Forks `script` with `env` over this process's environment; resolves once it listens. */
  static async start(
    name: string,
    script: URL,
    env: Record<string, string> = {},
    execArgv: string[] = [],
  ): Promise<Child> {
    const child = fork(script, {
      env: { ...process.env, ...env },
      execArgv,
      // Servers log a line per request, as deployed; nobody reads it here.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    started.push(child);
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message: { ready?: string }) =>
        message.ready ? resolve(message.ready) : reject(new Error(`${name}: ${JSON.stringify(message)}`)),
      );
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    });
    return new Child(name, child, url);
  }

  ask(): Promise<ChildAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (answer) => {
        this.pending.delete(id);
        resolve(answer);
      });
      this.process.send({ id, ask: 'cpu' });
    });
  }

  /** Disconnects (the child exits normally, writing a CPU profile if asked), killing it after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    if (this.process.connected) this.process.disconnect();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    timer.unref();
    await exited;
    clearTimeout(timer);
  }
}

/** Every child this process started: for a run that fails or gives up. */
export function killChildren(): void {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
}
