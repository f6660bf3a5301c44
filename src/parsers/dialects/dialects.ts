/**
 * The dialects a line of training output may be written in, and `--dialect LIST`.
 *
 *   json     one JSON object on a segment (Valohai's rule; always read)
 *   python   one Python dict repr (`{'loss': 0.69, 'epoch': 0.5}`, Hugging Face Trainer)
 *   keras    Keras `model.fit` progress output, one record per completed epoch
 *   bar      a JSON object or Python dict glued to the end of a tqdm/Keras/rich progress bar
 *   prefix   known line prefixes removed first: torchrun `[rank0]:`, docker compose `name  | `,
 *            `kubectl logs --prefix`, Python logging, Kubernetes CRI node lines
 *
 * Every dialect is read by default. `--dialect json` reads exactly what Valohai reads.
 */
import { UsageError } from '../../core/errors.js';

export const DIALECTS = ['json', 'python', 'keras', 'bar', 'prefix'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** Which dialects are read. JSON is in every set. */
export type DialectSet = ReadonlySet<Dialect>;

export const ALL_DIALECTS: DialectSet = new Set(DIALECTS);

/** `--dialect` names and their one-line meaning, for --help and messages. */
export const DIALECT_HELP: Readonly<Record<Dialect, string>> = {
  json: 'a JSON object on a line (always read)',
  python: "a Python dict repr such as {'loss': 0.69} (Hugging Face Trainer)",
  keras: 'Keras model.fit progress output, one record per epoch',
  bar: 'a JSON object or dict glued to the end of a progress bar',
  prefix: 'lines behind torchrun, docker compose, kubectl --prefix, logging or CRI prefixes',
};

/** Parses `--dialect json,python` (or `all`); JSON is always added. Throws UsageError naming an unknown dialect. */
export function parseDialects(text: string): Set<Dialect> {
  const set = new Set<Dialect>(['json']);
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (name === 'all') {
      for (const dialect of DIALECTS) set.add(dialect);
      continue;
    }
    if (!(DIALECTS as readonly string[]).includes(name)) {
      throw new UsageError(`--dialect: unknown dialect '${raw.trim()}' (dialects: ${DIALECTS.join(', ')}, or all)`);
    }
    set.add(name as Dialect);
  }
  return set;
}

/** Whether `dialect` is read, where undefined means the default (every dialect). */
export function reads(dialects: DialectSet | undefined, dialect: Dialect): boolean {
  return dialects === undefined || dialects.has(dialect);
}
