/**
 * Worker-thread entry for the summary pool in `executions.ts`: takes the next path from the
 * counter shared by all threads, summarises it, and goes on until no path is left, posting the
 * ExecutionSummaries (plain data, structured-cloned; histories packed and transferred) with their
 * paths' indexes in batches. No request comes
 * from the main thread, so the worker never sits idle waiting for one; and it reads with
 * blocking calls (summarizeFileSync), so it never waits for the fs thread pool either.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { packHistories, summarizeFileSync, type WorkerReply, type WorkerStart } from './executions.js';

/**
 * Summaries sent per message: a message costs a worker 0.1–0.3 ms however small, which on
 * 1,000 small logs added up to a third of its time.
 */
const BATCH = 64;

const port = parentPort;
if (port) {
  const { paths, options, next } = workerData as WorkerStart;
  const counter = new Int32Array(next);
  let summaries: Extract<WorkerReply, { summaries: unknown }>['summaries'] = [];
  let transfer: ArrayBuffer[] = [];
  const flush = (): void => {
    if (summaries.length === 0) return;
    port.postMessage({ summaries } satisfies WorkerReply, transfer);
    summaries = [];
    transfer = [];
  };
  try {
    for (let index = Atomics.add(counter, 0, 1); index < paths.length; index = Atomics.add(counter, 0, 1)) {
      const summary = summarizeFileSync(paths[index] as string, options);
      const packed = packHistories(summary);
      summaries.push({ index, summary, histories: packed.histories });
      transfer.push(...packed.transfer);
      if (summaries.length >= BATCH) flush();
    }
    flush();
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
  }
}
