/**
 * chalk, loaded when something is first painted.
 *
 * Output to a pipe or a file has no colour, and the data commands start faster without chalk
 * (about 2 ms of a `vizmeta sort` run): renderers ask for it here, at the moment they paint, rather
 * than importing it with their module. See require-esm.ts for how an ES module loads on demand.
 */
import type { ChalkInstance } from 'chalk';
import { requireDependency } from '../core/require-esm.js';

let level1: ChalkInstance | undefined;

/** chalk at level 1 (16 colours), which every colour terminal understands; the caller decides whether to paint. */
export function colors(): ChalkInstance {
  level1 ??= new (requireDependency('chalk') as typeof import('chalk')).Chalk({ level: 1 });
  return level1;
}

/** The few styles most renderers use, painting nothing when `color` is false (and loading nothing). */
export interface Painter {
  dim(text: string): string;
  bold(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

const PLAIN: Painter = { dim: (t) => t, bold: (t) => t, green: (t) => t, red: (t) => t, yellow: (t) => t };

export function painter(color: boolean): Painter {
  return color ? colors() : PLAIN;
}
