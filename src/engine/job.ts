import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Config } from '../core/config.js';
import { fsError, PlasmError } from '../core/errors.js';
import type { Hash } from '../core/hash.js';
import type { Limits } from '../core/limits.js';
import { loadManifest, type LoadedManifest } from '../core/manifest.js';
import { findModuleByHash } from './find-module.js';
import { normalizeSeed } from '../core/portable-job.js';

export interface JobDir {
  /** Absolute host path. */
  host: string;
  guest: string;
  readonly: boolean;
}

/** Everything needed to run one job: the plain options object the engine runs from. */
export interface JobSpec {
  name: string;
  modulePath: string;
  manifestPath: string | null;
  manifestHash: Hash | null;
  /** A module hash the run must match (v0.1 manifests, v0.2 `module_hash`). */
  pinnedHash: Hash | null;
  /** Guest arguments after argv[0] (which is always the module's file name). */
  args: string[];
  env: Record<string, string>;
  dirs: JobDir[];
  /** Stdin used when the caller gives none (a v0.2 manifest's `stdin`). */
  defaultStdin: string | null;
  limits: Limits;
  /**
   * What the manifest itself asks for (its `dirs` and `env`): requests that need the user's
   * consent before the job runs (see grants.ts). Flags and SDK options are consent already.
   */
  requested: { dirs: JobDir[]; env: Record<string, string> } | null;
  /** Deterministic mode (README "Deterministic mode"): read-only dirs only, fuel always on. */
  deterministic: boolean;
  /** Its random seed (64 hex digits); null: derived from the job. */
  seed: string | null;
  /** The guest's argv[0] when it is not the module's file name (a replay runs the receipt's). */
  argv0: string | null;
}

/** What a caller (CLI flags, TUI, SDK) may set on top of a manifest and the config. */
export interface JobOverrides {
  args?: string[];
  env?: Record<string, string>;
  dirs?: JobDir[];
  memory_mb?: number;
  timeout_seconds?: number;
  max_output_bytes?: number;
  fuel?: number;
  cpu_cores?: number;
  /** For v0.1 manifests: the module file, instead of searching by hash. */
  module?: string;
  deterministic?: boolean;
  /** 1–64 hex digits (normalized to 64). */
  seed?: string;
}

export const MODULE_EXTENSIONS = ['.wasm', '.wat'];

export function isModulePath(path: string): boolean {
  return MODULE_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** A module file, a manifest, or an error naming what was expected. */
export function resolveJob(target: string, config: Config, overrides: JobOverrides = {}): JobSpec {
  const path = resolve(target);
  if (isModulePath(path)) return jobFromModule(path, config, overrides);
  if (extname(path).toLowerCase() === '.json') return jobFromManifest(loadManifest(path), config, overrides);
  throw new PlasmError('usage', `${target} is neither a module (.wasm, .wat) nor a manifest (.json).`);
}

export function jobFromModule(modulePath: string, config: Config, overrides: JobOverrides = {}): JobSpec {
  const spec: JobSpec = {
    name: basename(modulePath).replace(/\.(wasm|wat)$/i, ''),
    modulePath: resolve(modulePath),
    manifestPath: null,
    manifestHash: null,
    pinnedHash: null,
    args: overrides.args ?? [],
    env: { ...overrides.env },
    dirs: overrides.dirs ?? [],
    defaultStdin: null,
    limits: limitsFrom(config, {}, overrides),
    requested: null,
    ...modeFrom({}, overrides, modulePath),
  };
  return checked(spec);
}

export function jobFromManifest(loaded: LoadedManifest, config: Config, overrides: JobOverrides = {}): JobSpec {
  const { manifest, path } = loaded;
  const base = dirname(path);
  const fromManifestName = basename(path).replace(/(\.manifest)?\.json$/i, '');
  if (manifest.version === '0.1') {
    const modulePath = overrides.module ? resolve(overrides.module) : findModuleByHash(base, manifest.module_hash, path, config.max_module_bytes);
    return checked({
      name: fromManifestName,
      modulePath,
      manifestPath: path,
      manifestHash: loaded.hash,
      pinnedHash: manifest.module_hash,
      args: overrides.args ?? [],
      env: { ...overrides.env },
      dirs: overrides.dirs ?? [],
      defaultStdin: null,
      limits: limitsFrom(config, withinCeilings(manifest, config, path), overrides),
      requested: null,
      ...modeFrom({}, overrides, path),
    });
  }
  const manifestDirs: JobDir[] = (manifest.dirs ?? []).map((d) => ({ host: resolve(base, d.host), guest: d.guest, readonly: d.readonly ?? false }));
  return checked({
    name: manifest.name ?? fromManifestName,
    modulePath: resolve(base, overrides.module ?? manifest.module),
    manifestPath: path,
    manifestHash: loaded.hash,
    pinnedHash: manifest.module_hash ?? null,
    args: overrides.args ?? manifest.args ?? [],
    env: { ...manifest.env, ...overrides.env },
    dirs: [...manifestDirs, ...(overrides.dirs ?? [])],
    defaultStdin: manifest.stdin ?? null,
    limits: limitsFrom(config, withinCeilings(manifest, config, path), overrides),
    requested: manifestDirs.length > 0 || Object.keys(manifest.env ?? {}).length > 0 ? { dirs: manifestDirs, env: { ...manifest.env } } : null,
    ...modeFrom(manifest, overrides, path),
  });
}

/** A manifest may ask for limits up to the config's ceilings; past one it is refused, not trimmed. */
function withinCeilings<T extends LimitSource>(manifest: T, config: Config, path: string): T {
  const asks: [keyof Config['ceilings'], number | undefined, string][] = [
    ['memory_mb', manifest.memory_mb, 'MiB of memory'],
    ['timeout_seconds', manifest.timeout_seconds, 's of time'],
    ['max_output_bytes', manifest.max_output_bytes, 'bytes of output'],
  ];
  for (const [key, value, what] of asks) {
    const ceiling = config.ceilings[key];
    if (value !== undefined && value > ceiling) {
      throw new PlasmError('invalid', `${path} asks for ${value} ${what}, over the ceiling of ${ceiling} (ceilings.${key} in plasm-tui's config.json); lower it in the manifest or raise the ceiling.`);
    }
  }
  return manifest;
}

/** A job's name becomes a folder name for its receipts: it must be a plain name. */
export function isPlainName(name: string): boolean {
  return /^[^/\\\0-\x1f\x7f]+$/.test(name) && name !== '.' && name !== '..' && name.length <= 100;
}

function modeFrom(manifest: { deterministic?: boolean; seed?: string }, overrides: JobOverrides, where: string): Pick<JobSpec, 'deterministic' | 'seed' | 'argv0'> {
  const text = overrides.seed ?? manifest.seed;
  const seed = text === undefined ? null : normalizeSeed(text);
  if (text !== undefined && seed === null) throw new PlasmError('usage', `${where}: a seed is 1 to 64 hex digits, not ${JSON.stringify(text)}.`);
  const deterministic = overrides.deterministic ?? manifest.deterministic ?? false;
  if (seed !== null && !deterministic) throw new PlasmError('usage', `${where}: a seed is for deterministic mode; add --deterministic (or "deterministic": true).`);
  return { deterministic, seed, argv0: null };
}

type LimitSource = Partial<Pick<Limits, 'memory_mb' | 'timeout_seconds' | 'max_output_bytes' | 'cpu_cores'>> & { fuel?: number | null };

function limitsFrom(config: Config, manifest: LimitSource, overrides: JobOverrides): Limits {
  return {
    memory_mb: overrides.memory_mb ?? manifest.memory_mb ?? config.memory_mb,
    timeout_seconds: overrides.timeout_seconds ?? manifest.timeout_seconds ?? config.timeout_seconds,
    max_output_bytes: overrides.max_output_bytes ?? manifest.max_output_bytes ?? config.max_output_bytes,
    fuel: overrides.fuel ?? manifest.fuel ?? config.fuel,
    cpu_cores: overrides.cpu_cores ?? manifest.cpu_cores ?? config.cpu_cores,
  };
}

/** Validated once here, trusted inside the engine. */
function checked(spec: JobSpec): JobSpec {
  const where = spec.manifestPath ?? spec.modulePath;
  const fuel = spec.limits.fuel;
  if (fuel !== null && (!Number.isSafeInteger(fuel) || fuel < 1)) {
    throw new PlasmError('usage', `${where}: a fuel budget is a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, not ${fuel}.`);
  }
  if (!isPlainName(spec.name)) {
    throw new PlasmError('invalid', `${where}: the job name ${JSON.stringify(spec.name)} is not a plain name (no slashes or control characters, not . or ..).`);
  }
  const writable = spec.dirs.find((dir) => !dir.readonly);
  if (spec.deterministic && writable) {
    throw new PlasmError('usage', `${where}: deterministic mode takes read-only dirs only, and ${writable.host} (for ${writable.guest}) is read-write; grant it with --ro-dir ("readonly": true), or run without deterministic mode.`);
  }
  const guests = new Set<string>();
  for (const dir of [...spec.dirs]) {
    if (guests.has(dir.guest)) throw new PlasmError('usage', `Guest path "${dir.guest}" is mapped twice.`);
    guests.add(dir.guest);
    let isDir = false;
    try {
      isDir = statSync(dir.host).isDirectory();
    } catch {
      throw new PlasmError('not_found', `${where}: the directory ${dir.host} (for ${dir.guest}) does not exist.`);
    }
    if (!isDir) throw new PlasmError('invalid', `${where}: ${dir.host} (for ${dir.guest}) is not a directory.`);
    // Bound, preopened and shown for consent as the real folder, never through a symlink.
    try {
      dir.host = realpathSync(dir.host);
    } catch (error) {
      throw fsError(error, dir.host, 'resolve');
    }
  }
  for (const key of Object.keys(spec.env)) {
    if (key === '' || key.includes('=') || key.includes('\0')) throw new PlasmError('usage', `Environment variable name "${key}" is not valid.`);
  }
  return spec;
}
