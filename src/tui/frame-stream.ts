/**
 * The stream Ink draws to. With incremental rendering Ink rewrites only the lines that changed,
 * but Ink 6.8 moves the cursor up one line too few before an update of a frame that ends with a
 * newline (the frame lands one row low: seen in a pty). The app's frame always starts at the
 * top-left of the alternate screen, so an update that starts by moving up starts there instead.
 * Everything else passes through untouched.
 */
const LEADING_CURSOR_UP = /^\x1b\[\d+A/;
const CURSOR_HOME = '\x1b[H';

export function frameStream(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stream.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? chunk.replace(LEADING_CURSOR_UP, CURSOR_HOME) : chunk, ...rest);
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
