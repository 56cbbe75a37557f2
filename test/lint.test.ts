import { execFile } from "node:child_process";
import path from "node:path";

/**
 * `npm run lint`, script by script, as part of the suite: `npm test` is `npm run build && vitest
 * run`, and these four run in one of vitest's two workers while the other runs test files. Run one
 * after the other before vitest, they kept one core idle for about a minute (ESLint alone is ~50
 * CPU-seconds of one thread). Each is the package.json script itself, run by npm in its own process,
 * so a failure here is exactly what `npm run lint` prints. ESLint loads the built plugin: build first.
 */
const REPO = path.resolve(import.meta.dirname, "..");
const SCRIPTS = ["lint:deps", "lint:unused", "lint:eslint", "format:check"] as const;

function runScript(script: string): Promise<{ code: number | null; output: string }> {
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
