export interface CodegenOptions { orm?: boolean }
export function generateSource(): string { return ''; }
