#!/usr/bin/env node
// The CLI as bundled by `npm run build` (scripts/bundle.mjs): src/cli.ts, which loads the bundle of
// the command named, with V8's code cache (src/core/code-cache.ts). CommonJS (bin/package.json):
// Node starts a CommonJS entry sooner than an ES module, and loads a CommonJS bundle fastest.
'use strict';
require('../dist/bundle/cli.cjs');
