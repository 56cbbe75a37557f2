import fs from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";
import { CovenantError, type Problem } from "../common/errors.js";
import { diffContracts, type DiffResult } from "../contracts/diff/diff-contracts.js";
import {
  type DiffReportEntry,
  formatDiffJson,
  formatDiffMarkdownReport,
  formatDiffStylish,
  formatVersionVerdicts,
  versionVerdicts,
} from "../contracts/diff/format.js";
import { loadContract } from "../contracts/index.js";
import type { FailOn } from "../contracts/diff/semver.js";
import { getRepoRoot, listFilesAtRef, type LoadedSide, loadContractAtRef, loadSide, readAtRef } from "../contracts/diff/sources.js";
import { shouldColor } from "./color.js";
import { DIFF_FAIL_ON as FAIL_ON, DIFF_FORMATS as FORMATS } from "./command-values.js";
import { contractNotFound, expandConfigGlobs, noContracts } from "./contract-files.js";
import type { ExitCode } from "./exit-code.js";
import { capitalize, toPosix } from "../common/strings.js";
import { applyAcceptedBreaks } from "../contracts/diff/breaks.js";
import { findBreaksFile, loadBreaksFile } from "./breaks.js";

export interface DiffCommandOptions {
  base?: string;
  format?: string;
  config?: string;
  /** The global --color / --no-color. */
  color?: boolean;
  /** `breaking` (default) or `warning`: what makes the exit code 1 (without a major bump). */
  failOn?: string;
  /** The accepted-breaks ledger (default: covenant.breaks.json found upward from the cwd). */
  breaks?: string;
  /** The day expiry dates are checked against, YYYY-MM-DD (default: today, UTC). */
  today?: string;
}

function usage(message: string): CovenantError {
  return new CovenantError({ code: "diff-usage", file: "covenant diff", line: 0, column: 0, message });
}

/** `covenant diff`: prints the report; 1 when a contract breaks without a major bump; input errors throw a CovenantError (exit 2). */
export async function runDiff(args: readonly string[], options: DiffCommandOptions, cwd: string = process.cwd()): Promise<ExitCode> {
  const format = options.format ?? "stylish";
  if (!(FORMATS as readonly string[]).includes(format)) throw usage(`Unknown format "${format}". Use one of: ${FORMATS.join(", ")}.`);
  const failOn = options.failOn ?? "breaking";
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw usage(`Unknown --fail-on level "${failOn}". Use one of: ${FAIL_ON.join(", ")}.`);
  const failLevel = failOn as FailOn;
  let entries: DiffReportEntry[];
  let multiple = false;
  if (options.base !== undefined) {
    entries = await diffAgainstBase(options.base, args, options, cwd);
    multiple = true;
  } else {
    if (args.length !== 2)
      throw usage("Give two contracts (old and new: files or git-ref:path), or --base <git-ref> to compare the config's contracts with that ref.");
    const settled = await Promise.allSettled([loadSide(args[0]!, cwd), loadSide(args[1]!, cwd)]);
    const problems = settled.flatMap((s) => (s.status === "rejected" && s.reason instanceof CovenantError ? s.reason.problems : []));
    // The same file on both sides fails the same way: say it once.
    const unique = problems.filter(
      (p, i) => problems.findIndex((q) => q.file === p.file && q.line === p.line && q.column === p.column && q.message === p.message) === i,
    );
    if (unique.length) throw new CovenantError(unique);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    const [oldSide, newSide] = settled.map((s) => (s as PromiseFulfilledResult<LoadedSide>).value) as [LoadedSide, LoadedSide];
    entries = [{ file: newSide.label, base: oldSide.label, name: newSide.contract.name, result: diffContracts(oldSide.contract, newSide.contract) }];
  }

  entries = applyLedger(entries, options, cwd);

  const verdicts = versionVerdicts(entries, failLevel);
  // The report on stdout; the version verdicts (error, warning, note) on stderr, whatever the format.
  if (format === "stylish") {
    process.stdout.write(formatDiffStylish(entries, { color: shouldColor(process.stdout, options.color) }));
    process.stderr.write(formatVersionVerdicts(entries, { color: shouldColor(process.stderr, options.color), failOn: failLevel }));
  } else {
    // A pull-request comment (markdown) keeps its verdict lines too.
    process.stdout.write(format === "json" ? formatDiffJson(entries, { multiple }) : formatDiffMarkdownReport(entries, failLevel));
    for (const { entry, verdict } of verdicts) process.stderr.write(`covenant diff: ${verdict.level}: ${entry.file}: ${verdict.message!}\n`);
  }
  return verdicts.some((v) => v.verdict.level === "error") ? 1 : 0;
}

/**
 * Applies covenant.breaks.json (when there is one): accepted changes are marked, and entries that
 * expired or match nothing are reported on stderr at their line. A malformed file throws (exit 2).
 */
function applyLedger(entries: DiffReportEntry[], options: DiffCommandOptions, cwd: string): DiffReportEntry[] {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw usage(`--today "${today}" is not a date. Write it YYYY-MM-DD.`);
  const file = options.breaks !== undefined ? path.resolve(cwd, options.breaks) : findBreaksFile(cwd);
  if (file === undefined) return entries;
  const ledger = loadBreaksFile(file);
  const { results, outcome } = applyAcceptedBreaks(
    entries.map((e) => ({ contract: e.name ?? "", result: e.result })),
    ledger.breaks,
    today,
  );
  const where = (i: number) => {
    const at = ledger.source.locate(["breaks", i]);
    return `${toPosix(path.relative(cwd, file)) || file}:${at.line}:${at.column}`;
  };
  const describe = (i: number) => `the accepted break of ${ledger.breaks[i]!.rule} at ${ledger.breaks[i]!.path}`;
  const lines = [
    ...outcome.expired.map((i) => ({
      i,
      text: `error  ${capitalize(describe(i))} expired on ${ledger.breaks[i]!.expires}: the change is reported as breaking again. Make it compatible, bump the major version, or renew the entry with a new expiry date.`,
    })),
    ...outcome.expiredUnused.map((i) => ({
      i,
      text: `error  ${capitalize(describe(i))} expired on ${ledger.breaks[i]!.expires} and matches no change. Remove it.`,
    })),
    ...outcome.unused.map((i) => ({ i, text: `warning  ${capitalize(describe(i))} matches no change. Remove it, or fix its rule, path or contract.` })),
  ].sort((a, b) => a.i - b.i);
  for (const { i, text } of lines) process.stderr.write(`${where(i)}  ${text}\n`);
  return entries.map((e, i) => ({ ...e, result: results[i]! }));
}

/** A result for a contract that exists on one side only (`note`: why it is known only by name). */
function wholeContractResult(contract: { name: string; version: string }, added: boolean, note = ""): DiffResult {
  return {
    breaking: !added,
    versionBump: "none",
    oldVersion: added ? "(none)" : contract.version,
    newVersion: added ? contract.version : "(none)",
    only: added ? "new" : "old",
    changes: [
      {
        kind: added ? "non-breaking" : "breaking",
        rule: added ? "contract-added" : "contract-removed",
        path: "name",
        message: added
          ? `Contract "${contract.name}" is new: nothing to compare.`
          : `Contract "${contract.name}" was removed${note}: every peer that speaks it breaks.`,
      },
    ],
  };
}

/** Name and version of a contract that does not load, read as plain YAML (for reporting it as removed). */
function identify(text: string, file: string): { name: string; version: string } {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    doc = undefined;
  }
  const field = (key: string) =>
    doc && typeof doc === "object" && typeof (doc as Record<string, unknown>)[key] === "string" ? ((doc as Record<string, unknown>)[key] as string) : undefined;
  return { name: field("name") ?? path.basename(file).replace(/\.contract\.(ya?ml|json)$/, ""), version: field("version") ?? "(unknown)" };
}

async function diffAgainstBase(base: string, args: readonly string[], options: DiffCommandOptions, cwd: string): Promise<DiffReportEntry[]> {
  const root = await getRepoRoot(cwd, `${base}:`);
  let files: string[];
  let removed: string[] = [];
  if (args.length > 0) {
    files = args.map((a) => path.resolve(cwd, a));
    const missing = files.filter((f) => !fs.existsSync(f)).map(contractNotFound);
    if (missing.length) throw new CovenantError(missing);
  } else {
    // Loaded here: the config (and with it every check's option schema) is read only with --base.
    const { loadConfig } = await import("../analyzer/config/load-config.js");
    const config = loadConfig({ ...(options.config === undefined ? {} : { configFile: options.config }), searchFrom: cwd });
    if (config.contracts.length === 0) {
      throw noContracts(
        config.file ?? cwd,
        "No contracts to compare. List globs under `contracts` in covenant.config.json, or pass contract files: covenant diff --base <ref> contracts/x.contract.yaml.",
      );
    }
    files = await expandConfigGlobs(config.contracts, config.dir);
    // Contracts that matched at the base but are gone now.
    const isMatch = picomatch([...config.contracts]);
    const dirInRepo = toPosix(path.relative(root, config.dir));
    removed = (await listFilesAtRef(base, root))
      .filter((f) => (dirInRepo === "" || f.startsWith(`${dirInRepo}/`)) && isMatch(dirInRepo === "" ? f : f.slice(dirInRepo.length + 1)))
      .map((f) => path.join(root, ...f.split("/")))
      .filter((f) => !fs.existsSync(f));
  }

  const entries: DiffReportEntry[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const label = toPosix(path.relative(cwd, file)) || file;
    try {
      const current = loadContract(file);
      const before = await loadContractAtRef(base, toPosix(path.relative(root, file)), root);
      entries.push(
        before
          ? { file: label, base: before.label, name: current.name, result: diffContracts(before.contract, current) }
          : { file: label, base: `${base} (absent)`, name: current.name, result: wholeContractResult(current, true) },
      );
    } catch (error) {
      if (!(error instanceof CovenantError)) throw error;
      problems.push(...error.problems);
    }
  }
  for (const file of removed.sort()) {
    const rel = toPosix(path.relative(root, file));
    try {
      const text = await readAtRef(base, rel, root, `${base}:${rel}`);
      if (text === undefined) continue;
      const label = toPosix(path.relative(cwd, file)) || file;
      try {
        const before = await loadContractAtRef(base, rel, root);
        if (before) entries.push({ file: label, base: before.label, name: before.contract.name, result: wholeContractResult(before.contract, false) });
      } catch (error) {
        if (!(error instanceof CovenantError)) throw error;
        // Invalid at the base and gone now: still a removed contract, not a reason to stop the run.
        const identity = identify(text, file);
        entries.push({
          file: label,
          base: `${base}:${rel}`,
          name: identity.name,
          result: wholeContractResult(identity, false, ` (it did not load at ${base} either)`),
        });
      }
    } catch (error) {
      if (!(error instanceof CovenantError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) throw new CovenantError(problems);
  return entries;
}
