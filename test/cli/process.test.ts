import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CASES_DIR } from "../diff/case-harness.js";
import { FIXTURES_DIR } from "../utils/fixtures.js";
import { runCli, runCliProcess } from "./run-cli.js";

/**
 * The CLI tests run `main` in the test process (runCli); these run the built binary as a child
 * process, as a user does, for each way a run ends (0 ok, 1 findings, 2 input or usage error), and
 * hold the two to the same exit code and the same bytes on stdout and stderr: what the process adds
 * (TypeScript loaded through dist/common/typescript.cjs, the exit code set on the process) works, and runCli
 * shows what a user would see.
 */
const REPO = path.resolve(import.meta.dirname, "../..");
const NO_TSCONFIG = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-process-"));
fs.writeFileSync(path.join(NO_TSCONFIG, "a.ts"), "export const a = 1;\n");
afterAll(() => fs.rmSync(NO_TSCONFIG, { recursive: true, force: true }));

const withoutDuration = (text: string) => text.replace(/"durationMs": \d+/, '"durationMs": 0');

const RUNS: { name: string; args: string[]; cwd: string; status: number; stdout?: RegExp; stderr?: RegExp }[] = [
  { name: "--version (exit 0)", args: ["--version"], cwd: REPO, status: 0, stdout: /^\d+\.\d+\.\d+\n$/ },
  {
    name: "check with findings (json) (exit 1)",
    args: ["check", "--format", "json"],
    cwd: path.join(FIXTURES_DIR, "agent-service"),
    status: 1,
    stdout: /"ruleId": "unawaited-factory"/,
  },
  { name: "check, clean (exit 0)", args: ["check"], cwd: path.join(FIXTURES_DIR, "agent-service-clean"), status: 0 },
  {
    name: "check without a tsconfig (exit 2)",
    args: ["check"],
    cwd: NO_TSCONFIG,
    status: 2,
    stderr: /^\S+ {2}error {2}No tsconfig\.json here or in any folder above\./,
  },
  {
    name: "an unknown command (exit 2)",
    args: ["bogus"],
    cwd: REPO,
    status: 2,
    stderr: /^covenant {2}error {2}Unknown command 'bogus'\. See covenant --help\.\n$/,
  },
  {
    name: "diff, breaking under a minor bump (exit 1)",
    args: ["diff", "old.contract.yaml", "new.contract.yaml"],
    cwd: path.join(CASES_DIR, "s2c-field-type-changed"),
    status: 1,
    stderr: /breaking changes with only a minor bump/,
  },
  {
    name: "generate --check, up to date (exit 0)",
    args: ["generate", "--check"],
    cwd: path.join(REPO, "examples/agent-server"),
    status: 0,
    stdout: /generated files are up to date/,
  },
  {
    name: "generate --check, nothing generated yet (exit 1)",
    args: ["generate", path.join(REPO, "contracts/agent-websocket.contract.yaml"), "--out-dir", "out", "--check"],
    cwd: NO_TSCONFIG,
    status: 1,
    stderr: /^out\/agent-websocket\.types\.ts {2}missing$/m,
  },
  {
    name: "generate, a contract that does not exist (exit 2)",
    args: ["generate", "nope.contract.yaml"],
    cwd: NO_TSCONFIG,
    status: 2,
    stderr: /^nope\.contract\.yaml {2}error {2}No such contract file/,
  },
];

describe("the built binary, as a child process, and runCli agree", () => {
  it.each(RUNS)("$name", async ({ args, cwd, status, stdout, stderr }) => {
    const spawned = runCliProcess(args, cwd);
    expect(spawned.status, spawned.stderr).toBe(status);
    if (stdout) expect(spawned.stdout).toMatch(stdout);
    if (stderr) expect(spawned.stderr).toMatch(stderr);
    // No stack trace and no internal error, whatever the outcome.
    expect(spawned.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$|internal error/m);
    const inProcess = await runCli(args, cwd);
    expect({ ...inProcess, stdout: withoutDuration(inProcess.stdout) }).toEqual({ ...spawned, stdout: withoutDuration(spawned.stdout) });
  });
});
