import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TempProject, TSCONFIG } from "../engine/temp-project.js";
import { createLoadLog } from "../utils/loaded-modules.js";
import { BIN, type CliResult } from "./run-cli.js";

// `covenant check --daemon` end to end: the built binary starts a real daemon (a detached process on a
// Unix socket in a private folder of the test's own), and every run through it must print exactly
// what a run in the CLI's own process prints.

const ANIMALS = 'export class Animal { name = "a"; }\nexport class Dog extends Animal { bark(): void {} }\n';
const ANIMALS_ALIKE = 'export class Animal { name = "a"; }\nexport class Dog extends Animal {}\n';
const CLEAN = 'import { Animal, Dog } from "./animals.js";\nexport class Shelter {\n  admit(animal: Animal): void {}\n}\n';
const NARROW = `${CLEAN}export class DogShelter extends Shelter {\n  override admit(dog: Dog): void {}\n}\n`;

let project: TempProject;
let daemonDir: string;
beforeEach(() => {
  daemonDir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-daemon-test-"));
  fs.chmodSync(daemonDir, 0o700);
});
afterEach(() => {
  project?.remove();
  // The daemon notices that its socket is gone and exits (within 2 s).
  fs.rmSync(daemonDir, { recursive: true, force: true });
});

function run(args: string[], dir = daemonDir, extraEnv: NodeJS.ProcessEnv = {}): CliResult {
  const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, COVENANT_DAEMON_DIR: dir, COVENANT_DAEMON_IDLE_MS: "120000", ...extraEnv };
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: project.dir, encoding: "utf8", env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** json output without its one varying field. */
const stable = (result: CliResult): CliResult =>
  result.stdout.startsWith("{") ? { ...result, stdout: result.stdout.replace(/"durationMs": \d+/, '"durationMs": 0') } : result;

/** The same run in the CLI's own process and through the daemon: identical status, stdout and stderr. */
function expectSameThroughDaemon(args: string[]): CliResult {
  const own = stable(run(args));
  const viaDaemon = stable(run([...args, "--daemon"]));
  expect(viaDaemon).toEqual(own);
  return viaDaemon;
}

const socketsIn = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith(".sock"));

describe.runIf(process.platform !== "win32")("covenant check --daemon", () => {
  it("starts one daemon on first use and prints what a run in its own process prints, across edits", () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, "src/animals.ts": ANIMALS, "src/shelter.ts": CLEAN });
    expect(expectSameThroughDaemon(["check"])).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(socketsIn(daemonDir)).toHaveLength(1);
    expect(fs.statSync(path.join(daemonDir, socketsIn(daemonDir)[0]!)).isSocket()).toBe(true);

    // The client of a warm daemon talks to a socket: no compiler, no config loading (the daemon does both).
    const log = createLoadLog();
    try {
      expect(run(["check", "--daemon"], daemonDir, log.env)).toEqual({ status: 0, stdout: "", stderr: "" });
      const loaded = log.read();
      expect(loaded.own).toContain("analyzer/daemon/client.js");
      expect(loaded.packages.filter((name) => ["typescript", "typescript-7", "zod"].includes(name))).toEqual([]);
      expect(loaded.own.filter((name) => name.startsWith("analyzer/engine/") || name.startsWith("analyzer/checks/"))).toEqual([]);
    } finally {
      log.remove();
    }

    project.write({ "src/shelter.ts": NARROW });
    const dirty = expectSameThroughDaemon(["check"]);
    expect(dirty.status).toBe(1);
    expect(dirty.stdout).toMatch(/6:12 {2}error .*DogShelter\.admit.* {2}liskov-override/);
    // json names the engine, and auto differs between the two (next test): ask for one.
    expect(expectSameThroughDaemon(["check", "--engine", "ts6", "--format", "json"]).status).toBe(1);
    expect(expectSameThroughDaemon(["check", "--format", "sarif", "--rule", "liskov-override"]).status).toBe(1);

    // shelter.ts did not change; the file it depends on did: the finding must go.
    project.write({ "src/animals.ts": ANIMALS_ALIKE });
    expect(expectSameThroughDaemon(["check"])).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(socketsIn(daemonDir)).toHaveLength(1);
  });

  it("auto: ts7 in the CLI's own process (a cold run), ts6 in the daemon (faster warm); the same findings", () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, "src/animals.ts": ANIMALS, "src/shelter.ts": NARROW });
    const own = stable(run(["check", "--format", "json"]));
    const viaDaemon = stable(run(["check", "--format", "json", "--daemon"]));
    expect(JSON.parse(own.stdout)).toMatchObject({ summary: { engine: "ts7" } });
    expect(JSON.parse(viaDaemon.stdout)).toMatchObject({ summary: { engine: "ts6" } });
    const anyEngine = (result: CliResult) => ({ ...result, stdout: result.stdout.replace(/"engine": "ts\d"/, '"engine": "?"') });
    expect(anyEngine(viaDaemon)).toEqual(anyEngine(own));
    expect(own.status).toBe(1);
  });

  it("on the ts7 engine: one TypeScript 7 process kept between runs, told what changed on disk", () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, "src/animals.ts": ANIMALS, "src/shelter.ts": CLEAN });
    const ts7 = ["check", "--engine", "ts7", "--format", "json"];
    expect(JSON.parse(expectSameThroughDaemon(ts7).stdout)).toMatchObject({ findings: [], summary: { engine: "ts7" } });

    project.write({ "src/shelter.ts": NARROW });
    const dirty = expectSameThroughDaemon(ts7);
    expect(dirty.status).toBe(1);
    expect(dirty.stdout).toMatch(/"line": 6,\n\s+"column": 12/);

    // A file edited in place (its folder unchanged), on which the reported file depends: the finding goes.
    project.write({ "src/animals.ts": ANIMALS_ALIKE });
    expect(expectSameThroughDaemon(ts7).status).toBe(0);
    // A file added (its folder changed).
    project.write({
      "src/more.ts": "class Base {\n  handle(x: string | number): void {}\n}\nexport class Narrow extends Base {\n  override handle(x: string): void {}\n}\n",
    });
    expect(expectSameThroughDaemon(ts7).status).toBe(1);
    expect(socketsIn(daemonDir)).toHaveLength(1);
  });

  it("reports user errors as a run in its own process does: located, exit 2, no stack trace", () => {
    project = new TempProject({
      "tsconfig.json": TSCONFIG,
      "src/animals.ts": ANIMALS,
      "covenant.config.json": '{\n  "rules": { "no-such-rule": "error" }\n}\n',
    });
    const result = expectSameThroughDaemon(["check"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^covenant\.config\.json:2:14 {2}error {2}"no-such-rule" is not a covenant rule id/);
    expect(expectSameThroughDaemon(["check", "does-not-exist"]).status).toBe(2);
  });

  it("checks in its own process, saying why, when the daemon's folder is not private", () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, "src/animals.ts": ANIMALS, "src/shelter.ts": NARROW });
    fs.chmodSync(daemonDir, 0o777);
    const own = run(["check"]);
    const result = run(["check", "--daemon"]);
    expect(result.status).toBe(own.status);
    expect(result.stdout).toBe(own.stdout);
    expect(result.stderr).toMatch(/is not a private folder of this user \(mode 777\); set COVENANT_DAEMON_DIR to one; checking in this process instead/);
    expect(socketsIn(daemonDir)).toEqual([]);
  });
});
