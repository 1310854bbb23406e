import { PlasmError } from './errors.js';
import { sha256, type Hash } from './hash.js';
import { parseJson, readJsonFile } from './json-file.js';
import { schemaErrors } from './schemas.js';
import type { ManifestV01 } from './schema-types/manifest-v0.1.js';
import type { ManifestV02 } from './schema-types/manifest-v0.2.js';

/** See schemas/manifest-v0.1.schema.json (the seed's format, accepted verbatim) and manifest-v0.2: their types are generated from them. */
export type { ManifestV01, ManifestV02 };

export type DirGrant = NonNullable<ManifestV02['dirs']>[number];

export type Manifest = ManifestV01 | ManifestV02;

export interface LoadedManifest {
  path: string;
  hash: Hash;
  manifest: Manifest;
}

/** Reads, parses and validates a manifest; every problem names the file, JSON path and rule. */
export function loadManifest(path: string): LoadedManifest {
  const file = readJsonFile(path);
  return { path, hash: sha256(file.bytes), manifest: validateManifest(file.data, path) };
}

export function parseManifestText(text: string, path: string): Manifest {
  return validateManifest(parseJson(text, path), path);
}

export function validateManifest(data: unknown, path: string): Manifest {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PlasmError('invalid', `${path}: / must be an object (rule: type)`);
  }
  const version = (data as { version?: unknown }).version;
  if (version !== '0.1' && version !== '0.2') {
    const got = version === undefined ? 'is missing' : `is ${JSON.stringify(version)}`;
    throw new PlasmError('invalid', `${path}: /version ${got}; it must be "0.1" or "0.2" (rule: enum)`);
  }
  const errors = schemaErrors(version === '0.1' ? 'manifest-v0.1' : 'manifest-v0.2', data, path);
  if (errors.length > 0) {
    const [first, ...rest] = errors;
    throw new PlasmError('invalid', first ?? `${path} is not a valid manifest`, rest);
  }
  return data as Manifest;
}

/**
 * Whether a JSON file in a watched folder is meant as a manifest: it says so by its name
 * (`*.manifest.json`, `manifest.json`, `plasm.json`) or by its keys. Broken JSON with such a name
 * still counts, so that it is listed with its error instead of silently ignored.
 */
export function isManifestFileName(name: string): boolean {
  return /(^|\.)manifest\.json$/.test(name) || name === 'plasm.json';
}

export function looksLikeManifest(data: unknown): boolean {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const record = data as Record<string, unknown>;
  return (record.version === '0.1' || record.version === '0.2') && ('module' in record || 'module_hash' in record);
}
