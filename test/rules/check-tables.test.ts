import fs from "node:fs";
import path from "node:path";
import { ESLINT_RULE_IDS } from "../../rules/index.js";

// Every rule the plugin registers runs its `test/checks/<id>.cases.ts` table through ESLint, from
// `test/rules/tables/<id>.test.ts` (one file per rule, so each table runs in its own worker).
const tablesDir = path.resolve(import.meta.dirname, "tables");
const casesDir = path.resolve(import.meta.dirname, "../checks");

describe("ESLint table runners", () => {
  it.each([...ESLINT_RULE_IDS])("%s has its cases table and a runner in test/rules/tables", (id) => {
    expect(fs.existsSync(path.join(casesDir, `${id}.cases.ts`))).toBe(true);
    expect(fs.readFileSync(path.join(tablesDir, `${id}.test.ts`), "utf8")).toContain(`runEslintTable("${id}")`);
  });
});
