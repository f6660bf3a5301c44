/**
 * The import graph of src/ keeps the layering DESIGN.md draws: imports run one way
 * (commands -> live, options -> render -> analyse, input -> parsers, formats -> core), no cycle,
 * no command importing another command. Parsed from the source text: every relative
 * `from '...'`, `import '...'` and `import('...')`, type-only imports included (they tie the
 * files together as much for a reader).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Low to high; a file may import its own layer or lower ones. Top-level files (cli, program, index) are highest. */
const RANK: Record<string, number> = { core: 0, parsers: 1, formats: 1, analyse: 2, input: 2, render: 3, live: 4, options: 4, commands: 5, top: 6 };

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = `${dir}/${name}`;
    if (statSync(path).isDirectory()) walk(path, out);
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

export function importGraph(root = 'src'): Map<string, Set<string>> {
  const files = walk(root);
  const known = new Set(files);
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)) {
      const target = posix.normalize(posix.join(posix.dirname(file), match[2] as string)).replace(/\.js$/, '.ts');
      if (known.has(target)) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

export function layerOf(file: string): string {
  const part = file.split('/')[1] as string;
  return part.endsWith('.ts') ? 'top' : part;
}

/** Every cycle's files (strongly connected components of more than one file, or a file importing itself). */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) found.push(component);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** Arrows against the layering: a command importing a command (the registry excepted), or a lower layer importing a higher one. */
export function violations(graph: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const from = layerOf(file);
      const to = layerOf(target);
      if (RANK[from] === undefined || RANK[to] === undefined) out.push(`${file} -> ${target} (a folder with no layer: add it to RANK)`);
      else if (from === 'commands' && to === 'commands' && !file.endsWith('/index.ts')) out.push(`${file} -> ${target} (command imports command)`);
      else if ((RANK[to] as number) > (RANK[from] as number)) out.push(`${file} -> ${target} (${from} imports ${to})`);
    }
  }
  return out;
}

describe('architecture', () => {
  const graph = importGraph();

  it('reads the graph it is meant to check', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('src/commands/sort.ts')).toContain('src/analyse/sort.ts');
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('has no command importing another command, and no lower layer importing a higher one', () => {
    expect(violations(graph)).toEqual([]);
  });

  it('catches a cycle and arrows against the layering when there are some', () => {
    const bad = new Map<string, Set<string>>([
      ['src/analyse/a.ts', new Set(['src/render/b.ts'])],
      ['src/render/b.ts', new Set(['src/analyse/a.ts'])],
      ['src/commands/x.ts', new Set(['src/commands/y.ts'])],
      ['src/commands/y.ts', new Set()],
      ['src/core/c.ts', new Set(['src/options/o.ts'])],
      ['src/options/o.ts', new Set()],
    ]);
    expect(cycles(bad)).toHaveLength(1);
    expect(violations(bad)).toEqual([
      'src/analyse/a.ts -> src/render/b.ts (analyse imports render)',
      'src/commands/x.ts -> src/commands/y.ts (command imports command)',
      'src/core/c.ts -> src/options/o.ts (core imports options)',
    ]);
  });
});
