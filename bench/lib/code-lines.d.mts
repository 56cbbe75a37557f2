/** Code lines of a TypeScript file: lines on which a token starts or continues (no blank, comment-only or JSDoc-only lines). */
export function countCodeLines(fileName: string, text: string): number;
