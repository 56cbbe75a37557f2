import path from "node:path";
import type { Finding } from "../../analyzer/engine/finding.js";
import { ENGINE_RULES, type Report } from "../../analyzer/engine/report.js";
import { formatJson } from "../../analyzer/report/json.js";
import { formatMarkdown, MAX_MARKDOWN_ROWS } from "../../analyzer/report/markdown.js";
import { formatSarif } from "../../analyzer/report/sarif.js";
import { formatStylish } from "../../analyzer/report/stylish.js";
import { formatBaselineNotes } from "../../analyzer/report/baseline-notes.js";
import { FORMAT_NAMES, reporters } from "../../analyzer/report/index.js";
import { validateSarif } from "./sarif-validator.js";

const GOLDEN = path.join(import.meta.dirname, "golden");

function finding(partial: Partial<Finding> & Pick<Finding, "ruleId" | "file" | "line" | "column" | "message">): Finding {
  return { messageId: "m", data: {}, severity: "error", endLine: partial.line, endColumn: partial.column + 5, related: [], fingerprint: "0123456789abcdef", ...partial };
}

const report: Report = {
  version: 1,
  toolVersion: "0.1.0",
  findings: [
    finding({
      ruleId: "liskov-override",
      file: "src/agents/agent-registry.ts",
      line: 42,
      column: 3,
      message: "`AgentRegistry.register(a: ChatAgent)` narrows `UniversalRegistry.register(a: Agent)`: callers holding a `UniversalRegistry` may pass any Agent. Widen the parameter to `Agent`.",
      symbol: "AgentRegistry.register",
      related: [{ file: "src/core/universal-registry.ts", line: 17, column: 3, message: "parent member" }],
    }),
    finding({
      ruleId: "unawaited-factory",
      file: "src/agents/agent-registry.ts",
      line: 60,
      column: 21,
      message: "`createUserEmitter(ctx)` returns a Promise | used as its value. Await it.",
      suggestions: [{ messageId: "addAwait", message: "Await the call.", edits: [{ start: 1200, end: 1200, text: "await " }] }],
    }),
    finding({ ruleId: "silent-emit-drop", severity: "warn", file: "src/routes/web socket.ts", line: 7, column: 5, message: "`this.bridge?.emit(...)` drops the event when `bridge` is undefined." }),
    finding({ ruleId: "unused-suppression", severity: "warn", file: "src/routes/web socket.ts", line: 9, column: 1, message: "`covenant-ignore x` suppresses nothing." }),
  ],
  summary: { filesAnalyzed: 12, errors: 2, warnings: 2, suppressed: 1, baselined: 3, durationMs: 850 },
  rules: [
    { id: "liskov-override", description: "Overrides that narrow parameters, turn async or only throw.", defaultSeverity: "error", docsUrl: "https://example.com/docs/rules/liskov-override.md" },
    { id: "silent-emit-drop", description: "Emissions that silently disappear.", defaultSeverity: "warn", docsUrl: "https://example.com/docs/rules/silent-emit-drop.md" },
    { id: "unawaited-factory", description: "Promise-returning factories used as their value.", defaultSeverity: "error", docsUrl: "https://example.com/docs/rules/unawaited-factory.md" },
    ENGINE_RULES["unused-suppression"],
  ],
  baseline: { file: "covenant.baseline.json", baselined: 3, gone: 2 },
  warnings: [],
};

const empty: Report = { ...report, findings: [], summary: { ...report.summary, errors: 0, warnings: 0, suppressed: 0, baselined: 0 }, baseline: undefined };

describe("reporters", () => {
  it("registers every format by name", () => {
    expect(FORMAT_NAMES).toEqual(["stylish", "json", "sarif", "markdown"]);
    for (const name of FORMAT_NAMES) expect(reporters[name](report)).toBe(reporters[name](structuredClone(report)));
  });

  it.each([
    ["stylish", () => formatStylish(report)],
    ["stylish-color", () => formatStylish(report, { color: true })],
    ["json", () => formatJson(report)],
    ["sarif", () => formatSarif(report)],
    ["markdown", () => formatMarkdown(report)],
    ["markdown-empty", () => formatMarkdown(empty)],
  ])("%s matches its golden file", async (name, format) => {
    await expect(format()).toMatchFileSnapshot(path.join(GOLDEN, `${name}.${name.startsWith("json") || name.startsWith("sarif") ? "json" : "txt"}`));
  });

  it("json has exactly the documented shape", () => {
    const doc = JSON.parse(formatJson(report)) as Record<string, unknown> & { findings: Record<string, unknown>[] };
    expect(Object.keys(doc)).toEqual(["version", "findings", "summary"]);
    expect(Object.keys(doc.findings[0]!)).toEqual(["ruleId", "severity", "file", "line", "column", "endLine", "endColumn", "message", "symbol", "related"]);
    expect(Object.keys(doc.findings[1]!)).not.toContain("symbol");
    expect(doc.summary).toEqual({ filesAnalyzed: 12, errors: 2, warnings: 2, suppressed: 1, baselined: 3, durationMs: 850 });
  });

  it("sarif is valid SARIF 2.1.0 with rules, help URIs, relative URIs and fixes", () => {
    const log = JSON.parse(formatSarif(report));
    expect(validateSarif(log)).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string; helpUri: string }) => [r.id, r.helpUri])).toEqual(report.rules.map((r) => [r.id, r.docsUrl]));
    expect(run.results[2].locations[0].physicalLocation.artifactLocation.uri).toBe("src/routes/web%20socket.ts");
    expect(run.results.map((r: { ruleIndex: number }) => r.ruleIndex)).toEqual([0, 2, 1, 3]);
    expect(run.results[1].fixes[0].artifactChanges[0].replacements[0]).toEqual({ deletedRegion: { charOffset: 1200, charLength: 0 }, insertedContent: { text: "await " } });
    expect(validateSarif(JSON.parse(formatSarif(empty)))).toEqual([]);
  });

  it("the sarif validator is not a rubber stamp", () => {
    const log = JSON.parse(formatSarif(report));
    log.runs[0].results[0].level = "fatal";
    delete log.version;
    expect(validateSarif(log).length).toBeGreaterThan(0);
  });

  it("stylish prints nothing when there is nothing to say, and no colour codes unless asked", () => {
    expect(formatStylish(empty)).toBe("");
    expect(formatStylish(report)).not.toMatch(/\u001b\[/);
    expect(formatStylish(report, { color: true })).toMatch(/\u001b\[31m/);
  });

  it("baseline notes agree in number; json keeps its shape (the CLI prints them on stderr)", () => {
    const one: Report = { ...report, baseline: { file: "covenant.baseline.json", baselined: 3, gone: 1, written: 1 } };
    expect(formatBaselineNotes(one)).toEqual([
      "1 baselined finding no longer occurs: run with --update-baseline to prune covenant.baseline.json.",
      "Wrote 1 finding to covenant.baseline.json.",
    ]);
    expect(formatMarkdown(one)).toContain("\n1 baselined finding no longer occurs: prune `covenant.baseline.json`");
    expect(formatStylish(one)).toContain("\n1 baselined finding no longer occurs: run with --update-baseline");
    expect(formatBaselineNotes(report)).toEqual(["2 baselined findings no longer occur: run with --update-baseline to prune covenant.baseline.json."]);
    expect(formatBaselineNotes(empty)).toEqual([]);
    expect(formatJson(one)).toBe(formatJson(report));
  });

  it("markdown escapes table cells and caps the rows", () => {
    const many: Report = { ...report, findings: Array.from({ length: MAX_MARKDOWN_ROWS + 5 }, (_, i) => finding({ ruleId: "liskov-override", file: "a.ts", line: i + 1, column: 1, message: "a | b" })) };
    const text = formatMarkdown(many);
    expect(text).toContain("| a \\| b |");
    expect(text.split("\n").filter((l) => l.startsWith("| error"))).toHaveLength(MAX_MARKDOWN_ROWS);
    expect(text).toContain("…and 5 more findings");
  });
});
