import type { Problem } from "../../common/errors.js";
import { repositoryFileUrl } from "../../common/package.js";
import type { EngineRuleId } from "../checks/rule-ids.js";
import type { Finding, Severity } from "./finding.js";

/** What reporters need to know of a rule (SARIF `tool.driver.rules`, markdown links). */
export interface RuleInfo {
  id: string;
  description: string;
  defaultSeverity: Severity;
  docsUrl: string;
}

export interface Summary {
  filesAnalyzed: number;
  errors: number;
  warnings: number;
  suppressed: number;
  baselined: number;
  durationMs: number;
  /** Which TypeScript analyzed the project: covenant's TypeScript 6 in process, or TypeScript 7's native compiler (`--engine`). */
  engine?: "ts6" | "ts7";
}

export interface BaselineSummary {
  /** The baseline file, relative to the cwd, `/` separators. */
  file: string;
  /** Findings the baseline covered (not reported). */
  baselined: number;
  /** Baselined findings that no longer occur (prune them with --update-baseline). */
  gone: number;
  /** Entries written by --update-baseline. */
  written?: number;
}

/** The result of `covenant check`: the input of every reporter. Findings are sorted. */
export interface Report {
  version: 1;
  toolVersion: string;
  findings: Finding[];
  summary: Summary;
  /** The rules that ran and the engine's own, sorted by id. */
  rules: RuleInfo[];
  baseline?: BaselineSummary;
  /** Non-fatal problems met on the way (e.g. an unknown compiler option): stderr, not the report. */
  warnings: Problem[];
}

const SUPPRESSIONS_URL = repositoryFileUrl("README.md#suppressions");

export const ENGINE_RULES: Record<EngineRuleId, RuleInfo> = {
  "internal-error": {
    id: "internal-error",
    description: "A check failed on a file. The run went on; the finding carries the reason.",
    defaultSeverity: "error",
    docsUrl: repositoryFileUrl("README.md#exit-codes"),
  },
  "invalid-suppression": {
    id: "invalid-suppression",
    description:
      "A suppression comment (`covenant-ignore`, or `eslint-disable…` naming a covenant rule) without a reason or naming an unknown rule; it suppresses nothing.",
    defaultSeverity: "error",
    docsUrl: SUPPRESSIONS_URL,
  },
  "unused-suppression": {
    id: "unused-suppression",
    description: "A suppression comment (`covenant-ignore`, or `eslint-disable…` naming a covenant rule) that suppresses no finding.",
    defaultSeverity: "warn",
    docsUrl: SUPPRESSIONS_URL,
  },
};
