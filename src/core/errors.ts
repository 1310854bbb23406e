/**
 * Errors that reach a user are values with a kind and a one-sentence message; the kind decides
 * the exit code at the CLI boundary and the status in the engine.
 */
export type ErrorKind =
  | 'usage' // bad flags or arguments
  | 'invalid' // not a usable module, manifest, receipt or config
  | 'not_found' // a named file does not exist
  | 'io' // a file could not be read or written
  | 'verify' // a receipt failed verification
  | 'consent' // a manifest asks for grants the user has not allowed
  | 'internal'; // a bug or an unexpected platform failure

export class PlasmError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'PlasmError';
  }
}

export function isPlasmError(error: unknown): error is PlasmError {
  return error instanceof PlasmError;
}

/** A one-line description of an unexpected error, without a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

/** Turns a Node fs error for `path` into a PlasmError with a plain sentence. */
export function fsError(error: unknown, path: string, doing: string): PlasmError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new PlasmError('not_found', `${path} does not exist.`);
    case 'EISDIR':
      return new PlasmError('invalid', `${path} is a directory, not a file.`);
    case 'ENOTDIR':
      return new PlasmError('not_found', `${path} is not inside a directory that exists.`);
    case 'EACCES':
    case 'EPERM':
      return new PlasmError('io', `Permission denied while ${doing} ${path}.`);
    case 'EEXIST':
      return new PlasmError('io', `${path} already exists.`);
    default:
      return new PlasmError('io', `Could not ${doing} ${path}: ${describeError(error)}.`);
  }
}
