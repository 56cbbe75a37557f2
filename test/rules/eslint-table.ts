import path from "node:path";
import { pathToFileURL } from "node:url";
import { checks } from "../../analyzer/checks/index.js";
import type { RuleId } from "../../analyzer/checks/rule-ids.js";
import type { CheckTable } from "../utils/check-tester.js";
import { runCheckTableThroughEslint } from "../utils/eslint-tester.js";

const casesDir = path.resolve(import.meta.dirname, "../checks");

/** Runs `test/checks/<id>.cases.ts` through ESLint (one test file per rule: one fork each, bounded memory). */
export async function runEslintTable(id: RuleId): Promise<void> {
  const table = ((await import(pathToFileURL(path.join(casesDir, `${id}.cases.ts`)).href)) as { default: CheckTable }).default;
  runCheckTableThroughEslint(checks[id], table);
}
