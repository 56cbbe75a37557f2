import { createHash } from "node:crypto";
import ts from "typescript";
import { type Finding, renderMessage } from "./finding.js";
import { ENGINE_RULES } from "./report.js";

/** A `// covenant-ignore <rule-id>[, <rule-id>] -- <reason>` comment. */
export interface Suppression {
  ruleIds: string[];
  reason: string;
  /** 1-based position and end of the comment. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The line whose findings it suppresses: its own when it follows code, else the next code line. */
  targetLine: number;
  text: string;
}

const DIRECTIVE = /^\s*covenant-ignore(?=\s|$)(.*)$/s;

const MESSAGES = {
  missingRule: "`covenant-ignore` names no rule. Write `// covenant-ignore <rule-id> -- <reason>`.",
  unknownRule: "`{ruleId}` is not a covenant rule id, so this comment suppresses nothing. Use one of: {known}.",
  missingReason: "`covenant-ignore {ruleIds}` gives no reason. Add one after ` -- ` so reviewers know why the finding is accepted.",
  unused: "`covenant-ignore {ruleId}` suppresses nothing: there is no {ruleId} finding on line {targetLine}. Remove the comment.",
};

/** The comment range holding `pos`, if `pos` is inside a comment (not a string, template or regex). */
function findCommentAt(sourceFile: ts.SourceFile, pos: number): { range: ts.CommentRange; nextToken: ts.Node } | undefined {
  let node: ts.Node = sourceFile;
  for (;;) {
    const child = node.getChildren(sourceFile).find((c) => c.pos <= pos && pos < c.end);
    if (!child) return undefined;
    if (ts.isJSDoc(child)) return { range: { pos: child.pos, end: child.end, kind: ts.SyntaxKind.MultiLineCommentTrivia }, nextToken: node };
    if (pos >= child.getStart(sourceFile)) {
      node = child;
      continue;
    }
    const text = sourceFile.text;
    const ranges = [...(ts.getTrailingCommentRanges(text, child.pos) ?? []), ...(ts.getLeadingCommentRanges(text, child.pos) ?? [])];
    const range = ranges.find((r) => r.pos <= pos && pos < r.end);
    return range && { range, nextToken: child };
  }
}

function commentBody(text: string, kind: ts.CommentKind): string {
  if (kind === ts.SyntaxKind.SingleLineCommentTrivia) return text.slice(2);
  return text
    .slice(2, -2)
    .split("\n")
    .map((line) => line.replace(/^\s*\*+/, ""))
    .join(" ");
}

/** Every covenant-ignore comment of a file. */
export function findSuppressions(sourceFile: ts.SourceFile): Suppression[] {
  const text = sourceFile.text;
  const suppressions: Suppression[] = [];
  const seen = new Set<number>();
  for (let index = text.indexOf("covenant-ignore"); index !== -1; index = text.indexOf("covenant-ignore", index + 1)) {
    const found = findCommentAt(sourceFile, index);
    if (!found || seen.has(found.range.pos)) continue;
    seen.add(found.range.pos);
    const { range, nextToken } = found;
    const raw = text.slice(range.pos, range.end);
    const match = DIRECTIVE.exec(commentBody(raw, range.kind));
    if (!match) continue;
    const body = match[1]!;
    const dashes = body.indexOf("--");
    const idsPart = dashes === -1 ? body : body.slice(0, dashes);
    const start = sourceFile.getLineAndCharacterOfPosition(range.pos);
    const end = sourceFile.getLineAndCharacterOfPosition(range.end);
    const lineStart = sourceFile.getPositionOfLineAndCharacter(start.line, 0);
    const followsCode = text.slice(lineStart, range.pos).trim() !== "";
    const targetLine = followsCode ? start.line + 1 : sourceFile.getLineAndCharacterOfPosition(nextToken.getStart(sourceFile)).line + 1;
    suppressions.push({
      ruleIds: idsPart.split(/[\s,]+/).filter(Boolean),
      reason: dashes === -1 ? "" : body.slice(dashes + 2).replace(/\s+/g, " ").trim(),
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      targetLine,
      text: raw,
    });
  }
  return suppressions;
}

function engineFinding(ruleId: "invalid-suppression" | "unused-suppression", messageId: keyof typeof MESSAGES, data: Record<string, string>, file: string, s: Suppression): Finding {
  return {
    ruleId,
    messageId,
    data,
    severity: ENGINE_RULES[ruleId].defaultSeverity,
    file,
    line: s.line,
    column: s.column,
    endLine: s.endLine,
    endColumn: s.endColumn,
    message: renderMessage(MESSAGES[messageId], data),
    related: [],
    fingerprint: createHash("sha256").update(`${messageId}:${s.text.replace(/\s+/g, " ").trim()}`).digest("hex").slice(0, 16),
  };
}

export interface SuppressionResult {
  /** The findings left, plus invalid-suppression and unused-suppression findings. */
  findings: Finding[];
  suppressed: number;
}

/**
 * Applies a file's suppressions to its findings. An invalid suppression (no rule, unknown rule, no
 * reason) suppresses nothing and is reported; a valid one for a rule that ran but found nothing on
 * its target line is reported as unused. Rules that did not run are never called unused.
 */
export function applySuppressions(file: string, findings: readonly Finding[], suppressions: readonly Suppression[], knownRuleIds: readonly string[], ranRuleIds: ReadonlySet<string>): SuppressionResult {
  const extra: Finding[] = [];
  const active: { suppression: Suppression; ruleId: string; used: boolean }[] = [];
  for (const s of suppressions) {
    if (s.ruleIds.length === 0) {
      extra.push(engineFinding("invalid-suppression", "missingRule", {}, file, s));
      continue;
    }
    const unknown = s.ruleIds.find((id) => !knownRuleIds.includes(id));
    if (unknown !== undefined) {
      extra.push(engineFinding("invalid-suppression", "unknownRule", { ruleId: unknown, known: knownRuleIds.join(", ") }, file, s));
      continue;
    }
    if (s.reason === "") {
      extra.push(engineFinding("invalid-suppression", "missingReason", { ruleIds: s.ruleIds.join(", ") }, file, s));
      continue;
    }
    for (const ruleId of s.ruleIds) active.push({ suppression: s, ruleId, used: false });
  }
  let suppressed = 0;
  const kept = findings.filter((finding) => {
    const matches = active.filter((a) => a.ruleId === finding.ruleId && a.suppression.targetLine === finding.line);
    for (const m of matches) m.used = true;
    if (matches.length) suppressed++;
    return matches.length === 0;
  });
  for (const a of active) {
    if (!a.used && ranRuleIds.has(a.ruleId)) {
      extra.push(engineFinding("unused-suppression", "unused", { ruleId: a.ruleId, targetLine: String(a.suppression.targetLine) }, file, a.suppression));
    }
  }
  return { findings: [...kept, ...extra], suppressed };
}
