import fs from "node:fs";
import path from "node:path";
import { ESLINT_RULE_IDS } from "../../rules/index.js";

// Every rule the plugin registers runs its `test/checks/<id>.cases.ts` table through both front ends
// (the CLI path and ESLint) from one file, `test/checks/<id>.test.ts` (one file per rule, so each
// table runs in its own worker).
const checksDir = path.resolve(import.meta.dirname, "../checks");

describe("rule table runners", () => {
  it.each([...ESLINT_RULE_IDS])("%s has its cases table, run through the CLI path and ESLint from test/checks", (id) => {
    expect(fs.existsSync(path.join(checksDir, `${id}.cases.ts`))).toBe(true);
    expect(fs.readFileSync(path.join(checksDir, `${id}.test.ts`), "utf8")).toMatch(/^runRuleTable\(\w+, table\);$/m);
  });
});
