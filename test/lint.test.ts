import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * `npm run lint`, script by script, as part of the suite. Each is the package.json script itself, run
 * by npm in its own process, so a failure here is exactly what `npm run lint` prints. ESLint (~35
 * CPU-seconds of one thread) loads the built plugin: it runs here, in one of vitest's two workers
 * while the other runs test files. `npm test` (scripts/test.mjs) runs the other three while the build
 * type-checks on the other core and hands their exit codes and output over in the file named by
 * COVENANT_LINT_RESULTS; without that file (`vitest run` on its own), they run here too.
 */
const REPO = path.resolve(import.meta.dirname, "..");
const SCRIPTS = ["lint:deps", "lint:unused", "lint:eslint", "format:check"] as const;

interface ScriptResult {
  code: number | null;
  output: string;
}

/** What scripts/test.mjs ran before vitest started, by script name. */
const RUN_BEFORE: Partial<Record<string, ScriptResult>> = process.env.COVENANT_LINT_RESULTS
  ? (JSON.parse(fs.readFileSync(process.env.COVENANT_LINT_RESULTS, "utf8")) as Record<string, ScriptResult>)
  : {};

function runScript(script: string): Promise<ScriptResult> {
  const before = RUN_BEFORE[script];
  if (before) return Promise.resolve(before);
  return new Promise((resolve) => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFile(npm, ["run", "--silent", script], { cwd: REPO, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, output: `${stdout}${stderr}${error && code === null ? error.message : ""}` });
    });
  });
}

describe("npm run lint", () => {
  it.each(SCRIPTS)(
    "npm run %s passes",
    async (script) => {
      const { code, output } = await runScript(script);
      expect(code, output).toBe(0);
    },
    // A cap for a starved machine: ESLint takes about a minute of CPU.
    600_000,
  );
});
