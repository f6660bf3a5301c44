/**
 * `watch` over a framework's files (TensorBoard events, trainer_state.json, metrics CSVs, DVCLive,
 * MLflow runs): read once, or, with `--follow`, TensorBoard event files followed as the writer
 * appends to them. Only event files grow record by record; the other formats are rewritten or
 * appended as wholes, so they are read once when `watch` starts.
 */
import type { DiscoveredInput } from '../parsers/frameworks/discover.js';
import type { RecordSink } from '../parsers/source.js';
import { readFrameworkExecution } from '../input/frameworks.js';
import { followFile } from './follow.js';

export interface FrameworkFollowOptions {
  /** Keep reading TensorBoard event files as they grow, until the signal aborts. */
  follow: boolean;
  signal: AbortSignal;
  notice(message: string): void;
}

/** Reads one framework execution into the sink; resolves when it is read (or, following, when the signal aborts). */
export async function watchFrameworkInput(input: DiscoveredInput, sink: RecordSink, options: FrameworkFollowOptions): Promise<void> {
  if (!options.follow || input.kind !== 'tensorboard') {
    await readFrameworkExecution(input, sink);
    return;
  }
  const [{ listEventFiles }, { TensorBoardReader }] = await Promise.all([import('../parsers/frameworks/discover.js'), import('../parsers/frameworks/tensorboard.js')]);
  const files = await listEventFiles(input.path);
  let count = 0;
  await Promise.all(files.map(async (file) => {
    // A record half written when a chunk ends waits in the reader for the rest: never end() while following.
    const reader = new TensorBoardReader();
    for await (const chunk of followFile(file, { signal: options.signal, notice: options.notice, binary: true })) {
      const batch = reader.push(chunk);
      for (const record of batch.records) sink.record({ values: record.values, time: record.time, source: input.name, line: ++count });
      for (const warning of batch.warnings) sink.diagnostic({ source: file, line: 0, message: warning.message });
    }
  }));
}
