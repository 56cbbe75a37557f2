import { z } from "zod";
import { CovenantError } from "../../common/errors.js";
import { parseJsonSource } from "../config/json-source.js";
import type { Finding } from "./finding.js";

/**
 * A baseline records accepted findings by rule, file, symbol and fingerprint (a hash of the reported
 * node's normalised source), never by line, so edits elsewhere in a file keep it valid.
 */
export interface BaselineEntry {
  ruleId: string;
  /** Relative to the baseline file's folder, `/` separators. */
  file: string;
  symbol?: string;
  fingerprint: string;
  /** For readers of the file; not part of the key. */
  message: string;
  /** How many identical findings this entry covers. */
  count: number;
}

export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

const baselineSchema = z.strictObject({
  version: z.literal(1),
  findings: z.array(
    z.strictObject({
      ruleId: z.string(),
      file: z.string(),
      symbol: z.string().optional(),
      fingerprint: z.string(),
      message: z.string(),
      count: z.number().int().positive(),
    }),
  ),
});

/**
 * The identity of a finding in a baseline; `file` already relative to the baseline folder. NUL
 * separates the parts (no rule id, path, symbol or fingerprint holds one); cheaper than
 * JSON.stringify on a million entries.
 */
function keyOf(ruleId: string, file: string, symbol: string | undefined, fingerprint: string): string {
  return `${ruleId}\u0000${file}\u0000${symbol ?? ""}\u0000${fingerprint}`;
}

/** Findings that can be baselined: every check finding with a fingerprint; never internal errors. */
export function isBaselinable(finding: Finding): finding is Finding & { fingerprint: string } {
  return finding.fingerprint !== undefined && finding.ruleId !== "internal-error";
}

export function parseBaseline(file: string, text: string): Baseline {
  const source = parseJsonSource(file, text, "baseline");
  const result = baselineSchema.safeParse(source.value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new CovenantError({
      code: "baseline-invalid",
      file,
      ...source.locate(issue.path, "value"),
      message: `Not a covenant baseline (${issue.path.join(".") || "root"}: ${issue.message}). Regenerate it with --update-baseline.`,
    });
  }
  return result.data;
}

const compareStrings = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return (
    compareStrings(a.file, b.file) ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.symbol ?? "", b.symbol ?? "") ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}

/**
 * A baseline of `findings` (paths mapped by `toBaselinePath`), keeping the `kept` entries of files
 * or rules this run did not cover. Sorted, so the file is deterministic.
 */
export function createBaseline(findings: readonly Finding[], toBaselinePath: (file: string) => string, kept: readonly BaselineEntry[] = []): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const entry of kept) entries.set(keyOf(entry.ruleId, entry.file, entry.symbol, entry.fingerprint), { ...entry });
  for (const finding of findings.filter(isBaselinable)) {
    const file = toBaselinePath(finding.file);
    const key = keyOf(finding.ruleId, file, finding.symbol, finding.fingerprint);
    const existing = entries.get(key);
    if (existing) existing.count++;
    else {
      const entry: BaselineEntry = { ruleId: finding.ruleId, file, fingerprint: finding.fingerprint, message: finding.message, count: 1 };
      if (finding.symbol !== undefined) entry.symbol = finding.symbol;
      entries.set(key, entry);
    }
  }
  return { version: 1, findings: [...entries.values()].sort(compareEntries) };
}

export function formatBaseline(baseline: Baseline): string {
  const findings = baseline.findings.map((e) => ({
    ruleId: e.ruleId,
    file: e.file,
    ...(e.symbol !== undefined ? { symbol: e.symbol } : {}),
    fingerprint: e.fingerprint,
    message: e.message,
    count: e.count,
  }));
  return `${JSON.stringify({ version: 1, findings }, null, 2)}\n`;
}

export interface BaselineResult {
  /** Findings the baseline does not cover: the new ones. */
  findings: Finding[];
  baselined: number;
  /** Entries (counted) within this run's scope that matched nothing. */
  gone: number;
}

/** Removes baselined findings; `inScope` says which entries this run could have reproduced. */
export function applyBaseline(
  findings: readonly Finding[],
  baseline: Baseline,
  toBaselinePath: (file: string) => string,
  inScope: (entry: BaselineEntry) => boolean,
): BaselineResult {
  const remaining = new Map<string, number>();
  const keys = baseline.findings.map((e) => keyOf(e.ruleId, e.file, e.symbol, e.fingerprint));
  baseline.findings.forEach((e, i) => remaining.set(keys[i]!, (remaining.get(keys[i]!) ?? 0) + e.count));
  let baselined = 0;
  const fresh = findings.filter((finding) => {
    if (!isBaselinable(finding)) return true;
    const key = keyOf(finding.ruleId, toBaselinePath(finding.file), finding.symbol, finding.fingerprint);
    const left = remaining.get(key) ?? 0;
    if (left === 0) return true;
    remaining.set(key, left - 1);
    baselined++;
    return false;
  });
  let gone = 0;
  for (const [i, e] of baseline.findings.entries()) {
    const key = keys[i]!;
    const left = remaining.get(key) ?? 0;
    if (left > 0 && inScope(e)) {
      const used = Math.min(left, e.count);
      gone += used;
      remaining.set(key, left - used);
    }
  }
  return { findings: fresh, baselined, gone };
}
