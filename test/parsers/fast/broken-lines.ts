import fc from 'fast-check';
import { tree } from '../../helpers/log-lines.js';
import { pythonDumps as dumps } from '../../helpers/python-json.js';

/**
 * A record line (nested values included) with one structural byte changed: a `]` or `}` swapped
 * for the other, or a `:`, `,`, `]` or `}` dropped or doubled. The walkers must see the line is
 * broken where the grammar does, inside nested objects and arrays too.
 */
export const brokenLine = fc.tuple(tree.object, fc.nat(), fc.constantFrom('swap', 'drop', 'double')).map(([object, at, how]) => {
  const line = dumps(object);
  const spots = [...line.matchAll(/[\]}:,]/g)].map((match) => match.index).filter((i) => i < line.length - 1);
  if (spots.length === 0) return line;
  const i = spots[at % spots.length] as number;
  const c = line[i] as string;
  const replacement = how === 'swap' ? (c === ']' ? '}' : c === '}' ? ']' : c) : how === 'drop' ? '' : c + c;
  return line.slice(0, i) + replacement + line.slice(i + 1);
});
