export const SCHEMAS: string;
export const OUT: string;
export const NAMES: Record<string, string>;
export function schemaTypes(): Promise<Record<string, string>>;
