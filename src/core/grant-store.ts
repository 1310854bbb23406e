/**
 * Grants the user has allowed, remembered by content hash in the config dir (like `direnv
 * allow`): one small file per allowed grant set, named by its hash, so a changed request has a
 * new hash and is asked for again. Files are created atomically and never overwritten.
 */
import { existsSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeNewFile } from './atomic-file.js';
import { fsError } from './errors.js';
import type { Hash } from './hash.js';
import { configDir } from './paths.js';

export class GrantStore {
  constructor(readonly dir: string = join(configDir(), 'allowed')) {}

  private file(hash: Hash): string {
    return join(this.dir, `${hash.replace(/^sha256:/, '')}.json`);
  }

  isAllowed(hash: Hash): boolean {
    try {
      return lstatSync(this.file(hash)).isFile();
    } catch {
      return false;
    }
  }

  /** Records `hash` as allowed; `record` says what was allowed, for a human reading the file. */
  allow(hash: Hash, record: object): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw fsError(error, this.dir, 'create');
    }
    if (existsSync(this.file(hash))) return;
    writeNewFile(this.file(hash), `${JSON.stringify({ ...record, allowed_at: new Date().toISOString() }, null, 2)}\n`, 0o600);
  }

  revoke(hash: Hash): boolean {
    try {
      unlinkSync(this.file(hash));
      return true;
    } catch {
      return false;
    }
  }
}
