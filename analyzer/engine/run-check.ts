import fs from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import ts from "../../common/typescript.cjs";
import { createRequire } from "node:module";
import type { Ts7Session } from "./ts7/api.js";
import { CovenantError, type Problem } from "../../common/errors.js";
import { PACKAGE } from "../../common/package.js";
import { LockTimeoutError, withFileLock } from "../../common/file-lock.js";
import type { CheckSettings } from "../checks/define-check.js";
import { ENGINE_RULE_IDS } from "../checks/rule-ids.js";
import { loadContractSettings } from "../config/contract-settings.js";
import type { LoadedConfig } from "../config/load-config.js";
import { getSkipReason, MAX_SYNTAX_DEPTH, measureDepth, TOO_DEEP_REASON } from "../project/depth-guard.js";
import { inspectProject, loadProject, type ProgramUnit } from "../project/load-project.js";
import { prepareUserFile, readUserFile, realPath, writeUserFile } from "../../common/user-files.js";
import { applyBaseline, type Baseline, type BaselineEntry, createBaseline, formatBaseline, parseBaseline } from "./baseline.js";
import { getChangedFiles } from "./changed-files.js";
import { compareFindings, type Finding } from "./finding.js";
import { type BaselineSummary, ENGINE_RULES, type Report, type RuleInfo } from "./report.js";
import { type AnyCheck, type EngineName, type PreparedRun, prepareRun, type RunCheckOptions } from "./prepare-run.js";
import { type EnabledCheck, notAnalyzedFinding, runChecksOnFile, toRelativePath } from "./run-checks.js";
import { applySuppressions, findSuppressions } from "./suppressions.js";
import { formatTiming, isTimingEnabled, timePhase } from "./timing.js";

export type { RunCheckOptions } from "./prepare-run.js";

export const DEFAULT_BASELINE_FILE = "covenant.baseline.json";

const BASELINE_ROLE = { what: "the baseline", flag: "--baseline" };

/**
 * What `auto` picks for a cold `covenant check`: TypeScript 7 where its native compiler is installed for
 * the platform and accepts the tsconfig, else TypeScript 6 with one warning saying why. Both engines
 * report the same findings on every rule table, fixture, the bench corpus and the held-out corpus
 * (docs/performance.md, "ts6 and ts7 on the held-out corpus"), ts7 at about half ts6's CPU.
 * runCheck itself resolves `auto` to `autoEngine` (default ts6): it is synchronous, and the ts7 engine
 * is an ES module a caller loads first (loadTs7Engine), as the CLI does; the daemon keeps ts6, whose
 * warm runs after a one-file edit are faster today.
 */
export const AUTO_ENGINE = "ts7";

type Ts7Module = typeof import("./ts7/api.js");
let ts7Loaded: Ts7Module | undefined;

/**
 * Loads the ts7 engine's module ahead of a run (TypeScript 7's client costs about 200 ms to load, so
 * the ts6 engine never loads it). runCheck is synchronous: without this it loads the module with
 * require() of an ES module (Node >= 20.19), which works from the built dist/ only.
 */
export async function loadTs7Engine(): Promise<void> {
  ts7Loaded ??= await import("./ts7/api.js");
}

/** Waits for the TypeScript 7 compiler processes the runs of this process closed to exit (nothing when ts7 never loaded). */
export async function waitForTs7Exit(): Promise<void> {
  if (ts7Loaded) await ts7Loaded.waitForTs7Exit();
}

/** A TypeScript 7 compiler process for a long-lived caller (the daemon) to pass as `ts7Session`. */
export function startTs7Session(cwd: string): Ts7Session {
  return new (ts7Module().Ts7Session)(cwd);
}

function ts7Module(): Ts7Module {
  ts7Loaded ??= createRequire(import.meta.url)("./ts7/api.js") as Ts7Module;
  return ts7Loaded;
}

function createSettings(config: LoadedConfig): CheckSettings {
  const isMatch = picomatch(config.tests, { dot: true });
  return {
    isTestFile(fileName) {
      const rel = path.relative(config.dir, fileName).split(path.sep).join("/");
      return rel.startsWith("../") ? isMatch(fileName.replace(/^\/+/, "")) : isMatch(rel);
    },
    migrations: config.migrations,
    contracts: loadContractSettings(config),
  };
}

/**
 * A filter of the files to report on, from the paths given and --changed. A path that does not exist
 * is an input error; one that exists but holds no file of the program (a script outside the
 * tsconfig's `include`, a docs folder) is skipped with a warning, as ESLint does with an ignored file,
 * so a pre-commit hook that passes every staged `.ts` file does not block the commit.
 */
function createFileFilter(
  options: RunCheckOptions,
  cwd: string,
  allFiles: readonly string[],
  tsconfig: string,
): { isReported: (fileName: string) => boolean; warnings: Problem[] } {
  const filters: ((real: string) => boolean)[] = [];
  const warnings: Problem[] = [];
  if (options.paths?.length) {
    const roots = options.paths.map((p) => {
      const abs = path.resolve(cwd, p);
      if (!fs.existsSync(abs))
        throw new CovenantError({
          code: "path-not-found",
          file: abs,
          line: 0,
          column: 0,
          message: "No such file or folder. Pass paths that exist (relative to the current folder).",
        });
      return { abs, real: realPath(abs), isFile: fs.statSync(abs).isFile() };
    });
    const realFiles = allFiles.map(realPath);
    const realFileSet = new Set(realFiles);
    const holds = (root: (typeof roots)[number], real: string) => real === root.real || (!root.isFile && real.startsWith(`${root.real}${path.sep}`));
    const kept = roots.filter((root) => {
      if (root.isFile ? realFileSet.has(root.real) : realFiles.some((real) => holds(root, real))) return true;
      warnings.push({
        code: "path-not-in-project",
        file: root.abs,
        line: 0,
        column: 0,
        message: `Not part of the TypeScript project ${toRelativePath(cwd, tsconfig)}; nothing to check there. To check it, add it to the tsconfig's "include", or pass the tsconfig that owns it with -p.`,
      });
      return false;
    });
    filters.push((real) => kept.some((root) => holds(root, real)));
  }
  if (options.changed !== undefined) {
    const changed = getChangedFiles(cwd, options.changed);
    filters.push((real) => changed.has(real));
  }
  if (filters.length === 0) return { isReported: () => true, warnings };
  return {
    isReported: (fileName) => {
      const real = realPath(fileName);
      return filters.every((f) => f(real));
    },
    warnings,
  };
}

function toRuleInfo(check: AnyCheck): RuleInfo {
  return { id: check.id, description: check.meta.description, defaultSeverity: check.meta.defaultSeverity, docsUrl: check.meta.docsUrl };
}

/** A program to check and the TypeScript its trees come from (covenant's 6, or TypeScript 7's namespace). */
interface EngineUnit extends ProgramUnit {
  engine: "ts6" | "ts7";
  ts: typeof ts;
  /**
   * Batch form (ts7): the types of and symbols at many nodes in one request. Not called per file:
   * prefetching every call's type and callee's symbol measured no gain with today's checks (ethers,
   * CPU 3.7 s with, 3.4-3.5 s without; docs/architecture.md).
   */
  prefetch?: (nodes: { types?: readonly ts.Node[]; symbols?: readonly ts.Node[] }) => void;
}

interface WorkItem {
  unit: EngineUnit;
  sourceFile: ts.SourceFile;
}

/** Runs the checks over each file to report on, then applies the file's suppressions. */
function analyzeFiles(
  work: readonly WorkItem[],
  enabled: readonly EnabledCheck[],
  settings: CheckSettings,
  knownRuleIds: readonly string[],
  options: RunCheckOptions,
  cwd: string,
) {
  const ranRuleIds = new Set(enabled.map((e) => e.check.id as string));
  const findings: Finding[] = [];
  let suppressed = 0;
  work.forEach(({ unit, sourceFile }, index) => {
    const file = toRelativePath(cwd, sourceFile.fileName);
    options.onProgress?.({ done: index, total: work.length, file });
    const skipReason = unit.engine === "ts7" ? getTs7SkipReason(unit, sourceFile) : getSkipReason(sourceFile);
    if (skipReason !== undefined) {
      findings.push(notAnalyzedFinding(sourceFile, skipReason, cwd));
      return;
    }
    const fileFindings = runChecksOnFile(sourceFile, enabled, { ts: unit.ts, program: unit.program, checker: unit.checker, settings, cwd });
    if (unit.engine === "ts7") stopIfTs7Died(fileFindings, sourceFile.fileName);
    const result = applySuppressions(file, fileFindings, findSuppressions(sourceFile, unit.ts), knownRuleIds, ranRuleIds);
    findings.push(...result.findings);
    suppressed += result.suppressed;
  });
  return { findings, suppressed };
}

interface LoadedBaseline {
  file: string;
  /** Undefined when the file does not exist yet (--update-baseline creates it). */
  baseline?: Baseline;
}

/**
 * `--baseline` / `--update-baseline`, before the analysis: reads and parses the baseline, and makes
 * sure the file can be written when it is to be updated, so a bad path fails fast.
 */
function loadBaseline(options: RunCheckOptions, cwd: string): LoadedBaseline | undefined {
  if (options.baseline === undefined && !options.updateBaseline) return undefined;
  const file = path.resolve(cwd, options.baseline ?? DEFAULT_BASELINE_FILE);
  const text = readUserFile(file, BASELINE_ROLE);
  if (text === undefined && !options.updateBaseline) {
    throw new CovenantError({ code: "baseline-not-found", file, line: 0, column: 0, message: "No such baseline file. Create it with --update-baseline." });
  }
  if (options.updateBaseline) prepareUserFile(file, BASELINE_ROLE);
  return text === undefined ? { file } : { file, baseline: parseBaseline(file, text) };
}

/**
 * Writes the baseline when asked (keeping the entries of files and rules this run did not cover),
 * then removes the findings it holds.
 */
function baselineFindings(
  findings: Finding[],
  loaded: LoadedBaseline | undefined,
  options: RunCheckOptions,
  cwd: string,
  work: readonly WorkItem[],
  ranRuleIds: ReadonlySet<string>,
): { findings: Finding[]; summary?: BaselineSummary } {
  if (!loaded) return { findings };
  const { file } = loaded;
  const toBaselinePath = (finding: string) => path.relative(path.dirname(file), path.resolve(cwd, finding)).split(path.sep).join("/");
  const reportedFiles = new Set(work.map((w) => toBaselinePath(toRelativePath(cwd, w.sourceFile.fileName))));
  const inScope = (entry: BaselineEntry) =>
    reportedFiles.has(entry.file) && (ranRuleIds.has(entry.ruleId) || (ENGINE_RULE_IDS as readonly string[]).includes(entry.ruleId));
  let baseline = loaded.baseline;
  if (options.updateBaseline) baseline = updateBaseline(file, findings, toBaselinePath, inScope);
  const result = applyBaseline(findings, baseline!, toBaselinePath, inScope);
  const summary: BaselineSummary = { file: toRelativePath(cwd, file), baselined: result.baselined, gone: result.gone };
  if (options.updateBaseline) summary.written = baseline!.findings.reduce((n, e) => n + e.count, 0);
  return { findings: result.findings, summary };
}

/**
 * Writes the baseline of `findings`, keeping the entries out of this run's scope. Under a lock, from
 * the file as it is now (not as it was before the analysis): two runs on different files at once
 * both keep their entries.
 */
function updateBaseline(
  file: string,
  findings: readonly Finding[],
  toBaselinePath: (file: string) => string,
  inScope: (entry: BaselineEntry) => boolean,
): Baseline {
  try {
    return withFileLock(file, () => {
      const text = readUserFile(file, BASELINE_ROLE);
      const current = text === undefined ? undefined : parseBaseline(file, text);
      const baseline = createBaseline(findings, toBaselinePath, current?.findings.filter((e) => !inScope(e)) ?? []);
      writeUserFile(file, formatBaseline(baseline), BASELINE_ROLE);
      return baseline;
    });
  } catch (error) {
    if (!(error instanceof LockTimeoutError)) throw error;
    throw new CovenantError({
      code: "baseline-locked",
      file,
      line: 0,
      column: 0,
      message: `Cannot update the baseline: ${error.message} (another covenant run updating it) for more than 30 s. Wait for it, or delete the lock file if no covenant runs.`,
    });
  }
}

/**
 * ts7: TypeScript 7's compiler process died (or its pipe broke) while the checks ran on a file: every
 * check of every file after would fail the same way, so the run stops with one located error instead
 * of an internal-error finding per check and file.
 */
function stopIfTs7Died(findings: readonly Finding[], fileName: string): void {
  const { isTs7ProcessFailure } = ts7Module();
  const failure = findings.find((f) => f.ruleId === "internal-error" && isTs7ProcessFailure(f.data.reason ?? ""));
  if (!failure) return;
  throw new CovenantError({
    code: "engine-ts7-died",
    file: fileName,
    line: 0,
    column: 0,
    message: `TypeScript 7's compiler process stopped while this file was checked (${failure.data.reason ?? "no reason given"}). Run again, or with --engine ts6.`,
  });
}

/**
 * ts7: a file whose syntax tree is deeper than MAX_SYNTAX_DEPTH is not analyzed, as on ts6 (there the
 * loader swaps it for an empty file): TypeScript 7's compiler reads it, but the checks and the
 * suppression scan walk trees recursively in this process and would exhaust its stack.
 */
function getTs7SkipReason(unit: EngineUnit, sourceFile: ts.SourceFile): string | undefined {
  return measureDepth(sourceFile, MAX_SYNTAX_DEPTH, unit.ts.forEachChild) > MAX_SYNTAX_DEPTH ? TOO_DEEP_REASON : undefined;
}

interface LoadedUnits {
  engine: "ts6" | "ts7";
  units: EngineUnit[];
  warnings: Problem[];
  close(): void;
}

/**
 * The programs to check, on the engine asked for. `ts7` asked explicitly and unable to run (no native
 * compiler for the platform, its process dying, a tsconfig TypeScript 7 rejects): one located error.
 * `auto` when it prefers ts7 (the caller's `autoEngine`): ts6 instead, with one
 * warning saying why, located at the option TypeScript 7 rejects when that is why.
 */
function loadUnits(requested: EngineName, tsconfig: string, options: RunCheckOptions): LoadedUnits {
  const loadTs6 = (warnings: Problem[] = []): LoadedUnits => {
    const project = timePhase("load project", () => loadProject({ tsconfig, ...(options.programCache ? { cache: options.programCache } : {}) }));
    return {
      engine: "ts6",
      units: project.units.map((u) => ({ ...u, engine: "ts6" as const, ts })),
      warnings: [...warnings, ...project.warnings],
      close: () => undefined,
    };
  };
  if (requested === "ts6" || (requested === "auto" && options.autoEngine !== "ts7")) return loadTs6();
  // Loaded only for ts7: the ts6 engine never pays for TypeScript 7's client.
  const { Ts7Session, Ts7Unavailable, getTs7Namespace } = ts7Module();
  let session: Ts7Session | undefined;
  try {
    // Before the native compiler reads anything: the tsconfigs' located errors as on ts6 (a tsconfig that
    // is /dev/zero would hang it, a reference cycle would give it no files), and no file it would block on.
    const { unreadable } = timePhase("load project", () => inspectProject(tsconfig));
    if (unreadable)
      throw new Ts7Unavailable(`${toRelativePath(path.dirname(tsconfig), unreadable.file)} ${unreadable.why}: TypeScript 7's compiler would block on it`, {
        file: unreadable.file,
        line: 0,
        column: 0,
      });
    session = options.ts7Session ? options.ts7Session(tsconfig) : new Ts7Session(path.dirname(tsconfig));
    const opened = timePhase("load project", () => session!.open(tsconfig));
    const namespace = getTs7Namespace();
    const owned = options.ts7Session ? undefined : session;
    return { engine: "ts7", units: opened.map((u) => ({ ...u, engine: "ts7" as const, ts: namespace })), warnings: [], close: () => owned?.close() };
  } catch (error) {
    if (!options.ts7Session) session?.close();
    if (!(error instanceof Ts7Unavailable)) throw error;
    const where = error.location ?? { file: tsconfig, line: 0, column: 0 };
    if (requested === "ts7")
      throw new CovenantError({ code: "engine-ts7-unavailable", ...where, message: `${error.message}. Fix it, or run with --engine ts6 (or auto).` });
    return loadTs6([
      {
        code: "engine-fallback",
        ...where,
        message: `Checked with TypeScript 6: ${error.message}. Fix that to check with TypeScript 7 (faster), or say --engine ts6 (config "engine": "ts6") to drop this note.`,
      },
    ]);
  }
}

/** load → analyze → suppress → baseline: the `covenant check` pipeline, as data. */
export function runCheck(options: RunCheckOptions = {}): Report {
  return runPrepared(prepareRun(options), options);
}

/**
 * runCheck for a caller that can wait (the CLI), from a run prepared before this module (and with it
 * TypeScript) was loaded: TypeScript 7's client is loaded first (loadTs7Engine)
 * only when the run will use it, by the engine asked for, else the config's `engine`, else `auto` as
 * `autoEngine` means it. A ts6 run (`--engine ts6`, or `"engine": "ts6"` in the config) never loads it.
 */
export async function runPreparedLoadingEngine(prepared: PreparedRun, options: RunCheckOptions): Promise<Report> {
  const engine = options.engine ?? prepared.config.engine ?? "auto";
  if (engine === "ts7" || (engine === "auto" && options.autoEngine === "ts7")) await loadTs7Engine();
  return runPrepared(prepared, options);
}

function runPrepared(prepared: PreparedRun, options: RunCheckOptions): Report {
  const project = loadUnits(options.engine ?? prepared.config.engine ?? "auto", prepared.tsconfig, options);
  try {
    return analyzeProject(project, options, prepared);
  } finally {
    project.close();
  }
}

function analyzeProject(project: LoadedUnits, options: RunCheckOptions, run: PreparedRun): Report {
  const { started, cwd, checks, tsconfig, config, enabled } = run;
  const settings = createSettings(config);
  const allFiles = project.units.flatMap((u) => u.files.map((sf) => sf.fileName));
  const { isReported, warnings: pathWarnings } = createFileFilter(options, cwd, allFiles, tsconfig);
  const work = project.units.flatMap((unit) => unit.files.filter((sf) => isReported(sf.fileName)).map((sourceFile) => ({ unit, sourceFile })));
  const loadedBaseline = loadBaseline(options, cwd);

  const analyzed = timePhase("analyze files", () => analyzeFiles(work, enabled, settings, Object.keys(checks).sort(), options, cwd));
  const { findings, summary: baseline } = baselineFindings(
    analyzed.findings,
    loadedBaseline,
    options,
    cwd,
    work,
    new Set(enabled.map((e) => e.check.id as string)),
  );
  findings.sort(compareFindings);
  const report: Report = {
    version: 1,
    toolVersion: PACKAGE.version,
    findings,
    summary: {
      filesAnalyzed: work.length,
      errors: findings.filter((f) => f.severity === "error").length,
      warnings: findings.filter((f) => f.severity === "warn").length,
      suppressed: analyzed.suppressed,
      baselined: baseline?.baselined ?? 0,
      durationMs: Math.round(performance.now() - started),
      engine: project.engine,
    },
    rules: [...enabled.map((e) => toRuleInfo(e.check)), ...Object.values(ENGINE_RULES)].sort((a, b) => (a.id < b.id ? -1 : 1)),
    warnings: [...project.warnings, ...pathWarnings],
  };
  if (baseline) report.baseline = baseline;
  if (isTimingEnabled()) process.stderr.write(formatTiming());
  return report;
}
