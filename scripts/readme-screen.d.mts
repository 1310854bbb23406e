export function readmeScreen(cols?: number, rows?: number): Promise<string>;
export function comparable(screen: string): string;
