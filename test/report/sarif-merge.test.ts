import fs from "node:fs";
import path from "node:path";
import type { Log, Result, Run } from "sarif";
import { runCheck } from "../../analyzer/engine/run-check.js";
import { formatSarif } from "../../analyzer/report/sarif.js";
import { countErrorResults, mergeSarif, rebaseUri } from "../../analyzer/report/sarif-merge.js";
import { expectInputError, runCli } from "../cli/run-cli.js";
import { TempProject, TSCONFIG } from "../engine/temp-project.js";
import { validateSarif } from "./sarif-validator.js";

// A workspace of three packages, each with its tsconfig, checked one by one (as a per-package task in
// Turborepo or Nx does), then merged into one log for one code-scanning upload.
const NARROW = "class Base { handle(x: string | number): void {} }\nexport class Narrow extends Base { override handle(x: string): void {} }\n";
const UNAWAITED = [
  "interface Emitter { emit(e: string): void }",
  "declare function createEmitter(): Promise<Emitter>;",
  "export async function onConnect() {",
  "  const emitter = createEmitter();",
  '  if (!emitter) throw new Error("closed");',
  '  return "emit" in emitter;',
  "}",
  "",
].join("\n");
const SILENT = 'interface Bus { emit(e: string): void }\nexport class Service { bus?: Bus; tick(): void { this.bus?.emit("tick"); } }\n';

let workspace: TempProject;
/** Each package's SARIF, as `covenant check --format sarif -o covenant.sarif` writes it in the package folder. */
const packages = ["packages/api", "packages/web app", "packages/worker"] as const;

beforeAll(() => {
  workspace = new TempProject({
    "packages/api/tsconfig.json": TSCONFIG,
    "packages/api/src/narrow.ts": NARROW,
    "packages/web app/tsconfig.json": TSCONFIG,
    "packages/web app/src/start up.ts": UNAWAITED,
    "packages/web app/src/narrow.ts": NARROW,
    "packages/worker/tsconfig.json": TSCONFIG,
    "packages/worker/src/service.ts": SILENT,
  });
  for (const pkg of packages) {
    const report = runCheck({ cwd: workspace.path(pkg) });
    fs.writeFileSync(workspace.path(`${pkg}/covenant.sarif`), formatSarif(report));
  }
}, 120_000);
afterAll(() => workspace.remove());

const readLog = (file: string) => JSON.parse(workspace.read(file)) as Log;
const uris = (run: Run) => (run.results ?? []).map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri!);

describe("covenant sarif merge", () => {
  it("joins the packages' runs into one valid run whose paths lead to the files from the merged file's folder", async () => {
    const inputs = packages.map((pkg) => `${pkg}/covenant.sarif`);
    const result = await runCli(["sarif", "merge", ...inputs, "-o", "reports/covenant.sarif"], workspace.dir);
    // Exit 1 as covenant check would: liskov-override twice and unawaited-factory are errors.
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toBe("covenant sarif merge: 3 results at error level.\n");
    expect(result.stdout).toBe("");
    const merged = readLog("reports/covenant.sarif");
    expect(validateSarif(merged)).toEqual([]);
    expect(merged.runs).toHaveLength(1);
    const [run] = merged.runs as [Run];

    const each = inputs.map((file) => readLog(file).runs[0]!);
    expect(run.results).toHaveLength(each.reduce((n, r) => n + (r.results ?? []).length, 0));
    expect(uris(run)).toEqual([
      "../packages/api/src/narrow.ts",
      "../packages/web%20app/src/narrow.ts",
      "../packages/web%20app/src/start%20up.ts",
      "../packages/worker/src/service.ts",
    ]);
    for (const uri of uris(run)) expect(fs.existsSync(path.join(workspace.path("reports"), decodeURI(uri))), uri).toBe(true);
    // Related locations and fixes move with their result.
    const narrow = run.results!.find((r) => r.ruleId === "liskov-override")!;
    expect(narrow.relatedLocations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("../packages/api/src/narrow.ts");
    const unawaited = run.results!.find((r) => r.ruleId === "unawaited-factory")!;
    expect(unawaited.fixes?.[0]?.artifactChanges[0]?.artifactLocation.uri).toBe("../packages/web%20app/src/start%20up.ts");

    // Rules by id, every result's ruleIndex pointing at its own rule, counts summed.
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual([...rules.map((r) => r.id)].sort());
    for (const r of run.results!) expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(run.properties).toEqual({ baselined: 0, filesAnalyzed: 4, suppressed: 0 });
    expect(run.tool.driver.name).toBe("covenant");
  });

  it("is deterministic: the same bytes whatever the order of the inputs; stdout paths are relative to the cwd", async () => {
    const forward = await runCli(["sarif", "merge", ...packages.map((p) => `${p}/covenant.sarif`)], workspace.dir);
    const backward = await runCli(["sarif", "merge", ...[...packages].reverse().map((p) => `${p}/covenant.sarif`)], workspace.dir);
    expect(forward.status, forward.stderr).toBe(1);
    expect(backward.stdout).toBe(forward.stdout);
    expect(uris(JSON.parse(forward.stdout).runs[0])[0]).toBe("packages/api/src/narrow.ts");
  });

  it("reports every unreadable or invalid input at once, located, exit 2, and writes nothing", async () => {
    workspace.write({
      "bad/syntax.sarif": '{\n  "version": "2.1.0",,\n}',
      "bad/version.sarif": '{ "version": "2.0.0", "runs": [] }',
      "bad/runs.sarif": '{ "version": "2.1.0", "runs": [{ "results": [] }] }',
    });
    const result = await runCli(
      ["sarif", "merge", "bad/syntax.sarif", "bad/version.sarif", "bad/runs.sarif", "bad/missing.sarif", "-o", "bad/out.sarif"],
      workspace.dir,
    );
    expectInputError(
      result,
      /^bad\/syntax\.sarif:2:22 {2}error {2}Invalid JSON: .*\nbad\/version\.sarif:1:14 {2}error {2}Unsupported SARIF version "2\.0\.0"\. Pass SARIF 2\.1\.0 files\.\nbad\/runs\.sarif:1:32 {2}error {2}runs\[0\] has no `tool\.driver\.name`\. .*\nbad\/missing\.sarif {2}error {2}No such SARIF file\. .*\n$/,
    );
    expect(fs.existsSync(workspace.path("bad/out.sarif"))).toBe(false);
  });
});

describe("mergeSarif", () => {
  const result = (ruleId: string, uri: string, line = 1): Result => ({
    ruleId,
    message: { text: ruleId },
    locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: line } } }],
  });
  const log = (...runs: Run[]): Log => ({ version: "2.1.0", runs });
  const tool = (name: string, version: string, rules: string[]) => ({ driver: { name, version, rules: rules.map((id) => ({ id })) } });

  it.each([
    ["a relative path", "src/a.ts", "packages/api", "packages/api/src/a.ts"],
    ["a percent-encoded one", "src/web%20socket.ts", "packages/a b", "packages/a%20b/src/web%20socket.ts"],
    ["going up", "src/a.ts", "../api", "../api/src/a.ts"],
    ["the same folder", "src/a.ts", "", "src/a.ts"],
    ["dot segments", "./src/../lib/a.ts", "pkg", "pkg/lib/a.ts"],
    ["an absolute file URI", "file:///repo/src/a.ts", "pkg", "file:///repo/src/a.ts"],
    ["an absolute path", "/repo/src/a.ts", "pkg", "/repo/src/a.ts"],
    ["another scheme", "https://example.com/a.ts", "pkg", "https://example.com/a.ts"],
  ])("rebaseUri: %s", (_name, uri, base, expected) => {
    expect(rebaseUri(uri, base)).toBe(expected);
  });

  it("re-indexes rules across runs that list them differently, leaves a uriBaseId alone, and keeps other tools' runs apart", () => {
    const a = log({
      tool: tool("covenant", "0.1.0", ["b-rule", "a-rule"]),
      results: [
        { ruleIndex: 0, message: { text: "by index" }, locations: [{ physicalLocation: { artifactLocation: { uri: "x.ts" } } }] },
        result("a-rule", "y.ts"),
      ],
    });
    const b = log(
      {
        tool: tool("covenant", "0.1.0", ["c-rule"]),
        results: [
          result("c-rule", "z.ts"),
          { ...result("c-rule", "w.ts"), locations: [{ physicalLocation: { artifactLocation: { uri: "w.ts", uriBaseId: "%SRCROOT%" } } }] },
        ],
      },
      { tool: tool("eslint", "9.0.0", ["no-x"]), results: [result("no-x", "e.ts")] },
      { tool: tool("covenant", "0.1.0", []), invocations: [{ executionSuccessful: true }], results: [result("a-rule", "q.ts")] },
    );
    const merged = mergeSarif([
      { log: a, base: "one" },
      { log: b, base: "two" },
    ]);
    expect(validateSarif(merged)).toEqual([]);
    expect(merged.runs.map((r) => [r.tool.driver.name, (r.results ?? []).length])).toEqual([
      ["covenant", 4],
      ["covenant", 1],
      ["eslint", 1],
    ]);
    const [joined, apart, eslint] = merged.runs as [Run, Run, Run];
    expect(joined.tool.driver.rules!.map((r) => r.id)).toEqual(["a-rule", "b-rule", "c-rule"]);
    expect(joined.results!.map((r) => [r.ruleId, r.ruleIndex, r.locations![0]!.physicalLocation!.artifactLocation!.uri])).toEqual([
      ["b-rule", 1, "one/x.ts"],
      ["a-rule", 0, "one/y.ts"],
      ["c-rule", 2, "two/z.ts"],
      ["c-rule", 2, "w.ts"],
    ]);
    expect(apart.invocations).toEqual([{ executionSuccessful: true }]);
    expect(uris(apart)).toEqual(["two/q.ts"]);
    expect(uris(eslint)).toEqual(["two/e.ts"]);
  });

  it("counts the results at error level, a missing level from the rule's default", () => {
    const rules = [{ id: "e", defaultConfiguration: { level: "error" as const } }, { id: "w" }];
    const results: Result[] = [
      { ruleId: "e", message: { text: "1" } },
      { ruleId: "e", level: "warning", message: { text: "2" } },
      { ruleId: "w", message: { text: "3" } },
      { ruleId: "w", level: "error", message: { text: "4" } },
      { ruleIndex: 0, message: { text: "5" } },
    ];
    expect(countErrorResults(log({ tool: { driver: { name: "t", rules } }, results }))).toBe(3);
    expect(countErrorResults(log({ tool: { driver: { name: "t" } }, results: [{ message: { text: "x" } }] }))).toBe(0);
  });

  it("joins nothing into something: no inputs give a valid log without runs", () => {
    expect(validateSarif(mergeSarif([]))).toEqual([]);
  });
});
