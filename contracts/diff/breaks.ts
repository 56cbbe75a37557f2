/**
 * Accepted breaks: `covenant.breaks.json` lists breaking changes (or warnings) a team accepts, each
 * with the rule, the path, a reason, an owner and an expiry date. `covenant diff` reports a matching
 * change as accepted (it no longer makes the result breaking) until the day after its expiry, then as
 * breaking again. An entry that matches no change is reported, like an unused suppression.
 */
import { z } from "zod";
import type { DiffChange, DiffResult } from "./diff-contracts.js";
import { diffRuleIds } from "./change-kinds.js";

/** YYYY-MM-DD that names a real calendar day. */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

export const acceptedBreakSchema = z
  .strictObject({
    rule: z.enum(diffRuleIds as [string, ...string[]]).describe("The diff rule id of the change (docs/diff-rules.md)."),
    path: z.string().min(1).describe("The change's path, exactly as `covenant diff` prints it after `at` (e.g. `events.user_joined`)."),
    contract: z.string().min(1).optional().describe("The contract's name, when several contracts are compared (`--base`). Default: any contract."),
    reason: z.string().min(1).describe("Why the break is accepted (who was told, what was migrated)."),
    owner: z.string().min(1).describe("Who answers for it (a person or a team)."),
    expires: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date written YYYY-MM-DD" })
      .refine(isCalendarDate, { message: "must be a date written YYYY-MM-DD" })
      .describe("The last day (UTC, YYYY-MM-DD) the break is accepted; from the next day it is reported as breaking again."),
  })
  .describe("One accepted breaking change.");

export const breaksFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path or URL of this JSON Schema, for editor completion."),
    breaks: z.array(acceptedBreakSchema).describe("The accepted breaking changes."),
  })
  .describe("Breaking changes a team accepts (covenant.breaks.json), each until its expiry date.");

export type AcceptedBreak = z.infer<typeof acceptedBreakSchema>;

/** The published JSON Schema of covenant.breaks.json (schema/breaks.schema.json), from the zod source. */
export function createBreaksJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(breaksFileSchema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
}

/** A result with its contract's name, as the ledger is matched against. */
export interface LedgerTarget {
  /** The contract's name (new side, else old side). */
  contract: string;
  result: DiffResult;
}

export interface LedgerOutcome {
  /** Indices of entries that matched no change. */
  unused: number[];
  /** Indices of entries past their expiry that matched a change (now reported as breaking again). */
  expired: number[];
  /** Indices of entries past their expiry that matched nothing either. */
  expiredUnused: number[];
}

function matches(entry: AcceptedBreak, contract: string, change: DiffChange): boolean {
  return entry.rule === change.rule && entry.path === change.path && (entry.contract === undefined || entry.contract === contract);
}

/**
 * Marks the changes the ledger accepts (breaking or warning changes only; a non-breaking change
 * needs no acceptance) and recomputes each result's `breaking`. `today` is YYYY-MM-DD (UTC).
 * Returns new results; the inputs are not changed.
 */
export function applyAcceptedBreaks(
  targets: readonly LedgerTarget[],
  entries: readonly AcceptedBreak[],
  today: string,
): { results: DiffResult[]; outcome: LedgerOutcome } {
  const used = new Set<number>();
  const results = targets.map(({ contract, result }) => {
    const changes = result.changes.map((change) => {
      if (change.kind === "non-breaking") return change;
      const index = entries.findIndex((entry) => matches(entry, contract, change));
      if (index < 0) return change;
      used.add(index);
      const entry = entries[index]!;
      if (entry.expires < today) return change;
      return { ...change, accepted: { reason: entry.reason, owner: entry.owner, expires: entry.expires } };
    });
    return { ...result, changes, breaking: changes.some((c) => c.kind === "breaking" && !c.accepted) };
  });
  const outcome: LedgerOutcome = { unused: [], expired: [], expiredUnused: [] };
  entries.forEach((entry, i) => {
    const expired = entry.expires < today;
    if (used.has(i)) {
      if (expired) outcome.expired.push(i);
    } else if (expired) outcome.expiredUnused.push(i);
    else outcome.unused.push(i);
  });
  return { results, outcome };
}
