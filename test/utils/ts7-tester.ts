import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Check } from "../../analyzer/checks/define-check.js";
import { defaultCheckSettings } from "../../analyzer/checks/define-check.js";
import type { Finding } from "../../analyzer/engine/finding.js";
import { runChecksOnFile } from "../../analyzer/engine/run-checks.js";
import { getTs7Namespace, Ts7Session, type Ts7Unit } from "../../analyzer/engine/ts7/api.js";
import { type CheckTable, DEFAULT_FILENAME, getCaseFindings, getValidCases, type ValidCase } from "./check-tester.js";
import type { CaseProjects } from "./eslint-tester.js";

/**
 * A message as TypeScript 7 may print it differently from TypeScript 6 without meaning anything else:
 * the members of a union in another order (7 orders them by a stable key, 6 by creation). The words
 * and punctuation are kept; only the order of `|`-separated runs is not compared.
 */
export function unionOrderInsensitive(text: string): string {
  // A run of union members: literals and names (with their type arguments and array brackets), ` | `-separated.
  const member = String.raw`(?:"[^"]*"|'[^']*'|[\w$.]+(?:<[^<>]*>)?(?:\[\])*)`;
  return normalizePrinting(text).replace(new RegExp(`${member}(?: \\| ${member})+`, "g"), (run) => run.split(" | ").sort().join(" | "));
}

/**
 * The other ways TypeScript 7 prints a type differently (docs/architecture.md lists them): an
 * anonymous class of a generic mixin function is `Mixin.(Anonymous class)`, without the function's
 * type arguments TypeScript 6 prints (`Mixin<typeof Base>.(Anonymous class)`).
 */
function normalizePrinting(text: string): string {
  let previous: string;
  do {
    previous = text;
    text = text.replace(/<[^<>]*>\.\(Anonymous class\)/g, ".(Anonymous class)");
  } while (text !== previous);
  return text;
}

/**
 * A location in TypeScript's own lib files (`lib.es5.d.ts` of TypeScript 6 in node_modules/typescript,
 * of TypeScript 7 in its platform package): the same file content, so the same line and column, in
 * another folder.
 */
function libLocation(at: string): string {
  return at.replace(/^.*\/(lib\.[\w.]+\.d\.ts:)/, "<typescript lib>/$1");
}

/** The text `expected` when `actual` says the same up to union member order, else `actual`. */
function sameText(actual: string, expected: string | undefined): string {
  return expected !== undefined && unionOrderInsensitive(actual) === unionOrderInsensitive(expected) ? expected : actual;
}

/** What must be equal between the engines: everything, message texts up to union member order. */
export function comparable(findings: readonly Finding[], reference: readonly Finding[] = []) {
  return findings.map((f, i) => ({
    ruleId: f.ruleId,
    messageId: f.messageId,
    at: `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}`,
    symbol: f.symbol,
    message: sameText(f.message, reference[i]?.message),
    related: f.related.map((r, j) => ({ at: libLocation(`${r.file}:${r.line}:${r.column}`), message: sameText(r.message, reference[i]?.related[j]?.message) })),
    fingerprint: f.fingerprint,
    suggestions: (f.suggestions ?? []).map((s, j) => ({
      messageId: s.messageId,
      message: sameText(s.message, reference[i]?.suggestions?.[j]?.message),
      edits: s.edits,
    })),
  }));
}

/**
 * Runs every case of a rule's table on the ts7 engine (TypeScript 7's native compiler through
 * analyzer/engine/ts7/api.ts) and asserts the findings equal the CLI path's on TypeScript 6 (the ones
 * the table's expectations are checked against), finding by finding. Each case is a project on disk
 * (TypeScript 7's compiler reads files itself): the folders `projects` wrote for the ESLint front end
 * (the same tsconfig); all cases of a table open in one snapshot of one compiler process.
 */
export function runCheckTableOnTs7(check: Check, table: CheckTable, projects: CaseProjects): void {
  const cases: ValidCase[] = [...getValidCases(table), ...table.invalid];
  describe(`${check.id} (ts7 engine, same findings as ts6)`, () => {
    let session: Ts7Session;
    let units: Map<string, Ts7Unit>;
    const caseDir = (index: number) => projects.dir(index);
    beforeAll(() => {
      projects.write();
      session = new Ts7Session(projects.root);
      units = session.openEach(cases.map((_, index) => path.join(caseDir(index), "tsconfig.json")));
    }, 120_000);
    afterAll(() => {
      session?.close();
    });
    cases.forEach((c, index) => {
      it(`${index < table.valid.length ? "valid" : "invalid"} #${index}: ${c.name ?? c.code.trim().split("\n")[0]?.slice(0, 60)}`, () => {
        const unit = units.get(path.join(caseDir(index), "tsconfig.json"))!;
        const fileName = path.join(caseDir(index), c.filename ?? DEFAULT_FILENAME);
        const sourceFile = unit.files.find((f) => f.fileName === fileName) ?? unit.program.getSourceFile(fileName);
        if (!sourceFile) throw new Error(`TypeScript 7 has no file ${fileName}`);
        const findings = runChecksOnFile(sourceFile, [{ check, severity: check.meta.defaultSeverity, options: check.options.parse(c.options ?? {}) }], {
          ts: getTs7Namespace(),
          program: unit.program,
          checker: unit.checker,
          settings: { ...defaultCheckSettings, ...c.settings },
          cwd: caseDir(index),
        });
        const expected = getCaseFindings(check, c);
        expect(comparable(findings, expected)).toEqual(comparable(expected));
      });
    });
  });
}
