import { execFileSync } from "node:child_process";
import { CovenantError } from "../../common/errors.js";
import { runCheck, type RunCheckOptions } from "../../analyzer/engine/run-check.js";
import { TempProject, TSCONFIG } from "./temp-project.js";
import { contractsSeen, testChecks } from "./test-checks.js";

const LIB =
  "export async function forbidden(): Promise<number> { return 1; }\nexport function allowed(): number { return 1; }\nexport function mock<T>(): T { return {} as T; }\nexport function explode(): void {}\n";

let project: TempProject;
afterEach(() => project?.remove());

function check(options: RunCheckOptions = {}) {
  return runCheck({ cwd: project.dir, checks: testChecks, ...options });
}

const brief = (report: ReturnType<typeof check>) => report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}`);

function problemOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof CovenantError) return error.problems[0]!;
    throw error;
  }
  throw new Error("expected a CovenantError");
}

describe("runCheck", () => {
  it("runs every check over the project's files and reports sorted, relative, typed findings", () => {
    project = new TempProject({
      "tsconfig.json": TSCONFIG,
      "src/lib.ts": LIB,
      "src/b.ts": 'import { forbidden } from "./lib.js";\nvoid forbidden();\n',
      "src/a.ts": 'import { forbidden, mock } from "./lib.js";\nexport const x = [forbidden(), forbidden()];\nmock();\n',
      "test/a.test.ts": 'import { mock } from "../src/lib.js";\nmock();\n',
    });
    const report = check();
    expect(brief(report)).toEqual([
      "src/a.ts:2:19 error forbidden-call",
      "src/a.ts:2:32 error forbidden-call",
      "src/b.ts:2:6 error forbidden-call",
      "test/a.test.ts:2:1 warn mock-in-tests",
    ]);
    expect(report.findings[0]).toMatchObject({
      message: "`forbidden()` is forbidden here: it returns Promise<number>. Call `allowed()` instead.",
      symbol: "forbidden",
      endLine: 2,
      endColumn: 30,
      related: [],
    });
    expect(report.summary).toMatchObject({ filesAnalyzed: 4, errors: 3, warnings: 1, suppressed: 0, baselined: 0 });
    expect(report.rules.map((r) => r.id)).toEqual([
      "explodes",
      "forbidden-call",
      "internal-error",
      "invalid-suppression",
      "mock-in-tests",
      "unused-suppression",
    ]);
  });

  it("applies config severities, test globs and --rule", () => {
    project = new TempProject({
      "tsconfig.json": TSCONFIG,
      "covenant.config.json": JSON.stringify({ rules: { "forbidden-call": "warn", "mock-in-tests": "error" }, tests: ["src/**/*.fake.ts"] }),
      "src/lib.ts": LIB,
      "src/a.ts": 'import { forbidden } from "./lib.js";\nvoid forbidden();\n',
      "src/b.fake.ts": 'import { mock } from "./lib.js";\nmock();\n',
      "test/c.test.ts": 'import { mock } from "../src/lib.js";\nmock();\n',
    });
    expect(brief(check())).toEqual(["src/a.ts:2:6 warn forbidden-call", "src/b.fake.ts:2:1 error mock-in-tests"]);
    expect(brief(check({ rules: ["mock-in-tests"] }))).toEqual(["src/b.fake.ts:2:1 error mock-in-tests"]);
    project.write({ "covenant.config.json": JSON.stringify({ rules: { "forbidden-call": "off" } }) });
    expect(brief(check())).toEqual(["test/c.test.ts:2:1 warn mock-in-tests"]);
    // --rule runs a rule even when the config turns it off.
    expect(brief(check({ rules: ["forbidden-call"] }))).toEqual(["src/a.ts:2:6 error forbidden-call"]);
    expect(problemOf(() => check({ rules: ["nope"] }))).toMatchObject({ code: "unknown-rule" });
  });

  it("reports a throwing check as internal-error on that file and goes on", () => {
    project = new TempProject({
      "tsconfig.json": TSCONFIG,
      "src/lib.ts": LIB,
      "src/a.ts": 'import { explode, forbidden } from "./lib.js";\nexplode();\nvoid forbidden();\n',
      "src/b.ts": 'import { forbidden } from "./lib.js";\nvoid forbidden();\n',
    });
    const report = check();
    expect(brief(report)).toEqual(["src/a.ts:1:1 error internal-error", "src/a.ts:3:6 error forbidden-call", "src/b.ts:2:6 error forbidden-call"]);
    expect(report.findings[0]!.message).toContain("Check explodes failed on this file: cannot handle explode()");
  });

  it("reports only on the paths given, rejects paths that do not exist, and skips with a warning those outside the project", () => {
    project = new TempProject({
      "tsconfig.json": TSCONFIG,
      "src/lib.ts": LIB,
      "src/one/a.ts": 'import { forbidden } from "../lib.js";\nvoid forbidden();\n',
      "src/two/b.ts": 'import { forbidden } from "../lib.js";\nvoid forbidden();\n',
      "scripts/x.ts": "",
    });
    expect(brief(check({ paths: ["src/two"] }))).toEqual(["src/two/b.ts:2:6 error forbidden-call"]);
    expect(check({ paths: ["src/one/a.ts", "src/lib.ts"] }).summary.filesAnalyzed).toBe(2);
    expect(problemOf(() => check({ paths: ["src/three"] }))).toMatchObject({ code: "path-not-found", file: project.path("src/three") });
    // A file or folder that exists but holds no file of the program: a warning, nothing reported there.
    const outside = check({ paths: ["scripts/x.ts", "src/two", "scripts"] });
    expect(brief(outside)).toEqual(["src/two/b.ts:2:6 error forbidden-call"]);
    expect(outside.warnings).toEqual([
      expect.objectContaining({
        code: "path-not-in-project",
        file: project.path("scripts/x.ts"),
        message: expect.stringMatching(/^Not part of the TypeScript project tsconfig\.json; nothing to check there\./),
      }),
      expect.objectContaining({ code: "path-not-in-project", file: project.path("scripts") }),
    ]);
    const none = check({ paths: ["scripts/x.ts"] });
    expect(none.summary.filesAnalyzed).toBe(0);
    expect(none.warnings.map((w) => w.code)).toEqual(["path-not-in-project"]);
  });

  it("--changed reports only on files changed since the ref (and untracked ones), typing the whole program", () => {
    project = new TempProject({
      "tsconfig.json": TSCONFIG,
      "src/lib.ts": LIB,
      "src/a.ts": 'import { forbidden } from "./lib.js";\nvoid forbidden();\n',
      "src/b.ts": 'import { forbidden } from "./lib.js";\nvoid forbidden();\n',
    });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: project.dir, stdio: "pipe" });
    git("init", "-q");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "empty");
    git("add", ".");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "base");
    expect(brief(check({ changed: "HEAD" }))).toEqual([]);
    project.write({
      "src/b.ts": 'import { forbidden } from "./lib.js";\n\nvoid forbidden();\n',
      "src/c.ts": 'import { forbidden } from "./lib.js";\nvoid forbidden();\n',
    });
    const report = check({ changed: "HEAD" });
    expect(brief(report)).toEqual(["src/b.ts:3:6 error forbidden-call", "src/c.ts:2:6 error forbidden-call"]);
    expect(report.findings[0]!.message).toContain("Promise<number>");
    expect(brief(check({ changed: "HEAD~1" }))).toEqual([
      "src/a.ts:2:6 error forbidden-call",
      "src/b.ts:3:6 error forbidden-call",
      "src/c.ts:2:6 error forbidden-call",
    ]);
    expect(problemOf(() => check({ changed: "no-such-ref" }))).toMatchObject({ code: "changed-unknown-ref" });
  });

  it("--changed outside a git repository is an input error", () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, "src/a.ts": "" });
    // The temporary folder must not sit inside a repository for this test to mean anything.
    expect(() => execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: project.dir, stdio: "pipe" })).toThrow();
    expect(problemOf(() => check({ changed: "HEAD" }))).toMatchObject({ code: "changed-not-git" });
  });

  it("loads the config's contracts, with their bindings, into the check settings", () => {
    const contract = (name: string) =>
      [
        "covenant: 1",
        `name: ${name}`,
        "version: 1.0.0",
        "lifecycle:",
        "  initial: open",
        "  states:",
        "    open: { on: { close: closed } }",
        "    closed: { final: true }",
        "events:",
        "  ping: { direction: both, states: [open] }",
        "",
      ].join("\n");
    project = new TempProject({
      "tsconfig.json": TSCONFIG,
      "src/a.ts": "export const a = 1;\n",
      "contracts/b.contract.yaml": contract("beta"),
      "contracts/a.contract.yaml": contract("alpha"),
      "covenant.config.json": JSON.stringify({ contracts: ["contracts/*.contract.yaml"], bindings: { beta: { transitions: [], emits: [] } } }),
    });
    const report = runCheck({ cwd: project.dir, checks: { "contracts-seen": contractsSeen } });
    expect(report.findings.map((f) => f.message)).toEqual(["alpha[] beta[transitions,emits]"]);
    project.write({ "contracts/b.contract.yaml": contract("beta").replace("initial: open", "initial: nowhere") });
    expect(problemOf(() => runCheck({ cwd: project.dir, checks: { "contracts-seen": contractsSeen } }))).toMatchObject({
      file: project.path("contracts/b.contract.yaml"),
    });
  });
});
