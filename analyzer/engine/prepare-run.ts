import path from "node:path";
import { CovenantError } from "../../common/errors.js";
import type { Check } from "../checks/define-check.js";
import { checks as registry } from "../checks/index.js";
import { didYouMean, getDefaultConfig, type LoadedConfig, loadConfig } from "../config/load-config.js";
import type { ProgramCache } from "../project/program-cache.js";
import { resolveTsconfigPath } from "../project/tsconfig-path.js";
import type { EnabledCheck } from "./run-checks.js";
import { resetTiming, timePhase } from "./timing.js";
import type { Ts7Session } from "./ts7/api.js";

/**
 * The start of a `covenant check` run, before any TypeScript: which tsconfig, the config, the rules to
 * run. Neither this module nor what it imports loads TypeScript, so a missing tsconfig, a bad config or
 * an unknown --rule is reported without loading the compiler (a quarter of a second of CPU); the CLI
 * imports run-check.ts (the project, the checks' run, TypeScript) only once this has passed.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check's options type is its own zod schema's (a check's `check` takes its options contravariantly)
export type AnyCheck = Check<string, any>;

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
  /** Which TypeScript analyzes the project (`--engine`; default: the config's `engine`, else auto). */
  engine?: EngineName;
  /**
   * The TypeScript 7 compiler process of a long-lived process (`--daemon`) for a tsconfig, reused across
   * runs (it keeps what it parsed; each run tells it what changed on disk); default: one per run.
   */
  ts7Session?: (tsconfig: string) => Ts7Session;
  /** What `auto` means for this caller: ts6 (the default; the daemon) or ts7 (the CLI: AUTO_ENGINE, after loadTs7Engine). */
  autoEngine?: "ts6" | "ts7";
}

export const ENGINE_NAMES = ["auto", "ts6", "ts7"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

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

export interface PreparedRun {
  started: number;
  cwd: string;
  checks: Readonly<Record<string, AnyCheck>>;
  tsconfig: string;
  config: LoadedConfig;
  /** The checks to run, with their severity and options. */
  enabled: EnabledCheck[];
}

/** The tsconfig, the config and the rules of a run (their errors first, as located input errors). */
export function prepareRun(options: RunCheckOptions): PreparedRun {
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
  return { started, cwd, checks, tsconfig, config, enabled: selectChecks(checks, config, options.rules) };
}
