import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { main } from "../../cli/main.js";

export const BIN = path.resolve(import.meta.dirname, "../../dist/bin/covenant.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment the CLI runs in unless a test asks otherwise: no colours. */
const PLAIN: NodeJS.ProcessEnv = { FORCE_COLOR: undefined, NO_COLOR: "1" };

/**
 * Runs the built CLI (`npm run build` first) as a child process, as a user would; without colours
 * unless `env` asks for them. For what only a real process shows: the bin's own code (how the
 * exit code reaches the shell), TypeScript loaded as the built CLI loads it, a terminal, a crash's output.
 */
export function runCliProcess(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = PLAIN): CliResult {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let running = false;

/**
 * Runs the CLI's `main` (what bin/covenant.ts calls) in this test process: argv, the cwd and the
 * environment as a child process would get them, stdout and stderr captured (neither a terminal),
 * the exit code main returns. A spawned CLI costs a Node start and the loading of its modules (most
 * of a second) on every call; here they load once per test file. One run at a time (the cwd, the
 * environment and the streams are the process's); `runCliProcess` keeps the process path covered.
 */
export async function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = PLAIN): Promise<CliResult> {
  if (running) throw new Error("runCli: one in-process CLI run at a time (use runCliProcess for parallel runs)");
  running = true;
  const savedCwd = process.cwd();
  const savedEnv = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const streams = { stdout: process.stdout, stderr: process.stderr } as const;
  const saved = Object.fromEntries(
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back on the same stream, never called detached
    Object.entries(streams).map(([name, stream]) => [name, { write: stream.write, tty: Object.getOwnPropertyDescriptor(stream, "isTTY") }]),
  ) as Record<keyof typeof streams, { write: NodeJS.WriteStream["write"]; tty: PropertyDescriptor | undefined }>;
  const output = { stdout: "", stderr: "" };
  const setEnv = (values: NodeJS.ProcessEnv) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  try {
    process.chdir(cwd);
    setEnv(env);
    for (const name of ["stdout", "stderr"] as const) {
      const stream = streams[name];
      Object.defineProperty(stream, "isTTY", { value: false, configurable: true, writable: true });
      stream.write = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void) => {
        output[name] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        const done = typeof encoding === "function" ? encoding : callback;
        if (done) process.nextTick(done);
        return true;
      };
    }
    const status = await main([process.execPath, BIN, ...args]);
    return { status, ...output };
  } finally {
    for (const name of ["stdout", "stderr"] as const) {
      const stream = streams[name];
      stream.write = saved[name].write;
      if (saved[name].tty) Object.defineProperty(stream, "isTTY", saved[name].tty);
      else delete (stream as { isTTY?: boolean }).isTTY;
    }
    setEnv(savedEnv);
    process.chdir(savedCwd);
    running = false;
  }
}

/** The assertion every input error shares: exit 2, one line per problem on stderr, no stack trace, nothing on stdout. */
export function expectInputError(result: CliResult, pattern: RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.stderr).not.toMatch(/internal error/);
}
