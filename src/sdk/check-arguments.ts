/**
 * The SDK's edge for plain JavaScript (and `any`): every public method checks what it was given
 * here, once, and the engine trusts it from then on. TypeScript callers never see these errors;
 * a JavaScript caller who writes `withEnv('WHO', 'sdk')` gets a PlasmError of kind "usage" whose
 * one sentence names the method and what it expected, instead of a guest with `0=W 1=H 2=O`.
 */
import { PlasmError } from '../core/errors.js';
import { JOB_ID_PATTERN } from '../queue/names.js';

/** What one value must be: a test and how the expectation reads in a sentence. */
export interface Rule {
  expected: string;
  test(value: unknown): boolean;
}

function refuse(method: string, expected: string, value: unknown, hint = ''): never {
  throw new PlasmError('usage', `${method} expects ${expected}, not ${shown(value)}${hint}.`);
}

/** How a wrong value reads in a sentence: its type, and the value itself when it is short. */
export function shown(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'string') return `the string ${quoted(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `the ${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'function' || typeof value === 'symbol') return `a ${typeof value}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

export const aBoolean: Rule = { expected: 'true or false', test: (value) => typeof value === 'boolean' };
export const aFunction: Rule = { expected: 'a function', test: (value) => typeof value === 'function' };
export const anObject: Rule = { expected: 'an object', test: (value) => typeof value === 'object' && value !== null && !Array.isArray(value) };
// By shape, not by class: an AbortSignal from another realm or a polyfill works just as well.
export const anAbortSignal: Rule = {
  expected: 'an AbortSignal',
  test: (value) => anObject.test(value) && typeof (value as AbortSignal).aborted === 'boolean' && typeof (value as AbortSignal).addEventListener === 'function',
};
export const aJobId: Rule = {
  expected: 'a job id of 1 to 128 letters, digits, ".", "_", "~" or "-" (not only digits)',
  test: (value) => typeof value === 'string' && JOB_ID_PATTERN.test(value),
};
export const bytes: Rule = { expected: 'bytes (a Buffer or Uint8Array)', test: (value) => value instanceof Uint8Array };
export const aTransport: Rule = {
  expected: 'a Transport (an object with publicKey, start and close methods)',
  test: (value) => anObject.test(value) && ['publicKey', 'start', 'close'].every((name) => typeof (value as Record<string, unknown>)[name] === 'function'),
};

export function aWholeNumber(min: number): Rule {
  return { expected: `a whole number of at least ${min}`, test: (value) => Number.isSafeInteger(value) && (value as number) >= min };
}

/** Module and manifest paths, host and guest dirs, receipt files. */
export function checkPath(method: string, what: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') refuse(method, `${what} as a non-empty string`, value);
}

/** A limit in whole units (MiB, bytes, cores, fuel), at least `min`. */
export function checkWholeNumber(method: string, what: string, value: unknown, min: number): asserts value is number {
  if (!aWholeNumber(min).test(value)) refuse(method, `${what} as a whole number of at least ${min}`, value);
}

/** A time limit: any finite number of seconds above zero (0.5 is half a second). */
export function checkPositiveNumber(method: string, what: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) refuse(method, `${what} as a number greater than 0`, value);
}

/** Guest arguments, one string each: an array given whole would reach the guest as "x,y". */
export function checkArgs(method: string, args: readonly unknown[]): asserts args is string[] {
  args.forEach((arg, index) => {
    if (typeof arg === 'string') return;
    const hint = Array.isArray(arg) ? ' (spread an array: withArgs(...list))' : ` (argument ${index + 1})`;
    refuse(method, `each guest argument as its own string, like withArgs('x', 'y')`, arg, hint);
  });
}

/** Guest environment: names without "=" or NUL, values strings without NUL (what WASI can carry). */
export function checkEnv(method: string, env: unknown): asserts env is Record<string, string> {
  if (!isPlainObject(env)) refuse(method, `one object of names and string values, like withEnv({ WHO: 'sdk' })`, env);
  for (const [name, value] of Object.entries(env)) {
    if (name === '' || /[=\0]/.test(name)) refuse(method, 'variable names without "=" or NUL', name);
    if (typeof value !== 'string' || value.includes('\0')) refuse(method, `the value of ${name} as a string without NUL`, value);
  }
}

/** A job's stdin: text, bytes, or left out for none (or a manifest's default). */
export function checkStdin(method: string, what: string, value: unknown): asserts value is string | Uint8Array | undefined {
  if (value !== undefined && typeof value !== 'string' && !(value instanceof Uint8Array)) {
    refuse(method, `${what} as a string or a Uint8Array (or left out)`, value);
  }
}

/**
 * An options object: left out, or an object whose every key is known and passes its rule. An
 * unknown key is refused rather than ignored: `{ readOnly: true }` must not grant a writable dir.
 */
export function checkOptions(method: string, value: unknown, rules: Record<string, Rule>, what = 'options'): void {
  if (value === undefined) return;
  if (!anObject.test(value)) refuse(method, `${what} as an object`, value);
  for (const [key, option] of Object.entries(value as Record<string, unknown>)) {
    const rule = rules[key];
    if (!rule) refuse(method, `only the keys ${Object.keys(rules).join(', ')} in ${what}`, key);
    if (option !== undefined && !rule.test(option)) refuse(method, `${what}.${key} as ${rule.expected}`, option);
  }
}

/** Keys to verify against, one or more (the workers of a queue): each 64 hex characters. */
export function checkPublicKeys(method: string, value: unknown): asserts value is string | readonly string[] {
  if (!Array.isArray(value)) return checkPublicKey(method, value);
  if (value.length === 0) refuse(method, 'at least one public key to pin', value);
  for (const key of value) checkPublicKey(method, key);
}

/** A key to verify against: 64 hex characters, as `plasm-tui key` and `client.publicKey()` give it. */
export function checkPublicKey(method: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value.trim())) {
    refuse(method, "the signer's public key pinned as 64 hex characters (what `plasm-tui key` or client.publicKey() gives)", value);
  }
}

/** A batch: an array of jobs, or of `{ job, stdin, id }`. */
export function checkBatch(method: string, items: unknown, isJob: (value: unknown) => boolean): void {
  if (!Array.isArray(items)) refuse(method, 'an array of jobs or { job, stdin } items', items);
  items.forEach((item: unknown, index) => {
    if (isJob(item)) return;
    const what = `items[${index}]`;
    if (!anObject.test(item) || !isJob((item as { job?: unknown }).job)) refuse(method, `${what} to be a Job or { job, stdin } with a Job`, item);
    checkOptions(method, item, { job: { expected: 'a Job', test: isJob }, stdin: { expected: 'a string or a Uint8Array', test: (v) => typeof v === 'string' || v instanceof Uint8Array }, id: aJobId }, what);
  });
}
