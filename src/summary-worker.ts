/**
 * Worker-thread entry for the summary pool in `executions.ts`: receives a file and options,
 * posts back its ExecutionSummary (plain data, structured-cloned).
 */
import { parentPort } from 'node:worker_threads';
import { summarizeFile, type WorkerReply, type WorkerRequest } from './executions.js';

const port = parentPort;
if (port) {
  port.on('message', (request: WorkerRequest) => {
    summarizeFile(request.path, request.options).then(
      (summary) => port.postMessage({ id: request.id, summary } satisfies WorkerReply),
      (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply),
    );
  });
}
