/**
 * The run monitor, inlined by the generator into `<name>.lifecycle.ts` after the contract's run
 * tables (when the contract declares `runs`): `create<Name>RunMonitor` checks runs against the
 * contract's pattern, a DFA the generator compiles (RUN_NEXT, RUN_ACCEPTING). Written for the
 * stand-in contract (`Protocol…` names, see stand-in.ts); only the text between the region
 * markers is inlined.
 */
import { own, quoteList } from "./lifecycle.js";
import type { ProtocolEventName, ProtocolMessage } from "./stand-in.js";
import { DISCRIMINATOR, PAYLOAD_FIELD, RUN_ACCEPTING, RUN_EVENTS, RUN_KEY, RUN_NEXT, RUN_PATTERN } from "./stand-in.js";

// #region run-monitor
export interface ProtocolRunViolation {
  /** The run's `{{runKey}}`. */
  readonly key: string | number;
  /** `broken`: an event the pattern does not allow there; `incomplete`: the run has not finished. */
  readonly reason: "broken" | "incomplete";
  /** Every event observed for the run, in order. */
  readonly events: readonly ProtocolEventName[];
  readonly message: string;
}

export interface ProtocolRunMonitor {
  /** Feeds one wire message (a parsed object); events outside the pattern or without a `{{runKey}}` are ignored. */
  observe(message: ProtocolMessage): void;
  /** One entry per run that broke the pattern or has not completed, in the order runs started. */
  violations(): ProtocolRunViolation[];
}

interface RunTrack {
  state: number;
  readonly events: ProtocolEventName[];
  /** Index in `events` of the first event the pattern did not allow, or -1. */
  brokenAt: number;
  /** The events the pattern allowed where it broke. */
  expected: readonly string[];
}

export function createProtocolRunMonitor(): ProtocolRunMonitor {
  const runs = new Map<string | number, RunTrack>();
  return {
    observe(message) {
      const record: unknown = message;
      if (typeof record !== "object" || record === null) return;
      const event = own<unknown>(record as { readonly [key: string]: unknown }, DISCRIMINATOR);
      const payload = own<unknown>(record as { readonly [key: string]: unknown }, PAYLOAD_FIELD);
      if (typeof event !== "string" || !RUN_EVENTS.has(event) || typeof payload !== "object" || payload === null)
        return;
      const key = own<unknown>(payload as { readonly [key: string]: unknown }, RUN_KEY);
      if (typeof key !== "string" && typeof key !== "number") return;
      let run = runs.get(key);
      if (run === undefined) {
        run = { state: 0, events: [], brokenAt: -1, expected: [] };
        runs.set(key, run);
      }
      run.events.push(event as ProtocolEventName);
      if (run.brokenAt >= 0) return;
      const table = RUN_NEXT[run.state] ?? {};
      const target = own(table, event);
      if (target === undefined) {
        run.brokenAt = run.events.length - 1;
        run.expected = Object.keys(table);
      } else {
        run.state = target;
      }
    },
    violations() {
      const out: ProtocolRunViolation[] = [];
      for (const [key, run] of runs) {
        const label = `run ${JSON.stringify(key)}`;
        if (run.brokenAt >= 0) {
          const event = run.events[run.brokenAt];
          const after =
            run.brokenAt === 0 ? "at the start of the run" : `after ${run.events.slice(0, run.brokenAt).join(" ")}`;
          const expected = run.expected.length === 0 ? "the run to be over" : `one of ${quoteList(run.expected)}`;
          out.push({
            key,
            reason: "broken",
            events: [...run.events],
            message: `${label}: ${JSON.stringify(event)} is not allowed ${after}; expected ${expected} (pattern: ${RUN_PATTERN})`,
          });
        } else if (RUN_ACCEPTING[run.state] !== true) {
          const expected = Object.keys(RUN_NEXT[run.state] ?? {});
          out.push({
            key,
            reason: "incomplete",
            events: [...run.events],
            message: `${label} has not completed: after ${run.events.join(" ")}, expected one of ${quoteList(expected)} (pattern: ${RUN_PATTERN})`,
          });
        }
      }
      return out;
    },
  };
}
// #endregion run-monitor
