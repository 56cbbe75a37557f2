import type { Check } from "../../analyzer/checks/define-check.js";
import { type CheckTable, runCheckTable } from "./check-tester.js";
import { runCheckTableThroughEslint } from "./eslint-tester.js";
import { runCheckTableOnTs7 } from "./ts7-tester.js";

/**
 * Runs a rule's `{ valid, invalid }` table through both front ends, from the rule's one test file
 * (`test/checks/<id>.test.ts`): the CLI path (the engine on a program of the case's files) and
 * ESLint (RuleTester with the same expectations, and a parity test against the CLI path per case, on
 * the repo's TypeScript 6.0 and again with typescript-eslint loading TypeScript 5.9: typescript-versions.ts),
 * and the CLI path on the ts7 engine (TypeScript 7's native compiler), which must report the same findings.
 */
export function runRuleTable(check: Check, table: CheckTable): void {
  runCheckTable(check, table);
  runCheckTableThroughEslint(check, table);
  runCheckTableOnTs7(check, table);
}
