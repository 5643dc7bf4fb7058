import { Worker } from 'node:worker_threads';

/**
 * Asks a bridge's /health/live every `intervalMs` from a worker thread, as a kubelet does from outside the pod: a
 * probe sent from the bridge's own event loop could not even be sent while that loop is blocked, and would see
 * nothing. Reports the slowest answer (send to last byte) and any that was not 200.
 */
export interface LivenessProbe {
  /**
   * What the probes found since the last take (or the start), once one more probe has answered: a probe caught in
   * a stall that has just ended is counted in it.
   */
  take(): Promise<ProbeReport>;
  /** Stops probing: what the probes found since the last take. */
  stop(): Promise<ProbeReport>;
}

export interface ProbeReport {
  probes: number;
  slowestMs: number;
  /** Statuses other than 200, and errors. */
  failures: string[];
}

interface ProbeResult {
  ms: number;
  failure?: string;
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
  while (!stopping) {
    const started = performance.now();
    let failure;
    try {
      const status = await probe();
      if (status !== 200) failure = 'status ' + status;
    } catch (error) {
      failure = String(error);
    }
    parentPort.postMessage({ ms: performance.now() - started, failure });
    await new Promise((resolve) => setTimeout(resolve, workerData.intervalMs));
  }
  parentPort.postMessage('stopped');
})();
`;

/** Starts probing; resolves once the probe is warm (its first answer, not counted, has come). */
export async function startLivenessProbe(bridgeUrl: string, intervalMs = 25): Promise<LivenessProbe> {
  const worker = new Worker(PROBING, { eval: true, workerData: { url: `${bridgeUrl}/health/live`, intervalMs } });
  let report: ProbeReport = { probes: 0, slowestMs: 0, failures: [] };
  let onResult: (() => void) | undefined;
  let onStopped: (() => void) | undefined;
  let failed: Error | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: 'ready' | 'stopped' | ProbeResult) => {
      if (message === 'ready') return resolve();
      if (message === 'stopped') return onStopped?.();
      report.probes++;
      report.slowestMs = Math.max(report.slowestMs, message.ms);
      if (message.failure) report.failures.push(message.failure);
      onResult?.();
    });
    worker.once('error', (error) => {
      failed = error;
      reject(error);
      onResult?.();
      onStopped?.();
    });
  });
  await ready;
  const taken = () => {
    if (failed) throw failed;
    const result = report;
    report = { probes: 0, slowestMs: 0, failures: [] };
    return result;
  };
  return {
    take: async () => {
      await new Promise<void>((resolve) => (onResult = resolve));
      onResult = undefined;
      return taken();
    },
    stop: async () => {
      const stopped = new Promise<void>((resolve) => (onStopped = resolve));
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
      return taken();
    },
  };
}
