/**
 * Loading an ES-module dependency on first use from synchronous code.
 *
 * Renderers are synchronous and pure, yet some of their dependencies (string-width, chalk) cost
 * milliseconds to load and are needed only for some output: string-width only for text beyond
 * the characters width.ts measures itself, chalk only when colour is on. Both are ES modules,
 * which an `import` statement loads at start-up and `import()` loads asynchronously. Node's
 * `require()` can load an ES module synchronously ("require(esm)"), so a renderer can load such a
 * dependency at the moment it first needs it.
 *
 * Where require(esm) is missing (Node 20 before 20.19, 22 before 22.12) or still prints an
 * ExperimentalWarning on first use (22.12, 23.0–23.4: a stray line on stderr), the module that
 * needs the dependency imports it at load time instead, as before: same output, old start-up cost.
 */
import { createRequire } from 'node:module';

/**
 * Whether require() loads ES modules here without a warning: Node 20.19+, 22.13+, 23.5+ and every
 * later major. `enabled` is `process.features.require_module` (undefined before 20.19/22.10).
 */
export function requireEsmIsQuiet(nodeVersion: string, enabled: boolean | undefined): boolean {
  if (enabled !== true) return false;
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  if (major === 22) return minor >= 13;
  if (major === 23) return minor >= 5;
  return major >= 20;
}

/** True where renderers may load ES-module dependencies on first use with `requireDependency`. */
export const CAN_REQUIRE_ESM: boolean = requireEsmIsQuiet(process.versions.node, process.features.require_module);

const requireFromPackage = createRequire(import.meta.url);

/**
 * Where require(esm) is unavailable, the ES-module dependencies are imported with this module
 * instead, at start-up, as they were before lazy loading: the same output, the old start-up
 * cost. (The CLI bundles, scripts/bundle.mjs, replace this module with one whose requireDependency
 * loads the copies bundled with the command, on any Node.)
 */
const preloaded: Readonly<Record<string, unknown>> = CAN_REQUIRE_ESM ? {} : { chalk: await import('chalk'), 'string-width': await import('string-width') };

/** A dependency of this package, loaded now if it is not already (see above for ES modules). */
export function requireDependency(name: 'chalk' | 'string-width' | '@datadog/sketches-js'): unknown {
  return preloaded[name] ?? requireFromPackage(name);
}
