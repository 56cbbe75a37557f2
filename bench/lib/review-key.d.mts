export const FIVE_RULES: string[];
/** A short hash of a line's trimmed text. */
export function lineHash(text: string): string;
/** The key a verdict of bench/review-new-corpus.json is filed under. */
export function findingKey(project: string, finding: { ruleId: string; file: string; symbol?: string }, lineText: string): string;
