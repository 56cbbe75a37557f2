import path from "node:path";
import { shouldColor } from "../../cli/color.js";
import { createProgram } from "../../cli/main.js";
import { CASES_DIR } from "../diff/case-harness.js";
import { TempProject, TSCONFIG } from "../engine/temp-project.js";
import { runCli } from "./run-cli.js";

const ESC = "\u001b[";
const tty = { isTTY: true };
const pipe = { isTTY: false };

describe("shouldColor", () => {
  it.each([
    ["a terminal", tty, undefined, {}, true],
    ["a pipe", pipe, undefined, {}, false],
    ["a dumb terminal", tty, undefined, { TERM: "dumb" }, false],
    ["NO_COLOR on a terminal", tty, undefined, { NO_COLOR: "1" }, false],
    ["an empty NO_COLOR (unset, per no-color.org)", tty, undefined, { NO_COLOR: "" }, true],
    ["FORCE_COLOR=1 on a pipe", pipe, undefined, { FORCE_COLOR: "1" }, true],
    ["FORCE_COLOR=3 on a pipe", pipe, undefined, { FORCE_COLOR: "3" }, true],
    ["FORCE_COLOR=0 on a terminal", tty, undefined, { FORCE_COLOR: "0" }, false],
    ["FORCE_COLOR=false on a terminal", tty, undefined, { FORCE_COLOR: "false" }, false],
    ["NO_COLOR over FORCE_COLOR", pipe, undefined, { NO_COLOR: "1", FORCE_COLOR: "1" }, false],
    ["--color on a pipe", pipe, true, {}, true],
    ["--color over NO_COLOR", pipe, true, { NO_COLOR: "1" }, true],
    ["--no-color on a terminal", tty, false, {}, false],
    ["--no-color over FORCE_COLOR", tty, false, { FORCE_COLOR: "1" }, false],
  ] as const)("%s", (_name, stream, flag, env, expected) => {
    expect(shouldColor(stream, flag, env)).toBe(expected);
  });
});

describe("colours of the CLI when piped", () => {
  let project: TempProject;
  beforeAll(() => {
    project = new TempProject({
      "tsconfig.json": TSCONFIG,
      "src/a.ts": "class P { m(x: string | number): void {} }\nexport class C extends P { override m(x: string): void {} }\n",
    });
  });
  afterAll(() => project.remove());
  const noColorEnv = { NO_COLOR: undefined, FORCE_COLOR: undefined };

  it.each<[string, string[], NodeJS.ProcessEnv, boolean]>([
    ["nothing set", [], noColorEnv, false],
    ["FORCE_COLOR=1", [], { ...noColorEnv, FORCE_COLOR: "1" }, true],
    ["--color", ["--color"], noColorEnv, true],
    ["--color before the command", ["--color", "@before"], noColorEnv, true],
    ["--no-color with FORCE_COLOR=1", ["--no-color"], { ...noColorEnv, FORCE_COLOR: "1" }, false],
    ["NO_COLOR=1 with FORCE_COLOR=1", [], { NO_COLOR: "1", FORCE_COLOR: "1" }, false],
    ["--color with --format json (a document is never coloured)", ["--color", "--format", "json"], noColorEnv, false],
  ])("covenant check, %s", async (_name, flags, env, coloured) => {
    const args = flags.includes("@before") ? [...flags.filter((f) => f !== "@before"), "check"] : ["check", ...flags];
    const result = await runCli(args, project.dir, env);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain("liskov-override");
    expect(result.stdout.includes(ESC)).toBe(coloured);
  });

  it.each<[string, string[], NodeJS.ProcessEnv, boolean]>([
    ["nothing set", [], noColorEnv, false],
    ["FORCE_COLOR=1", [], { ...noColorEnv, FORCE_COLOR: "1" }, true],
    ["--no-color with FORCE_COLOR=1", ["--no-color"], { ...noColorEnv, FORCE_COLOR: "1" }, false],
  ])("covenant diff, %s", async (_name, flags, env, coloured) => {
    const dir = path.join(CASES_DIR, "s2c-field-type-changed");
    // A breaking change without a major bump: the report on stdout, the verdict on stderr.
    const result = await runCli(["diff", "old.contract.yaml", "new.contract.yaml", ...flags], dir, env);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("breaking");
    expect(result.stderr).toContain("breaking changes");
    expect(result.stdout.includes(ESC)).toBe(coloured);
    expect(result.stderr.includes(ESC)).toBe(coloured);
  });
});

describe("--help", () => {
  it("describes every command with a capitalised sentence", () => {
    const program = createProgram(() => {});
    const commands = program.createHelp().visibleCommands(program);
    expect(commands.map((c) => c.name())).toEqual(["check", "generate", "diff", "export", "import", "infer", "init", "sarif", "help"]);
    for (const command of commands) expect(command.description(), command.name()).toMatch(/^[A-Z].*\.$/s);
  });

  it("lists --color and --no-color under each command's global options", async () => {
    const help = (await runCli(["check", "--help"], process.cwd())).stdout;
    expect(help).toMatch(/Global Options:[\s\S]*--color[\s\S]*--no-color/);
  });
});
