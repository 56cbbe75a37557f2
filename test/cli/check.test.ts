import { execFileSync, spawnSync } from "node:child_process";
import { TempProject, TSCONFIG } from "../engine/temp-project.js";
import { validateSarif } from "../report/sarif-validator.js";
import { BIN, expectInputError, runCli } from "./run-cli.js";

const hasScript = spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;

// End to end: the CLI's main (in this process; test/cli/process.test.ts runs the built binary), the real checks,
// real TypeScript projects in temporary folders.

const ANIMALS = 'export class Animal { name = "a"; }\nexport class Dog extends Animal { bark(): void {} }\n';
const CLEAN_SHELTER = 'import { Animal } from "./animals.js";\nexport class Shelter {\n  admit(animal: Animal): void {}\n}\n';
// The override narrows its parameter: liskov-override at `admit` (line 6, column 12).
const NARROW_SHELTER = [
  'import { Animal, Dog } from "./animals.js";',
  "export class Shelter {",
  "  admit(animal: Animal): void {}",
  "}",
  "export class DogShelter extends Shelter {",
  "  override admit(dog: Dog): void {",
  "    dog.bark();",
  "  }",
  "}",
  "",
].join("\n");

let project: TempProject;
afterEach(() => project?.remove());

function create(files: Record<string, string>): TempProject {
  project = new TempProject({ "tsconfig.json": TSCONFIG, "src/animals.ts": ANIMALS, ...files });
  return project;
}

const cli = (...args: string[]) => runCli(args, project.dir);
const jsonFindings = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { ruleId: string; file: string; line: number; column: number }[] }).findings.map(
    (f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`,
  );

describe("covenant check (CLI)", () => {
  it("exits 0 and prints nothing on a clean project, stderr silent off a TTY", async () => {
    create({ "src/shelter.ts": CLEAN_SHELTER });
    const result = await cli("check");
    expect(result).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it.runIf(hasScript)("shows a progress line when stderr is a terminal (and the report still goes to -o)", () => {
    create({ "src/shelter.ts": NARROW_SHELTER });
    // util-linux `script` runs the CLI on a pseudo-terminal; everything it shows arrives on stdout here.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} check --format json -o report.json`;
    const tty = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: project.dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(tty.status).toBe(1);
    expect(tty.stdout).toMatch(/\r\u001b\[Kcovenant: 1\/2 src\/animals\.ts/);
    expect(tty.stdout).toMatch(/\r\u001b\[K$/);
    expect(JSON.parse(project.read("report.json")).findings).toHaveLength(1);
  });

  it("exits 1 with a stylish report of the findings", async () => {
    create({ "src/shelter.ts": NARROW_SHELTER });
    const result = await cli("check");
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^\nsrc\/shelter\.ts\n {2}6:12 {2}error {4}.*DogShelter\.admit.* {2}liskov-override\n/);
    expect(result.stdout).toMatch(/↳ src\/shelter\.ts:3:3/);
    expect(result.stdout).toMatch(/✖ 1 problem \(1 error, 0 warnings\)\n$/);
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it("analyzes a TypeScript 5 project whose tsconfig TypeScript 6 rejects", async () => {
    create({
      "src/shelter.ts": NARROW_SHELTER.replace(/\.\/animals\.js/g, "./animals"),
      "tsconfig.json": JSON.stringify({
        compilerOptions: {
          target: "ES5",
          module: "commonjs",
          moduleResolution: "node",
          downlevelIteration: true,
          baseUrl: ".",
          lib: ["es2015"],
          strict: true,
          noImplicitOverride: true,
        },
        include: ["src"],
      }),
    });
    const result = await cli("check", "--format", "json", "--engine", "ts6");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    expect(jsonFindings(result.stdout)).toEqual(["src/shelter.ts:6:12 liskov-override"]);
    // auto: TypeScript 7 rejects it too (target ES5, baseUrl, ...): TypeScript 6 and one note naming why.
    const auto = await cli("check", "--format", "json");
    expect(auto.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^tsconfig\.json:1:\d+ {2}warning {2}Checked with TypeScript 6: TypeScript 7 rejects the tsconfig: /),
    ]);
    expect(auto.stdout).toBe(result.stdout.replace(/"durationMs": \d+/, /"durationMs": \d+/.exec(auto.stdout)![0]));
  });

  it("prints every format; sarif is valid SARIF 2.1.0; -o writes the report instead of stdout", async () => {
    create({ "src/shelter.ts": NARROW_SHELTER });
    const json = await cli("check", "--format", "json");
    expect(json.status).toBe(1);
    expect(jsonFindings(json.stdout)).toEqual(["src/shelter.ts:6:12 liskov-override"]);
    const sarif = await cli("check", "--format", "sarif");
    expect(sarif.status).toBe(1);
    const log = JSON.parse(sarif.stdout);
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs[0].results[0]).toMatchObject({
      ruleId: "liskov-override",
      level: "error",
      locations: [{ physicalLocation: { artifactLocation: { uri: "src/shelter.ts" }, region: { startLine: 6, startColumn: 12 } } }],
    });
    const rule = log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === "liskov-override");
    expect(rule.helpUri).toMatch(/docs\/rules\/liskov-override\.md$/);
    expect(rule.help.text.length).toBeGreaterThan(20);
    const markdown = await cli("check", "--format", "markdown");
    expect(markdown.stdout).toMatch(/^## covenant check\n/);
    expect(markdown.stdout).toContain("| error | [`liskov-override`](");
    const toFile = await cli("check", "--format", "sarif", "-o", "reports/covenant.sarif");
    expect(toFile).toMatchObject({ status: 1, stdout: "" });
    expect(project.read("reports/covenant.sarif")).toBe(sarif.stdout);
  });

  it("json is byte-identical from run to run apart from durationMs", async () => {
    create({ "src/shelter.ts": NARROW_SHELTER, "src/b.ts": NARROW_SHELTER.replace(/Shelter/g, "Kennel") });
    const strip = (text: string) => text.replace(/"durationMs": \d+/, '"durationMs": 0');
    const first = (await cli("check", "--format", "json")).stdout;
    const second = (await cli("check", "--format", "json")).stdout;
    expect(jsonFindings(first)).toEqual(["src/b.ts:6:12 liskov-override", "src/shelter.ts:6:12 liskov-override"]);
    expect(strip(second)).toBe(strip(first));
  });

  it("round-trips a baseline: edits above a finding keep it baselined, a new finding fails", async () => {
    create({ "src/shelter.ts": NARROW_SHELTER });
    const update = await cli("check", "--update-baseline", "--baseline", "covenant.baseline.json");
    expect(update.status).toBe(0);
    expect(update.stdout).toContain("Wrote 1 finding to covenant.baseline.json.");
    project.write({ "src/shelter.ts": `// A comment and a blank line above the finding.\n\n${NARROW_SHELTER}` });
    const after = await cli("check", "--baseline", "covenant.baseline.json", "--format", "json");
    expect(after.status).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ findings: [], summary: { baselined: 1, errors: 0 } });
    project.write({ "src/kennel.ts": NARROW_SHELTER.replace(/Shelter/g, "Kennel") });
    const fresh = await cli("check", "--baseline", "covenant.baseline.json", "--format", "json");
    expect(fresh.status).toBe(1);
    expect(jsonFindings(fresh.stdout)).toEqual(["src/kennel.ts:6:12 liskov-override"]);
    // A baselined finding that is gone: in the stylish report, on stderr for json and sarif.
    project.write({ "src/shelter.ts": CLEAN_SHELTER });
    const note = "1 baselined finding no longer occurs: run with --update-baseline to prune covenant.baseline.json.";
    const gone = await cli("check", "--baseline", "covenant.baseline.json", "--format", "json");
    expect(gone.stderr).toBe(`covenant: ${note}\n`);
    expect(Object.keys(JSON.parse(gone.stdout))).toEqual(["version", "findings", "summary"]);
    expect((await cli("check", "--baseline", "covenant.baseline.json", "--format", "sarif")).stderr).toBe(`covenant: ${note}\n`);
    const stylish = await cli("check", "--baseline", "covenant.baseline.json");
    expect(stylish.stdout).toContain(note);
    expect(stylish.stderr).toBe("");
    expect((await cli("check", "--update-baseline", "--format", "json", "-o", "report.json")).stderr).toBe(
      "covenant: Wrote 1 finding to covenant.baseline.json.\n",
    );
  });

  it("honours suppressions and reports one without a reason and one that suppresses nothing", async () => {
    const lines = NARROW_SHELTER.split("\n");
    lines.splice(5, 0, "  // covenant-ignore liskov-override -- dogs only, callers are checked upstream");
    create({
      "src/shelter.ts": lines.join("\n"),
      "src/kennel.ts": NARROW_SHELTER.replace(/Shelter/g, "Kennel").replace("  override admit", "  // covenant-ignore liskov-override\n  override admit"),
      "src/clean.ts": `${CLEAN_SHELTER.replace(/Shelter/g, "Clean")}// covenant-ignore liskov-override -- nothing to hide\nexport const x = 1;\n`,
    });
    const result = await cli("check", "--format", "json");
    expect(result.status).toBe(1);
    expect(jsonFindings(result.stdout)).toEqual([
      "src/clean.ts:5:1 unused-suppression",
      "src/kennel.ts:6:3 invalid-suppression",
      "src/kennel.ts:7:12 liskov-override",
    ]);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ suppressed: 1, errors: 2, warnings: 1 });
  });

  it("--changed reports only on files changed since the ref, in a git repository", async () => {
    create({ "src/shelter.ts": NARROW_SHELTER, "src/kennel.ts": NARROW_SHELTER.replace(/Shelter/g, "Kennel") });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: project.dir, stdio: "pipe" });
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    expect(await cli("check", "--changed")).toMatchObject({ status: 0, stdout: "" });
    project.write({ "src/kennel.ts": `\n${NARROW_SHELTER.replace(/Shelter/g, "Kennel")}` });
    const result = await cli("check", "--changed", "--format", "json");
    expect(result.status).toBe(1);
    expect(jsonFindings(result.stdout)).toEqual(["src/kennel.ts:7:12 liskov-override"]);
    expect(JSON.parse(result.stdout).summary.filesAnalyzed).toBe(1);
    expectInputError(await cli("check", "--changed=nope"), /"nope" is not a commit/);
  });

  it("--rule runs only the given rules; --max-warnings turns too many warnings into exit 1; paths restrict the report", async () => {
    create({
      "covenant.config.json": JSON.stringify({ rules: { "liskov-override": "warn" } }),
      "src/shelter.ts": NARROW_SHELTER,
      "src/other/kennel.ts": NARROW_SHELTER.replace(/Shelter/g, "Kennel").replace("./animals.js", "../animals.js"),
    });
    expect(await cli("check", "--rule", "unawaited-factory", "--rule", "dual-interface")).toMatchObject({ status: 0, stdout: "" });
    const warned = await cli("check", "--format", "json");
    expect(warned.status).toBe(0);
    expect(JSON.parse(warned.stdout).summary).toMatchObject({ errors: 0, warnings: 2 });
    expect((await cli("check", "--max-warnings", "2")).status).toBe(0);
    const tooMany = await cli("check", "--max-warnings", "1");
    expect(tooMany.status).toBe(1);
    expect(tooMany.stderr).toBe("covenant: 2 warnings exceed --max-warnings 1.\n");
    // -1 is "no limit" (ESLint's meaning)
    expect(await cli("check", "--max-warnings", "-1")).toMatchObject({ status: 0, stderr: "" });
    expect(await cli("check", "src/other", "--max-warnings", "0")).toMatchObject({ status: 1, stderr: "covenant: 1 warning exceeds --max-warnings 0.\n" });
    expect(jsonFindings((await cli("check", "src/other", "--format", "json")).stdout)).toEqual(["src/other/kennel.ts:6:12 liskov-override"]);
  });

  it("skips a path outside the TypeScript project with a warning; the exit code comes from the findings (lint-staged passes every staged file)", async () => {
    create({ "src/shelter.ts": CLEAN_SHELTER, "scripts/build.ts": "export const built = true;\n", "docs/readme.md": "# docs\n" });
    const warning = (p: string) =>
      `${p}  warning  Not part of the TypeScript project tsconfig.json; nothing to check there. To check it, add it to the tsconfig's "include", or pass the tsconfig that owns it with -p.\n`;
    expect(await cli("check", "scripts/build.ts", "src/shelter.ts")).toEqual({ status: 0, stdout: "", stderr: warning("scripts/build.ts") });
    expect(await cli("check", "docs")).toEqual({ status: 0, stdout: "", stderr: warning("docs") });
    project.write({ "src/shelter.ts": NARROW_SHELTER });
    const found = await cli("check", "--format", "json", "scripts/build.ts", "src/shelter.ts");
    expect(found.status).toBe(1);
    expect(found.stderr).toBe(warning("scripts/build.ts"));
    expect(jsonFindings(found.stdout)).toEqual(["src/shelter.ts:6:12 liskov-override"]);
  });

  describe("input errors: one clear line, exit 2, no stack trace", () => {
    it("no tsconfig", async () => {
      project = new TempProject({ "src/a.ts": "" });
      expectInputError(await cli("check"), /^\S+ {2}error {2}No tsconfig\.json here or in any folder above\. .*-p\/--project\.\n$/);
    });
    it("a tsconfig that is not valid JSON", async () => {
      create({ "src/shelter.ts": CLEAN_SHELTER, "tsconfig.json": '{\n  "compilerOptions": {\n    "strict": true,,\n  }\n}\n' });
      expectInputError(await cli("check"), /^tsconfig\.json:3:20 {2}error {2}.*not valid JSON.*\n$/);
    });
    it("a tsconfig given with -p that does not exist", async () => {
      create({ "src/shelter.ts": CLEAN_SHELTER });
      expectInputError(await cli("check", "-p", "nope/tsconfig.json"), /^nope\/tsconfig\.json {2}error {2}No such tsconfig\..*\n$/);
    });
    it("an invalid config key, with its line and column", async () => {
      create({ "src/shelter.ts": CLEAN_SHELTER, "covenant.config.json": '{\n  "rules": {\n    "liskov-overide": "error"\n  }\n}\n' });
      expectInputError(
        await cli("check"),
        /^covenant\.config\.json:3:5 {2}error {2}"liskov-overide" is not a covenant rule id\. Did you mean "liskov-override"\?.*\n$/,
      );
    });
    it("a path that does not exist", async () => {
      create({ "src/shelter.ts": CLEAN_SHELTER });
      expectInputError(await cli("check", "src/nope.ts"), /^src\/nope\.ts {2}error {2}No such file or folder\..*\n$/);
    });
    it("an --output or --baseline path that cannot be written or read, before any analysis", async () => {
      create({ "src/shelter.ts": NARROW_SHELTER, "reports/.keep": "" });
      const blocked = `${project.dir}/src/shelter.ts/report.json`;
      expectInputError(
        await cli("check", "-o", blocked),
        /^src\/shelter\.ts\/report\.json {2}error {2}Cannot write the report: \S*src\/shelter\.ts is a file, not a folder\. Pass --output a file path in a folder you can write to\.\n$/,
      );
      expectInputError(
        await cli("check", "-o", "reports"),
        /^reports {2}error {2}Cannot write the report: it is a folder\. Pass --output the path of a file, not a folder\.\n$/,
      );
      expectInputError(
        await cli("check", "--baseline", "src"),
        /^src {2}error {2}Cannot read the baseline: it is a folder\. Pass --baseline the path of a file, not a folder\.\n$/,
      );
      expectInputError(
        await cli("check", "--update-baseline", "--baseline", "src/shelter.ts/b.json"),
        /^src\/shelter\.ts\/b\.json {2}error {2}Cannot write the baseline: \S*src\/shelter\.ts is a file, not a folder\. .*\n$/,
      );
      expect(project.read("src/shelter.ts")).toBe(NARROW_SHELTER);
    });
    it("an unknown rule, format or option value", async () => {
      create({ "src/shelter.ts": CLEAN_SHELTER });
      expectInputError(await cli("check", "--rule", "nope"), /^--rule {2}error {2}"nope" is not a covenant rule id\. Use one of: /);
      expectInputError(
        await cli("check", "--rule", "dual-interfaces"),
        /^--rule {2}error {2}"dual-interfaces" is not a covenant rule id\. Did you mean "dual-interface"\? Use one of: /,
      );
      // One line, not the whole --help: what is wrong, and where to look.
      expectInputError(
        await cli("check", "--format", "xml"),
        /^covenant check {2}error {2}Option '--format <format>' argument 'xml' is invalid\. Allowed choices are stylish, json, sarif, markdown\. See covenant check --help\.\n$/,
      );
      expectInputError(
        await cli("check", "--max-warnings", "many"),
        /^covenant check {2}error {2}Option '--max-warnings <n>' argument 'many' is invalid\. Expected a whole number >= 0, or -1 for no limit\. See covenant check --help\.\n$/,
      );
      expectInputError(await cli("check", "--bogus"), /^covenant check {2}error {2}Unknown option '--bogus'\. See covenant check --help\.\n$/);
      expectInputError(await cli("bogus"), /^covenant {2}error {2}Unknown command 'bogus'\. See covenant --help\.\n$/);
    });
  });
});
