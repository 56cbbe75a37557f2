#!/usr/bin/env node
// `npm test`: builds, then runs vitest (arguments are passed on: `npm test -- test/cli`).
// While the build type-checks on one core, the lint steps that do not need the build (dependency-cruiser,
// knip, prettier --check) run on the other, one after the other; their exit codes and output go to
// test/lint.test.ts through the file named by COVENANT_LINT_RESULTS, which reports them as its tests (a
// failure there fails the suite, as a failing test does). ESLint needs the built plugin: test/lint.test.ts
// runs it. `vitest run` on its own (no results file) runs all four steps in test/lint.test.ts.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
/** The lint steps that read only the source, in the order test/lint.test.ts lists them. */
const BEFORE_BUILD_DONE = ["lint:deps", "lint:unused", "format:check"];

/** `npm run --silent <script>` in the repo: its exit code and its output (stdout, then stderr). */
function runScript(script) {
  return new Promise((resolve) => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFile(
      npm,
      ["run", "--silent", script],
      { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, shell: process.platform === "win32" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}${error && typeof error.code !== "number" ? error.message : ""}` });
      },
    );
  });
}

async function lintSteps() {
  const results = {};
  for (const script of BEFORE_BUILD_DONE) results[script] = await runScript(script);
  return results;
}

const [build, results] = await Promise.all([runScript("build"), lintSteps()]);
if (build.code !== 0) {
  process.stderr.write(`npm test: the build failed (exit ${build.code}):\n${build.output}`);
  process.exit(build.code);
}

const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-lint-"));
const resultsFile = path.join(resultsDir, "results.json");
fs.writeFileSync(resultsFile, JSON.stringify(results));
const vitest = spawn(process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, COVENANT_LINT_RESULTS: resultsFile },
});
// Ctrl-C reaches vitest too (same process group): wait for it to stop, then clean up.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => vitest.kill(signal));
vitest.on("exit", (code, signal) => {
  fs.rmSync(resultsDir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
