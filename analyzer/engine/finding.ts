import type { EngineRuleId, RuleId, Severity } from "../checks/rule-ids.js";

export type { Severity };

/** A location in a file: 1-based line and column, `file` relative to the cwd with `/` separators. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface RelatedLocation extends Location {
  message: string;
}

/** A text edit on the reported file: replace [start, end) (0-based offsets) by `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Suggestion {
  messageId: string;
  message: string;
  edits: TextEdit[];
}

/** A finding is data; `message` is rendered once from `messageId` + `data`. */
export interface Finding {
  ruleId: RuleId | EngineRuleId;
  messageId: string;
  data: Record<string, string>;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  symbol?: string;
  related: RelatedLocation[];
  suggestions?: Suggestion[];
  /** Hash of the normalised source text of the reported node (for baselines). */
  fingerprint?: string;
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  if (a.message !== b.message) return a.message < b.message ? -1 : 1;
  return 0;
}

/** Renders `{placeholder}` templates; throws on a placeholder with no data (caught by the testers). */
export function renderMessage(template: string, data: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = data[key];
    if (value === undefined) throw new Error(`message placeholder {${key}} has no data in "${template}"`);
    return value;
  });
}
