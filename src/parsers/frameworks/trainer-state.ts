/**
 * Hugging Face `Trainer`'s `trainer_state.json`: `TrainerState.save_to_json` writes the whole state
 * with `json.dumps(indent=2, sort_keys=True)`, and its `log_history` is the list of every dict the
 * Trainer logged (training loss every `logging_steps`, eval metrics, the final train summary), each
 * with the `step` and fractional `epoch` it was logged at.
 */
import type { JsonObject } from '../../core/types.js';
import { JsonSyntaxError, parseJsonObject } from '../json.js';
import { stripBom, type FrameworkRecord, type FrameworkRun, type FrameworkWarning } from './framework-record.js';

/**
 * Reads a `trainer_state.json` text: each `log_history` entry becomes one record with its keys in
 * file order (`step` and `epoch` included, as the Trainer wrote them). Never throws: malformed JSON
 * or a missing `log_history` is a warning and no records, since a checkpoint being written while
 * vizmeta reads it is an ordinary event.
 */
export function parseTrainerState(text: string): FrameworkRun {
  const warnings: FrameworkWarning[] = [];
  let state: JsonObject;
  try {
    // The project's parser, not JSON.parse: Python's json.dumps writes bare NaN/Infinity (a diverged
    // loss or grad_norm), and the parser bounds nesting and keeps `__proto__` as a plain key.
    state = parseJsonObject(stripBom(text));
  } catch (error) {
    const where = error instanceof JsonSyntaxError ? lineAt(text, error.offset) : undefined;
    const reason = error instanceof Error ? error.message : String(error);
    warnings.push({ ...(where === undefined ? {} : { line: where }), message: `not a trainer_state.json: ${reason}` });
    return { records: [], warnings };
  }
  const history = Object.hasOwn(state, 'log_history') ? state.log_history : undefined;
  if (!Array.isArray(history)) {
    warnings.push({ message: history === undefined ? 'no log_history in trainer_state.json' : 'log_history is not a list' });
    return { records: [], warnings };
  }
  const records: FrameworkRecord[] = [];
  history.forEach((entry, index) => {
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) records.push({ values: entry });
    else warnings.push({ message: `log_history[${index}] is not an object; skipped` });
  });
  return { records, warnings };
}

/**
 * Whether a file's first bytes look like a `trainer_state.json`, for files renamed or copied out of
 * their checkpoint folder. Sorted keys put `log_history` after a few short fields, so it appears
 * early; `global_step` alone is also written by other tools, hence the pair.
 */
export function looksLikeTrainerState(text: string): boolean {
  const head = stripBom(text).trimStart();
  return head.startsWith('{') && head.includes('"log_history"') && head.includes('"global_step"');
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 0x0a) line++;
  return line;
}
