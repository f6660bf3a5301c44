// The CLI as a few CommonJS files: `npm run build` runs this after tsc; bin/vizmeta.js requires the first.
//
//   dist/bundle/cli.cjs      src/cli.ts alone: answers --version, and --help to a pipe or file, with
//                            nothing else loaded; otherwise requires the bundle of the command named
//   dist/bundle/<name>.cjs   src/program.ts with that one command, everything it uses in one file
//                            (sort.cjs, gate.cjs, …)
//   dist/bundle/program.cjs  src/program.ts with every command: `--help`, `help`, an unknown or
//                            missing command (commander's suggestions need them all)
//
// Why (issue 18; README, Performance): on a small log, start-up is most of the run, and most of
// start-up was Node loading our code. Two hundred ES modules, each resolved, read, compiled and
// linked on its own, were a third of a 1,000-line `sort`; esbuild's chunks (one ES bundle with
// code splitting) took that down, but still left about 25 modules and Node's ES-module loader,
// which costs more per module than require() does. One CommonJS file per command is read and
// compiled once, by the loader Node starts fastest; its whitespace and syntax are minified
// (names are kept, so stack traces still read), which V8 parses faster. The price is disk: each
// command's file repeats commander and the reader (see the size check below). CommonJS has no
// top-level await, which is why src/cli.ts has none and why core/require-esm.js is replaced here.
//
// cli.cjs loads a command's bundle with V8's code cache kept between runs (src/core/code-cache.ts),
// on Node 20 as on 24, so that a second run compiles next to nothing.
//
// The library build (dist/index.js, its .d.ts and every other tsc output) is untouched: this
// reads tsc's output and writes dist/bundle/ beside it.
//
// Every module keeps the import.meta.url it had in dist/: each `import.meta.url` is rewritten to
// the URL of the module's own file there, so what a module finds relative to itself (the package
// manifest, examples/, the worker file dist/input/summary-worker.js, dependencies loaded with
// createRequire: ajv, markdown-it, the cloud SDKs) is found as before.
//
// The top-level help is the program's own: the built program is run once with --help to a pipe,
// and its text goes into cli.cjs (src/cli.ts, VIZMETA_BUILT_HELP), where it is reflowed to the
// width as the program would. A terminal still gets commander's help, wrapped to its width.
//
//   node scripts/bundle.mjs [--verbose] [--metafile]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'bundle');

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

/**
 * core/require-esm.js loads chalk and string-width with require(esm) on first use, and where Node
 * has no require(esm) (before 20.19) imports them at start-up with a top-level await, which
 * CommonJS cannot have. In a bundle they are bundled: a plain require() of the bundled copy, on
 * first use, on every Node. So is @datadog/sketches-js (stats' quantiles past 256 values), whose
 * dozen files took 5 ms to load from node_modules, a fifth of `stats` on a 1,000-line log.
 */
function bundledDependencies(names) {
  return {
    name: 'bundled-dependencies',
    setup(b) {
      b.onLoad({ filter: /[\\/]core[\\/]require-esm\.js$/ }, (args) => {
        if (!args.path.startsWith(DIST)) return undefined;
        const cases = names.map((name) => `case ${JSON.stringify(name)}: return require(${JSON.stringify(name)});`).join('\n');
        return {
          contents: `
            export const CAN_REQUIRE_ESM = true;
            export function requireDependency(name) {
              switch (name) {
                ${cases}
                default: throw new Error('requireDependency: ' + name + ' is not bundled here (scripts/bundle.mjs)');
              }
            }`,
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

/** What the commands load with requireDependency; cli.cjs, which only reflows help, needs string-width at most. */
const COMMAND_DEPENDENCIES = ['chalk', 'string-width', '@datadog/sketches-js'];
const CLI_DEPENDENCIES = ['string-width'];

/**
 * core/import-module.js: in a bundle loaded through the code cache, the import() the loader hands
 * it (see src/core/code-cache.ts); loaded with a plain require(), its own.
 */
const importThroughLoader = {
  name: 'import-through-loader',
  setup(b) {
    b.onLoad({ filter: /[\\/]core[\\/]import-module\.js$/ }, (args) => {
      if (!args.path.startsWith(DIST)) return undefined;
      return {
        contents: `
          export function importModule(specifier) {
            return typeof __vizmetaImport === 'function' ? __vizmetaImport(specifier) : import(specifier);
          }`,
        loader: 'js',
      };
    });
  },
};

/** program.js's commands/index.js, in the bundle of one command: that command alone. */
function oneCommand(name, names) {
  const register = `register${name[0].toUpperCase()}${name.slice(1)}`;
  return {
    name: 'one-command',
    setup(b) {
      b.onResolve({ filter: /^\.\/commands\/index\.js$/ }, (args) => (args.importer === join(DIST, 'program.js') ? { path: name, namespace: 'vizmeta-one-command' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'vizmeta-one-command' }, () => ({
        // cli.cjs requires this bundle only when the first argument that is not an option is the
        // command's name, which is when registerCommands would register it alone.
        contents: `
          import { ${register} } from './${name}.js';
          export const COMMAND_NAMES = ${JSON.stringify(names)};
          export async function registerCommands(program, io, exit) { ${register}(program, io, exit); }`,
        loader: 'js',
        resolveDir: join(DIST, 'commands'),
      }));
    },
  };
}

/** cli.js's import of the program: the bundle of the command argv names, or of them all. */
function commandBundles(names) {
  return {
    name: 'command-bundles',
    setup(b) {
      b.onResolve({ filter: /^\.\/program\.js$/ }, (args) => (args.importer === join(DIST, 'cli.js') ? { path: 'program', namespace: 'vizmeta-command-bundles' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'vizmeta-command-bundles' }, () => ({
        // Loaded with V8's code cache kept between runs (src/core/code-cache.ts).
        contents: `
          import { join } from 'node:path';
          import { codeCacheDir, requireWithCodeCache } from './code-cache.js';
          const NAMES = ${JSON.stringify(names)};
          let program;
          export function main(argv) {
            const first = argv.find((arg) => !arg.startsWith('-'));
            const command = NAMES.includes(first);
            const bundle = join(__dirname, command ? first + '.cjs' : 'program.cjs');
            // A command's help compiles none of its work: cached, it would leave every later run
            // of the command compiling that work (the cache is kept until the bundle changes).
            const helpOnly = command && (argv.includes('--help') || argv.includes('-h'));
            program = requireWithCodeCache(bundle, codeCacheDir(process.env), !helpOnly);
            return program.main(argv);
          }
          export function flushOutput() {
            return program.flushOutput();
          }`,
        loader: 'js',
        resolveDir: join(DIST, 'core'),
      }));
    },
  };
}

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // sketches-js requires protobufjs only in its toProto/fromProto, which vizmeta never calls (and
  // protobufjs is not installed).
  external: ['protobufjs/minimal'],
  minifyWhitespace: true,
  minifySyntax: true,
  // import.meta does not exist in CommonJS: the bundle's own URL stands in (keepImportMetaUrl).
  define: { 'import.meta.url': '__vizmetaBundleUrl' },
  banner: { js: "const __vizmetaBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

async function bundle(entry, outfile, plugins, extra = {}, dependencies = COMMAND_DEPENDENCIES) {
  const result = await build({ ...common, ...extra, external: [...common.external, ...(extra.external ?? [])], define: { ...common.define, ...extra.define }, outfile, entryPoints: [join(DIST, entry)], plugins: [bundledDependencies(dependencies), importThroughLoader, keepImportMetaUrl(outfile), ...plugins] });
  const [output] = Object.values(result.metafile.outputs).filter((o) => o.entryPoint !== undefined);
  // esbuild's account of what went into the file (https://esbuild.github.io/analyze/ reads it).
  if (process.argv.includes('--metafile')) writeFileSync(`${outfile}.meta.json`, JSON.stringify(result.metafile));
  if (process.argv.includes('--verbose')) process.stderr.write(`bundle: ${relative(ROOT, outfile)}, ${((output?.bytes ?? 0) / 1024).toFixed(0)} KiB from ${Object.keys(result.metafile.inputs).length} modules\n`);
}

if (!existsSync(join(DIST, 'program.js'))) throw new Error('scripts/bundle.mjs: dist/program.js is missing: run tsc first (npm run build does)');
// The files of earlier layouts (one ES bundle and its chunks) would stay beside the new ones.
for (const name of readdirSync(DIST)) if (/^(program-[A-Z0-9]+|program\.bundle|cli\.bundle)\.js(\.map)?$/.test(name)) rmSync(join(DIST, name));
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT);
const { COMMAND_NAMES } = await import(pathToFileURL(join(DIST, 'commands', 'index.js')).href);
const programOptions = {
  // The cloud SDKs (remote inputs, src/input/remote.ts) load from node_modules at run time, and
  // only when a remote input is named: bundled, they would add megabytes to every start.
  external: ['@aws-sdk/*', '@smithy/*', '@google-cloud/*'],
};
await Promise.all([
  bundle('program.js', join(OUT, 'program.cjs'), [lazyChildProcessForCommander], programOptions),
  ...COMMAND_NAMES.map((name) => bundle('program.js', join(OUT, `${name}.cjs`), [lazyChildProcessForCommander, oneCommand(name, COMMAND_NAMES)], programOptions)),
]);
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
let relativeFilesFound = 0;
for (const name of readdirSync(OUT)) if (name.endsWith('.cjs')) checkRelativeFiles(join(OUT, name));
if (relativeFilesFound === 0) throw new Error('scripts/bundle.mjs: found none of the files modules look for beside themselves (the worker file at least): has the rewrite of import.meta.url changed?');
// Each command's file repeats what commands share; if that ever grows past this, a shared file
// (or fewer bundles) is worth its extra load again.
const totalBytes = readdirSync(OUT).filter((name) => name.endsWith('.cjs')).reduce((sum, name) => sum + statSync(join(OUT, name)).size, 0);
if (totalBytes > 16 * 1024 * 1024) throw new Error(`scripts/bundle.mjs: the command bundles total ${(totalBytes / 1048576).toFixed(1)} MiB`);
const CLI = join(OUT, 'cli.cjs');
await bundle('cli.js', CLI, [commandBundles(COMMAND_NAMES)], { define: { VIZMETA_BUILT_HELP: 'undefined' } }, CLI_DEPENDENCIES);
await bundle('cli.js', CLI, [commandBundles(COMMAND_NAMES)], { define: { VIZMETA_BUILT_HELP: JSON.stringify(builtHelp()) } }, CLI_DEPENDENCIES);
// esbuild escapes non-ASCII text but not inside a regular expression literal: one glyph there makes
// V8 hold the whole source as a two-byte string. Such glyphs are written as \u escapes in src/.
for (const name of readdirSync(OUT)) {
  if (!name.endsWith('.cjs')) continue;
  const bytes = readFileSync(join(OUT, name));
  const at = bytes.findIndex((byte) => byte > 0x7f);
  if (at !== -1) throw new Error(`scripts/bundle.mjs: ${name} is not ASCII at byte ${at} (${JSON.stringify(bytes.subarray(Math.max(0, at - 40), at + 8).toString('utf8'))}): write the character as a \\u escape in src/`);
}

/**
 * Every file a module finds beside itself (`new URL('./summary-worker.js', import.meta.url)`) must
 * be where the bundle will look: a worker file or example that moved would otherwise show only
 * when that path runs (the worker pool from 8 files on).
 */
function checkRelativeFiles(outfile) {
  const text = readFileSync(outfile, 'utf8');
  const bundleUrl = pathToFileURL(outfile);
  for (const [, target, own] of text.matchAll(/new URL\("([^"]+)", ?new URL\("([^"]+)", ?__vizmetaBundleUrl\)\.href\)/g)) {
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
