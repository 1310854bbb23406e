import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root: every built file sits two folders below it (dist/core/paths.js, the bundle dist/cli/bundle.js → ../..). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCHEMAS_DIR = join(PACKAGE_ROOT, 'schemas');

/** `$XDG_CONFIG_HOME/plasm-tui`, else `~/.config/plasm-tui`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'plasm-tui');
}

/** Where receipts of jobs found under `root` are kept. */
export function receiptsDir(root: string): string {
  return join(root, '.plasm', 'receipts');
}
