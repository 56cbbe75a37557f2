import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const BIN = path.resolve(import.meta.dirname, "../../dist/bin/covenant.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm run build` first) as a child process, as a user would; without colours unless `env` asks for them. */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = { FORCE_COLOR: undefined, NO_COLOR: "1" }): CliResult {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The assertion every input error shares: exit 2, one line per problem on stderr, no stack trace, nothing on stdout. */
export function expectInputError(result: CliResult, pattern: RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.stderr).not.toMatch(/internal error/);
}
