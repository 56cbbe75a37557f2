import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, type CliResult } from "../cli/run-cli.js";

/**
 * Node child processes with a time cap and V8's heap and stack caps, for the hostile-input tests: a
 * hang or a blow-up is a failing case, not a stuck suite. Either one process per run (`runCliCapped`),
 * or the runs of many cases as ROWS of one process (`runRows`, `runCliRows`, `shareCliRuns`): a Node
 * start and the loading of the code under test once instead of once per case, for cases whose subject
 * is not the process itself. What a row keeps of a process of its own:
 * - its time cap: the parent arms the row's own cap when the child says the row starts (the first
 *   row's from the spawn, so it includes Node's start and the loading, as its own process would);
 *   past it the child is killed, that row fails, and the rows after it run in a fresh child. The
 *   child as a whole is so bounded by the sum of its rows' caps.
 * - the heap and stack caps: the process's, shared by rows that run one at a time (their garbage is
 *   collectable between rows); one row blowing the heap fails that row, the next rows go on.
 * - a throw, a crash, the process's own output while the row ran: that row's.
 * - its exit: a row that leaves work pending keeps the child from exiting once every row is done;
 *   every row of that child then fails, naming what was still active (a case of its own would hang).
 * What a row does not have: environment variables read by Node at start (NODE_OPTIONS), signals, a
 * process of its own to kill or to outlive: cases about those run in a process of their own.
 */

/** A child's caps: killed past `timeMs`; `heapMb` and `stackKb` are V8's `--max-old-space-size` and `--stack-size`. */
interface Caps {
  timeMs: number;
  heapMb?: number;
  stackKb?: number;
}

/** A CLI run in a capped child: how it ended, and whether the time cap ended it (then `signal` is SIGKILL). */
export interface CappedRun extends CliResult {
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

/** The environment of the children: this process's, without colours. */
const plain = (): NodeJS.ProcessEnv => ({ ...process.env, FORCE_COLOR: undefined, NO_COLOR: "1" });

/** How long a child whose rows are all done may take to exit (ms), unless told otherwise. */
const EXIT_GRACE_MS = 10_000;

interface RowsOptions {
  heapMb?: number;
  stackKb?: number;
  env?: NodeJS.ProcessEnv;
  /** How long the child may take to exit once its rows are done (default 10 s). */
  exitGraceMs?: number;
}

const v8Flags = ({ heapMb, stackKb }: Omit<Caps, "timeMs">): string[] => [
  ...(heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`]),
  ...(stackKb === undefined ? [] : [`--stack-size=${stackKb}`]),
];

function requireBuild(): void {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
}

/** The built CLI (`npm run build` first) in a process of its own, in `cwd`, killed past the time cap. */
export function runCliCapped(args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined> } & Caps): Promise<CappedRun> {
  requireBuild();
  const child = spawn(process.execPath, [...v8Flags(options), BIN, ...args], {
    cwd: options.cwd,
    env: { ...plain(), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
  });
}

/** One row: the body of an async function (after the prelude) whose result, a JSON value, is the row's. */
interface Row {
  body: string;
  /** The row's time cap (ms). */
  timeMs: number;
}

/**
 * What a row gave: its value, or why it has none (it threw: the stack; the child was killed at the
 * row's cap or died during it: how); and what the process itself wrote to stdout and stderr meanwhile.
 */
type RowResult = ({ ok: true; value: unknown } | { ok: false; error: string; timedOut: boolean; status: number | null; signal: NodeJS.Signals | null }) & {
  stdout: string;
  stderr: string;
};

/**
 * Runs `rows` one after another in ONE capped Node child (an ES module: `prelude`, its imports and
 * helpers, then the rows, each the body of its own async function); see the top of this file for what
 * a row keeps of a process of its own. Resolves each row's result by its index.
 */
export async function runRows(prelude: string, rows: readonly Row[], options: RowsOptions = {}): Promise<RowResult[]> {
  const results: RowResult[] = [];
  while (results.length < rows.length) results.push(...(await runRowsChild(prelude, rows.slice(results.length), options)));
  return results;
}

/** The rows from the first on, in one child, up to the end or up to the row it died in (included). */
function runRowsChild(prelude: string, rows: readonly Row[], options: RowsOptions): Promise<RowResult[]> {
  const exitGraceMs = options.exitGraceMs ?? EXIT_GRACE_MS;
  const script = `import * as covenantRowsFs from "node:fs";
${prelude}
const covenantRows = [
${rows.map(({ body }) => `async () => {\n${body}\n}`).join(",\n")}
];
const covenantSend = (message) => covenantRowsFs.writeSync(3, JSON.stringify(message) + "\\n");
for (let row = 0; row < covenantRows.length; row++) {
  covenantSend({ start: row });
  let outcome;
  try {
    outcome = { ok: true, value: await covenantRows[row]() };
    JSON.stringify(outcome);
  } catch (error) {
    outcome = { ok: false, error: String(error?.stack ?? error) };
  }
  process.exitCode = undefined;
  covenantSend({ done: row, ...outcome });
}
covenantSend({ end: process.getActiveResourcesInfo() });
covenantRowsFs.closeSync(3);`;
  // A module file, not `--input-type=module -e`: Node's flags are the workers' too, and a worker (the
  // contract loader's example check) refuses to start with --input-type.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-rows-"));
  const file = path.join(folder, "rows.mjs");
  fs.writeFileSync(file, script);
  const child = spawn(process.execPath, [...v8Flags(options), file], {
    cwd: os.tmpdir(),
    env: { ...plain(), ...options.env },
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  const results: RowResult[] = [];
  const raw = { stdout: "", stderr: "" };
  let current = 0;
  let ended: string[] | undefined;
  let timedOut = false;
  let exitTimedOut = false;
  const kill = (onTime: () => void) => () => {
    onTime();
    child.kill("SIGKILL");
  };
  let timer = setTimeout(
    kill(() => (timedOut = true)),
    rows[0]!.timeMs,
  );
  const take = () => {
    const output = { ...raw };
    raw.stdout = raw.stderr = "";
    return output;
  };
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (raw.stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (raw.stderr += chunk));
  let lines = "";
  const protocol = child.stdio[3] as NodeJS.ReadableStream;
  protocol.setEncoding("utf8");
  protocol.on("data", (chunk: string) => {
    lines += chunk;
    for (let end = lines.indexOf("\n"); end !== -1; end = lines.indexOf("\n")) {
      const message = JSON.parse(lines.slice(0, end)) as { start?: number; done?: number; ok?: boolean; value?: unknown; error?: string; end?: string[] };
      lines = lines.slice(end + 1);
      if (message.start !== undefined) {
        current = message.start;
        if (current > 0) {
          clearTimeout(timer);
          timer = setTimeout(
            kill(() => (timedOut = true)),
            rows[current]!.timeMs,
          );
        }
      } else if (message.done !== undefined) {
        results.push(
          message.ok
            ? { ok: true, value: message.value, ...take() }
            : { ok: false, error: message.error!, timedOut: false, status: null, signal: null, ...take() },
        );
      } else if (message.end !== undefined) {
        ended = message.end;
        clearTimeout(timer);
        timer = setTimeout(
          kill(() => (exitTimedOut = true)),
          exitGraceMs,
        );
      }
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      fs.rmSync(folder, { recursive: true, force: true });
      if (ended !== undefined && status === 0 && !exitTimedOut) return resolve(results);
      const output = take();
      if (results.length === rows.length) {
        // Every row gave its result, but the child did not end as a process of its own would: which row is to blame is unknown.
        const error = exitTimedOut
          ? `the child running these rows did not exit within ${exitGraceMs / 1000} s after its last row: a row left work pending (still active: ${ended!.join(", ")})`
          : `the child running these rows ended (status ${status}, signal ${signal}) after its last row: ${output.stderr.slice(-2000)}`;
        return resolve(results.map((result) => ({ ...result, ok: false, error, timedOut: exitTimedOut, status, signal })));
      }
      // The child died during the row after the last result (a kill at its cap, a crash): that row's failure.
      const how = timedOut
        ? `did not finish within ${rows[results.length]!.timeMs / 1000} s (the child running it was killed)`
        : `the child running it ended (status ${status}, signal ${signal}) during this row`;
      resolve([...results, { ok: false, error: `${how}: ${output.stderr.slice(-2000)}`, timedOut, status, signal, ...output }]);
    });
  });
}

/**
 * `runRows` whose results are read one by one (each table row's test reads its own): the child runs
 * on the first read; a row's value, or its failure thrown.
 */
export function rowsOnFirstRead(
  prelude: () => string,
  bodies: readonly string[],
  options: { timeMs: number; heapMb?: number; stackKb?: number },
): (row: number) => Promise<unknown> {
  let results: Promise<RowResult[]> | undefined;
  return async (row) => {
    results ??= runRows(
      prelude(),
      bodies.map((body) => ({ body, timeMs: options.timeMs })),
      options,
    );
    const result = (await results)[row]!;
    if (!result.ok) throw new Error(`row ${row} failed in the child process: ${result.error}\n${result.stderr.slice(0, 2000)}`);
    return result.value;
  };
}

/** One CLI run of a case: the arguments, its folder, the variables it sets (none read by Node at start), its time cap. */
export interface CliRow {
  cwd: string;
  args: readonly string[];
  env?: Record<string, string | undefined>;
  timeMs: number;
}

/**
 * Runs the built CLI's `main` (what dist/bin/covenant.js calls) once per row, each in its folder with
 * its variables set, its stdout and stderr captured, as rows of one capped child (`runRows`). A row's
 * status is the exit code `main` returns for that input alone; a throw is that row's stack on its
 * stderr with status null, as an uncaught error of the bin would print; a kill at the row's cap or a
 * crash is the row's end as its own process would have ended (`timedOut`, `signal`, the crash's output).
 */
export async function runCliRows(rows: readonly CliRow[], options: { heapMb?: number } = {}): Promise<CappedRun[]> {
  requireBuild();
  for (const row of rows) {
    const atStart = Object.keys(row.env ?? {}).filter((key) => key.startsWith("NODE_"));
    if (atStart.length > 0) throw new Error(`${atStart.join(", ")} is read by Node at start: run this case in a process of its own, not as a row`);
  }
  const mainUrl = pathToFileURL(path.resolve(import.meta.dirname, "../../dist/cli/main.js")).href;
  const prelude = `const { main } = await import(${JSON.stringify(mainUrl)});
const streams = { stdout: process.stdout, stderr: process.stderr };
const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
const setEnv = (entries) => {
  for (const [key, value] of entries) {
    if (value === null || value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
};
async function cliRow(row) {
  const output = { stdout: "", stderr: "" };
  for (const name of ["stdout", "stderr"]) {
    streams[name].write = (chunk, encoding, callback) => {
      output[name] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const done = typeof encoding === "function" ? encoding : callback;
      if (done) process.nextTick(done);
      return true;
    };
  }
  const savedEnv = row.env.map(([key]) => [key, process.env[key]]);
  let status = null;
  try {
    process.chdir(row.cwd);
    setEnv(row.env);
    status = await main([process.execPath, ${JSON.stringify(BIN)}, ...row.args]);
  } catch (error) {
    output.stderr += String(error?.stack ?? error);
  } finally {
    setEnv(savedEnv);
    for (const name of ["stdout", "stderr"]) streams[name].write = writes[name];
  }
  return { status, ...output };
}`;
  const results = await runRows(
    prelude,
    rows.map(({ cwd, env = {}, args, timeMs }) => ({ body: `return cliRow(${JSON.stringify({ cwd, env: Object.entries(env), args })});`, timeMs })),
    options,
  );
  return results.map((result): CappedRun => {
    if (!result.ok)
      return { status: result.status, signal: result.signal, timedOut: result.timedOut, stdout: result.stdout, stderr: `${result.stderr}${result.error}` };
    const run = result.value as CliResult;
    return { status: run.status, signal: null, timedOut: false, stdout: run.stdout + result.stdout, stderr: run.stderr + result.stderr };
  });
}

/**
 * Cases whose one CLI run each is a row of one child (`runCliRows`): on the first call, every case's
 * `body` starts (side by side); its `run` waits until every body has asked for its run or ended
 * without one, then all the runs are one child's rows. Returns the promise of a case's body (its test
 * awaits it: a failure in one body is that case's).
 */
export function shareCliRuns<T>(
  cases: readonly T[],
  body: (item: T, run: (row: CliRow) => Promise<CappedRun>) => Promise<void>,
  options: { heapMb?: number } = {},
): (item: T) => Promise<void> {
  let bodies: Map<T, Promise<void>> | undefined;
  return (item) => {
    bodies ??= (() => {
      const queue: { row: CliRow; resolve: (run: CappedRun) => void; reject: (error: unknown) => void }[] = [];
      let waiting = cases.length;
      const settled = () => {
        if (queue.length < waiting) return;
        const batch = queue.splice(0);
        waiting -= batch.length;
        if (batch.length === 0) return;
        runCliRows(
          batch.map(({ row }) => row),
          options,
        ).then(
          (results) => batch.forEach((entry, i) => entry.resolve(results[i]!)),
          (error: unknown) => batch.forEach((entry) => entry.reject(error)),
        );
      };
      return new Map(
        cases.map((shared) => {
          let ran = false;
          const run = (row: CliRow) => {
            if (ran) return Promise.reject(new Error("a shared case makes one CLI run"));
            ran = true;
            return new Promise<CappedRun>((resolve, reject) => {
              queue.push({ row, resolve, reject });
              settled();
            });
          };
          const promise = (async () => {
            try {
              await body(shared, run);
            } finally {
              if (!ran) {
                waiting--;
                settled();
              }
            }
          })();
          promise.catch(() => {}); // reported by its own test, which awaits it
          return [shared, promise];
        }),
      );
    })();
    return bodies.get(item)!;
  };
}
