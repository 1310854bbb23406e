import type { HELP_SECTIONS } from '../src/tui/keys.js';

export function keysTable(sections: typeof HELP_SECTIONS): string;
