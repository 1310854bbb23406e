/** The worker started directly: the Node runtime, its flags, the worker script. */
export function plainCommand(nodeFlags: string[], workerPath: string): string[] {
  return [process.execPath, ...nodeFlags, workerPath];
}
