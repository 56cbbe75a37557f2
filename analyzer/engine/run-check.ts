import fs from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import ts from "typescript";
import { CovenantError, type Problem } from "../../common/errors.js";
import { PACKAGE } from "../../common/package.js";
import { LockTimeoutError, withFileLock } from "../../common/file-lock.js";
import type { Check, CheckSettings } from "../checks/define-check.js";
import { checks as registry } from "../checks/index.js";
import { ENGINE_RULE_IDS } from "../checks/rule-ids.js";
import { loadContractSettings } from "../config/contract-settings.js";
import { didYouMean, getDefaultConfig, type LoadedConfig, loadConfig } from "../config/load-config.js";
import { getSkipReason } from "../project/depth-guard.js";
import { loadProject, type ProgramUnit, resolveTsconfigPath } from "../project/load-project.js";
import type { ProgramCache } from "../project/program-cache.js";
import { prepareUserFile, readUserFile, realPath, writeUserFile } from "../../common/user-files.js";
import { applyBaseline, type Baseline, type BaselineEntry, createBaseline, formatBaseline, parseBaseline } from "./baseline.js";
import { getChangedFiles } from "./changed-files.js";
import { compareFindings, type Finding } from "./finding.js";
import { type BaselineSummary, ENGINE_RULES, type Report, type RuleInfo } from "./report.js";
import { type EnabledCheck, notAnalyzedFinding, runChecksOnFile, toRelativePath } from "./run-checks.js";
import { applySuppressions, findSuppressions } from "./suppressions.js";
import { formatTiming, isTimingEnabled, resetTiming, timePhase } from "./timing.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check's options type is its own zod schema's (a check's `check` takes its options contravariantly)
type AnyCheck = Check<string, any>;

export const DEFAULT_BASELINE_FILE = "covenant.baseline.json";

const BASELINE_ROLE = { what: "the baseline", flag: "--baseline" };

export interface RunCheckOptions {
  /** Paths in findings are relative to it; relative options resolve against it. Default: process.cwd(). */
  cwd?: string;
  /** tsconfig file or folder (`-p`); default: tsconfig.json found upward from cwd. */
  project?: string;
  /** Config file (`-c`); default: covenant.config.json found upward from the tsconfig's folder; false: defaults, no search. */
  config?: string | false;
  /** Report only on files under these paths (files or folders; each must exist). */
  paths?: string[];
  /** Run only these rules (`--rule`). */
  rules?: string[];
  /** Baseline file: report only findings it does not cover. */
  baseline?: string;
  /** Write the current findings to the baseline (default file covenant.baseline.json). */
  updateBaseline?: boolean;
  /** Report only on files changed since this git ref (plus untracked files). */
  changed?: string;
  /** The checks to run instead of the registry (tests). */
  checks?: Readonly<Record<string, AnyCheck>>;
  /** Called before each file is analyzed (the CLI's progress line). */
  onProgress?: (progress: { done: number; total: number; file: string }) => void;
  /** Source files kept from earlier runs of a long-lived process (`--daemon`); unchanged files are not parsed again. */
  programCache?: ProgramCache;
}

function selectChecks(checks: Readonly<Record<string, AnyCheck>>, config: LoadedConfig, only: readonly string[] | undefined): EnabledCheck[] {
  const ids = Object.keys(checks).sort();
  for (const id of only ?? []) {
    if (!ids.includes(id)) {
      throw new CovenantError({
        code: "unknown-rule",
        file: "--rule",
        line: 0,
        column: 0,
        message: `"${id}" is not a covenant rule id.${didYouMean(id, ids)} Use one of: ${ids.join(", ")}.`,
      });
    }
  }
  const enabled: EnabledCheck[] = [];
  for (const id of ids) {
    const check = checks[id]!;
    const setting = config.rules[id];
    const [severity, options] = Array.isArray(setting) ? setting : [setting ?? check.meta.defaultSeverity, undefined];
    if (only) {
      // --rule runs exactly these, even when the config turns them off.
      if (!only.includes(id)) continue;
      enabled.push({ check, severity: severity === "off" ? check.meta.defaultSeverity : severity, options: check.options.parse(options ?? {}) });
    } else if (severity !== "off") {
      enabled.push({ check, severity: severity, options: check.options.parse(options ?? {}) });
    }
  }
  return enabled;
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

interface WorkItem {
  unit: ProgramUnit;
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
    const skipReason = getSkipReason(sourceFile);
    if (skipReason !== undefined) {
      findings.push(notAnalyzedFinding(sourceFile, skipReason, cwd));
      return;
    }
    const fileFindings = runChecksOnFile(sourceFile, enabled, { program: unit.program, checker: unit.checker, settings, cwd });
    const result = applySuppressions(file, fileFindings, findSuppressions(sourceFile, ts), knownRuleIds, ranRuleIds);
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

/** load → analyze → suppress → baseline: the `covenant check` pipeline, as data. */
export function runCheck(options: RunCheckOptions = {}): Report {
  const started = performance.now();
  resetTiming();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const checks = options.checks ?? registry;
  const tsconfig = resolveTsconfigPath(options.project, cwd);
  const config = timePhase("load config", () =>
    options.config === false
      ? getDefaultConfig(path.dirname(tsconfig))
      : loadConfig({ configFile: options.config && path.resolve(cwd, options.config), searchFrom: path.dirname(tsconfig), checks }),
  );
  const enabled = selectChecks(checks, config, options.rules);
  const project = timePhase("load project", () => loadProject({ tsconfig, ...(options.programCache ? { cache: options.programCache } : {}) }));
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
    },
    rules: [...enabled.map((e) => toRuleInfo(e.check)), ...Object.values(ENGINE_RULES)].sort((a, b) => (a.id < b.id ? -1 : 1)),
    warnings: [...project.warnings, ...pathWarnings],
  };
  if (baseline) report.baseline = baseline;
  if (isTimingEnabled()) process.stderr.write(formatTiming());
  return report;
}
