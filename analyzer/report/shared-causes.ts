import type { Finding } from "../engine/finding.js";

/**
 * Findings that share one cause are said once by the reporters meant for people (stylish, markdown)
 * when at least this many share it: two findings of one symbol read fine as two lines, three and
 * more (one deprecated member called in 158 places) bury everything else in the list.
 */
export const SHARED_CAUSE_MIN = 3;

/** Several findings of one rule about one symbol (a deprecated member, a factory, a contract event). */
export interface SharedCause {
  ruleId: string;
  symbol: string;
  /** How many findings share it. */
  count: number;
  /** The first of them in report order (file, line, column). */
  first: Finding;
  /** How many files they are in. */
  files: number;
}

/**
 * The causes that at least SHARED_CAUSE_MIN findings share: the same rule and the same `symbol`
 * (findings without a symbol share nothing). Most findings first, then by rule and symbol, so the
 * list is the same for the same findings whatever order they come in. Pure.
 */
export function findSharedCauses(findings: readonly Finding[]): SharedCause[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.symbol === undefined) continue;
    const key = `${finding.ruleId}\u0000${finding.symbol}`;
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  const causes: SharedCause[] = [];
  for (const group of groups.values()) {
    if (group.length < SHARED_CAUSE_MIN) continue;
    const first = group.reduce((a, b) => (compareLocation(b, a) < 0 ? b : a));
    causes.push({ ruleId: first.ruleId, symbol: first.symbol!, count: group.length, first, files: new Set(group.map((f) => f.file)).size });
  }
  return causes.sort((a, b) => b.count - a.count || compareText(a.ruleId, b.ruleId) || compareText(a.symbol, b.symbol));
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareLocation(a: Finding, b: Finding): number {
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
}

/** `BaseClient.device` as a code span, whatever backticks the symbol holds. */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}

/** "158 dual-interface findings share one cause, `BaseClient.device` (first at src/a.ts:676:9; in 3 files)." */
export function describeSharedCause(cause: SharedCause, format: { rule: string; location: string }): string {
  const where = cause.files === 1 ? "all in one file" : `in ${cause.files} files`;
  return `${cause.count} ${format.rule} findings share one cause, ${codeSpan(cause.symbol)} (first at ${format.location}; ${where}).`;
}
