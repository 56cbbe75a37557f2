import { createHash } from "node:crypto";
import path from "node:path";
import ts from "../../common/typescript.cjs";
import type { Check, CheckSettings, ReportDescriptor } from "../checks/define-check.js";
import { type Finding, type RelatedLocation, type Severity, renderMessage } from "./finding.js";
import { addTiming, isTimingEnabled } from "./timing.js";

export interface EnabledCheck {
  check: Check;
  severity: Severity;
  options: unknown;
}

export interface RunContext {
  /** The TypeScript module (or TypeScript 7's TypeScript-6-shaped namespace) that built the program; default covenant's TypeScript 6. */
  ts?: typeof ts;
  program: ts.Program;
  checker: ts.TypeChecker;
  settings: CheckSettings;
  /** Directory that `file` fields are made relative to. */
  cwd: string;
}

export function toRelativePath(cwd: string, fileName: string): string {
  const rel = path.relative(cwd, fileName);
  return rel.split(path.sep).join("/");
}

function nodeRange(node: ts.Node) {
  const sourceFile = node.getSourceFile();
  const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd());
  return { sourceFile, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** Hash of the node's source with whitespace folded: stable across edits elsewhere in the file. */
export function fingerprintNode(node: ts.Node): string {
  const text = node.getText(node.getSourceFile()).replace(/\s+/g, " ").trim();
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export function descriptorToFinding(check: Check, severity: Severity, descriptor: ReportDescriptor<string>, cwd: string): Finding {
  const template = check.messages[descriptor.messageId];
  if (template === undefined) throw new Error(`${check.id}: unknown messageId "${descriptor.messageId}"`);
  const data = descriptor.data ?? {};
  const range = nodeRange(descriptor.node);
  const related: RelatedLocation[] = (descriptor.related ?? []).map((r) => {
    const rr = nodeRange(r.node);
    return { file: toRelativePath(cwd, rr.sourceFile.fileName), line: rr.line, column: rr.column, message: r.message };
  });
  const finding: Finding = {
    ruleId: check.id,
    messageId: descriptor.messageId,
    data,
    severity,
    file: toRelativePath(cwd, range.sourceFile.fileName),
    line: range.line,
    column: range.column,
    endLine: range.endLine,
    endColumn: range.endColumn,
    message: renderMessage(template, data),
    related,
    fingerprint: fingerprintNode(descriptor.node),
  };
  if (descriptor.symbol !== undefined) finding.symbol = descriptor.symbol;
  if (descriptor.suggest?.length) {
    finding.suggestions = descriptor.suggest.map((s) => {
      const t = check.messages[s.messageId];
      if (t === undefined) throw new Error(`${check.id}: unknown suggestion messageId "${s.messageId}"`);
      return { messageId: s.messageId, message: renderMessage(t, s.data ?? {}), edits: s.edits };
    });
  }
  return finding;
}

export function internalErrorFinding(checkId: string, sourceFile: ts.SourceFile, error: unknown, cwd: string): Finding {
  const reason = error instanceof Error ? error.message : String(error);
  return fileInternalError(
    "checkFailed",
    "Check {check} failed on this file: {reason}. The run went on; please report this with the file.",
    { check: checkId, reason },
    sourceFile,
    cwd,
  );
}

/** A file TypeScript cannot analyze (analyzer/project/depth-guard.ts): one finding, the run goes on. */
export function notAnalyzedFinding(sourceFile: ts.SourceFile, reason: string, cwd: string): Finding {
  return fileInternalError(
    "fileNotAnalyzed",
    "This file was not checked: {reason}. The rest of the project was. Split the deepest expression or statement to have it checked.",
    { reason },
    sourceFile,
    cwd,
  );
}

/** An `internal-error` finding at the top of a file. */
function fileInternalError(messageId: string, template: string, data: Record<string, string>, sourceFile: ts.SourceFile, cwd: string): Finding {
  return {
    ruleId: "internal-error",
    messageId,
    data,
    severity: "error",
    file: toRelativePath(cwd, sourceFile.fileName),
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    message: renderMessage(template, data),
    related: [],
  };
}

/** Runs every enabled check on one file; a check that throws yields an internal-error finding. */
export function runChecksOnFile(sourceFile: ts.SourceFile, checks: readonly EnabledCheck[], run: RunContext): Finding[] {
  const findings: Finding[] = [];
  const timing = isTimingEnabled();
  for (const { check, severity, options } of checks) {
    const local: Finding[] = [];
    const started = timing ? performance.now() : 0;
    try {
      check.check({
        ts: run.ts ?? ts,
        program: run.program,
        checker: run.checker,
        sourceFile,
        options,
        settings: run.settings,
        report: (descriptor) => local.push(descriptorToFinding(check, severity, descriptor, run.cwd)),
      });
      findings.push(...local);
    } catch (error) {
      findings.push(...local, internalErrorFinding(check.id, sourceFile, error, run.cwd));
    }
    if (timing) addTiming(`check:${check.id}`, performance.now() - started);
  }
  return findings;
}
