/**
 * Inputs that are not local files, for the commands that read one input at a time through
 * formats/visual-input.ts (`matrix`, `roc`, and `report`'s CSVs): `git:REV:PATH` and remote objects
 * (`s3://`, `gs://`, `https://`), opened as readInputs opens them. Each module loads only when
 * such an input is named.
 */
import type { Readable } from 'node:stream';
import { isGitSpec, isRemoteSpec } from './frameworks.js';

/** A stream of a git or remote input, or undefined for a local file or stdin. Throws InputError, one line naming the input. */
export async function openNonLocalInput(input: string): Promise<Readable | undefined> {
  if (isGitSpec(input)) return (await (await import('./git.js')).openGitObject(input)).stream;
  if (isRemoteSpec(input)) return (await (await import('./remote.js')).openRemoteObject(input)).stream;
  return undefined;
}

/**
 * The inputs with each remote glob (`s3://bucket/runs/**\/roc.csv`) replaced by the objects it
 * matches, in key order. Throws InputError when a listing fails or matches nothing.
 */
export async function expandRemoteGlobs(inputs: readonly string[]): Promise<string[]> {
  if (!inputs.some(isRemoteSpec)) return [...inputs];
  const remote = await import('./remote.js');
  const out: string[] = [];
  for (const input of inputs) {
    if (isRemoteSpec(input)) out.push(...(await remote.expandRemoteGlob(input)));
    else out.push(input);
  }
  return out;
}
