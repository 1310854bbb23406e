/**
 * The common part of `.gitignore`: globs (`*`, `?`, `**`), a leading or inner `/` anchoring a
 * pattern to its folder, a trailing `/` for folders only, `!` re-including, `#` comments. The
 * last matching rule wins, as in git. Enough to skip build output and caches; not a full git.
 */
export interface IgnoreRule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (let line of text.split(/\r?\n/)) {
    line = line.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    const body = globToRegex(line);
    rules.push({ regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`), negate, dirOnly });
  }
  return rules;
}

/** Whether `rel` (relative to the .gitignore's folder, `/`-separated) is ignored by `rules`; null if no rule speaks. */
export function gitignored(rules: readonly IgnoreRule[], rel: string, isDir: boolean): boolean | null {
  let verdict: boolean | null = null;
  for (const rule of rules) {
    if (rule.dirOnly && !isDir) continue;
    if (rule.regex.test(rel)) verdict = !rule.negate;
  }
  return verdict;
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (char === '\\' && i + 1 < glob.length) out += escape(glob[++i] as string);
    else out += escape(char);
  }
  return out;
}

function escape(char: string): string {
  return char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}
