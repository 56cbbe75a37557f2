/**
 * Layer 2 for what the contract says beyond who may send what: close codes, what the server does
 * with client messages it cannot take as they are (out of state, invalid), state timeouts and
 * transitions that an event's arrival takes. Reads the document as written, so that every misuse is
 * reported where it is, whatever else is wrong.
 */
import type { CloseCode, CloseCodeRef, ContractState, OutOfStatePolicy } from "../model.js";
import { CLOSE_CODE_KEY_PATTERN, DURATION_PATTERN } from "../format/contract.schema.js";
import { didYouMean, formatChoices, type ProblemCollector } from "./contract-errors.js";
import { transitionTarget } from "./check-lifecycle.js";
import { isPlainObject } from "./schema-checks.js";
import type { JsonPath, SourceDocument } from "./source-document.js";
import { reachable } from "../../common/graph.js";

/** Standard codes (RFC 6455 7.4.1 and the IANA registry) an endpoint may send in a close frame. */
const STANDARD_SENDABLE = new Map<number, string>([
  [1000, "normal_closure"],
  [1001, "going_away"],
  [1002, "protocol_error"],
  [1003, "unsupported_data"],
  [1007, "invalid_payload_data"],
  [1008, "policy_violation"],
  [1009, "message_too_big"],
  [1010, "mandatory_extension"],
  [1011, "internal_error"],
  [1012, "service_restart"],
  [1013, "try_again_later"],
  [1014, "bad_gateway"],
]);

/** The code a default stands for when the contract declares none: 1008, policy violation. */
export const DEFAULT_CLOSE_CODE = 1008;

/** The largest timeout a JavaScript timer can wait (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Why a close code may not be declared, or undefined when it may: 4000-4999 (private use),
 * 3000-3999 (registered with IANA by libraries, frameworks and applications, RFC 6455 7.4.2: a
 * contract may describe a protocol that uses them; docs/contract-format.md says why) and the
 * standard codes an endpoint may send.
 */
function closeCodeNotAllowed(code: number): string | undefined {
  if (STANDARD_SENDABLE.has(code) || (code >= 3000 && code <= 4999)) return undefined;
  if (code === 1004) return "1004 is reserved by RFC 6455";
  if (code === 1005 || code === 1006 || code === 1015)
    return `${code} must never be sent in a close frame (RFC 6455 reserves it for reporting a closure without a code, an abnormal closure or a TLS failure)`;
  return "it is outside the codes a protocol may send";
}

/**
 * A duration as written (`3s`), in milliseconds; a string saying what is wrong when it is not one.
 */
export function parseDuration(text: string): number | string {
  const match = DURATION_PATTERN.exec(text);
  if (!match) {
    if (/^\s*\d+(\.\d+)?\s*(ms|s|m|h)\s*$/.test(text)) {
      return text.includes(".")
        ? "a duration is a whole number and a unit; write a fraction in a smaller unit (`1500ms`, not `1.5s`)"
        : "write the number and the unit without a space (`3s`)";
    }
    return "write a whole number and a unit, `ms`, `s`, `m` or `h`, such as `250ms`, `3s` or `5m`";
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms === 0) return "a timeout of 0 closes every connection as it enters the state; give a positive duration or remove the timeout";
  if (ms > MAX_TIMEOUT_MS) return "it is longer than a timer can wait (2147483647 ms, about 24.8 days); give a shorter duration";
  return ms;
}

export interface InboundRules {
  closeCodes: CloseCode[];
  invalidClose: CloseCodeRef;
  /** `inbound.wrongDirection`, when declared. */
  wrongDirectionClose?: CloseCodeRef;
  /** Per event: its policy (own or the default) when clients send it; whether it is the event's own. */
  policies: Map<string, { policy: OutOfStatePolicy; declared: boolean }>;
  /** Per state: the transitions its events take, and its timeout. */
  states: Map<string, Pick<ContractState, "onEvent" | "timeout">>;
  /** The declared code a reference at `at` names; reports it (and gives undefined) when none is declared by that name. */
  resolveClose: (at: JsonPath, value: unknown) => CloseCodeRef | undefined;
}

interface RawEventInfo {
  direction: unknown;
  /** Names of the states the event is allowed in (expanded `*`), undefined when not known. */
  states: readonly string[] | undefined;
}

/**
 * Checks `closeCodes`, `inbound`, the events' `outOfState`, the states' `timeout` and event-taken
 * transitions; returns what the model holds of them (meaningful only when no problem was added).
 */
export function checkInbound(
  source: SourceDocument,
  problems: ProblemCollector,
  doc: Record<string, unknown>,
  events: ReadonlyMap<string, RawEventInfo>,
): InboundRules {
  const file = source.file;
  const closeCodes: CloseCode[] = [];
  const byName = new Map<string, CloseCode>();
  if (isPlainObject(doc.closeCodes)) {
    for (const [key, value] of Object.entries(doc.closeCodes)) {
      if (!CLOSE_CODE_KEY_PATTERN.test(key)) continue; // the shape check's
      const code = Number(key);
      const why = closeCodeNotAllowed(code);
      if (why !== undefined) {
        problems.add("close-code-not-allowed", file, source.entryPosition(["closeCodes", key]), { code: key, why });
        continue;
      }
      if (!isPlainObject(value) || typeof value.name !== "string") continue;
      const previous = byName.get(value.name);
      if (previous) {
        problems.add("duplicate-close-code-name", file, source.valuePosition(["closeCodes", key, "name"]), {
          name: value.name,
          code: key,
          other: String(previous.code),
        });
        continue;
      }
      const entry: CloseCode = { code, name: value.name, ...(typeof value.description === "string" ? { description: value.description } : {}) };
      byName.set(value.name, entry);
      closeCodes.push(entry);
    }
  }
  closeCodes.sort((a, b) => a.code - b.code);
  const declaredNames = closeCodes.map((c) => c.name);
  const defaultClose: CloseCodeRef = {
    code: DEFAULT_CLOSE_CODE,
    name: closeCodes.find((c) => c.code === DEFAULT_CLOSE_CODE)?.name ?? STANDARD_SENDABLE.get(DEFAULT_CLOSE_CODE)!,
  };

  /** The declared code a reference names; reported (and undefined) when none. */
  const resolve = (at: JsonPath, value: unknown): CloseCodeRef | undefined => {
    if (typeof value !== "string") return undefined;
    const found = byName.get(value);
    if (found) return { code: found.code, name: found.name };
    problems.add("unknown-close-code", file, source.valuePosition(at), {
      name: value,
      didYouMean: didYouMean(value, declaredNames),
      declared:
        declaredNames.length > 0
          ? `Declare it under \`closeCodes\`, or use one of: ${formatChoices(declaredNames)}.`
          : "Declare it under `closeCodes` (`closeCodes: { 4400: { name: " + value + " } }`).",
    });
    return undefined;
  };
  const readPolicy = (at: JsonPath, value: unknown): OutOfStatePolicy | undefined => {
    if (value === "hold") return { action: "hold" };
    if (!isPlainObject(value)) return undefined;
    const close = resolve([...at, "reject"], value.reject);
    return close ? { action: "reject", close } : undefined;
  };

  const inbound = isPlainObject(doc.inbound) ? doc.inbound : {};
  const defaultPolicy = (inbound.outOfState !== undefined ? readPolicy(["inbound", "outOfState"], inbound.outOfState) : undefined) ?? {
    action: "reject",
    close: defaultClose,
  };
  const invalidClose = (inbound.invalid !== undefined ? resolve(["inbound", "invalid"], inbound.invalid) : undefined) ?? defaultClose;
  const wrongDirectionClose = inbound.wrongDirection !== undefined ? resolve(["inbound", "wrongDirection"], inbound.wrongDirection) : undefined;

  const policies: InboundRules["policies"] = new Map();
  const rawEvents = isPlainObject(doc.events) ? doc.events : {};
  for (const [name, info] of events) {
    const raw = rawEvents[name];
    const own = isPlainObject(raw) ? raw.outOfState : undefined;
    if (info.direction === "server-to-client") {
      if (own !== undefined) problems.add("policy-on-server-to-client-event", file, source.entryPosition(["events", name, "outOfState"]), { event: name });
      continue;
    }
    if (info.direction !== "client-to-server" && info.direction !== "both") continue;
    const policy = own !== undefined ? readPolicy(["events", name, "outOfState"], own) : undefined;
    policies.set(name, policy ? { policy, declared: true } : { policy: defaultPolicy, declared: false });
  }

  const lifecycle = isPlainObject(doc.lifecycle) ? doc.lifecycle : {};
  const rawStates = isPlainObject(lifecycle.states) ? lifecycle.states : {};
  checkHeldDelivered(source, problems, lifecycle, rawStates, events, policies);

  const states: InboundRules["states"] = new Map();
  const eventNames = [...events.keys()];
  for (const [stateName, state] of Object.entries(rawStates)) {
    if (!isPlainObject(state)) continue;
    const base = ["lifecycle", "states", stateName];
    const rules: Pick<ContractState, "onEvent" | "timeout"> = {};
    if (isPlainObject(state.on)) {
      const seen = new Map<string, string>();
      for (const [transition, value] of Object.entries(state.on)) {
        if (!isPlainObject(value) || typeof value.event !== "string") continue;
        const event = value.event;
        const at = source.valuePosition([...base, "on", transition, "event"]);
        const info = events.get(event);
        if (!info) {
          problems.add("unknown-transition-event", file, at, {
            transition,
            state: stateName,
            event,
            didYouMean: didYouMean(event, eventNames),
            events: formatChoices(eventNames),
          });
          continue;
        }
        const earlier = seen.get(event);
        if (earlier !== undefined) {
          problems.add("duplicate-transition-event", file, at, { transition, other: earlier, state: stateName, event });
          continue;
        }
        seen.set(event, transition);
        if (info.states && !info.states.includes(stateName)) {
          problems.add("transition-event-not-allowed", file, at, { transition, state: stateName, event });
          continue;
        }
        (rules.onEvent ??= {})[transition] = event;
      }
    }
    if (state.timeout !== undefined) {
      if (state.final === true) problems.add("timeout-on-final-state", file, source.entryPosition([...base, "timeout"]), { state: stateName });
      if (isPlainObject(state.timeout)) {
        const after = state.timeout.after;
        const ms = typeof after === "string" ? parseDuration(after) : undefined;
        if (typeof ms === "string")
          problems.add("invalid-duration", file, source.valuePosition([...base, "timeout", "after"]), { value: after as string, detail: ms });
        const close = resolve([...base, "timeout", "close"], state.timeout.close);
        if (typeof ms === "number" && close && state.final !== true) rules.timeout = { after: after as string, ms, close };
      }
    }
    states.set(stateName, rules);
  }
  return { closeCodes, invalidClose, ...(wrongDirectionClose ? { wrongDirectionClose } : {}), policies, states, resolveClose: resolve };
}

/**
 * A held message is delivered when the connection reaches a state that allows it; one held in a
 * state from which no such state can be reached would wait until the connection closes. Reported
 * at the policy that holds it (the event's own, or `inbound.outOfState`), naming the first such
 * state; not checked when the lifecycle cannot be read (its own problems are reported).
 */
function checkHeldDelivered(
  source: SourceDocument,
  problems: ProblemCollector,
  lifecycle: Record<string, unknown>,
  rawStates: Record<string, unknown>,
  events: ReadonlyMap<string, RawEventInfo>,
  policies: InboundRules["policies"],
): void {
  const initial = lifecycle.initial;
  if (typeof initial !== "string" || !Object.hasOwn(rawStates, initial)) return;
  const edges = new Map<string, string[]>();
  const finals = new Set<string>();
  for (const [name, state] of Object.entries(rawStates)) {
    if (!isPlainObject(state)) return;
    if (state.final === true) finals.add(name);
    const on = isPlainObject(state.on) ? Object.values(state.on) : [];
    const targets = on.map(transitionTarget);
    if (targets.some((t) => t === undefined || !Object.hasOwn(rawStates, t))) return;
    edges.set(name, targets as string[]);
  }
  const reach = (from: string): Set<string> => reachable([from], (state) => edges.get(state) ?? []);
  const reached = reach(initial);
  const reported = new Set<string>();
  for (const [name, { policy, declared }] of policies) {
    const allowed = events.get(name)?.states;
    if (policy.action !== "hold" || !allowed) continue;
    const stuck = [...reached].find((state) => !finals.has(state) && !allowed.includes(state) && ![...reach(state)].some((s) => allowed.includes(s)));
    if (stuck === undefined) continue;
    const at: JsonPath = declared ? ["events", name, "outOfState"] : ["inbound", "outOfState"];
    const key = `${at.join("\0")}\0${name}`;
    if (reported.has(key)) continue;
    reported.add(key);
    problems.add("hold-never-delivered", source.file, source.valuePosition(at), {
      event: name,
      state: stuck,
      how: declared ? "" : " (the contract's default, `inbound.outOfState`)",
    });
  }
}
