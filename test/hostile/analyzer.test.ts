import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createStarterConfig, EXAMPLE_CONTRACT } from "../../cli/init.js";
import type { CliResult } from "../cli/run-cli.js";
import { runCliCapped, shareCliRuns, type CappedRun, type CliRow } from "../utils/capped-rows.js";

// Hostile input against the analyzer, file writing and the daemon (issue 16; docs/security.md): each
// case builds its input in a temporary folder (large inputs are generated here, never committed),
// runs the built CLI as a user would, and states the outcome: exit code, located message, what was
// (not) written. Every case has a time cap, so a hang is a failing test, not a stuck CI job.
// Cases marked `shared` (an input whose run is not about the process itself) run the built CLI's
// `main` as one row each of a single capped child process (test/utils/capped-rows.ts) instead of a
// Node start each.

const IS_POSIX = process.platform !== "win32";
const IS_ROOT = typeof process.getuid === "function" && process.getuid() === 0;

/** No default library: a run takes a second instead of four, and the liskov-override finding still shows. */
const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, noLib: true, types: [], noEmit: true }, include: ["src"] });
/** The time cap of one CLI run (ms), a row of the shared child or a process of its own. */
const ROW_CAP = 20_000;
const LISKOV =
  'export class Animal { name = "a"; }\nexport class Dog extends Animal { bark(): void {} }\nexport class Shelter {\n  admit(animal: Animal): void {}\n}\nexport class DogShelter extends Shelter {\n  override admit(dog: Dog): void {}\n}\n';
const CLEAN = "export const one = 1;\n";

interface Run extends CliResult {
  /** Files below the sandbox (the project's parent) after the run, relative, sorted: proves nothing was written outside. */
  sandbox: string[];
}

/** A sandbox folder holding `project/` (the cwd of the run) and whatever a case puts beside it. */
class Sandbox {
  readonly root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "covenant-hostile-")));
  readonly project = path.join(this.root, "project");
  /** A private folder for the daemon's socket (COVENANT_DAEMON_DIR). */
  readonly daemonDir = path.join(this.root, "daemon");
  env: Record<string, string | undefined> = {};
  /** Set for a `shared` case: `run` is one row of the shared child process. */
  shared: ((row: CliRow) => Promise<CappedRun>) | undefined;
  private readonly children: ChildProcess[] = [];
  constructor(files: Record<string, string> = {}) {
    fs.mkdirSync(this.project);
    fs.mkdirSync(this.daemonDir, { mode: 0o700 });
    this.write(files);
  }
  write(files: Record<string, string>): this {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(this.project, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    return this;
  }
  path(name: string): string {
    return path.join(this.project, name);
  }
  /** Every path below the sandbox, but the daemon's folder (sockets come and go). */
  list(): string[] {
    const out: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const rel = path.relative(this.root, path.join(dir, entry.name)).split(path.sep).join("/");
        if (rel === "daemon") continue;
        out.push(rel);
        if (entry.isDirectory()) walk(path.join(dir, entry.name));
      }
    };
    walk(this.root);
    return out.sort();
  }
  /** Runs the built CLI in `project/` (asynchronously: a case may serve a socket meanwhile), killed at `capMs`. */
  async run(args: readonly string[], capMs = ROW_CAP): Promise<Run> {
    const env = { COVENANT_DAEMON_DIR: this.daemonDir, COVENANT_DAEMON_IDLE_MS: "60000", ...this.env };
    const row = { cwd: this.project, env, args, timeMs: capMs };
    const { status, stdout, stderr } = await (this.shared ? this.shared(row) : runCliCapped(args, row));
    return { status, stdout, stderr, sandbox: this.list() };
  }
  /** Keeps a child process to kill when the case ends. */
  own(child: ChildProcess): ChildProcess {
    this.children.push(child);
    return child;
  }
  remove(): void {
    for (const child of this.children) {
      if (child.exitCode === null && child.pid !== undefined) {
        try {
          process.kill(child.pid, "SIGCONT");
          process.kill(child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Exit 2, located `file:line:column  error  ...` (or `file  error` for a whole file), no stack trace. */
function expectLocatedError(result: CliResult, pattern: RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.stderr).not.toMatch(/internal error/i);
}

/** The socket a daemon of this build uses in `dir` (the built protocol module computes it). */
async function socketPathIn(dir: string): Promise<string> {
  const protocol = (await import(path.resolve(import.meta.dirname, "../../dist/analyzer/daemon/protocol.js"))) as { getSocketPath(): string };
  const before = process.env.COVENANT_DAEMON_DIR;
  process.env.COVENANT_DAEMON_DIR = dir;
  try {
    return protocol.getSocketPath();
  } finally {
    if (before === undefined) delete process.env.COVENANT_DAEMON_DIR;
    else process.env.COVENANT_DAEMON_DIR = before;
  }
}

/** A listener that stands for another user's fake daemon: it answers "no findings" and records what it was told. */
function listenAsImpostor(socketPath: string): Promise<{ received: () => string; close: () => void }> {
  let received = "";
  const server = net.createServer((socket) => {
    socket.on("data", (chunk) => {
      received += chunk.toString();
      socket.end(
        `${JSON.stringify({ ok: true, report: { version: 1, toolVersion: "0", findings: [], summary: { filesAnalyzed: 0, errors: 0, warnings: 0, suppressed: 0, baselined: 0, durationMs: 0 }, rules: [], warnings: [] } })}\n`,
      );
    });
  });
  return new Promise((resolve) => server.listen(socketPath, () => resolve({ received: () => received, close: () => server.close() })));
}

/** Starts the real daemon of this build on `socketPath`; resolves once it listens. */
async function startDaemon(box: Sandbox, socketPath: string): Promise<ChildProcess> {
  const entry = path.resolve(import.meta.dirname, "../../dist/bin/covenant-daemon.js");
  const child = box.own(spawn(process.execPath, [entry, socketPath], { stdio: "ignore", env: { ...process.env, COVENANT_DAEMON_IDLE_MS: "60000" } }));
  for (let i = 0; i < 200 && !fs.existsSync(socketPath); i++) await new Promise((r) => setTimeout(r, 50));
  expect(fs.existsSync(socketPath)).toBe(true);
  return child;
}

interface Case {
  name: string;
  /** Only where the case can be built (POSIX permissions, root to own files as another user). */
  when?: boolean;
  /** The time cap of the whole case (ms). */
  cap?: number;
  /**
   * The case's one CLI run is a row of one child process shared by all such cases (shareCliRuns):
   * for inputs whose run is not about the process itself (its own exit, caps, signals, other processes).
   */
  shared?: boolean;
  test: (box: Sandbox) => Promise<void>;
}

const VICTIM = "the victim's own text\n";

/** A project with the starter config (generate.outDir src/generated) and the example contract, as `covenant init` writes them. */
async function writeStarter(box: Sandbox, config: (starter: Record<string, unknown>) => Record<string, unknown> = (c) => c): Promise<void> {
  const starter = JSON.parse(await createStarterConfig()) as Record<string, unknown>;
  box.write({
    "tsconfig.json": TSCONFIG,
    "src/a.ts": CLEAN,
    "covenant.config.json": JSON.stringify(config(starter), null, 2),
    "contracts/example.contract.yaml": EXAMPLE_CONTRACT,
  });
}

/** A file outside the project, and a link to it at `link` (relative to the project). */
function plantLink(box: Sandbox, link: string): string {
  const victim = path.join(box.root, "victim.txt");
  fs.writeFileSync(victim, VICTIM);
  fs.mkdirSync(path.dirname(box.path(link)), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(box.path(link)), victim), box.path(link));
  return victim;
}

/** The files of the one run of the nesting cases (files nested too deep, deep but ordinary ones, the rest). */
const DEEP_FILES = [...["a", "parens", "calls", "ifs", "sum", "uses-sum"], ...["ok-ifs", "ok-parens", "ok-arrows", "ok-sum", "ok-union"]].map(
  (name) => `src/${name}.ts`,
);

const FALLBACK_NOTE = /checking in this process instead\.\n$/;

const cases: Case[] = [
  // 1. Daemon hijack: nothing is sent to a socket that is not provably this user's.
  {
    name: "daemon: a world-writable socket folder with a listener in it gets nothing; the check runs in process",
    when: IS_POSIX,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      fs.chmodSync(box.daemonDir, 0o777);
      const impostor = await listenAsImpostor(await socketPathIn(box.daemonDir));
      try {
        const result = await box.run(["check", "--daemon"]);
        expect(result.status).toBe(1);
        expect(result.stdout).toMatch(/liskov-override/);
        expect(result.stderr).toMatch(
          /daemon is not a private folder of this user \(mode 777\); set COVENANT_DAEMON_DIR to one; checking in this process instead/,
        );
        expect(impostor.received()).toBe("");
      } finally {
        impostor.close();
      }
    },
  },
  {
    name: "daemon: a socket folder owned by another user (mode 0700) gets nothing",
    when: IS_POSIX && IS_ROOT,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      const impostor = await listenAsImpostor(await socketPathIn(box.daemonDir));
      fs.chownSync(box.daemonDir, 4242, 4242);
      try {
        const result = await box.run(["check", "--daemon"]);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/not a private folder of this user \(owned by uid 4242\)/);
        expect(result.stderr).toMatch(FALLBACK_NOTE);
        expect(impostor.received()).toBe("");
      } finally {
        impostor.close();
      }
    },
  },
  {
    name: "daemon: a socket owned by another user in the private folder gets nothing",
    when: IS_POSIX && IS_ROOT,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      const socketPath = await socketPathIn(box.daemonDir);
      const impostor = await listenAsImpostor(socketPath);
      fs.lchownSync(socketPath, 4242, 4242);
      try {
        const result = await box.run(["check", "--daemon"]);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/\.sock is not a socket of this user \(owned by uid 4242\); checking in this process instead/);
        expect(impostor.received()).toBe("");
      } finally {
        impostor.close();
      }
    },
  },
  {
    name: "daemon: a socket folder that is a symbolic link to a private folder gets nothing",
    when: IS_POSIX,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      const real = path.join(box.root, "elsewhere");
      fs.mkdirSync(real, { mode: 0o700 });
      const link = path.join(box.root, "daemon-link");
      fs.symlinkSync(real, link);
      box.env.COVENANT_DAEMON_DIR = link;
      const impostor = await listenAsImpostor(await socketPathIn(real));
      try {
        const result = await box.run(["check", "--daemon"]);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/daemon-link is not a private folder of this user \(a symbolic link\)/);
        expect(impostor.received()).toBe("");
      } finally {
        impostor.close();
      }
    },
  },
  // 10. A stopped daemon: the client gives up on silence and checks in its own process.
  {
    name: "daemon: a stopped daemon (SIGSTOP) makes the client time out and check in process",
    when: IS_POSIX,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      const daemon = await startDaemon(box, await socketPathIn(box.daemonDir));
      process.kill(daemon.pid!, "SIGSTOP");
      box.env.COVENANT_DAEMON_TIMEOUT_MS = "1500";
      const result = await box.run(["check", "--daemon"]);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/liskov-override/);
      expect(result.stderr).toMatch(/^covenant: the daemon sent nothing for 1\.5 s; checking in this process instead\.\n$/);
    },
  },
  {
    name: "daemon: a request without a newline is cut off at 4 Mi characters; the daemon still serves",
    when: IS_POSIX,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      const socketPath = await socketPathIn(box.daemonDir);
      await startDaemon(box, socketPath);
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(socketPath);
        let data = "";
        socket.on("data", (chunk) => (data += chunk.toString()));
        socket.on("close", () => resolve(data));
        socket.on("error", () => {}); // EPIPE: the daemon closed while the rest was being written
        const block = "x".repeat(1024 * 1024);
        // 8 MiB without a newline; the daemon answers and closes when it passes 4 Mi.
        for (let i = 0; i < 8; i++) socket.write(block);
      });
      expect(JSON.parse(answer.trim())).toEqual({ ok: false, internal: "the request is longer than 4194304 characters without a newline" });
      const result = await box.run(["check", "--daemon"]);
      expect(result).toMatchObject({ status: 1, stderr: "" });
      expect(result.stdout).toMatch(/liskov-override/);
    },
  },

  // 3. Writes never go through a symbolic link: refused, located at the link, the target untouched.
  {
    name: "generate: a generated file planted as a link to a file outside is refused, nothing written",
    shared: true,
    test: async (box) => {
      await writeStarter(box);
      const victim = plantLink(box, "src/generated/example.md");
      const result = await box.run(["generate"]);
      expectLocatedError(
        result,
        /^src\/generated\/example\.md {2}error {2}cannot write this generated file: it exists and is a symbolic link; covenant writes only regular files \(and never through a link\)\..*Nothing was written\./m,
      );
      expect(fs.readFileSync(victim, "utf8")).toBe(VICTIM);
      expect(fs.readdirSync(box.path("src/generated"))).toEqual(["example.md"]);
    },
  },
  {
    name: "check --update-baseline: a baseline that is a link to a file outside is refused before the analysis",
    shared: true,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      const victim = plantLink(box, "covenant.baseline.json");
      const result = await box.run(["check", "--update-baseline"]);
      expectLocatedError(result, /^covenant\.baseline\.json {2}error {2}Cannot write the baseline: it is a symbolic link \(to \.\.\/victim\.txt\)/m);
      expect(fs.readFileSync(victim, "utf8")).toBe(VICTIM);
    },
  },
  {
    name: "init --force: a config planted as a link to a file outside is refused, nothing written",
    shared: true,
    test: async (box) => {
      const victim = plantLink(box, "covenant.config.json");
      const result = await box.run(["init", "--force"]);
      expectLocatedError(
        result,
        /^covenant\.config\.json {2}error {2}Cannot write here: it is a symbolic link \(to \.\.\/victim\.txt\), and covenant never writes through a link; nothing was written\./m,
      );
      expect(fs.readFileSync(victim, "utf8")).toBe(VICTIM);
      expect(result.sandbox).toEqual(["project", "project/covenant.config.json", "victim.txt"]);
    },
  },
  {
    name: "check -o: a report file planted as a link is refused before the analysis",
    shared: true,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      const victim = plantLink(box, "out/report.txt");
      const result = await box.run(["check", "-o", "out/report.txt"]);
      expectLocatedError(result, /^out\/report\.txt {2}error {2}Cannot write the report: it is a symbolic link/m);
      expect(fs.readFileSync(victim, "utf8")).toBe(VICTIM);
    },
  },
  // 4. The config's generate.outDir stays in the config's folder; --out-dir is the user's own choice.
  ...[
    { outDir: "../escaped", reason: '"\\.\\./escaped" is outside it' },
    { outDir: "<sandbox>/escaped", reason: '".*/escaped" is an absolute path outside it' },
    { outDir: "src/../../escaped", reason: '"src/\\.\\./\\.\\./escaped" is outside it' },
    { outDir: "linked/gen", reason: '"linked/gen" leads to .*/outside/gen through a symbolic link', link: true },
  ].map(({ outDir, reason, link }): Case => ({
    name: `generate: "generate.outDir": ${JSON.stringify(outDir)} in the config is refused, located at the value`,
    shared: true,
    test: async (box) => {
      await writeStarter(box, (c) => ({ ...c, generate: { outDir: outDir.replace("<sandbox>", box.root) } }));
      if (link) {
        fs.mkdirSync(path.join(box.root, "outside"));
        fs.symlinkSync("../outside", box.path("linked"));
      }
      const result = await box.run(["generate"]);
      expectLocatedError(
        result,
        new RegExp(
          `^covenant\\.config\\.json:\\d+:\\d+ {2}error {2}"generate\\.outDir" must stay inside the folder of this config \\(${reason}\\)\\. Use a path below it, or pass --out-dir`,
          "m",
        ),
      );
      expect(result.sandbox.filter((f) => !f.startsWith("project"))).toEqual(link ? ["outside"] : []);
    },
  })),
  {
    name: "generate --out-dir outside the project: the user's own choice, written there",
    shared: true,
    test: async (box) => {
      await writeStarter(box);
      const result = await box.run(["generate", "--out-dir", "../chosen"]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.sandbox.filter((f) => f.startsWith("chosen/"))).toEqual([
        "chosen/example.lifecycle.ts",
        "chosen/example.md",
        "chosen/example.schema.json",
        "chosen/example.types.ts",
        "chosen/example.validators.ts",
        "chosen/example.vectors.json",
      ]);
    },
  },
  // 18. `__proto__` keys would become the prototype and escape strict validation.
  {
    name: 'check: a config {"__proto__": {"rules": ...}} is refused, located at the key (the rule is not silently turned off)',
    shared: true,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV, "covenant.config.json": '{\n  "__proto__": { "rules": { "liskov-override": "off" } }\n}\n' });
      const result = await box.run(["check"]);
      expectLocatedError(result, /^covenant\.config\.json:2:3 {2}error {2}`__proto__` cannot be a key: JavaScript objects give this key a special meaning/m);
    },
  },
  {
    name: "check --baseline: a baseline entry holding a __proto__ key is refused, located",
    shared: true,
    test: async (box) => {
      const entry = '{ "ruleId": "liskov-override", "file": "src/a.ts", "fingerprint": "x", "message": "m", "count": 1, "__proto__": { "extra": 1 } }';
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV, "covenant.baseline.json": `{\n  "version": 1,\n  "findings": [\n    ${entry}\n  ]\n}\n` });
      const result = await box.run(["check", "--baseline", "covenant.baseline.json"]);
      expectLocatedError(
        result,
        new RegExp(`^covenant\\.baseline\\.json:4:${5 + entry.indexOf('"__proto__"')} {2}error {2}\`__proto__\` cannot be a key`, "m"),
      );
    },
  },
  // 17. -o onto a FIFO or device node writes into it; it stays what it was.
  {
    // A private null device in the sandbox, not the machine's /dev/null: a build without the fix
    // replaces the node it is given with a regular file (making one needs root).
    name: "check -o <a null device>: written in place, the node stays a character device",
    when: IS_POSIX && IS_ROOT,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      expect(spawnSync("mknod", ["-m", "666", box.path("null"), "c", "1", "3"]).status).toBe(0);
      const result = await box.run(["check", "-o", "null"]);
      expect(result).toMatchObject({ status: 1, stdout: "", stderr: "" });
      expect(fs.lstatSync(box.path("null")).isCharacterDevice()).toBe(true);
    },
  },
  {
    name: "check -o <link to a fifo> (as /dev/stdout or >(...) are): the report goes through to the FIFO's reader; link and FIFO stay",
    when: IS_POSIX,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      const fifo = box.path("report.fifo");
      expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
      const reader = box.own(spawn("cat", [fifo], { stdio: ["ignore", "pipe", "ignore"] }));
      let read = "";
      reader.stdout!.setEncoding("utf8").on("data", (chunk: string) => (read += chunk));
      const readerDone = new Promise((resolve) => reader.on("close", resolve));
      fs.symlinkSync("report.fifo", box.path("report.link"));
      const result = await box.run(["check", "-o", "report.link", "--format", "json"]);
      await readerDone;
      expect(fs.lstatSync(box.path("report.link")).isSymbolicLink()).toBe(true);
      expect(result.status, result.stderr).toBe(1);
      expect(JSON.parse(read)).toMatchObject({ summary: { errors: 1 } });
      expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    },
  },
  // 13. Configs, contracts and baselines are read only from regular files, within a size limit.
  ...[
    {
      args: ["-c", "/dev/zero"],
      error: /^(\.\.\/)*dev\/zero {2}error {2}Cannot read the config file: it is a character device, not a regular file\. Pass the path of a regular file\./m,
    },
    {
      args: ["-c", "config.fifo"],
      fifo: "config.fifo",
      error: /^config\.fifo {2}error {2}Cannot read the config file: it is a named pipe \(FIFO\), not a regular file\./m,
    },
    {
      args: ["-c", "big.json"],
      big: "big.json",
      error: /^big\.json {2}error {2}Cannot read the config file: it is larger than 16 MiB \(17 MiB\), covenant's limit for this file\. Pass a smaller file\./m,
    },
    { args: ["--baseline", "/dev/zero"], error: /^(\.\.\/)*dev\/zero {2}error {2}Cannot read the baseline: it is a character device, not a regular file\./m },
    { args: ["--baseline", "base.fifo"], fifo: "base.fifo", error: /^base\.fifo {2}error {2}Cannot read the baseline: it is a named pipe \(FIFO\)/m },
  ].map(({ args, fifo, big, error }): Case => ({
    name: `check ${args.join(" ")}: a located error, no crash, no hang`,
    when: IS_POSIX,
    shared: true,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": CLEAN });
      if (fifo) expect(spawnSync("mkfifo", [box.path(fifo)]).status).toBe(0);
      if (big) fs.writeFileSync(box.path(big), Buffer.alloc(17 * 1024 * 1024, " "));
      expectLocatedError(await box.run(["check", ...args]), error);
    },
  })),
  {
    name: "check -p /dev/zero: a located error, no crash",
    when: IS_POSIX,
    shared: true,
    test: async (box) => {
      expectLocatedError(
        await box.run(["check", "-p", "/dev/zero"]),
        /^(\.\.\/)*dev\/zero {2}error {2}Cannot read this tsconfig: it is a character device, not a regular file\./m,
      );
    },
  },
  {
    name: "generate: a contract that is a FIFO (matched by the config's glob) is a located error, no hang",
    when: IS_POSIX,
    shared: true,
    test: async (box) => {
      await writeStarter(box);
      expect(spawnSync("mkfifo", [box.path("contracts/other.contract.yaml")]).status).toBe(0);
      const result = await box.run(["generate", "contracts/other.contract.yaml"]);
      expectLocatedError(
        result,
        /^contracts\/other\.contract\.yaml {2}error {2}cannot read `contracts\/other\.contract\.yaml`: it is a named pipe \(FIFO\), not a regular file/m,
      );
    },
  },
  // 16. Concurrent --update-baseline runs on different files keep both files' entries.
  {
    name: "check --update-baseline: two runs at once on two files both keep their entries",
    cap: 45_000,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV, "src/b.ts": LISKOV });
      // Both runs read the baseline before their analysis: without the lock, the later write loses the other's entries.
      {
        const results = await Promise.all([box.run(["check", "--update-baseline", "src/a.ts"]), box.run(["check", "--update-baseline", "src/b.ts"])]);
        for (const result of results) expect(result.status, result.stderr).toBe(0);
        const baseline = JSON.parse(fs.readFileSync(box.path("covenant.baseline.json"), "utf8")) as { findings: { file: string }[] };
        expect(baseline.findings.map((f) => f.file)).toEqual(["src/a.ts", "src/b.ts"]);
        expect(fs.existsSync(box.path("covenant.baseline.json.lock"))).toBe(false);
      }
    },
  },
  {
    name: "check --update-baseline: a lock left by a process that is gone is taken over",
    when: IS_POSIX,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
      fs.writeFileSync(box.path("covenant.baseline.json.lock"), `${gone}\n`);
      const result = await box.run(["check", "--update-baseline"]);
      expect(result.status, result.stderr).toBe(0);
      expect(fs.readFileSync(box.path("covenant.baseline.json"), "utf8")).toMatch(/"file": "src\/a\.ts"/);
      expect(fs.existsSync(box.path("covenant.baseline.json.lock"))).toBe(false);
    },
  },
  // 20. A file too deep for TypeScript gets one finding; every other file is checked as usual.
  {
    // One run for three kinds of input that each concern their own files: too deep (one finding
    // each), deep but ordinary (no finding), a FIFO listed in the tsconfig's files (left out, no hang).
    name: "check: files nested too deep for TypeScript (10k parens, 5k calls, 3k ifs, a 50k-term sum) each get one finding; deep but ordinary nesting (490 ifs, 600 parens, 490 arrows, a 990-term sum, a 990-way union) is checked as usual; a FIFO listed in the tsconfig's files is left out, no hang; the rest is checked",
    cap: 45_000,
    test: async (box) => {
      box.write({
        "tsconfig.json": JSON.stringify({
          compilerOptions: { strict: true, noLib: true, types: [], noEmit: true },
          files: [...DEEP_FILES, ...(IS_POSIX ? ["src/pipe.ts"] : [])],
        }),
        "src/a.ts": LISKOV,
        "src/parens.ts": `export const p = ${"(".repeat(10_000)}1${")".repeat(10_000)};\n`,
        "src/calls.ts": `declare function g(x: unknown): unknown;\nexport const c = ${"g(".repeat(5_000)}1${")".repeat(5_000)};\n`,
        "src/ifs.ts": `export function f(a: number): number {\n${Array.from({ length: 3_000 }, (_, i) => `if (a > ${i}) {\n`).join("")}return a;\n${"}\n".repeat(3_000)}return 0;\n}\n`,
        "src/sum.ts": `export const s = ${Array(50_000).fill("1").join(" + ")};\n`,
        // An innocent file that uses the deep one, with what dual-interface looks at (a class, a @deprecated member).
        "src/uses-sum.ts":
          'import { s } from "./sum.js";\nexport class SessionManager {\n  /** @deprecated use start */\n  begin(): number { return s; }\n  start(): number { return s; }\n}\nexport const n = new SessionManager().begin();\n',
        "src/ok-ifs.ts": `export function f(a: number): number {\n${Array.from({ length: 490 }, (_, i) => `if (a > ${i}) {\n`).join("")}return a;\n${"}\n".repeat(490)}return 0;\n}\n`,
        "src/ok-parens.ts": `export const p = ${"(".repeat(600)}1${")".repeat(600)};\n`,
        "src/ok-arrows.ts": `export const f = ${"() => ".repeat(490)}1;\n`,
        "src/ok-sum.ts": `export const s = ${Array(990).fill('"ab"').join(" + ")};\n`,
        "src/ok-union.ts": `export type U = ${Array.from({ length: 990 }, (_, i) => `"v${i}"`).join(" | ")};\n`,
      });
      if (IS_POSIX) expect(spawnSync("mkfifo", [box.path("src/pipe.ts")]).status).toBe(0);
      const result = await box.run(["check", "--format", "json"], 40_000);
      expect(result.status, result.stderr).toBe(1);
      const findings = (JSON.parse(result.stdout) as { findings: { file: string; ruleId: string; message: string }[] }).findings;
      const byFile = (file: string) =>
        findings.filter((f) => f.file === file).map((f) => (f.ruleId === "internal-error" ? f.message.replace(/\. The rest.*/, "") : f.ruleId));
      const depth = "This file was not checked: its syntax tree is more than 1000 levels deep, more than TypeScript can analyze safely";
      expect(byFile("src/a.ts")).toEqual(["liskov-override"]);
      // Which limit a file meets first depends on the stack frames of the build: either is the one finding.
      const either = expect.stringMatching(
        /^This file was not checked: its (nesting is too deep for TypeScript's parser \(it ran out of stack\)|syntax tree is more than 1000 levels deep, more than TypeScript can analyze safely)$/,
      );
      expect(byFile("src/parens.ts")).toEqual([either]);
      expect(byFile("src/calls.ts")).toEqual([either]);
      expect(byFile("src/ifs.ts")).toEqual([either]);
      expect(byFile("src/sum.ts")).toEqual([depth]);
      expect(byFile("src/uses-sum.ts").filter((r) => r.startsWith("This") || r === "internal-error")).toEqual([]);
      for (const file of DEEP_FILES.filter((f) => f.startsWith("src/ok-"))) expect(byFile(file), file).toEqual([]);
      expect(findings.filter((f) => !DEEP_FILES.includes(f.file))).toEqual([]);
      expect(byFile("src/pipe.ts")).toEqual([]);
      expect(result.stdout).not.toMatch(/Check [a-z-]+ failed/);
    },
  },
  {
    name: "ESLint plugin: a 50k-term sum fails at most its own file; an innocent file that uses it gets no internal error",
    cap: 45_000,
    test: async (box) => {
      box.write({
        "tsconfig.json": TSCONFIG,
        "src/sum.ts": `export const s = ${Array(50_000).fill("1").join(" + ")};\n`,
        "src/uses-sum.ts":
          'import { s } from "./sum.js";\nexport class SessionManager {\n  /** @deprecated use start */\n  begin(): number { return s; }\n  start(): number { return s; }\n}\nexport const n = new SessionManager().begin();\n',
      });
      const { ESLint } = await import("eslint");
      const { default: plugin } = await import("../../rules/index.js");
      const eslint = new ESLint({
        cwd: box.project,
        overrideConfigFile: true,
        overrideConfig: [plugin.configs.recommended, { languageOptions: { parserOptions: { tsconfigRootDir: box.project } } }],
      });
      const results = await eslint.lintFiles(["src/uses-sum.ts"]);
      const messages = results.flatMap((r) => r.messages.map((m) => `${m.ruleId ?? "fatal"}: ${m.message}`));
      expect(messages.filter((m) => /failed|internal|Maximum call stack/i.test(m))).toEqual([]);
      // The deprecated call is still seen: the index was built from the files it could walk.
      expect(messages.filter((m) => m.startsWith("covenant/dual-interface"))).toHaveLength(1);
    },
  },
  // 22. A 200k-entry baseline loads and matches within a 512 MB heap (the syntax tree alone took ~1 GB).
  {
    name: "check --baseline with 200,000 entries: loaded and matched under a 512 MB heap cap",
    cap: 60_000,
    test: async (box) => {
      box.write({ "tsconfig.json": TSCONFIG, "src/a.ts": LISKOV });
      const entries = Array.from({ length: 200_000 }, (_, i) => ({
        ruleId: "liskov-override",
        file: `src/f${i % 5000}.ts`,
        symbol: `C${i}.m`,
        fingerprint: i.toString(16).padStart(16, "0"),
        message: "`DogShelter.admit(dog: Dog)` narrows `Shelter.admit(animal: Animal)`.",
        count: 1,
      }));
      fs.writeFileSync(box.path("covenant.baseline.json"), `${JSON.stringify({ version: 1, findings: entries }, null, 2)}\n`);
      box.env.NODE_OPTIONS = "--max-old-space-size=512";
      const result = await box.run(["check", "--baseline", "covenant.baseline.json"], 55_000);
      expect(result.status, result.stderr).toBe(1);
      expect(result.stdout).toMatch(/liskov-override/);
    },
  },
  {
    name: "check: tsconfig references that form a cycle are a located error, exit 2 (not 0 files and exit 0)",
    shared: true,
    test: async (box) => {
      box.write({
        "tsconfig.json": '{\n  "files": [],\n  "references": [{ "path": "./a" }]\n}\n',
        "a/tsconfig.json": '{\n  "files": [],\n  "references": [{ "path": "../b" }]\n}\n',
        "b/tsconfig.json": '{\n  "files": [],\n  "references": [\n    { "path": "../a" }\n  ]\n}\n',
      });
      const result = await box.run(["check"]);
      expectLocatedError(
        result,
        /^b\/tsconfig\.json:4:5 {2}error {2}The project references form a cycle \(a\/tsconfig\.json -> b\/tsconfig\.json -> a\/tsconfig\.json\), so no project in it has files of its own to analyze\. Remove the reference that closes the cycle\.$/m,
      );
    },
  },
];

describe("hostile input: analyzer, file writes, daemon", () => {
  const sharedCases = cases.filter((c) => c.shared && (c.when ?? true));
  /** Starts every shared case's body at once (their runs become one child process); each test awaits its own. */
  const sharedBody = shareCliRuns(sharedCases, async (shared, run) => {
    const box = new Sandbox();
    box.shared = run;
    try {
      await shared.test(box);
    } finally {
      box.remove();
    }
  });
  /** A shared case's test awaits the one child, which runs at most the sum of its rows' caps. */
  const sharedTimeout = sharedCases.length * ROW_CAP + 10_000;
  for (const c of cases) {
    it.runIf(c.when ?? true)(
      c.name,
      async () => {
        if (c.shared) return sharedBody(c);
        const box = new Sandbox();
        try {
          await c.test(box);
        } finally {
          box.remove();
        }
      },
      c.cap ?? (c.shared ? sharedTimeout : 30_000),
    );
  }
});
