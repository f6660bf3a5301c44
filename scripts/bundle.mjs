// The CLI in two files: `npm run build` runs this after tsc; bin/vizmeta.js imports the first.
//
//   dist/cli.bundle.js      src/cli.ts alone: answers --version, and --help to a pipe or file, with
//                           nothing else loaded, then imports the program bundle
//   dist/program.bundle.js  src/program.ts, and the commands in chunks beside it (program-*.js)
//
// A command then loads a few dozen chunks instead of some two hundred modules (each resolved,
// read and compiled on its own), which was a third of a small log's run (issue 18; README,
// Performance). The chunks are esbuild's code splitting: each command is a dynamic import, so
// `sort` reads and compiles about 420 KiB (its code, commander, the reader) and not the 1 MiB
// that every command together is: compiling the whole bundle took 20 of sort's 95 ms of CPU on
// Node 20, which has no compile cache; split, 13. The library
// build (dist/index.js, its .d.ts and every other tsc output) is untouched: this reads tsc's output
// and writes two more files beside it. Node's compile cache (bin/vizmeta.js, Node 22.1+) keeps the
// bundle's compiled code between runs.
//
// Every module keeps the import.meta.url it had in dist/: each `import.meta.url` is rewritten to
// the URL of the module's own file there, so what a module finds relative to itself (the package
// manifest, examples/, the worker file dist/input/summary-worker.js, dependencies loaded with
// createRequire: ajv, string-width and chalk on first use) is found as before.
//
// The top-level help is the program's own: the built program is run once with --help to a pipe,
// and its text goes into the CLI bundle (src/cli.ts, VIZMETA_BUILT_HELP), where it is reflowed to
// the width as the program would. A terminal still gets commander's help, wrapped to its width.
//
//   node scripts/bundle.mjs [--verbose]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

/** `import.meta.url` as each module under dist/ saw it, computed from the bundle's own URL. */
function keepImportMetaUrl(outfile) {
  return {
    name: 'keep-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(DIST)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const own = `./${relative(dirname(outfile), args.path).split('\\').join('/')}`;
        return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * commander requires node:child_process when it loads, for executable subcommands, which vizmeta
 * has none of: that load is 3 ms of every command's start (issue 18). Its require gets an object
 * that loads the real module on first use instead.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (args.importer.includes(`${join('node_modules', 'commander')}`) ? { path: 'lazy-child-process', namespace: 'vizmeta-lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'vizmeta-lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_target, name) => require('node:child_process')[name] });",
      loader: 'js',
    }));
  },
};

/** cli.js's import of the program, pointed at the program bundle and left to Node. */
const programBundle = {
  name: 'program-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\/program\.js$/ }, (args) => (args.importer === join(DIST, 'cli.js') ? { path: './program.bundle.js', external: true } : undefined));
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

async function bundle(entry, outfile, plugins, extra = {}) {
  // With splitting, esbuild writes the entry and its chunks to one folder (outdir), named by
  // entryNames and chunkNames; the chunks sit beside the entry, so import.meta.url rewrites hold.
  const out = extra.splitting ? { outdir: dirname(outfile), entryNames: basename(outfile, '.js'), chunkNames: 'program-[hash]' } : { outfile };
  const result = await build({ ...common, ...extra, ...out, entryPoints: [join(DIST, entry)], plugins: [keepImportMetaUrl(outfile), ...plugins] });
  const [output] = Object.values(result.metafile.outputs).filter((o) => o.entryPoint !== undefined);
  if (process.argv.includes('--verbose')) process.stderr.write(`bundle: ${relative(ROOT, outfile)}, ${((output?.bytes ?? 0) / 1024).toFixed(0)} KiB from ${Object.keys(result.metafile.inputs).length} modules\n`);
}

// Chunks are named by their content's hash: the last build's would stay beside the new ones.
for (const name of readdirSync(DIST)) if (/^program-[A-Z0-9]+\.js(\.map)?$/.test(name)) rmSync(join(DIST, name));
if (!existsSync(join(DIST, 'program.js'))) throw new Error('scripts/bundle.mjs: dist/program.js is missing: run tsc first (npm run build does)');
await bundle('program.js', join(DIST, 'program.bundle.js'), [lazyChildProcessForCommander], {
  splitting: true,
  // The cloud SDKs (remote inputs, src/input/remote.ts) load from node_modules at run time, and
  // only when a remote input is named: bundled, they would add megabytes to every start.
  external: ['@aws-sdk/*', '@smithy/*', '@google-cloud/*'],
  // CommonJS dependencies (commander, split2, asciichart) require Node's built-ins; an ES module
  // has no `require` of its own.
  banner: { js: "import { createRequire as __vizmetaCreateRequire } from 'node:module';\nconst require = __vizmetaCreateRequire(import.meta.url);" },
});
// The report page's script (`vizmeta report`): src/render/report-client/main.ts with uPlot, for
// browsers, in one minified file that every report inlines, and uPlot's stylesheet beside it.
// Built from the TypeScript source (tsc leaves it out: it needs the DOM's types). uPlot's licence
// asks for its notice in copies: it heads the file.
await build({
  entryPoints: [join(ROOT, 'src/render/report-client/main.ts')],
  outfile: join(DIST, 'report-client.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: '/* vizmeta report client. Includes uPlot, (c) Leon Sorokin, MIT License, https://github.com/leeoniya/uPlot */' },
});
{
  const client = readFileSync(join(DIST, 'report-client.js'), 'utf8');
  // The script is inlined in <script>: a `</script` or `<!--` in it would end the element early.
  if (/<\/script|<!--/i.test(client)) throw new Error('scripts/bundle.mjs: dist/report-client.js holds </script or <!--');
  writeFileSync(join(DIST, 'report-client.js'), client.trimEnd());
}
copyFileSync(join(ROOT, 'node_modules/uplot/dist/uPlot.min.css'), join(DIST, 'report-client.css'));
const CLI = join(DIST, 'cli.bundle.js');
let relativeFilesFound = 0;
for (const name of readdirSync(DIST)) if (/^program(\.bundle|-[A-Z0-9]+)\.js$/.test(name)) checkRelativeFiles(join(DIST, name));
if (relativeFilesFound === 0) throw new Error('scripts/bundle.mjs: found none of the files modules look for beside themselves (the worker file at least): has the rewrite of import.meta.url changed?');
await bundle('cli.js', CLI, [programBundle], { define: { VIZMETA_BUILT_HELP: 'undefined' } });
await bundle('cli.js', CLI, [programBundle], { define: { VIZMETA_BUILT_HELP: JSON.stringify(builtHelp()) } });

/**
 * Every file a module finds beside itself (`new URL('./summary-worker.js', import.meta.url)`) must
 * be where the bundle will look: a worker file or example that moved would otherwise show only
 * when that path runs (the worker pool from 8 files on).
 */
function checkRelativeFiles(outfile) {
  const text = readFileSync(outfile, 'utf8');
  const bundleUrl = pathToFileURL(outfile);
  for (const [, target, own] of text.matchAll(/new URL\("([^"]+)", ?new URL\("([^"]+)", ?import\.meta\.url\)\.href\)/g)) {
    const path = fileURLToPath(new URL(target, new URL(own, bundleUrl)));
    if (!existsSync(path)) throw new Error(`scripts/bundle.mjs: ${own} looks for ${target}, and ${relative(ROOT, path)} does not exist`);
    relativeFilesFound++;
  }
}

/**
 * `vizmeta --help` as commander writes it to a pipe, before reflowHelp: run where no config file
 * or variable can reach it, and so wide (COLUMNS) that reflowHelp leaves every line as it is.
 */
function builtHelp() {
  const cwd = mkdtempSync(join(tmpdir(), 'vizmeta-bundle-'));
  try {
    const result = spawnSync(process.execPath, [CLI, '--help'], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', COLUMNS: '10000', NO_COLOR: '1' } });
    if (result.status !== 0 || result.stderr !== '' || !result.stdout.startsWith('Usage: vizmeta')) throw new Error(`scripts/bundle.mjs: vizmeta --help failed (status ${result.status}): ${result.stderr}`);
    return result.stdout;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
