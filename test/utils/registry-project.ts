import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Projects installed from the npm registry, as a user installs covenant: `npm pack` of this
 * checkout (its built dist/), and a temporary project whose package.json names that tarball beside
 * real packages from the registry (turbo, typescript 7, eslint...). Slow (an `npm install` with
 * network), so the tests that use it run only with COVENANT_REGISTRY_TESTS=1.
 */
export const REGISTRY_TESTS = process.env.COVENANT_REGISTRY_TESTS === "1";

const REPO = path.resolve(import.meta.dirname, "../..");

/** A child process's environment without the parent's colour and npm settings. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|FORCE_COLOR|NO_COLOR|VITEST|TURBO_)/i.test(key)) env[key] = value;
  return { ...env, NO_COLOR: "1", TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", ...extra };
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function run(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000, env: NodeJS.ProcessEnv = {}): Run {
  const started = performance.now();
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, encoding: "utf8", env: cleanEnv(env), timeout: timeoutMs });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: Math.round(performance.now() - started) };
}

/** `npm pack` of this checkout into a temporary folder: the path of the tarball. */
export function packCovenant(into: string): string {
  if (!fs.existsSync(path.join(REPO, "dist/bin/covenant.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  const packed = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", into], REPO);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  return path.join(into, filename);
}

/** A temporary folder with these files, `npm install`ed (the registry, and covenant's tarball). */
export function createInstalledProject(prefix: string, files: Record<string, string>): { dir: string; install: Run } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  writeFiles(dir, files);
  const install = run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], dir, 300_000);
  if (install.status !== 0) throw new Error(`npm install failed in ${dir}:\n${install.stderr}`);
  return { dir, install };
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}
