export function floodWat(pattern: string): string;
