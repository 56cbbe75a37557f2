import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { TempProject, TSCONFIG } from "../engine/temp-project.js";
import { CovenantError } from "../../common/errors.js";
import { loadTs7Engine, runCheck } from "../../analyzer/engine/run-check.js";
import { expectInputError, runCli, runCliProcess } from "./run-cli.js";

// `covenant check --engine auto|ts6|ts7` end to end: the CLI's main in this process (a bad config key
// through the built binary), real projects, TypeScript 7's real native compiler.

const FILES = {
  "src/animals.ts": 'export class Animal { name = "a"; }\nexport class Dog extends Animal { bark(): void {} }\n',
  // The override narrows its parameter: liskov-override at `admit` (line 6, column 12).
  "src/shelter.ts": [
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
  ].join("\n"),
};

// TypeScript 6 accepts `moduleResolution: node10` with ignoreDeprecations; TypeScript 7 removed it.
const REMOVED_OPTION_TSCONFIG =
  '{\n  "compilerOptions": {\n    "strict": true,\n    "moduleResolution": "node10",\n    "module": "commonjs",\n    "ignoreDeprecations": "6.0",\n    "types": []\n  },\n  "include": ["src"]\n}\n';

let project: TempProject;
afterEach(() => project?.remove());

interface Json {
  findings: { ruleId: string; file: string; line: number; column: number; message: string }[];
  summary: { engine: string };
}
const parse = (stdout: string) => JSON.parse(stdout) as Json;
const located = (json: Json) => json.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`);

/** The processes still running whose command line names `dir` (TypeScript 7's API process gets `--cwd <dir>`). */
function processesIn(dir: string): string[] {
  const listing = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return listing.split("\n").filter((line) => line.includes(dir) && !line.includes(" ps "));
}

describe("--engine", () => {
  it.each([
    ["ts6", ["--engine", "ts6"], "ts6"],
    ["auto: ts7 where its compiler is installed and accepts the tsconfig", ["--engine", "auto"], "ts7"],
    ["nothing asked: auto", [], "ts7"],
    ["ts7", ["--engine", "ts7"], "ts7"],
  ] as const)("%s", async (_name, args, engine) => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, ...FILES });
    const result = await runCli(["check", "--format", "json", ...args], project.dir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    const json = parse(result.stdout);
    expect(json.summary.engine).toBe(engine);
    expect(located(json)).toEqual(["src/shelter.ts:6:12 liskov-override"]);
    expect(processesIn(project.dir)).toEqual([]);
  });

  it("ts7 and ts6 print the same report apart from the engine and the duration", async () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, ...FILES });
    const strip = (text: string) => text.replace(/"durationMs": \d+/, '"durationMs": 0').replace(/"engine": "ts\d"/, '"engine": "?"');
    const ts6 = await runCli(["check", "--format", "json", "--engine", "ts6"], project.dir);
    const ts7 = await runCli(["check", "--format", "json", "--engine", "ts7"], project.dir);
    expect(strip(ts7.stdout)).toBe(strip(ts6.stdout));
  });

  it("rejects an engine it does not know", async () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, ...FILES });
    expectInputError(await runCli(["check", "--engine", "ts8"], project.dir), /ts8/);
  });
});

describe("--engine ts7 when TypeScript 7 cannot run: one located line, exit 2, no process left", () => {
  const dying = (dir: string) => {
    const script = path.join(dir, "dying-tsc.sh");
    fs.writeFileSync(script, "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    return script;
  };
  it.each([
    [
      "no native compiler for the platform",
      TSCONFIG,
      () => "/nonexistent/covenant-test/tsc",
      /tsc is missing or not executable\. Fix it, or run with --engine ts6/,
    ],
    ["its process dies", TSCONFIG, dying, /TypeScript 7's compiler process failed while opening .*tsconfig\.json/],
    [
      "it rejects the tsconfig",
      REMOVED_OPTION_TSCONFIG,
      () => undefined,
      /tsconfig\.json:4:25 {2}error {2}TypeScript 7 rejects the tsconfig: Option 'moduleResolution=node10' has been removed\. Please remove it from your configuration \(TS5108\)\. Fix it, or run with --engine ts6 \(or auto\)\./,
    ],
  ] as const)("%s", async (_name, tsconfig, exe, pattern) => {
    project = new TempProject({ "tsconfig.json": tsconfig, ...FILES });
    const override = exe(project.dir);
    const result = await runCli(["check", "--engine", "ts7"], project.dir, { NO_COLOR: "1", COVENANT_TS7_EXE: override });
    expectInputError(result, pattern);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(processesIn(project.dir)).toEqual([]);
  });

  it("its process dies mid-run (killed while the second file is checked): the run stops with one located error", async () => {
    await loadTs7Engine();
    project = new TempProject({ "tsconfig.json": TSCONFIG, ...FILES, "src/zoo.ts": 'import { Dog } from "./animals.js";\nexport const rex = new Dog();\n' });
    let killed = false;
    const run = () =>
      runCheck({
        cwd: project.dir,
        config: false,
        engine: "ts7",
        onProgress: ({ done }) => {
          if (done !== 1 || killed) return;
          const [compiler] = processesIn(project.dir);
          if (compiler) process.kill(Number(compiler.trim().split(/\s+/)[0]), "SIGKILL");
          killed = compiler !== undefined;
        },
      });
    let error: unknown;
    try {
      run();
    } catch (caught) {
      error = caught;
    }
    expect(killed).toBe(true);
    expect(error).toBeInstanceOf(CovenantError);
    const [problem] = (error as CovenantError).problems;
    expect(problem).toMatchObject({ code: "engine-ts7-died", file: expect.stringMatching(/src\/shelter\.ts$/) });
    expect(problem!.message).toMatch(/^TypeScript 7's compiler process stopped while this file was checked \(.+\)\. Run again, or with --engine ts6\.$/);
    expect(processesIn(project.dir)).toEqual([]);
  });
});

/** A tsconfig TypeScript 6 accepts (with ignoreDeprecations) and TypeScript 7 rejects for `option`. */
const rejectedBy7 = (option: string) =>
  `{\n  "compilerOptions": {\n    "strict": true,\n    ${option},\n    "ignoreDeprecations": "6.0",\n    "types": []\n  },\n  "include": ["src"]\n}\n`;

describe("auto when TypeScript 7 cannot run: TypeScript 6's findings, exactly one note naming why, engine ts6", () => {
  const dying = (dir: string) => {
    const script = path.join(dir, "dying-tsc.sh");
    fs.writeFileSync(script, "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    return script;
  };
  const FIX = String.raw` Fix that to check with TypeScript 7 \(faster\), or say --engine ts6 \(config "engine": "ts6"\) to drop this note\.$`;
  it.each([
    [
      "esModuleInterop: false (removed in 7)",
      rejectedBy7('"esModuleInterop": false'),
      () => undefined,
      String.raw`^tsconfig\.json:4:24 {2}warning {2}Checked with TypeScript 6: TypeScript 7 rejects the tsconfig: Option 'esModuleInterop=false' has been removed\. Please remove it from your configuration \(TS5108\)\.`,
    ],
    [
      "moduleResolution: node10 (removed in 7)",
      rejectedBy7('"moduleResolution": "node10",\n    "module": "commonjs"'),
      () => undefined,
      String.raw`^tsconfig\.json:4:25 {2}warning {2}Checked with TypeScript 6: TypeScript 7 rejects the tsconfig: Option 'moduleResolution=node10' has been removed\. Please remove it from your configuration \(TS5108\)\.`,
    ],
    [
      "baseUrl (removed in 7; the held-out corpus's ably)",
      rejectedBy7('"baseUrl": "src"'),
      () => undefined,
      String.raw`^tsconfig\.json:4:5 {2}warning {2}Checked with TypeScript 6: TypeScript 7 rejects the tsconfig: Option 'baseUrl' has been removed\. Please remove it from your configuration \(TS5102\)\.`,
    ],
    [
      "no native compiler for the platform",
      TSCONFIG,
      () => "/nonexistent/covenant-test/tsc",
      String.raw`^tsconfig\.json {2}warning {2}Checked with TypeScript 6: TypeScript 7's native compiler /nonexistent/covenant-test/tsc is missing or not executable\.`,
    ],
    [
      "its process dies on start",
      TSCONFIG,
      dying,
      String.raw`^tsconfig\.json {2}warning {2}Checked with TypeScript 6: TypeScript 7's compiler process failed while opening .*tsconfig\.json \(.+\)\.`,
    ],
  ] as const)("%s", async (_name, tsconfig, exe, note) => {
    project = new TempProject({ "tsconfig.json": tsconfig, ...FILES });
    const result = await runCli(["check", "--format", "json"], project.dir, { NO_COLOR: "1", COVENANT_TS7_EXE: exe(project.dir) });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(new RegExp(note + FIX))]);
    const json = parse(result.stdout);
    expect(json.summary.engine).toBe("ts6");
    expect(located(json)).toEqual(["src/shelter.ts:6:12 liskov-override"]);
    expect(processesIn(project.dir)).toEqual([]);
  });

  it.runIf(process.platform !== "win32")("a FIFO among the project's files (it would block TypeScript 7's compiler): ts6 leaves it out, one note", async () => {
    // Listed in `files` (a folder's listing, `include`, skips what is not a regular file).
    const listed = { compilerOptions: { strict: true, types: [] }, files: ["src/animals.ts", "src/shelter.ts", "src/pipe.ts"] };
    project = new TempProject({ "tsconfig.json": JSON.stringify(listed), ...FILES });
    execFileSync("mkfifo", [path.join(project.dir, "src/pipe.ts")]);
    const result = await runCli(["check", "--format", "json"], project.dir, { NO_COLOR: "1" });
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        /^src\/pipe\.ts {2}warning {2}Checked with TypeScript 6: src\/pipe\.ts is not a regular file: TypeScript 7's compiler would block on it\. /,
      ),
    ]);
    expect(parse(result.stdout).summary.engine).toBe("ts6");
    expect(located(parse(result.stdout))).toEqual(["src/shelter.ts:6:12 liskov-override"]);
    const ts7 = await runCli(["check", "--engine", "ts7"], project.dir, { NO_COLOR: "1" });
    expectInputError(
      ts7,
      /^src\/pipe\.ts {2}error {2}src\/pipe\.ts is not a regular file: TypeScript 7's compiler would block on it\. Fix it, or run with --engine ts6/,
    );
    expect(processesIn(project.dir)).toEqual([]);
  });

  it.runIf(process.platform !== "win32")("-p /dev/zero on ts7: the located error of ts6's loader, no hang", async () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, ...FILES });
    expectInputError(
      await runCli(["check", "--engine", "ts7", "-p", "/dev/zero"], project.dir, { NO_COLOR: "1" }),
      /Cannot read this tsconfig: it is a character device/,
    );
  });

  it("the same tsconfig with the option TypeScript 7 removed taken out: ts7, no note, the same findings", async () => {
    project = new TempProject({ "tsconfig.json": rejectedBy7('"esModuleInterop": true'), ...FILES });
    const result = await runCli(["check", "--format", "json"], project.dir);
    expect(result.stderr).toBe("");
    expect(parse(result.stdout).summary.engine).toBe("ts7");
    expect(located(parse(result.stdout))).toEqual(["src/shelter.ts:6:12 liskov-override"]);
  });
});

describe("--engine ts7 on hostile input", () => {
  it(
    "files nested too deep for this process's walks (10k parens, 5k calls, 3k ifs, a 50k-term sum) each get one finding; the rest is checked",
    { timeout: 60_000 },
    async () => {
      project = new TempProject({
        "tsconfig.json": TSCONFIG,
        ...FILES,
        "src/parens.ts": `export const p = ${"(".repeat(10_000)}1${")".repeat(10_000)};\n`,
        "src/calls.ts": `declare function g(x: unknown): unknown;\nexport const c = ${"g(".repeat(5_000)}1${")".repeat(5_000)};\n`,
        "src/ifs.ts": `export function f(a: number): number {\n${Array.from({ length: 3_000 }, (_, i) => `if (a > ${i}) {\n`).join("")}return a;\n${"}\n".repeat(3_000)}return 0;\n}\n`,
        "src/sum.ts": `export const s = ${Array(50_000).fill("1").join(" + ")};\n`,
      });
      const result = await runCli(["check", "--engine", "ts7", "--format", "json"], project.dir);
      expect(result.status, result.stderr).toBe(1);
      const json = parse(result.stdout);
      const deep = "This file was not checked: its syntax tree is more than 1000 levels deep, more than TypeScript can analyze safely.";
      expect(json.findings.map((f) => `${f.file} ${f.ruleId === "internal-error" ? f.message.replace(/ The rest.*/, "") : f.ruleId}`)).toEqual([
        `src/calls.ts ${deep}`,
        `src/ifs.ts ${deep}`,
        `src/parens.ts ${deep}`,
        "src/shelter.ts liskov-override",
        `src/sum.ts ${deep}`,
      ]);
    },
  );
});

describe("config key engine", () => {
  it.each([
    ["ts7", [], "ts7"],
    ["ts6", [], "ts6"],
    ["auto", [], "ts7"],
    ["ts7, and --engine overrides it", ["--engine", "ts6"], "ts6"],
  ] as const)("%s", async (name, args, engine) => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, ...FILES, "covenant.config.json": JSON.stringify({ engine: name.split(",")[0] }) });
    const result = await runCli(["check", "--format", "json", ...args], project.dir);
    expect(result.stderr).toBe("");
    expect(parse(result.stdout).summary.engine).toBe(engine);
    expect(located(parse(result.stdout))).toEqual(["src/shelter.ts:6:12 liskov-override"]);
  });

  it("a value it does not know is a located config error", () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, ...FILES, "covenant.config.json": '{\n  "engine": "native"\n}\n' });
    expectInputError(runCliProcess(["check"], project.dir), /covenant\.config\.json:2:\d+ {2}error {2}.*engine/);
  });
});
