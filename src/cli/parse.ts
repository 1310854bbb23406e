import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PlasmError } from '../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util.parseArgs with strict checking, its errors turned into one-line usage errors. */
export function parseCommand<T extends Options>(command: string, args: string[], options: T): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs explains at length over several lines; the first line says what is wrong.
    const message = ((error as Error).message.split('\n')[0] ?? '').replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '');
    throw new PlasmError('usage', `${message}. See \`plasm-tui ${command} --help\`.`);
  }
}

export function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new PlasmError('usage', `${flag} takes a whole number of at least 1, not "${value}".`);
  }
  return Number(value);
}

export function nonNegativeInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new PlasmError('usage', `${flag} takes a whole number of at least 0, not "${value}".`);
  }
  return Number(value);
}

export function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new PlasmError('usage', `${flag} takes a number greater than 0, not "${value}".`);
  }
  return number;
}
