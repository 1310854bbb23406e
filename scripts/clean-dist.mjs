#!/usr/bin/env node
// dist/ is rebuilt from nothing each time, so a file deleted from src/ never lingers in the package.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

rmSync(fileURLToPath(new URL('../dist', import.meta.url)), { recursive: true, force: true });
