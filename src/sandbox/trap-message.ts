/** V8's words for a trap, turned into one sentence a user can act on. */
const TRAPS: [RegExp, string][] = [
  [/^unreachable/, 'it executed an unreachable instruction (often a panic or abort in the guest)'],
  [/divide by zero/, 'integer divide by zero'],
  [/remainder by zero/, 'integer remainder by zero'],
  [/memory access out of bounds/, 'out-of-bounds memory access'],
  [/integer overflow/, 'integer overflow'],
  [/float unrepresentable|invalid conversion/, 'a float was converted to an integer it does not fit in'],
  [/table index is out of bounds|element segment out of bounds/, 'an indirect call through an out-of-bounds table index'],
  [/null function|signature mismatch/, 'an indirect call to a null function or with the wrong signature'],
  [/data segment .*out of bounds|out of bounds.*segment/, 'a data or element segment did not fit'],
];

export function trapMessage(v8Message: string): string {
  const text = v8Message.replace(/^[\w.]+\(\): /, '');
  for (const [pattern, words] of TRAPS) if (pattern.test(text)) return `The module trapped: ${words}.`;
  return `The module trapped: ${text}.`;
}

export function stackOverflowMessage(stackKb: number): string {
  return `The module trapped: stack overflow — the call stack passed its ${stackKb} KiB cap (runaway or very deep recursion).`;
}

/** Strips V8's "WebAssembly.Module(): " prefix and byte offsets noise from a compile error. */
export function compileMessage(v8Message: string): string {
  const text = v8Message.replace(/^[\w.]+\(\): /, '');
  if (/expected magic word/.test(text)) return 'The file is not a WebAssembly module (no \\0asm magic number).';
  if (/expected \d+ bytes?, fell off end|section was shorter|extends past end|unexpected end/.test(text)) {
    return `The WebAssembly module is truncated or corrupt: ${text}.`;
  }
  return `The WebAssembly module is not valid: ${text}.`;
}
