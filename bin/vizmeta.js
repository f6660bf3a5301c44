#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ can keep V8's compiled code for our modules between runs: every start after the first
// skips compiling them (about 3 of 50 ms for `vizmeta sort` on Node 22). The cache goes where
// NODE_COMPILE_CACHE names or else to <os.tmpdir()>/node-compile-cache, never into the package; a
// changed file is compiled afresh, and NODE_DISABLE_COMPILE_CACHE=1 turns it off. Enabling it
// never throws; Node 20 has no such function, and nothing happens. It is enabled here, before the
// CLI is imported, so that every module of ours is compiled with it.
module.enableCompileCache?.();
// The CLI as bundled by `npm run build` (scripts/bundle.mjs): src/cli.ts, then one file for the rest.
await import('../dist/cli.bundle.js');
