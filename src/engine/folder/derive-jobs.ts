/**
 * Turns the files of a folder into the job list. A manifest is a job (or an error row if it
 * cannot become one); a module is a job of its own too, with its own history: listed by its
 * name when no manifest uses it, else by its file name right under the (first) manifest that
 * does, so a module behind a 1-second-timeout manifest can still be run as it is.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import type { Config } from '../../core/config.js';
import { jobFromManifest, jobFromModule, type JobSpec } from '../job.js';
import { errorView, type FileFact } from './file-facts.js';
import type { JobEntry } from './job-entry.js';

type ModuleFact = Extract<FileFact, { kind: 'module' }>;
type ManifestFact = Extract<FileFact, { kind: 'manifest' }>;

export function deriveJobs(facts: Iterable<FileFact>, root: string, config: Config): JobEntry[] {
  const modules: ModuleFact[] = [];
  const manifests: ManifestFact[] = [];
  for (const fact of facts) (fact.kind === 'module' ? modules : manifests).push(fact as never);
  modules.sort((a, b) => a.path.localeCompare(b.path));
  const hashOf = new Map(modules.map((m) => [m.path, m.hash]));
  const problemOf = new Map(modules.map((m) => [m.path, m.problem]));
  /** Module path → the id of the first manifest (by path) that runs it. */
  const covered = new Map<string, string>();
  const entries: JobEntry[] = [];

  manifests.sort((a, b) => a.path.localeCompare(b.path));
  for (const fact of manifests) {
    const base: Omit<JobEntry, 'spec' | 'error' | 'warning' | 'moduleHash'> = {
      parent: null,
      id: fact.path,
      name: basename(fact.path),
      relPath: relative(root, fact.path),
      kind: 'manifest',
      manifestHash: fact.loaded?.hash ?? null,
    };
    if (!fact.loaded) {
      entries.push({ ...base, spec: null, error: fact.error, warning: null, moduleHash: null });
      continue;
    }
    let spec: JobSpec;
    try {
      spec = manifestJob(fact.loaded, modules, config);
    } catch (error) {
      entries.push({ ...base, spec: null, error: errorView(error), warning: null, moduleHash: null });
      continue;
    }
    if (!covered.has(spec.modulePath)) covered.set(spec.modulePath, fact.path);
    const moduleHash = hashOf.get(spec.modulePath) ?? null;
    const warning = problemOf.get(spec.modulePath) ?? (moduleHash === null && !existsSync(spec.modulePath) ? `The module ${spec.modulePath} does not exist.` : null);
    entries.push({ ...base, name: spec.name, spec, error: null, warning, moduleHash });
  }

  const children: JobEntry[] = [];
  for (const fact of modules) {
    const parent = covered.get(fact.path);
    const base = { id: fact.path, name: basename(fact.path), relPath: relative(root, fact.path), kind: 'module' as const, manifestHash: null, moduleHash: fact.hash, parent: parent ?? null };
    let entry: JobEntry;
    if (fact.problem !== null) {
      (parent ? children : entries).push({ ...base, spec: null, error: { message: fact.problem, details: [] }, warning: null });
      continue;
    }
    try {
      const spec = jobFromModule(fact.path, config);
      entry = { ...base, name: parent ? base.name : spec.name, spec, error: null, warning: null };
    } catch (error) {
      entry = { ...base, spec: null, error: errorView(error), warning: null };
    }
    (parent ? children : entries).push(entry);
  }
  return withChildren(sortByName(disambiguate(entries)), children);
}

/** Each manifest's module right after it. */
function withChildren(top: JobEntry[], children: JobEntry[]): JobEntry[] {
  if (children.length === 0) return top;
  const out: JobEntry[] = [];
  for (const entry of top) {
    out.push(entry);
    for (const child of children) if (child.parent === entry.id) out.push(child);
  }
  return out;
}

/**
 * A v0.1 manifest names its module only by hash. It is matched against the modules already
 * hashed here, so no extra walk of the tree is needed; the first match by path wins, as in
 * the engine's own search.
 */
function manifestJob(loaded: NonNullable<ManifestFact['loaded']>, modules: readonly ModuleFact[], config: Config): JobSpec {
  const { manifest } = loaded;
  if (manifest.version !== '0.1') return jobFromManifest(loaded, config);
  const under = dirname(loaded.path) + sep;
  const match = modules.find((m) => m.path.startsWith(under) && m.path.toLowerCase().endsWith('.wasm') && m.hash === manifest.module_hash);
  if (!match) {
    throw new Error(`${loaded.path}: no .wasm file under ${dirname(loaded.path)} has the hash ${manifest.module_hash}.`);
  }
  return jobFromManifest(loaded, config, { module: match.path });
}

/** Two jobs called `hello` (in different folders) are shown by their paths instead. */
function disambiguate(entries: JobEntry[]): JobEntry[] {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.name, (counts.get(entry.name) ?? 0) + 1);
  return entries.map((entry) => ((counts.get(entry.name) ?? 0) > 1 ? { ...entry, name: entry.relPath } : entry));
}

function sortByName(entries: JobEntry[]): JobEntry[] {
  return entries.sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id));
}
