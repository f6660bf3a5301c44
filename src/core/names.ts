/**
 * Execution names for people: the shortest form of each file name that is still recognisable
 * and distinct. Pure. Text output uses it; JSON, CSV and markdown keep the file as given.
 */

/** Names to show, and the folder they were shortened from. */
export interface ShortNames {
  /** One per path, in order: `stdin` for `-`, else the path without the shared leading folders. */
  names: string[];
  /**
   * The leading folders every path shared and `names` leave out, ending in `/`
   * (`fixtures/runs/`); undefined when nothing was left out.
   */
  folder: string | undefined;
}

/**
 * Drops the leading folders all paths share, so `logs/a/run1.log`, `logs/b/run1.log` read
 * `a/run1.log`, `b/run1.log` (in `logs/`), and `runs/run-1.log`, `runs/run-2.log` read
 * `run-1.log`, `run-2.log` (in `runs/`). What remains always keeps the file name and every
 * folder that tells two paths apart, so distinct paths stay distinct. A single path, or paths
 * with nothing in common, are left as given; `-` is `stdin` and shares no folder; a `git:REV:PATH`
 * among them leaves every name as given.
 */
export function shortNames(paths: readonly string[]): ShortNames {
  const given = paths.map((path) => (path === '-' ? 'stdin' : path));
  // `git:origin/main:train.log` is a revision and a path, not folders: it keeps the name it was given.
  if (paths.length < 2 || paths.includes('-') || paths.some((path) => path.startsWith('git:'))) return { names: given, folder: undefined };
  const split = paths.map((path) => path.split('/'));
  const first = split[0] ?? [];
  let common = 0;
  // Only folders are shared: the last part (the file name) always stays.
  while (common < first.length - 1 && split.every((parts) => parts.length - 1 > common && parts[common] === first[common])) common++;
  if (common === 0) return { names: given, folder: undefined };
  const shared = first.slice(0, common);
  return {
    names: split.map((parts) => parts.slice(common).join('/')),
    // `./a.log`, `./b.log` lose their `./` with nothing worth saying about it.
    folder: shared.every((part) => part === '.') ? undefined : `${shared.join('/')}/`,
  };
}

/** The line that says where shortened names live: `files in fixtures/runs/`. */
export function folderNote(folder: string): string {
  return `files in ${folder}`;
}

/**
 * Short, still unique, names for column headers: the common leading directories are dropped
 * (`logs/a/run1.log`, `logs/b/run1.log` → `a/run1.log`, `b/run1.log`). See {@link shortNames}.
 */
export function displayNames(paths: readonly string[]): string[] {
  return shortNames(paths).names;
}
