/**
 * `import()` of a module by URL or name, at run time: a user's renderer (`--renderer`), the
 * worker-thread module.
 *
 * In its own module because the CLI bundles load through V8's code cache (core/code-cache.ts),
 * where an `import()` written in the bundle has no loader to go to; scripts/bundle.mjs replaces
 * this module there with one that calls the loader the code cache hands the bundle.
 */
export function importModule(specifier: string): Promise<unknown> {
  return import(specifier);
}
