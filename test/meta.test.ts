import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { CheckSettings } from "../analyzer/checks/define-check.js";
import { checks } from "../analyzer/checks/index.js";
import { loadContractSettings } from "../analyzer/config/contract-settings.js";
import { RULE_IDS } from "../analyzer/checks/rule-ids.js";
import plugin, { ESLINT_RULE_IDS } from "../rules/index.js";
import { runCheckOnCase } from "./utils/check-tester.js";

// Keeps rules, docs, tables and fixtures in step (typescript-eslint's docs.test.mts, ESLint's
// checkRuleFiles). Every rule the ESLint plugin registers has a check file, a docs page whose ❌
// examples report and ✅ examples do not, a cases table and a fixture project; the config-only rules
// (run by the CLI alone) have a check file and a docs page.
const ROOT = path.resolve(import.meta.dirname, "..");

interface DocBlock {
  kind: "incorrect" | "correct" | "other";
  code: string;
  /** From the fence info: ```ts filename="src/x.test.ts" */
  filename?: string;
  line: number;
}

/** The ```ts blocks of a docs page, each under the heading that precedes it. */
function readDocBlocks(markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  let kind: DocBlock["kind"] = "other";
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      const text = heading[1]!;
      kind = /❌|Incorrect/.test(text) ? "incorrect" : /✅|Correct/.test(text) ? "correct" : "other";
      continue;
    }
    const fence = /^```(\w*)(.*)$/.exec(line);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith("```"));
    if (end < 0) throw new Error(`unclosed code block at line ${i + 1}`);
    if (fence[1] === "ts") {
      const filename = /filename="([^"]+)"/.exec(fence[2]!)?.[1];
      blocks.push({ kind, code: lines.slice(i + 1, end).join("\n"), line: i + 1, ...(filename ? { filename } : {}) });
    }
    i = end;
  }
  return blocks;
}

/** The text of a `## <title>` section, up to the next `## ` heading. */
function getSection(markdown: string, title: string): string | undefined {
  const start = markdown.search(new RegExp(`^## ${title}\\s*$`, "m"));
  if (start < 0) return undefined;
  const rest = markdown.slice(start + 3);
  const next = rest.search(/^## /m);
  return next < 0 ? rest : rest.slice(0, next);
}

/**
 * The contract rules' examples run with the page's example config: its ```json filename="covenant.config.json"
 * block, whose `contracts` (relative to the repository root, i.e. the bundled contract) and `bindings` are
 * loaded as the engine loads a config.
 */
function getDocSettings(id: string): { settings: Partial<CheckSettings> } | Record<string, never> {
  if (!checks[id as keyof typeof checks].meta.requiresConfig) return {};
  const block = /^```json filename="covenant\.config\.json"\n([\s\S]*?)^```/m.exec(readDocs(id));
  if (!block) throw new Error(`docs/rules/${id}.md: a rule that needs config shows it in a \`\`\`json filename="covenant.config.json" block`);
  const config = JSON.parse(block[1]!) as { contracts: string[]; bindings: Record<string, Record<string, unknown>> };
  return { settings: { contracts: loadContractSettings({ dir: ROOT, contracts: config.contracts, bindings: config.bindings }) } };
}

const exists = (rel: string) => fs.existsSync(path.join(ROOT, rel));
const readDocs = (id: string) => fs.readFileSync(path.join(ROOT, "docs/rules", `${id}.md`), "utf8");

describe("every rule id", () => {
  it("every docs/rules page belongs to a registered rule", () => {
    const pages = fs
      .readdirSync(path.join(ROOT, "docs/rules"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => f.slice(0, -3));
    expect(pages.filter((page) => !(RULE_IDS as readonly string[]).includes(page))).toEqual([]);
  });

  it.each([...RULE_IDS])("%s has a check file and a docs page whose docs URL the check points to", (id) => {
    expect(exists(`analyzer/checks/${id}/index.ts`), `analyzer/checks/${id}/index.ts`).toBe(true);
    expect(exists(`docs/rules/${id}.md`), `docs/rules/${id}.md`).toBe(true);
    expect(checks[id].meta.docsUrl.endsWith(`/docs/rules/${id}.md`)).toBe(true);
  });
});

describe.each([...ESLINT_RULE_IDS])("ESLint rule covenant/%s", (id) => {
  const check = checks[id];

  it("has a cases table, a test running it, and a fixture project with a clean set", () => {
    expect(exists(`test/checks/${id}.cases.ts`), `test/checks/${id}.cases.ts`).toBe(true);
    expect(exists(`test/checks/${id}.test.ts`), `test/checks/${id}.test.ts`).toBe(true);
    expect(exists(`fixtures/${id}/tsconfig.json`), `fixtures/${id}/tsconfig.json`).toBe(true);
  });

  it("is enabled by the recommended config at its default severity, with its docs URL", () => {
    expect(plugin.configs.recommended.rules?.[`covenant/${id}`]).toBe(check.meta.defaultSeverity);
    expect(plugin.rules[id].meta.docs?.url).toBe(check.meta.docsUrl);
  });

  it("docs state the default severity", () => {
    expect(readDocs(id)).toContain(`Default severity: **${check.meta.defaultSeverity}**`);
  });

  it("docs have ❌ and ✅ examples: every ❌ block reports, every ✅ block does not", () => {
    const blocks = readDocBlocks(readDocs(id));
    const incorrect = blocks.filter((b) => b.kind === "incorrect");
    const correct = blocks.filter((b) => b.kind === "correct");
    expect(incorrect.length).toBeGreaterThan(0);
    expect(correct.length).toBeGreaterThan(0);
    const settings = getDocSettings(id);
    for (const block of incorrect) {
      const findings = runCheckOnCase(check, { code: block.code, ...(block.filename ? { filename: block.filename } : {}), ...settings });
      expect(findings.length, `❌ block at docs line ${block.line} reports nothing`).toBeGreaterThan(0);
    }
    for (const block of correct) {
      const findings = runCheckOnCase(check, { code: block.code, ...(block.filename ? { filename: block.filename } : {}), ...settings });
      expect(
        findings.map((f) => `${f.line}:${f.column} ${f.message}`),
        `✅ block at docs line ${block.line}`,
      ).toEqual([]);
    }
  });

  it("docs' Options section documents every option with its zod description", () => {
    const section = getSection(readDocs(id), "Options");
    expect(section, "no ## Options section").toBeDefined();
    const schema = z.toJSONSchema(check.options, { io: "input" }) as { properties?: Record<string, { description?: string }> };
    const properties = Object.entries(schema.properties ?? {});
    if (properties.length === 0) {
      expect(section).toContain("This rule has no options.");
      return;
    }
    for (const [key, property] of properties) {
      expect(section, `option ${key}`).toContain(`\`${key}\``);
      expect(property.description, `option ${key} has no description in the zod schema`).toBeTruthy();
      expect(section, `description of option ${key}`).toContain(property.description);
    }
  });
});

describe("readDocBlocks", () => {
  it("files blocks under the nearest heading and reads the filename", () => {
    const md = [
      "## Examples",
      "### ❌ Incorrect",
      '```ts filename="src/a.test.ts"',
      "bad();",
      "```",
      "### ✅ Correct",
      "```ts",
      "good();",
      "```",
      "```json",
      "{}",
      "```",
    ].join("\n");
    expect(readDocBlocks(md)).toEqual([
      { kind: "incorrect", code: "bad();", line: 3, filename: "src/a.test.ts" },
      { kind: "correct", code: "good();", line: 7 },
    ]);
  });
});
