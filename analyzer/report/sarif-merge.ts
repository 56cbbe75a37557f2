import path from "node:path";
import type { ArtifactLocation, Log, ReportingDescriptor, Result, Run } from "sarif";
import { toUri } from "./sarif.js";

/** One SARIF log to merge, and where its relative URIs lead from the merged log's folder. */
export interface SarifInput {
  log: Log;
  /**
   * The POSIX path from the merged log's folder to the folder the input's relative URIs are relative
   * to (`packages/api` for a `covenant check` run in packages/api); `""` or `.` when it is the same.
   */
  base: string;
}

/** The run fields the merge knows how to join; a run with any other field is kept as a run of its own. */
const JOINABLE_RUN_KEYS = new Set(["tool", "columnKind", "results", "properties"]);
const JOINABLE_DRIVER_KEYS = new Set(["name", "version", "semanticVersion", "informationUri", "rules"]);

/** `src/a%20b.ts` under `packages/api` -> `packages/api/src/a%20b.ts`; absolute URIs and URIs with a `uriBaseId` are left alone. */
export function rebaseUri(uri: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith("/")) return uri;
  if (base === "" || base === ".") return uri;
  let decoded: string;
  try {
    decoded = decodeURI(uri);
  } catch {
    return uri;
  }
  return toUri(path.posix.normalize(path.posix.join(base, decoded)));
}

function rebaseLocation(location: ArtifactLocation, base: string): ArtifactLocation {
  return location.uri === undefined || location.uriBaseId !== undefined ? location : { ...location, uri: rebaseUri(location.uri, base) };
}

/** A copy of `value` with every `artifactLocation` (and each `artifacts[].location`) rebased. */
function rebaseAll<T>(value: T, base: string): T {
  if (Array.isArray(value)) return (value as unknown[]).map((item) => rebaseAll(item, base)) as T;
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] =
      (key === "artifactLocation" || key === "location") && isArtifactLocation(child) ? rebaseLocation(rebaseAll(child, base), base) : rebaseAll(child, base);
  }
  return copy as T;
}

function isArtifactLocation(value: unknown): value is ArtifactLocation {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as ArtifactLocation).uri === "string";
}

function isJoinable(run: Run): boolean {
  return Object.keys(run).every((key) => JOINABLE_RUN_KEYS.has(key)) && Object.keys(run.tool.driver).every((key) => JOINABLE_DRIVER_KEYS.has(key));
}

/** Runs of one tool are joined: same driver name, version and column kind. */
function joinKey(run: Run): string {
  return JSON.stringify([run.tool.driver.name, run.tool.driver.version ?? "", run.tool.driver.semanticVersion ?? "", run.columnKind ?? ""]);
}

const firstUri = (result: Result) => result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? "";
const firstRegion = (result: Result) => result.locations?.[0]?.physicalLocation?.region ?? {};

function compareResults(a: Result, b: Result): number {
  const ra = firstRegion(a);
  const rb = firstRegion(b);
  return (
    compareText(firstUri(a), firstUri(b)) ||
    (ra.startLine ?? 0) - (rb.startLine ?? 0) ||
    (ra.startColumn ?? 0) - (rb.startColumn ?? 0) ||
    compareText(a.ruleId ?? "", b.ruleId ?? "") ||
    compareText(a.message.text ?? "", b.message.text ?? "")
  );
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Numeric run properties (covenant's `filesAnalyzed`, `suppressed`, `baselined`) are summed; others kept when every run agrees. */
function joinProperties(runs: readonly Run[]): Run["properties"] {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(run.properties ?? {})))].sort();
  const joined: Record<string, unknown> = {};
  for (const key of keys) {
    const values = runs.map((run): unknown => run.properties?.[key]);
    if (values.every((v) => typeof v === "number")) joined[key] = values.reduce((sum, v) => sum + v, 0);
    else if (values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]))) joined[key] = values[0];
  }
  return keys.length > 0 ? joined : undefined;
}

/** The rule id of a result: `ruleId`, `rule.id`, or its run's `rules[ruleIndex].id`. */
function ruleIdOf(result: Result, rules: readonly ReportingDescriptor[]): string | undefined {
  return result.ruleId ?? result.rule?.id ?? (result.ruleIndex !== undefined ? rules[result.ruleIndex]?.id : undefined);
}

function joinRuns(runs: readonly Run[]): Run {
  const first = runs[0]!;
  const rulesById = new Map<string, ReportingDescriptor>();
  for (const run of runs) for (const rule of run.tool.driver.rules ?? []) if (!rulesById.has(rule.id)) rulesById.set(rule.id, rule);
  const rules = [...rulesById.values()].sort((a, b) => compareText(a.id, b.id));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = runs
    .flatMap((run) =>
      (run.results ?? []).map((result) => {
        const id = ruleIdOf(result, run.tool.driver.rules ?? []);
        const { ruleIndex: _old, ...rest } = result;
        const index = id !== undefined ? ruleIndex.get(id) : undefined;
        return {
          ...rest,
          ...(id !== undefined && result.ruleId === undefined && result.rule === undefined ? { ruleId: id } : {}),
          ...(index !== undefined ? { ruleIndex: index } : {}),
        };
      }),
    )
    .sort(compareResults);
  const driver = { ...first.tool.driver, ...(rules.length > 0 ? { rules } : {}) };
  const properties = joinProperties(runs);
  return {
    tool: { ...first.tool, driver },
    ...(first.columnKind !== undefined ? { columnKind: first.columnKind } : {}),
    results,
    ...(properties !== undefined ? { properties } : {}),
  };
}

/**
 * Joins SARIF logs (one per package of a monorepo) into one log to upload: every relative URI is
 * rebased onto the merged log's folder; runs of the same tool (name, version, column kind) that carry
 * nothing but rules, results and properties are joined into one run, results sorted by location,
 * rules by id, numeric properties summed (code scanning accepts one run per tool and category in an
 * upload); any other run is kept as a run of its own. Pure and deterministic: the order of the inputs
 * changes nothing but the order of unjoinable runs.
 */
export function mergeSarif(inputs: readonly SarifInput[]): Log {
  const runs = inputs.flatMap((input) => input.log.runs.map((run) => rebaseAll(run, input.base)));
  // Each joinable run goes to its tool's group, in the place of the group's first run.
  const groups = new Map<string, Run[]>();
  const slots: (Run | Run[])[] = [];
  for (const run of runs) {
    if (!isJoinable(run)) {
      slots.push(run);
      continue;
    }
    const key = joinKey(run);
    const group = groups.get(key);
    if (group) group.push(run);
    else {
      groups.set(key, [run]);
      slots.push(groups.get(key)!);
    }
  }
  const merged = slots.map((slot) => (Array.isArray(slot) ? joinRuns(slot) : slot)).sort((a, b) => compareText(joinKey(a), joinKey(b)));
  return { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: merged };
}

/** The results at level `error` (a result without a level takes its rule's default, else `warning`, as SARIF says). */
export function countErrorResults(log: Log): number {
  let errors = 0;
  for (const run of log.runs) {
    const rules = run.tool.driver.rules ?? [];
    for (const result of run.results ?? []) {
      const rule = result.ruleIndex !== undefined ? rules[result.ruleIndex] : rules.find((r) => r.id === result.ruleId);
      if ((result.level ?? rule?.defaultConfiguration?.level ?? "warning") === "error") errors++;
    }
  }
  return errors;
}
