import { type CheckContext, defineCheck, noOptions } from "../define-check.js";
import { getCallee, getCallText } from "../connection-state/bindings-match.js";
import { getLifecycleAnalyses, type LifecycleAnalysis } from "../connection-state/analysis.js";
import type { FlowResult } from "../connection-state/flow.js";
import { describeTransitions, UNKNOWN_STATE } from "../connection-state/graph.js";
import type { OperationSite, TransitionSite } from "../connection-state/sites.js";

const messages = {
  operationInState:
    "`{call}` can run while {connection} is in state `{state}`{origin}, but contract `{contract}` allows {operation} only {rule}: the other side is not ready for it yet. Call it after {path}, or leave the function on the paths that do not get there.",
  operationBeforeTransition:
    "`{call}` can run before `{transitionCall}`: on some path to it {connection} has not gone through `{transition}`, and contract `{contract}` allows {operation} only {rule}. Move it after `{transitionCall}`, or leave the function on the paths that skip it.",
  transitionNotAwaited:
    "`{call}` can run before `{transitionCall}` has completed: that call returns a Promise that is not awaited here, and contract `{contract}` allows {operation} only {rule}. Await `{transitionCall}` first.",
} as const;

type MessageId = keyof typeof messages;
type Context = CheckContext<MessageId, unknown>;

function describeRule(analysis: LifecycleAnalysis, requires: string): string {
  return analysis.bound.graph.isState(requires) ? `from state \`${requires}\` on` : `after \`${requires}\``;
}

function getConnectionText(analysis: LifecycleAnalysis, site: OperationSite, key: string | undefined): string {
  if (site.target.kind === "expression" && key) return `\`${analysis.keys.getText(key) ?? site.target.node.getText()}\``;
  return "the connection";
}

/** The transitions of the unit, on the same connection, that bring it into the allowed states. */
function findBringingSites(analysis: LifecycleAnalysis, flow: FlowResult, site: OperationSite, allowed: ReadonlySet<string>): TransitionSite[] {
  const bringing = analysis.bound.graph.bringingTransitions(allowed);
  const key = flow.stateKeyOf(site);
  const sameConnection = (t: TransitionSite) =>
    flow.stateKeyOf(t) === key ||
    (site.target.kind === "expression" && t.target.kind === "expression" && t.target.key !== undefined && t.target.key === site.target.key);
  return analysis.sites.filter(
    (t): t is TransitionSite => t.kind === "transition" && t.unit === site.unit && sameConnection(t) && (t.names ?? []).some((n) => bringing.has(n)),
  );
}

/** Why the connection can be in `state`: the handler binding it starts from, or the `new` that made it. */
function describeOrigin(analysis: LifecycleAnalysis, flow: FlowResult, site: OperationSite, state: string): string {
  const key = flow.stateKeyOf(site);
  const start = key === undefined ? undefined : flow.start.initial.get(key);
  if (start) return start.state === state ? ` (${start.origin})` : "";
  const created = analysis.sites.find(
    (s) => s.kind === "construct" && s.unit === site.unit && s.target.kind === "expression" && s.target.key === key && s.binding.state === state,
  );
  return created ? ` (\`${getCallText(created.node)}\` starts it in state \`${state}\`)` : "";
}

function checkOperation(context: Context, analysis: LifecycleAnalysis, site: OperationSite): void {
  const flow = analysis.flowOf(site.unit);
  const states = flow.statesAt.get(site);
  if (!states) return;
  const { graph, contract } = analysis.bound;
  const allowed = graph.allowedStates(site.binding.requires);
  // A state before the required one is conclusive when every transition on the way has a binding
  // (one without may have happened unseen).
  const early = graph.states.find((s) => states.has(s) && !allowed.has(s) && !graph.pathInto(s, allowed)?.some((t) => !analysis.bound.boundTransitions.has(t)));
  const bringing = findBringingSites(analysis, flow, site, allowed);
  if (early === undefined && !(states.has(UNKNOWN_STATE) && bringing.length)) return;
  const key = flow.stateKeyOf(site);
  const unawaited = bringing.find((t) => flow.unawaited.has(t) && t.node.getStart() < site.node.getStart());
  const transitionSite = unawaited ?? bringing.find((t) => t.node.getStart() > site.node.getStart()) ?? bringing[0];
  const data = {
    call: getCallText(site.node),
    connection: getConnectionText(analysis, site, key),
    contract: contract.name,
    operation: `\`${site.binding.operation ?? getCallee(site.node)?.name ?? "operation"}\``,
    rule: describeRule(analysis, site.binding.requires),
    transitionCall: transitionSite ? getCallText(transitionSite.node) : "",
    transition: transitionSite?.names?.find((n) => graph.bringingTransitions(allowed).has(n)) ?? "",
  };
  const related = transitionSite ? [{ node: transitionSite.node, message: `the \`${data.transition}\` transition` }] : [];
  const symbol = `${contract.name}.${data.operation.replaceAll("`", "")}`;
  if (unawaited) {
    context.report({ node: site.node, messageId: "transitionNotAwaited", data, symbol, related });
  } else if (early !== undefined) {
    const origin = describeOrigin(analysis, flow, site, early);
    const path = describeTransitions(graph.pathInto(early, allowed));
    context.report({ node: site.node, messageId: "operationInState", data: { ...data, state: early, origin, path }, symbol, related });
  } else {
    context.report({ node: site.node, messageId: "operationBeforeTransition", data, symbol, related });
  }
}

export default defineCheck({
  id: "lifecycle-order",
  meta: {
    description:
      "Reports a contract operation (e.g. `send`) that can run, on some control-flow path of a function, before the transition the contract requires (e.g. `accept`), per the config's bindings.",
    defaultSeverity: "error",
    requiresConfig: true,
  },
  messages,
  options: noOptions,
  check(context) {
    for (const analysis of getLifecycleAnalyses(context.program, context.checker, context.sourceFile, context.settings)) {
      for (const site of analysis.sites) if (site.kind === "operation") checkOperation(context, analysis, site);
    }
  },
});
