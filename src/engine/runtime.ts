import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/paths.js';

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** Who ran a job, as recorded in receipts and printed by `plasm-tui version`. */
export const RUNTIME = Object.freeze({ name: pkg.name, version: pkg.version, node: process.version });
