import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { checks } from "../../analyzer/checks/index.js";
import { ESLINT_RULE_IDS } from "../../rules/index.js";
import type { CheckTable } from "../utils/check-tester.js";
import { runCheckTableThroughEslint } from "../utils/eslint-tester.js";

// Every rule the plugin registers runs its `test/checks/<id>.cases.ts` table through ESLint. Tables
// are found on disk, so a check's table joins as soon as it is written; a registered rule without a
// table fails in test/meta.test.ts.
const casesDir = path.resolve(import.meta.dirname, "../checks");
const tableIds = fs
  .readdirSync(casesDir)
  .filter((f) => f.endsWith(".cases.ts"))
  .map((f) => f.slice(0, -".cases.ts".length))
  .filter((id): id is (typeof ESLINT_RULE_IDS)[number] => (ESLINT_RULE_IDS as readonly string[]).includes(id))
  .sort();

for (const id of tableIds) {
  const table = ((await import(pathToFileURL(path.join(casesDir, `${id}.cases.ts`)).href)) as { default: CheckTable }).default;
  runCheckTableThroughEslint(checks[id], table);
}
