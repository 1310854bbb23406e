/**
 * `.gitignore` rules, as git reads them, through the `ignore` package (eslint's and prettier's):
 * globs, character classes (`[Bb]in/`), anchoring, `!` re-including, the last rule winning. Its
 * patterns cannot backtrack without bound, so a hostile `.gitignore` (`a*a*a*…b`) cannot stall
 * the watcher. Case-sensitive, as git is on Linux.
 */
import ignore, { type Ignore } from 'ignore';

export type IgnoreRules = Ignore;

export function parseGitignore(text: string): IgnoreRules {
  return ignore({ ignorecase: false }).add(text);
}

/** Whether `rel` (relative to the .gitignore's folder, `/`-separated) is ignored by `rules`; null if no rule speaks. */
export function gitignored(rules: IgnoreRules, rel: string, isDir: boolean): boolean | null {
  let result;
  try {
    result = rules.test(isDir ? `${rel}/` : rel);
  } catch {
    return null; // a path the package refuses (not relative): no rule speaks for it
  }
  if (result.ignored) return true;
  return result.unignored ? false : null;
}
