import { createHash } from "node:crypto";
import type TS from "typescript";
import { ts, withTypeScript } from "../checks/typescript.js";
import { type Finding, renderMessage } from "./finding.js";
import { ENGINE_RULES } from "./report.js";

/**
 * The comments that suppress covenant findings, one syntax for both front ends:
 * - `// covenant-ignore <rule-id>[, <rule-id>] -- <reason>`: its own line when it follows code, else the next code line;
 * - ESLint's `// eslint-disable-next-line covenant/<rule-id> -- <reason>` (the line after the comment),
 *   `// eslint-disable-line covenant/<rule-id> -- <reason>` (its own line) and
 *   `/* eslint-disable covenant/<rule-id> -- <reason> *\/ … /* eslint-enable *\/` (up to the enable comment, or the end of the file),
 *   read as ESLint reads them (rules separated by commas, the reason after ` -- `); only the `covenant/` rules they name are covenant's.
 */
export type SuppressionDirective = "covenant-ignore" | "eslint-disable-next-line" | "eslint-disable-line" | "eslint-disable";

export interface Suppression {
  directive: SuppressionDirective;
  /** Covenant rule ids (without ESLint's `covenant/` prefix). */
  ruleIds: string[];
  reason: string;
  /** 1-based position and end of the comment; `pos` and `end` are its offsets. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  pos: number;
  end: number;
  /** The first line whose findings it suppresses. */
  targetLine: number;
  /** The findings it suppresses: those starting in [from, to) (1-based lines and columns). */
  from: { line: number; column: number };
  to: { line: number; column: number };
  /** How the comment names a rule in messages: `liskov-override` or `covenant/liskov-override`. */
  prefix: string;
  text: string;
}

const COVENANT_IGNORE = /^\s*covenant-ignore(?=\s|$)(.*)$/s;
// ESLint's own directive grammar (@eslint/plugin-kit's parseDirective): a label, then the value, the reason after `\s--+\s`.
const ESLINT_DIRECTIVE = /^(eslint-disable(?:-next-line|-line)?|eslint-enable)(?:\s|$)/;
const ESLINT_REASON = /\s-{2,}\s/;
const END_OF_LINE = Number.MAX_SAFE_INTEGER;

const MESSAGES = {
  missingRule: "`covenant-ignore` names no rule. Write `// covenant-ignore <rule-id> -- <reason>`.",
  unknownRule: "`{ruleId}` is not a covenant rule id, so this comment suppresses nothing. Use one of: {known}.",
  missingReason: "`{directive} {ruleIds}` gives no reason. Add one after ` -- ` so reviewers know why the finding is accepted.",
  unused: "`{directive} {ruleId}` suppresses nothing: there is no {ruleId} finding {where}. Remove the comment.",
};

export type SuppressionMessageId = keyof typeof MESSAGES;
export const SUPPRESSION_MESSAGES: Readonly<Record<SuppressionMessageId, string>> = MESSAGES;

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

/** A covenant-ignore comment's text without its delimiters (a block comment's lines joined, their leading `*` dropped). */
function commentBody(text: string, kind: ts.CommentKind): string {
  if (kind === ts.SyntaxKind.SingleLineCommentTrivia) return text.slice(2);
  return text
    .slice(2, -2)
    .split("\n")
    .map((line) => line.replace(/^\s*\*+/, ""))
    .join(" ");
}

/** A comment's position, its 1-based line and column and the line of the code it precedes. */
function locate(sourceFile: ts.SourceFile, range: ts.CommentRange) {
  const start = sourceFile.getLineAndCharacterOfPosition(range.pos);
  const end = sourceFile.getLineAndCharacterOfPosition(range.end);
  const lineStart = sourceFile.getPositionOfLineAndCharacter(start.line, 0);
  return {
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    pos: range.pos,
    end: range.end,
    followsCode: sourceFile.text.slice(lineStart, range.pos).trim() !== "",
    text: sourceFile.text.slice(range.pos, range.end),
  };
}

function wholeLine(line: number) {
  return { targetLine: line, from: { line, column: 1 }, to: { line, column: END_OF_LINE } };
}

function parseCovenantIgnore(sourceFile: ts.SourceFile, range: ts.CommentRange, nextToken: ts.Node): Suppression | undefined {
  const at = locate(sourceFile, range);
  const match = COVENANT_IGNORE.exec(commentBody(at.text, range.kind));
  if (!match) return undefined;
  const body = match[1]!;
  const dashes = body.indexOf("--");
  const idsPart = dashes === -1 ? body : body.slice(0, dashes);
  const targetLine = at.followsCode ? at.line : sourceFile.getLineAndCharacterOfPosition(nextToken.getStart(sourceFile)).line + 1;
  const { followsCode: _, ...position } = at;
  return {
    directive: "covenant-ignore",
    ruleIds: idsPart.split(/[\s,]+/).filter(Boolean),
    reason:
      dashes === -1
        ? ""
        : body
            .slice(dashes + 2)
            .replace(/\s+/g, " ")
            .trim(),
    ...position,
    ...wholeLine(targetLine),
    prefix: "",
  };
}

interface EslintDirective {
  label: string;
  /** The rules it names, as written (`covenant/x`, `no-console`). */
  rules: string[];
  reason: string;
  range: ts.CommentRange;
}

/** An ESLint disable/enable directive, parsed as ESLint parses it (line comments hold only the -line forms). */
function parseEslintDirective(sourceFile: ts.SourceFile, range: ts.CommentRange): EslintDirective | undefined {
  const raw = sourceFile.text.slice(range.pos, range.end);
  const isLine = range.kind === ts.SyntaxKind.SingleLineCommentTrivia;
  const value = isLine ? raw.slice(2) : raw.slice(2, -2);
  const dashes = ESLINT_REASON.exec(value);
  const directivePart = (dashes ? value.slice(0, dashes.index) : value).trim();
  const reason = dashes
    ? value
        .slice(dashes.index + dashes[0].length)
        .replace(/\s+/g, " ")
        .trim()
    : "";
  const match = ESLINT_DIRECTIVE.exec(directivePart);
  if (!match) return undefined;
  const label = match[1]!;
  if (isLine && !label.endsWith("-line")) return undefined;
  const rules = directivePart
    .slice(label.length)
    .split(",")
    .map((r) => r.trim().replace(/^(['"]?)(.*)\1$/s, "$2"))
    .filter(Boolean);
  return { label, rules, reason, range };
}

/** Every comment of a file holding `needle`, once each. */
function commentsWith(sourceFile: ts.SourceFile, needle: string): { range: ts.CommentRange; nextToken: ts.Node }[] {
  const text = sourceFile.text;
  const found: { range: ts.CommentRange; nextToken: ts.Node }[] = [];
  const seen = new Set<number>();
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + 1)) {
    const comment = findCommentAt(sourceFile, index);
    if (!comment || seen.has(comment.range.pos)) continue;
    seen.add(comment.range.pos);
    found.push(comment);
  }
  return found;
}

/**
 * The suppressions ESLint directives make for covenant's rules. `prefix` is the plugin's namespace
 * (`covenant/`): a directive naming no rule under it is not covenant's (a bare `eslint-disable` is
 * left to ESLint).
 */
function findEslintSuppressions(sourceFile: ts.SourceFile, prefix: string): Suppression[] {
  const directives = commentsWith(sourceFile, "eslint-")
    .map(({ range }) => parseEslintDirective(sourceFile, range))
    .filter((d): d is EslintDirective => d !== undefined)
    .sort((a, b) => a.range.pos - b.range.pos);
  const suppressions: Suppression[] = [];
  directives.forEach((directive, index) => {
    if (directive.label === "eslint-enable") return;
    const ruleIds = directive.rules.filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length));
    if (ruleIds.length === 0) return;
    const at = locate(sourceFile, directive.range);
    const { followsCode: _, ...position } = at;
    const base = { directive: directive.label as SuppressionDirective, reason: directive.reason, ...position, prefix };
    if (directive.label === "eslint-disable-line") {
      if (at.line !== at.endLine) return; // ESLint rejects a multi-line eslint-disable-line
      suppressions.push({ ...base, ruleIds, ...wholeLine(at.line) });
      return;
    }
    if (directive.label === "eslint-disable-next-line") {
      suppressions.push({ ...base, ruleIds, ...wholeLine(at.endLine + 1) });
      return;
    }
    // A block runs, for each rule, to the first later eslint-enable that is bare or names it.
    const ends = ruleIds.map((ruleId) => {
      const enable = directives.slice(index + 1).find((d) => d.label === "eslint-enable" && (d.rules.length === 0 || d.rules.includes(prefix + ruleId)));
      const to = enable ? sourceFile.getLineAndCharacterOfPosition(enable.range.pos) : undefined;
      return { ruleId, to: to ? { line: to.line + 1, column: to.character + 1 } : { line: END_OF_LINE, column: END_OF_LINE } };
    });
    const groups = new Map<string, { ruleIds: string[]; to: { line: number; column: number } }>();
    for (const { ruleId, to } of ends) {
      const key = `${to.line}:${to.column}`;
      const group = groups.get(key) ?? { ruleIds: [], to };
      group.ruleIds.push(ruleId);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      suppressions.push({ ...base, ruleIds: group.ruleIds, targetLine: at.line, from: { line: at.line, column: at.column }, to: group.to });
    }
  });
  return suppressions;
}

/**
 * Every suppression comment of a file, in the order of the text. `typescript` is the module that
 * parsed the file (the project's in ESLint: comment kinds and JSDoc nodes are numbered per version).
 * `eslintPrefix` is how ESLint directives name covenant's rules (`covenant/`, the plugin's namespace).
 */
export function findSuppressions(sourceFile: ts.SourceFile, typescript: typeof TS, eslintPrefix = "covenant/"): Suppression[] {
  return withTypeScript(typescript, () => findFileSuppressions(sourceFile, eslintPrefix));
}

function findFileSuppressions(sourceFile: ts.SourceFile, eslintPrefix: string): Suppression[] {
  const covenantIgnores = commentsWith(sourceFile, "covenant-ignore")
    .map(({ range, nextToken }) => parseCovenantIgnore(sourceFile, range, nextToken))
    .filter((s): s is Suppression => s !== undefined);
  return [...covenantIgnores, ...findEslintSuppressions(sourceFile, eslintPrefix)].sort((a, b) => a.pos - b.pos);
}

const before = (a: { line: number; column: number }, b: { line: number; column: number }) => a.line < b.line || (a.line === b.line && a.column < b.column);

/** Whether a finding starting at line:column (1-based) is one the suppression covers. */
export function covers(s: Suppression, line: number, column: number): boolean {
  const at = { line, column };
  return !before(at, s.from) && before(at, s.to);
}

function describeLines(s: Suppression): string {
  if (s.from.line === s.to.line) return `on line ${s.from.line}`;
  if (s.to.line === END_OF_LINE) return `from line ${s.from.line} to the end of the file`;
  return `between line ${s.from.line} and line ${s.to.line}`;
}

/** A problem with a suppression comment, as data for either front end. */
export interface SuppressionProblem {
  ruleId: "invalid-suppression" | "unused-suppression";
  messageId: SuppressionMessageId;
  data: Record<string, string>;
  suppression: Suppression;
  /** The rule the problem is about: for unused ones, the rule that found nothing. */
  aboutRuleIds: string[];
}

export function renderSuppressionMessage(problem: SuppressionProblem): string {
  return renderMessage(MESSAGES[problem.messageId], problem.data);
}

/** The invalid suppressions of a file: no rule, an unknown rule, or no reason. They suppress nothing. */
export function findInvalidSuppressions(suppressions: readonly Suppression[], knownRuleIds: readonly string[]): SuppressionProblem[] {
  const problems: SuppressionProblem[] = [];
  for (const s of suppressions) {
    const problem = (messageId: SuppressionMessageId, data: Record<string, string>) =>
      problems.push({ ruleId: "invalid-suppression", messageId, data, suppression: s, aboutRuleIds: s.ruleIds });
    if (s.ruleIds.length === 0) {
      problem("missingRule", {});
      continue;
    }
    const unknown = s.ruleIds.find((id) => !knownRuleIds.includes(id));
    if (unknown !== undefined) problem("unknownRule", { ruleId: s.prefix + unknown, known: knownRuleIds.join(", ") });
    else if (s.reason === "") problem("missingReason", { directive: s.directive, ruleIds: s.ruleIds.map((id) => s.prefix + id).join(", ") });
  }
  return problems;
}

export function isValidSuppression(s: Suppression, knownRuleIds: readonly string[]): boolean {
  return s.ruleIds.length > 0 && s.reason !== "" && s.ruleIds.every((id) => knownRuleIds.includes(id));
}

/** Where a finding starts, for matching it with suppressions. */
export interface FindingStart {
  ruleId: string;
  line: number;
  column: number;
}

/**
 * Matches findings with the valid suppressions: which findings they suppress, and, for each
 * suppression and rule that ran, an unused-suppression problem when it suppresses none.
 * Rules that did not run are never called unused.
 */
export function matchSuppressions(
  findings: readonly FindingStart[],
  suppressions: readonly Suppression[],
  knownRuleIds: readonly string[],
  ranRuleIds: ReadonlySet<string>,
): { suppressed: boolean[]; unused: SuppressionProblem[] } {
  const active = suppressions.filter((s) => isValidSuppression(s, knownRuleIds)).flatMap((s) => s.ruleIds.map((ruleId) => ({ s, ruleId, used: false })));
  const suppressed = findings.map((finding) => {
    const matches = active.filter((a) => a.ruleId === finding.ruleId && covers(a.s, finding.line, finding.column));
    for (const m of matches) m.used = true;
    return matches.length > 0;
  });
  const unused = active
    .filter((a) => !a.used && ranRuleIds.has(a.ruleId))
    .map(({ s, ruleId }): SuppressionProblem => ({
      ruleId: "unused-suppression",
      messageId: "unused",
      data: { directive: s.directive, ruleId: s.prefix + ruleId, where: describeLines(s) },
      suppression: s,
      aboutRuleIds: [ruleId],
    }));
  return { suppressed, unused };
}

function toFinding(problem: SuppressionProblem, file: string): Finding {
  const s = problem.suppression;
  return {
    ruleId: problem.ruleId,
    messageId: problem.messageId,
    data: problem.data,
    severity: ENGINE_RULES[problem.ruleId].defaultSeverity,
    file,
    line: s.line,
    column: s.column,
    endLine: s.endLine,
    endColumn: s.endColumn,
    message: renderSuppressionMessage(problem),
    related: [],
    fingerprint: createHash("sha256")
      .update(`${problem.messageId}:${s.text.replace(/\s+/g, " ").trim()}`)
      .digest("hex")
      .slice(0, 16),
  };
}

export interface SuppressionResult {
  /** The findings left, plus invalid-suppression and unused-suppression findings. */
  findings: Finding[];
  suppressed: number;
}

/**
 * Applies a file's suppressions to its findings (the CLI). An invalid suppression (no rule, unknown
 * rule, no reason) suppresses nothing and is reported; a valid one for a rule that ran but found
 * nothing where it points is reported as unused.
 */
export function applySuppressions(
  file: string,
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  knownRuleIds: readonly string[],
  ranRuleIds: ReadonlySet<string>,
): SuppressionResult {
  const { suppressed, unused } = matchSuppressions(findings, suppressions, knownRuleIds, ranRuleIds);
  const problems = [...findInvalidSuppressions(suppressions, knownRuleIds), ...unused].sort((a, b) => a.suppression.pos - b.suppression.pos);
  const kept = findings.filter((_, i) => !suppressed[i]);
  return { findings: [...kept, ...problems.map((p) => toFinding(p, file))], suppressed: suppressed.filter(Boolean).length };
}
