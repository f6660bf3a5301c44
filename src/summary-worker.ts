/**
 * Worker-thread entry for the summary pool in `executions.ts`: takes the next path from the
 * counter shared by all workers, summarises it, posts back its ExecutionSummary (plain data,
 * structured-cloned) with the path's index, and goes on until no path is left. No request comes
 * from the main thread, so the worker never sits idle waiting for one; and it reads with
 * blocking calls (summarizeFileSync), so it never waits for the fs thread pool either.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { summarizeFileSync, type WorkerReply, type WorkerStart } from './executions.js';

const port = parentPort;
if (port) {
  const { paths, options, next } = workerData as WorkerStart;
  const counter = new Int32Array(next);
  try {
    for (let index = Atomics.add(counter, 0, 1); index < paths.length; index = Atomics.add(counter, 0, 1)) {
      const summary = summarizeFileSync(paths[index] as string, options);
      port.postMessage({ index, summary } satisfies WorkerReply);
    }
  } catch (error) {
    port.postMessage({ index: -1, error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
  }
}
