import { afterAll } from "vitest";
import type { Check } from "../../analyzer/checks/define-check.js";
import { type CheckTable, getValidCases, runCheckTable } from "./check-tester.js";
import { createCaseProjects, runCheckTableThroughEslint } from "./eslint-tester.js";
import { runCheckTableOnTs7 } from "./ts7-tester.js";

/**
 * Runs a rule's `{ valid, invalid }` table through both front ends, from the rule's one test file
 * (`test/checks/<id>.test.ts`): the CLI path (the engine on a program of the case's files) and
 * ESLint (RuleTester with the same expectations, and a parity test against the CLI path per case, on
 * the repo's TypeScript 6.0 and again with typescript-eslint loading TypeScript 5.9: typescript-versions.ts),
 * and the CLI path on the ts7 engine (TypeScript 7's native compiler), which must report the same findings.
 * The ESLint and ts7 runs read the cases from one set of case projects on disk, written once and
 * removed after the file's tests.
 */
export function runRuleTable(check: Check, table: CheckTable): void {
  const projects = createCaseProjects(check.id, [...getValidCases(table), ...table.invalid]);
  afterAll(() => projects.remove());
  runCheckTable(check, table);
  runCheckTableThroughEslint(check, table, projects);
  runCheckTableOnTs7(check, table, projects);
}
