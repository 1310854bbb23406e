import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { PlasmError } from './errors.js';
import { readJsonFile } from './json-file.js';
import { configDir } from './paths.js';
import { schemaErrors } from './schemas.js';
import type { ConfigFile } from './schema-types/config.js';

/**
 * The config as plasm-tui uses it: the file's type (generated from schemas/config.schema.json)
 * with every key given, from the file or from the schema's `default`s.
 */
export type Config = Required<Omit<ConfigFile, 'ceilings'>> & { ceilings: Ceilings };
export type Ceilings = Required<NonNullable<ConfigFile['ceilings']>>;

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  memory_mb: 128,
  timeout_seconds: 30,
  max_output_bytes: 16 * 1024 * 1024,
  cpu_cores: 1,
  stack_kb: 984,
  receipt_version: '0.2',
  max_file_bytes: 1024 * 1024 * 1024,
  max_module_bytes: 256 * 1024 * 1024,
  fuel: null,
  daemon: true,
  ceilings: Object.freeze({ memory_mb: 1024, timeout_seconds: 600, max_output_bytes: 64 * 1024 * 1024 }),
});

export function configPath(dir = configDir()): string {
  return join(dir, 'config.json');
}

/** Loads the user's config (missing file = defaults); an invalid file is an error, not ignored. */
export function loadConfig(path = configPath()): Config {
  if (!existsSync(path)) return { ...DEFAULT_CONFIG, ceilings: { ...DEFAULT_CONFIG.ceilings } };
  const file = readJsonFile(path);
  const errors = schemaErrors('config', file.data, path);
  if (errors.length > 0) throw new PlasmError('invalid', `${path} is not a valid plasm-tui config.`, errors);
  const data = file.data as Partial<Config>;
  return { ...DEFAULT_CONFIG, ...data, ceilings: { ...DEFAULT_CONFIG.ceilings, ...data.ceilings } };
}
