export function countingWat(lines: number, intervalMs: number, stderrEvery?: number): string;
