import type { ContractEvent, OutOfStatePolicy } from "../../../contracts/model.js";
import { type CheckContext, defineCheck, noOptions } from "../define-check.js";
import { getCallText } from "../connection-state/bindings-match.js";
import { type EmittedEvent, readEmittedEvent } from "./emit-payloads.js";
import { getLifecycleAnalyses, type LifecycleAnalysis } from "../connection-state/analysis.js";
import { describeTransitions } from "../connection-state/graph.js";
import type { EmitSite, ReceiveSite } from "../connection-state/sites.js";
import { type PayloadProblem, SchemaConformance } from "./schema-conformance.js";
import { closest } from "../../../common/strings.js";

const messages = {
  unknownEvent: "`{call}` emits `{event}`, which contract `{contract}` does not define: clients of the contract cannot parse it. {fix}",
  eventNameType:
    "`{call}` names its event with `{actual}` in {field}, where contract `{contract}` names events with strings ({events}): clients that dispatch on it cannot read the message. Send the event's name.",
  missingField:
    "The `{event}` payload of `{call}` has no `{field}`, which contract `{contract}` requires: clients that validate against the contract reject the message. Add `{field}` ({expected}).",
  optionalField:
    "The `{event}` payload of `{call}` may lack `{field}` (it is {actual}), which contract `{contract}` requires: clients that validate against the contract reject the message when it is missing. Make `{field}` always present.",
  fieldType:
    "`{field}` in the `{event}` payload of `{call}` is `{actual}`, where contract `{contract}` says {expected}: clients that parse it as the contract says break. Send {expected}, or change the contract (a breaking change, with a major version bump).",
  extraField:
    "`{field}` in the `{event}` payload of `{call}` is not in contract `{contract}`, which allows no other fields there: clients that validate against the contract reject the message. Remove it, or add it to the contract.",
  eventInState:
    "`{call}` emits `{event}` while the connection can be in state `{state}`{origin}, but contract `{contract}` allows `{event}` only in {states}: {reader} is not ready for it. {fix}",
  receivedInState:
    "`{call}` processes `{event}` while the connection can be in state `{state}`{origin}, but contract `{contract}` allows `{event}` only in {states}, and {policy}: this code acts on a message the contract never delivers there. {fix}.",
} as const;

type MessageId = keyof typeof messages;
type Context = CheckContext<MessageId, unknown>;

const PAYLOAD_LABEL = "(the payload itself)";

function quoteList(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(", ");
}

function suggestFix(event: string, known: readonly string[]): string {
  const best = closest(event, known);
  if (best !== undefined) return `Did you mean \`${best}\`?`;
  return `Emit one of its events (${quoteList(known)}), or add \`${event}\` to the contract.`;
}

function reportPayload(context: Context, analysis: LifecycleAnalysis, site: EmitSite, event: ContractEvent, emitted: EmittedEvent): void {
  if (!emitted.payload) return;
  const conformance = new SchemaConformance(context.checker, analysis.bound.contract.definitions);
  const problems: PayloadProblem[] = conformance.check(emitted.payload, event.payload, site.binding.addsFields ?? []);
  const base = { call: getCallText(site.node), event: event.name, contract: analysis.bound.contract.name, expected: "", actual: "" };
  for (const problem of problems) {
    const data = {
      ...base,
      field: problem.path || PAYLOAD_LABEL,
      ...(problem.expected ? { expected: problem.expected } : {}),
      ...(problem.actual ? { actual: problem.actual } : {}),
    };
    context.report({ node: site.node, messageId: problem.kind, data, symbol: `${analysis.bound.contract.name}.${event.name}` });
  }
}

function describeStates(event: ContractEvent): string {
  return event.allStates ? "every state that is not final (`*`)" : event.states.map((s) => `\`${s}\``).join(", ");
}

function getPolicy(event: ContractEvent): OutOfStatePolicy {
  return event.outOfState ?? { action: "reject", close: { code: 1008, name: "policy_violation" } };
}

/** What the contract has the server do with `event` arriving out of state. */
function describePolicy(event: ContractEvent): string {
  const policy = getPolicy(event);
  if (policy.action === "hold") return "there it holds the message until a state allows it (`outOfState: hold`)";
  return `there it rejects the message by closing the connection with ${policy.close.code} \`${policy.close.name}\``;
}

/** What to do instead: process it once a state allows it, and until then do what the policy says. */
function describeReceiveFix(event: ContractEvent, path: string[] | undefined): string {
  const policy = getPolicy(event);
  const instead = policy.action === "hold" ? "hold it until then" : `before that, close the connection with ${policy.close.code} as the contract says`;
  if (path) return `Process it only after ${describeTransitions(path)}; ${instead}`;
  return policy.action === "hold"
    ? "Do not process it there: no state that allows it can follow"
    : `Do not process it there: no state that allows it can follow; close the connection with ${policy.close.code} as the contract says`;
}

/** Where the flow says the connection can be in a state `event` is not allowed in, conclusively: the state and the way out of it. */
function findStateOutside(
  analysis: LifecycleAnalysis,
  states: ReadonlySet<string>,
  event: ContractEvent,
): { state: string; path: string[] | undefined } | undefined {
  const { graph } = analysis.bound;
  const allowed = new Set(event.states);
  const state = graph.states.find((s) => states.has(s) && !allowed.has(s) && !graph.isFinal(s));
  if (!state) return undefined;
  const path = graph.pathInto(state, allowed);
  // A transition no binding names may have happened unseen: the state is not conclusive.
  if (path?.some((t) => !analysis.bound.boundTransitions.has(t))) return undefined;
  return { state, path };
}

function describeStart(analysis: LifecycleAnalysis, site: EmitSite | ReceiveSite, state: string): string {
  const flow = analysis.flowOf(site.unit);
  const key = flow.stateKeyOf(site);
  const start = key === undefined ? undefined : flow.start.initial.get(key);
  return start?.state === state ? ` (${start.origin})` : "";
}

/** A client message processed where the contract holds or rejects it. */
function checkReceive(context: Context, analysis: LifecycleAnalysis, site: ReceiveSite): void {
  const states = analysis.flowOf(site.unit).statesAt.get(site);
  if (!states || !site.events) return;
  const { contract } = analysis.bound;
  for (const name of site.events) {
    const event = contract.events.find((e) => e.name === name);
    if (!event || event.direction === "server-to-client") continue;
    const outside = findStateOutside(analysis, states, event);
    if (!outside) continue;
    context.report({
      node: site.node,
      messageId: "receivedInState",
      data: {
        call: getCallText(site.node),
        event: event.name,
        state: outside.state,
        origin: describeStart(analysis, site, outside.state),
        contract: contract.name,
        states: describeStates(event),
        policy: describePolicy(event),
        path: describeTransitions(outside.path),
        fix: describeReceiveFix(event, outside.path),
      },
      symbol: `${contract.name}.${event.name}`,
    });
    return;
  }
}

/**
 * A client message the server holds out of state (`outOfState: hold`): sent early, it waits at the
 * server, in order, until a state allows it, as the contract says. Sending it early is the protocol,
 * not a breach. (An event both sides send may be the server's own, which nothing holds.)
 */
function isHeldByServer(event: ContractEvent): boolean {
  return event.direction === "client-to-server" && getPolicy(event).action === "hold";
}

/** Who receives the event: the side that is not ready for it. */
function describeReader(event: ContractEvent): string {
  return event.direction === "server-to-client" ? "the client" : event.direction === "client-to-server" ? "the server" : "the other side";
}

/** An event emitted where the flow says the connection can be in a state the event is not allowed in. */
function reportState(context: Context, analysis: LifecycleAnalysis, site: EmitSite, events: readonly ContractEvent[]): void {
  if (site.binding.queues) return;
  const flow = analysis.flowOf(site.unit);
  const states = flow.statesAt.get(site);
  if (!states) return;
  const { contract } = analysis.bound;
  for (const event of events.filter((e) => !isHeldByServer(e))) {
    const outside = findStateOutside(analysis, states, event);
    if (!outside) continue;
    const { state, path } = outside;
    context.report({
      node: site.node,
      messageId: "eventInState",
      data: {
        call: getCallText(site.node),
        event: event.name,
        state,
        origin: describeStart(analysis, site, state),
        contract: contract.name,
        states: describeStates(event),
        path: describeTransitions(path),
        reader: describeReader(event),
        fix: path
          ? `Emit it after ${describeTransitions(path)}, or through the generated lifecycle guard, which holds it until then.`
          : "No state that allows it can follow: do not emit it there (the generated guard would never send it).",
      },
      symbol: `${contract.name}.${event.name}`,
    });
    return;
  }
}

function checkEmit(context: Context, analysis: LifecycleAnalysis, site: EmitSite): void {
  const { contract } = analysis.bound;
  const emitted = readEmittedEvent(context.checker, contract, site);
  if (!emitted) return;
  const known = contract.events.map((e) => e.name);
  const call = getCallText(site.node);
  if (emitted.nameNotString) {
    const data = { call, contract: contract.name, actual: emitted.nameNotString.actual, field: `\`${emitted.nameNotString.field}\``, events: quoteList(known) };
    context.report({ node: site.node, messageId: "eventNameType", data });
  }
  if (!emitted.events) return;
  for (const name of emitted.events.filter((e) => !known.includes(e))) {
    context.report({ node: site.node, messageId: "unknownEvent", data: { call, event: name, contract: contract.name, fix: suggestFix(name, known) } });
  }
  const events = emitted.events.flatMap((name) => contract.events.filter((e) => e.name === name));
  // A payload is compared when the call emits one known event (a name of union type may be any of them).
  if (events.length === 1 && emitted.events.length === 1) reportPayload(context, analysis, site, events[0]!, emitted);
  reportState(context, analysis, site, events);
}

export default defineCheck({
  id: "contract-event",
  meta: {
    description:
      "Reports an emitted event the contract does not define, a payload that does not fit the contract's schema for it, an event emitted where the connection can be in a state the contract does not allow it in, and a client message processed in a state where the contract holds or rejects it, per the config's bindings.",
    defaultSeverity: "error",
    requiresConfig: true,
  },
  messages,
  options: noOptions,
  check(context) {
    for (const analysis of getLifecycleAnalyses(context.program, context.checker, context.sourceFile, context.settings)) {
      for (const site of analysis.sites) {
        if (site.kind === "emit") checkEmit(context, analysis, site);
        else if (site.kind === "receive") checkReceive(context, analysis, site);
      }
    }
  },
});
