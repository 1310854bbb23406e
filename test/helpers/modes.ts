// The OS-sandbox modes a containment test runs under: both, unless PLASM_OS_SANDBOX picks one
// (CI runs the suite once per mode). `bwrap` requires bubblewrap; `off` is the plain launcher.
export const MODES: string[] = process.env.PLASM_OS_SANDBOX ? [process.env.PLASM_OS_SANDBOX] : ['bwrap', 'off'];

export const envFor = (mode: string): Record<string, string | undefined> => ({
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME,
  PLASM_OS_SANDBOX: mode,
});
