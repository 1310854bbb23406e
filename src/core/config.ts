import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { PlasmError } from './errors.js';
import { readJsonFile } from './json-file.js';
import { configDir } from './paths.js';
import { schemaErrors } from './schemas.js';
import type { ReceiptVersion } from './receipt.js';

/** See schemas/config.schema.json; defaults come from the schema's `default`s. */
export interface Config {
  memory_mb: number;
  timeout_seconds: number;
  max_output_bytes: number;
  cpu_cores: number;
  stack_kb: number;
  receipt_version: ReceiptVersion;
  /** The largest file a job may write into a read-write dir (RLIMIT_FSIZE). */
  max_file_bytes: number;
  /** The largest module file read (to run, list or hash): bigger ones are refused unread. */
  max_module_bytes: number;
  /** A fuel budget for every job that sets none (null: no metering, the default). */
  fuel: number | null;
  /** The most a manifest may ask for (flags a user types are consent and are not held to them). */
  ceilings: Ceilings;
}

export interface Ceilings {
  memory_mb: number;
  timeout_seconds: number;
  max_output_bytes: number;
}

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
