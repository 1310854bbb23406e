/** Placeholder until the TUI lands: keeps the CLI's lazy import in place. */
export async function startTui(dir: string): Promise<number> {
  process.stderr.write(`plasm-tui: the terminal UI is not built yet; use \`plasm-tui run\` on the modules in ${dir}.\n`);
  return 2;
}
