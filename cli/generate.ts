import fs from "node:fs";
import path from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { CovenantError, type Problem } from "../common/errors.js";
import { applyGeneration, planGeneration, type PlanOptions } from "../contracts/generate/index.js";
import { loadContract } from "../contracts/index.js";
import type { Contract } from "../contracts/model.js";
import { loadConfig } from "../analyzer/config/load-config.js";
import { contractNotFound, expandConfigGlobs, noContracts } from "./contract-files.js";
import type { ExitCode } from "./exit-code.js";
import { toPosix } from "../common/strings.js";

export interface GenerateCommandOptions {
  outDir?: string;
  check?: boolean;
  config?: string;
  /**
   * Hook for `--base <git-ref>` (owned by the diff command): given a contract, the changes since
   * the base version, which the docs render as "Changes since <base>". Not wired to a flag yet.
   */
  changesFor?: PlanOptions["changesFor"];
  /** `--base <git-ref>`: add "Changes since <version>" to the docs, from `covenant diff` against the ref. */
  base?: string;
  /** `--slow-patterns <level>`: `error` fails on a pattern that can backtrack super-linearly (default: the config's, else `warning`). */
  slowPatterns?: "warning" | "error";
}

/** The `covenant generate` command line: `--base` becomes the docs' "Changes since" source, then runGenerate. */
export async function runGenerateCommand(contracts: readonly string[], options: GenerateCommandOptions): Promise<ExitCode> {
  if (options.base !== undefined && options.changesFor === undefined) {
    const { createChangesFor } = await import("../contracts/diff/sources.js");
    options = { ...options, changesFor: createChangesFor(options.base) };
  }
  return runGenerate(contracts, options);
}

/** `covenant generate`: 0 written or up to date, 1 stale (`--check`); invalid input throws a CovenantError (exit 2). */
export async function runGenerate(args: readonly string[], options: GenerateCommandOptions, cwd: string = process.cwd()): Promise<ExitCode> {
  const config = loadConfig({ ...(options.config === undefined ? {} : { configFile: options.config }), searchFrom: cwd });
  const files = args.length > 0 ? await expandArguments(args, cwd) : await expandConfigGlobs(config.contracts, config.dir);
  if (files.length === 0) {
    throw noContracts(
      config.file ?? cwd,
      args.length > 0
        ? `No contract matches ${args.join(" ")}. Check the paths or globs.`
        : "No contracts to generate. Pass contract files (covenant generate contracts/x.contract.yaml), or list globs under `contracts` in covenant.config.json.",
    );
  }
  const contracts = loadAll(files);
  const outDir =
    options.outDir !== undefined
      ? path.resolve(cwd, options.outDir)
      : config.generate.outDir !== undefined
        ? path.resolve(config.dir, config.generate.outDir)
        : undefined;
  const slowPatterns = options.slowPatterns ?? config.generate.slowPatterns;
  const planned = await planGeneration(contracts, {
    ...(outDir === undefined ? {} : { outDir }),
    ...(slowPatterns === undefined ? {} : { slowPatterns }),
    ...(options.changesFor === undefined ? {} : { changesFor: options.changesFor }),
  });
  const show = (file: string) => toPosix(path.relative(cwd, file)) || file;
  const validatorDirs = [...new Set(planned.filter((f) => f.path.endsWith(".validators.ts")).map((f) => path.dirname(f.path)))];
  for (const warning of findOldZod(validatorDirs)) process.stderr.write(`${show(warning.file)}  warning  ${warning.message}\n`);
  const result = await applyGeneration(planned, { check: options.check === true });
  if (options.check === true) {
    const stale = result.files.filter((f) => f.status !== "unchanged");
    for (const file of stale) {
      process.stderr.write(`${show(file.path)}  ${file.status === "missing" ? "missing" : "out of date"}\n`);
    }
    if (stale.length > 0) {
      process.stderr.write(
        `covenant generate --check: ${stale.length} of ${result.files.length} generated files are stale. Run \`covenant generate\` and commit the result.\n`,
      );
      return 1;
    }
    process.stdout.write(`covenant generate --check: ${result.files.length} generated files are up to date.\n`);
    return 0;
  }
  const written = result.files.filter((f) => f.status !== "unchanged");
  for (const file of written) process.stdout.write(`wrote ${show(file.path)}\n`);
  process.stdout.write(
    `covenant generate: ${contracts.length} contract${contracts.length === 1 ? "" : "s"}, ${written.length} file${written.length === 1 ? "" : "s"} written, ${result.files.length - written.length} unchanged.\n`,
  );
  return 0;
}

/** The zod major version the generated validators are written for. */
export const REQUIRED_ZOD_MAJOR = 4;

/**
 * The zod the generated validators will import, as Node resolves it from each output folder: the
 * first `node_modules/zod/package.json` upward (read as JSON, never executed). One warning per zod
 * found older than 4 (a folder without zod is not warned about: the project may not have installed
 * it yet).
 */
export function findOldZod(dirs: readonly string[]): { file: string; message: string }[] {
  const found = new Map<string, string>();
  for (const dir of dirs) {
    for (let current = dir; ; current = path.dirname(current)) {
      const file = path.join(current, "node_modules", "zod", "package.json");
      let version: unknown;
      try {
        version = (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: unknown }).version;
      } catch {
        if (path.dirname(current) === current) break;
        continue;
      }
      if (typeof version === "string") found.set(file, version);
      break;
    }
  }
  return [...found]
    .filter(([, version]) => Number.parseInt(version, 10) < REQUIRED_ZOD_MAJOR)
    .map(([file, version]) => ({
      file,
      message: `zod ${version} is installed, and the generated validators need zod ${REQUIRED_ZOD_MAJOR} (they use \`z.looseObject\`, \`z.int\`, \`z.url\`, \`z.core\`). Run \`npm install zod@^${REQUIRED_ZOD_MAJOR}\`.`,
    }));
}

/** Every contract, or one CovenantError with the problems of all invalid ones (nothing is written then). */
function loadAll(files: readonly string[]): Contract[] {
  const contracts: Contract[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    try {
      contracts.push(loadContract(file));
    } catch (error) {
      if (!(error instanceof CovenantError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new CovenantError(problems);
  return contracts;
}

async function expandArguments(args: readonly string[], cwd: string): Promise<string[]> {
  const files = new Set<string>();
  const missing: Problem[] = [];
  for (const arg of args) {
    if (isDynamicPattern(arg)) {
      for (const match of await glob(arg, { cwd, absolute: true, onlyFiles: true })) files.add(path.normalize(match));
      continue;
    }
    const file = path.resolve(cwd, arg);
    if (!fs.existsSync(file)) {
      missing.push(contractNotFound(file));
    } else files.add(file);
  }
  if (missing.length > 0) throw new CovenantError(missing);
  return [...files].sort();
}
