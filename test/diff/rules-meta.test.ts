/** The rule table, its docs page and the cases stay in step. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { diffRuleIds, diffRules, kindOf } from "../../contracts/diff/index.js";
import { listCases } from "./case-harness.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const doc = fs.readFileSync(path.join(repo, "docs/diff-rules.md"), "utf8");
const rows = new Map(
  doc
    .split("\n")
    .filter((line) => line.startsWith("| [`"))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
      return [/`([a-z-]+)`/.exec(cells[1]!)![1]!, cells.slice(3, 6)] as const;
    }),
);

describe("docs/diff-rules.md", () => {
  it.each(diffRuleIds.map((id) => [id]))("documents %s with the table's kinds and an example", (id) => {
    expect(rows.get(id)).toEqual([kindOf(id, "server-to-client"), kindOf(id, "client-to-server"), kindOf(id, "both")]);
    expect(doc).toMatch(new RegExp(`#### \`${id}\`\\n\\n\`\`\`yaml\\n[^\`]+\`\`\`\\n\\n\\S`));
  });

  it("documents no rule the table lacks", () => {
    expect([...rows.keys()].filter((id) => !(id in diffRules))).toEqual([]);
  });
});

describe("rule ids", () => {
  it("are kebab-case", () => {
    for (const id of diffRuleIds) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it("are each exercised by a diff case (contract-added/-removed by the --base CLI test)", () => {
    const used = new Set(listCases().flatMap((c) => c.expected.changes.map((x) => x.rule)));
    expect(diffRuleIds.filter((id) => !used.has(id) && id !== "contract-added" && id !== "contract-removed")).toEqual([]);
  });
});
