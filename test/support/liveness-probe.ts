import { Worker } from 'node:worker_threads';

/**
 * Asks a bridge's /health/live every `intervalMs` from a worker thread, as a kubelet does from outside the pod: a
 * probe sent from the bridge's own event loop could not even be sent while that loop is blocked, and would see
 * nothing. Reports the slowest answer (send to last byte) and any that was not 200.
 */
export interface LivenessProbe {
  /** Stops probing; resolves when the last probe has answered. */
  stop(): Promise<ProbeReport>;
}

export interface ProbeReport {
  probes: number;
  slowestMs: number;
  /** Statuses other than 200, and errors. */
  failures: string[];
}

const PROBING = `
const { parentPort, workerData } = require('node:worker_threads');
let stopping = false;
parentPort.on('message', () => (stopping = true));
async function probe() {
  const response = await fetch(workerData.url);
  await response.arrayBuffer();
  return response.status;
}
(async () => {
  // A first probe warms the worker's HTTP client up (connection, parser), and is not counted.
  await probe().catch(() => undefined);
  parentPort.postMessage('ready');
  const report = { probes: 0, slowestMs: 0, failures: [] };
  while (!stopping) {
    const started = performance.now();
    try {
      const status = await probe();
      if (status !== 200) report.failures.push('status ' + status);
    } catch (error) {
      report.failures.push(String(error));
    }
    report.probes++;
    report.slowestMs = Math.max(report.slowestMs, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, workerData.intervalMs));
  }
  parentPort.postMessage(report);
})();
`;

/** Starts probing; resolves once the probe is warm (its first answer, not counted, has come). */
export async function startLivenessProbe(bridgeUrl: string, intervalMs = 25): Promise<LivenessProbe> {
  const worker = new Worker(PROBING, { eval: true, workerData: { url: `${bridgeUrl}/health/live`, intervalMs } });
  const messages: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  worker.on('message', (message) => (waiting.length > 0 ? waiting.shift()!(message) : messages.push(message)));
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const next = () =>
    Promise.race([
      messages.length > 0 ? Promise.resolve(messages.shift()) : new Promise((resolve) => waiting.push(resolve)),
      failed,
    ]);
  await next(); // 'ready'
  const report = next() as Promise<ProbeReport>;
  return {
    stop: async () => {
      worker.postMessage('stop');
      const result = await report;
      await worker.terminate();
      return result;
    },
  };
}
