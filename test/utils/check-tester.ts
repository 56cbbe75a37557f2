import { describe, expect, it } from "vitest";
import type { Check, CheckSettings } from "../../analyzer/checks/define-check.js";
import { defaultCheckSettings } from "../../analyzer/checks/define-check.js";
import type { Finding } from "../../analyzer/engine/finding.js";
import { runChecksOnFile } from "../../analyzer/engine/run-checks.js";
import { createVirtualProgram, getProgramErrors, VIRTUAL_ROOT } from "./program.js";

export interface ExpectedError {
  messageId: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  data?: Record<string, string>;
  /** Expected suggestions: each applied to `code` must give `output`. */
  suggestions?: { messageId: string; output: string }[];
}

export interface ValidCase {
  /** The file under test. */
  code: string;
  name?: string;
  /** Path of the file under test relative to the virtual root (default `src/file.ts`). */
  filename?: string;
  /** Other files of the same program, path relative to the virtual root -> text. */
  files?: Record<string, string>;
  options?: unknown;
  settings?: Partial<CheckSettings>;
  /** Set when the code intentionally does not type-check (recovery tests). */
  allowTypeErrors?: boolean;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
}

export interface CheckTable {
  valid: (ValidCase | string)[];
  invalid: InvalidCase[];
}

export const DEFAULT_FILENAME = "src/file.ts";

const normalized = new WeakMap<CheckTable, ValidCase[]>();

/** The table's valid cases as objects (a string is `{ code }`), the same objects on every call. */
export function getValidCases(table: CheckTable): ValidCase[] {
  let cases = normalized.get(table);
  if (!cases) normalized.set(table, (cases = table.valid.map((c) => (typeof c === "string" ? { code: c } : c))));
  return cases;
}

/** Runs a check over one case through the CLI path (engine runChecksOnFile on a real ts.Program). */
export function runCheckOnCase(check: Check, testCase: ValidCase): Finding[] {
  const filename = testCase.filename ?? DEFAULT_FILENAME;
  const program = createVirtualProgram({ ...testCase.files, [filename]: testCase.code });
  if (!testCase.allowTypeErrors) {
    const errors = getProgramErrors(program);
    if (errors.length) throw new Error(`test case does not type-check:\n${errors.join("\n")}`);
  }
  const sourceFile = program.getSourceFile(`${VIRTUAL_ROOT}/${filename}`);
  if (!sourceFile) throw new Error(`no source file ${filename}`);
  const options = check.options.parse(testCase.options ?? {});
  const settings = { ...defaultCheckSettings, ...testCase.settings };
  const findings = runChecksOnFile(sourceFile, [{ check, severity: check.meta.defaultSeverity, options }], {
    program,
    checker: program.getTypeChecker(),
    settings,
    cwd: VIRTUAL_ROOT,
  });
  const internal = findings.filter((f) => f.ruleId === "internal-error");
  if (internal.length) throw new Error(internal.map((f) => f.message).join("\n"));
  return findings;
}

const findingsByCase = new WeakMap<Check, WeakMap<ValidCase, Finding[]>>();

/**
 * runCheckOnCase, once per table case: the CLI-path test of a case and its ESLint parity test (in
 * eslint-tester) read the same findings instead of building and checking the case's program twice.
 */
export function getCaseFindings(check: Check, testCase: ValidCase): Finding[] {
  let byCase = findingsByCase.get(check);
  if (!byCase) findingsByCase.set(check, (byCase = new WeakMap()));
  let findings = byCase.get(testCase);
  if (!findings) byCase.set(testCase, (findings = runCheckOnCase(check, testCase)));
  return findings;
}

function applyEdits(code: string, edits: { start: number; end: number; text: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  return sorted.reduce((text, e) => text.slice(0, e.start) + e.text + text.slice(e.end), code);
}

function caseKey(c: ValidCase): string {
  return JSON.stringify([c.code, c.filename ?? "", c.files ?? {}, c.options ?? {}]);
}

function caseTitle(c: ValidCase, index: number): string {
  return c.name ?? `#${index}: ${c.code.trim().split("\n")[0]?.slice(0, 70)}`;
}

/** Throws (failing the test file as it loads) when two cases of a table are the same case. */
export function assertNoDuplicateCases(check: Check, table: CheckTable): void {
  const seen = new Set<string>();
  for (const c of [...getValidCases(table), ...table.invalid]) {
    const key = caseKey(c);
    if (seen.has(key)) throw new Error(`${check.id}: duplicate test case:\n${c.code}`);
    seen.add(key);
  }
}

/** Assert the findings of one invalid case match its expected errors, in order. */
export function assertErrors(check: Check, testCase: InvalidCase, findings: Finding[]): void {
  for (const e of testCase.errors) {
    if (!(e.messageId in check.messages)) throw new Error(`unknown messageId "${e.messageId}" in test case`);
  }
  const actual = findings.map((f) => ({ messageId: f.messageId, line: f.line, column: f.column }));
  const expected = testCase.errors.map((e) => ({ messageId: e.messageId, line: e.line, column: e.column }));
  expect(actual).toEqual(expected);
  testCase.errors.forEach((e, i) => {
    const f = findings[i]!;
    if (e.endLine !== undefined) expect(f.endLine).toBe(e.endLine);
    if (e.endColumn !== undefined) expect(f.endColumn).toBe(e.endColumn);
    if (e.data) expect(f.data).toMatchObject(e.data);
    if (e.suggestions) {
      const outputs = (f.suggestions ?? []).map((s) => ({ messageId: s.messageId, output: applyEdits(testCase.code, s.edits) }));
      expect(outputs).toEqual(e.suggestions);
    }
  });
}

/**
 * Runs a valid/invalid table through the CLI path. Rejects duplicate cases and unknown messageIds
 * (and unfilled placeholders, via renderMessage). The ESLint front end runs the same table in
 * `runCheckTableThroughEslint`; `runRuleTable` (rule-table.ts) runs both from a rule's test file.
 */
export function runCheckTable(check: Check, table: CheckTable): void {
  assertNoDuplicateCases(check, table);
  describe(`${check.id} (CLI path)`, () => {
    describe("valid", () => {
      getValidCases(table).forEach((c, i) => {
        it(caseTitle(c, i), () => {
          const findings = getCaseFindings(check, c);
          expect(findings.map((f) => `${f.line}:${f.column} ${f.messageId}: ${f.message}`)).toEqual([]);
        });
      });
    });
    describe("invalid", () => {
      table.invalid.forEach((c, i) => {
        it(caseTitle(c, i), () => {
          if (c.errors.length === 0) throw new Error("an invalid case needs at least one error");
          assertErrors(check, c, getCaseFindings(check, c));
        });
      });
    });
  });
}
