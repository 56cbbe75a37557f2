import { CovenantError } from "../../common/errors.js";
import { runCheck, type RunCheckOptions } from "../../analyzer/engine/run-check.js";
import { TempProject, TSCONFIG } from "./temp-project.js";
import { testChecks } from "./test-checks.js";

const LIB = "export async function forbidden(): Promise<number> { return 1; }\nexport function mock(): void {}\n";
const A = 'import { forbidden } from "./lib.js";\nexport const first = forbidden();\nexport const second = forbidden();\n';

let project: TempProject;
beforeEach(() => {
  project = new TempProject({
    "tsconfig.json": TSCONFIG,
    "src/lib.ts": LIB,
    "src/a.ts": A,
    "src/b.ts": 'import { forbidden } from "./lib.js";\nvoid forbidden();\n',
  });
});
afterEach(() => project.remove());

const check = (options: RunCheckOptions = {}) => runCheck({ cwd: project.dir, checks: testChecks, ...options });
const brief = (report: ReturnType<typeof check>) => report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);

describe("baseline", () => {
  it("writes a deterministic baseline keyed by rule, file, symbol and fingerprint, and then reports nothing", () => {
    const written = check({ updateBaseline: true, baseline: "ci/baseline.json" });
    expect(written.findings).toEqual([]);
    expect(written.baseline).toEqual({ file: "ci/baseline.json", baselined: 3, gone: 0, written: 3 });
    expect(written.summary).toMatchObject({ baselined: 3, errors: 0 });
    const text = project.read("ci/baseline.json");
    const baseline = JSON.parse(text) as { findings: { file: string; ruleId: string; symbol: string; count: number; fingerprint: string }[] };
    expect(baseline.findings.map((e) => `${e.file} ${e.ruleId} ${e.symbol} x${e.count}`)).toEqual([
      "../src/a.ts forbidden-call forbidden x2",
      "../src/b.ts forbidden-call forbidden x1",
    ]);
    expect(text).not.toMatch(/"line"/);
    check({ updateBaseline: true, baseline: "ci/baseline.json" });
    expect(project.read("ci/baseline.json")).toBe(text);
  });

  it("keeps findings baselined across edits above them, reports new ones and counts the gone ones", () => {
    check({ updateBaseline: true });
    expect(check({ baseline: "covenant.baseline.json" }).findings).toEqual([]);
    // An edit above the findings moves them; they stay baselined.
    project.write({ "src/a.ts": `// a new header\n\n${A}` });
    const moved = check({ baseline: "covenant.baseline.json" });
    expect(moved.findings).toEqual([]);
    expect(moved.baseline).toEqual({ file: "covenant.baseline.json", baselined: 3, gone: 0 });
    // A third identical finding in a.ts is new (the entry counts two); b.ts's is fixed: gone.
    project.write({ "src/a.ts": `${A}export const third = forbidden();\n`, "src/b.ts": "export {};\n" });
    const changed = check({ baseline: "covenant.baseline.json" });
    expect(brief(changed)).toEqual(["src/a.ts:4 forbidden-call"]);
    expect(changed.baseline).toEqual({ file: "covenant.baseline.json", baselined: 2, gone: 1 });
    expect(changed.summary).toMatchObject({ errors: 1, baselined: 2 });
  });

  it("updates only the files and rules in scope and keeps the other entries", () => {
    check({ updateBaseline: true });
    project.write({ "src/b.ts": "export {};\n" });
    check({ updateBaseline: true, paths: ["src/a.ts"] });
    expect(JSON.parse(project.read("covenant.baseline.json")).findings).toHaveLength(2);
    // Out of scope (only a.ts reported on): b.ts's entry is neither matched nor gone.
    expect(check({ baseline: "covenant.baseline.json", paths: ["src/a.ts"] }).baseline).toMatchObject({ baselined: 2, gone: 0 });
    check({ updateBaseline: true });
    expect(JSON.parse(project.read("covenant.baseline.json")).findings).toHaveLength(1);
  });

  it("rejects a missing or malformed baseline with a located error", () => {
    expect(() => check({ baseline: "nope.json" })).toThrow(CovenantError);
    project.write({ "covenant.baseline.json": '{\n  "version": 2,\n  "findings": []\n}' });
    try {
      check({ baseline: "covenant.baseline.json" });
      expect.unreachable();
    } catch (error) {
      expect((error as CovenantError).problems[0]).toMatchObject({ code: "baseline-invalid", line: 2, column: 14 });
    }
  });
});
