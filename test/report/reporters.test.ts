import path from "node:path";
import { compareFindings, type Finding } from "../../analyzer/engine/finding.js";
import { ENGINE_RULES, type Report } from "../../analyzer/engine/report.js";
import { formatJson } from "../../analyzer/report/json.js";
import { formatMarkdown, MAX_MARKDOWN_ROWS } from "../../analyzer/report/markdown.js";
import { formatSarif } from "../../analyzer/report/sarif.js";
import { formatStylish } from "../../analyzer/report/stylish.js";
import { formatBaselineNotes } from "../../analyzer/report/baseline-notes.js";
import { FORMAT_NAMES, reporters } from "../../analyzer/report/index.js";
import { findSharedCauses, SHARED_CAUSE_MIN } from "../../analyzer/report/shared-causes.js";
import { validateSarif } from "./sarif-validator.js";

const GOLDEN = path.join(import.meta.dirname, "golden");

function finding(partial: Partial<Finding> & Pick<Finding, "ruleId" | "file" | "line" | "column" | "message">): Finding {
  return {
    messageId: "m",
    data: {},
    severity: "error",
    endLine: partial.line,
    endColumn: partial.column + 5,
    related: [],
    fingerprint: "0123456789abcdef",
    ...partial,
  };
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
      message:
        "`AgentRegistry.register(a: ChatAgent)` narrows `UniversalRegistry.register(a: Agent)`: callers holding a `UniversalRegistry` may pass any Agent. Widen the parameter to `Agent`.",
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
    finding({
      ruleId: "silent-emit-drop",
      severity: "warn",
      file: "src/routes/web socket.ts",
      line: 7,
      column: 5,
      message: "`this.bridge?.emit(...)` drops the event when `bridge` is undefined.",
    }),
    finding({
      ruleId: "unused-suppression",
      severity: "warn",
      file: "src/routes/web socket.ts",
      line: 9,
      column: 1,
      message: "`covenant-ignore x` suppresses nothing.",
    }),
  ],
  summary: { filesAnalyzed: 12, errors: 2, warnings: 2, suppressed: 1, baselined: 3, durationMs: 850 },
  rules: [
    {
      id: "liskov-override",
      description: "Overrides that narrow parameters, turn async or only throw.",
      defaultSeverity: "error",
      docsUrl: "https://example.com/docs/rules/liskov-override.md",
    },
    {
      id: "silent-emit-drop",
      description: "Emissions that silently disappear.",
      defaultSeverity: "warn",
      docsUrl: "https://example.com/docs/rules/silent-emit-drop.md",
    },
    {
      id: "unawaited-factory",
      description: "Promise-returning factories used as their value.",
      defaultSeverity: "error",
      docsUrl: "https://example.com/docs/rules/unawaited-factory.md",
    },
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
    expect(run.results[1].fixes[0].artifactChanges[0].replacements[0]).toEqual({
      deletedRegion: { charOffset: 1200, charLength: 0 },
      insertedContent: { text: "await " },
    });
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
    const many: Report = {
      ...report,
      findings: Array.from({ length: MAX_MARKDOWN_ROWS + 5 }, (_, i) =>
        finding({ ruleId: "liskov-override", file: "a.ts", line: i + 1, column: 1, message: "a | b" }),
      ),
    };
    const text = formatMarkdown(many);
    expect(text).toContain("| a \\| b |");
    expect(text.split("\n").filter((l) => l.startsWith("| error"))).toHaveLength(MAX_MARKDOWN_ROWS);
    expect(text).toContain("…and 5 more findings");
  });
});

describe("findings that share one cause", () => {
  const deprecatedCall = (file: string, line: number, symbol = "BaseClient.device") =>
    finding({
      ruleId: "dual-interface",
      file,
      line,
      column: 9,
      symbol,
      message: `\`${symbol}\` is deprecated in favour of \`BaseClient.getDevice\` but is still called here.`,
    });
  const withFindings = (findings: Finding[]): Report => ({
    ...report,
    findings,
    summary: {
      ...report.summary,
      errors: findings.filter((f) => f.severity === "error").length,
      warnings: findings.filter((f) => f.severity !== "error").length,
    },
    baseline: undefined,
  });

  it.each<[string, Finding[], string[]]>([
    ["fewer than three findings of one symbol are not a shared cause", [deprecatedCall("a.ts", 1), deprecatedCall("a.ts", 2)], []],
    [
      "three findings of one rule and symbol, over two files",
      [deprecatedCall("a.ts", 1), deprecatedCall("b.ts", 4), deprecatedCall("a.ts", 9)],
      ["dual-interface BaseClient.device 3 a.ts:1 2"],
    ],
    [
      "the same symbol under two rules is two causes, neither reaching three",
      [deprecatedCall("a.ts", 1), deprecatedCall("a.ts", 2), { ...deprecatedCall("a.ts", 3), ruleId: "unawaited-factory" }],
      [],
    ],
    [
      "findings without a symbol share nothing",
      [1, 2, 3, 4].map((line) => finding({ ruleId: "permissive-mock", file: "t.test.ts", line, column: 1, message: "cast" })),
      [],
    ],
    [
      "most findings first, then by rule and symbol; the first location is the earliest whatever the input order",
      [
        ...[7, 3, 5].map((line) => deprecatedCall("z.ts", line, "Registry.attach")),
        ...[1, 2, 3, 4].map((line) => deprecatedCall("b.ts", line)),
        ...[1, 2, 3].map((line) => deprecatedCall("y.ts", line, "Api.send")),
      ],
      ["dual-interface BaseClient.device 4 b.ts:1 1", "dual-interface Api.send 3 y.ts:1 1", "dual-interface Registry.attach 3 z.ts:3 1"],
    ],
  ])("%s", (_name, findings, expected) => {
    const causes = findSharedCauses(findings).map((c) => `${c.ruleId} ${c.symbol} ${c.count} ${c.first.file}:${c.first.line} ${c.files}`);
    expect(causes).toEqual(expected);
    expect(findSharedCauses([...findings].reverse()).map((c) => `${c.ruleId} ${c.symbol} ${c.count} ${c.first.file}:${c.first.line} ${c.files}`)).toEqual(
      expected,
    );
    expect(expected.every((e) => Number(e.split(" ")[2]) >= SHARED_CAUSE_MIN)).toBe(true);
  });

  const many = withFindings([
    ...Array.from({ length: 158 }, (_, i) => deprecatedCall(`src/push/state-${i % 4}.ts`, 10 + i)),
    finding({ ruleId: "liskov-override", file: "src/a.ts", line: 3, column: 1, symbol: "A.register", message: "narrows" }),
  ]);

  it("stylish lists every finding, then says the shared cause once after the count", () => {
    const text = formatStylish(many);
    expect(text.split("\n").filter((l) => l.includes("is deprecated in favour of"))).toHaveLength(158);
    const tail = text.slice(text.indexOf("✖ 159 problems"));
    expect(tail.split("\n").slice(1, 2)).toEqual([
      "158 dual-interface findings share one cause, `BaseClient.device` (first at src/push/state-0.ts:10:9; in 4 files).",
    ]);
    expect(formatStylish(withFindings([deprecatedCall("a.ts", 1), deprecatedCall("a.ts", 2), deprecatedCall("a.ts", 3)]))).toContain(
      "\n3 dual-interface findings share one cause, `BaseClient.device` (first at a.ts:1:9; all in one file).\n",
    );
    expect(formatStylish(report)).not.toContain("share one cause");
  });

  it("markdown says it once above the table, which still has a row per finding (up to its cap)", () => {
    const text = formatMarkdown(many);
    const note = "- 158 `dual-interface` findings share one cause, `BaseClient.device` (first at `src/push/state-0.ts:10:9`; in 4 files).";
    expect(text).toContain(`\n\n${note}\n\n| Severity |`);
    expect(text.split("\n").filter((l) => l.startsWith("| error"))).toHaveLength(MAX_MARKDOWN_ROWS);
    expect(formatMarkdown(withFindings([1, 2, 3].map((line) => deprecatedCall("a.ts", line, "Odd`name"))))).toContain("`` Odd`name ``");
    expect(formatMarkdown(report)).not.toContain("share one cause");
  });

  it("json and sarif keep one result per finding, each with its symbol", () => {
    expect((JSON.parse(formatJson(many)) as { findings: { symbol?: string }[] }).findings.filter((f) => f.symbol === "BaseClient.device")).toHaveLength(158);
    const results = JSON.parse(formatSarif(many)).runs[0].results as { locations: { logicalLocations?: { fullyQualifiedName: string }[] }[] }[];
    expect(results).toHaveLength(159);
    expect(results.filter((r) => r.locations[0]!.logicalLocations?.[0]?.fullyQualifiedName === "BaseClient.device")).toHaveLength(158);
    expect(formatJson(many)).not.toContain("share one cause");
  });

  it("is deterministic: the report's findings in any order before sorting give the same bytes", () => {
    const shuffled = withFindings([...many.findings].reverse().sort(compareFindings));
    expect(formatStylish(shuffled)).toBe(formatStylish(withFindings([...many.findings].sort(compareFindings))));
    expect(formatMarkdown(shuffled)).toBe(formatMarkdown(withFindings([...many.findings].sort(compareFindings))));
  });
});
