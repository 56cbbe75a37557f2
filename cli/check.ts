import path from "node:path";
import { formatProblem } from "../common/errors.js";
import type { DaemonRequest } from "../analyzer/daemon/protocol.js";
import type { Report } from "../analyzer/engine/report.js";
import { formatBaselineNotes } from "../analyzer/report/baseline-notes.js";
import { type FormatName, reporters } from "../analyzer/report/index.js";
import { prepareUserFile, writeUserFile } from "../common/user-files.js";
import { shouldColor } from "./color.js";
import type { ExitCode } from "./exit-code.js";

export interface CheckFlags {
  project?: string;
  config?: string;
  format: FormatName;
  output?: string;
  rule?: string[];
  baseline?: string;
  updateBaseline?: boolean;
  changed?: string | true;
  maxWarnings?: number;
  daemon?: boolean;
  engine?: "auto" | "ts6" | "ts7";
  /** The global --color / --no-color. */
  color?: boolean;
}

/** A progress line on stderr, only when stderr is a terminal (never in CI logs or pipes). */
function createProgress(): { update(text: string): void; done(): void } {
  const none = () => undefined;
  if (!process.stderr.isTTY) return { update: none, done: none };
  let last = 0;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 80) return;
      last = now;
      process.stderr.write(`\r\u001b[K${text.slice(0, (process.stderr.columns || 80) - 1)}`);
    },
    done() {
      process.stderr.write("\r\u001b[K");
    },
  };
}

export function getExitCode(report: Report, maxWarnings: number | undefined): ExitCode {
  if (report.summary.errors > 0) return 1;
  if (maxWarnings !== undefined && maxWarnings >= 0 && report.summary.warnings > maxWarnings) return 1;
  return 0;
}

const OUTPUT_ROLE = { what: "the report", flag: "--output", stream: true };

/** `covenant check`: prints (or writes) the report; 0 clean, 1 findings; input errors throw a CovenantError (exit 2). */
export async function runCheckCommand(paths: string[], flags: CheckFlags): Promise<ExitCode> {
  // An unusable --output fails before the analysis, not after it.
  const output = flags.output === undefined ? undefined : path.resolve(flags.output);
  if (output) prepareUserFile(output, OUTPUT_ROLE);
  const progress = createProgress();
  progress.update("covenant: loading the project…");
  let report: Report;
  try {
    const options: DaemonRequest["options"] = {
      project: flags.project,
      config: flags.config,
      paths,
      rules: flags.rule,
      baseline: flags.baseline,
      updateBaseline: flags.updateBaseline,
      changed: flags.changed === true ? "HEAD" : flags.changed,
      engine: flags.engine,
    };
    const fromDaemon = flags.daemon ? await checkInDaemon(options) : undefined;
    if (fromDaemon) {
      report = fromDaemon;
    } else {
      // Loaded here, not at the top: a run through the daemon needs neither. The tsconfig's path, the config
      // and --rule first, without TypeScript: their errors do not wait for the compiler, which run-check.js loads.
      const { prepareRun } = await import("../analyzer/engine/prepare-run.js");
      const prepared = prepareRun(options);
      const { AUTO_ENGINE, runPreparedLoadingEngine, waitForTs7Exit } = await import("../analyzer/engine/run-check.js");
      // auto (the default) runs ts7 where it can; ts6 (--engine ts6, or the config's "engine") never loads TypeScript 7's client.
      report = await runPreparedLoadingEngine(prepared, {
        ...options,
        autoEngine: AUTO_ENGINE,
        onProgress: ({ done, total, file }) => progress.update(`covenant: ${done + 1}/${total} ${file}`),
      });
      // The compiler process is gone before the report is out: none is left behind, and its CPU counts with the run's.
      await waitForTs7Exit();
    }
  } finally {
    progress.done();
  }
  for (const warning of report.warnings) process.stderr.write(`${formatProblem(warning).replace("  error  ", "  warning  ")}\n`);
  // Only the stylish report on stdout is coloured: never a file, nor a json, sarif or markdown document.
  const color = flags.format === "stylish" && !flags.output && shouldColor(process.stdout, flags.color);
  const text = reporters[flags.format](report, { color });
  if (output) {
    writeUserFile(output, text, OUTPUT_ROLE);
  } else {
    process.stdout.write(text);
  }
  // json and sarif documents have a fixed shape: what the baseline did goes to stderr.
  if (flags.format === "json" || flags.format === "sarif") {
    for (const note of formatBaselineNotes(report)) process.stderr.write(`covenant: ${note}\n`);
  }
  const code = getExitCode(report, flags.maxWarnings);
  if (report.summary.errors === 0 && code === 1) {
    const { warnings } = report.summary;
    process.stderr.write(`covenant: ${warnings} ${warnings === 1 ? "warning exceeds" : "warnings exceed"} --max-warnings ${flags.maxWarnings!}.\n`);
  }
  return code;
}

/** The report from the daemon, or undefined (with a note on stderr) when none can be had: the caller checks in this process. */
async function checkInDaemon(options: DaemonRequest["options"]): Promise<Report | undefined> {
  // Loaded here: without --daemon the CLI needs none of it.
  const { DaemonUnavailableError, runCheckInDaemon } = await import("../analyzer/daemon/client.js");
  try {
    return await runCheckInDaemon({ cwd: process.cwd(), options });
  } catch (error) {
    if (!(error instanceof DaemonUnavailableError)) throw error;
    process.stderr.write(`covenant: ${error.message}; checking in this process instead.\n`);
    return undefined;
  }
}
