/**
 * The contracts a check sees (`CheckSettings.contracts`, loaded by the engine or the ESLint
 * settings) with their bindings, in the shape the contract rules use.
 */
import type { Contract } from "../../../contracts/model.js";
import { type ContractBindings, contractBindingsSchema } from "../../../contracts/bindings/bindings.schema.js";
import type { CheckSettings } from "../define-check.js";
import { LifecycleGraph } from "./graph.js";

export interface BoundContract {
  contract: Contract;
  bindings: ContractBindings;
  graph: LifecycleGraph;
  /**
   * The transitions some binding maps to code (all of them when a `transitionArg` binding names them
   * by argument, and those an event takes when an emit or receive binding may name that event). A transition without a binding is invisible to the analysis: a state before it
   * proves nothing, because the code may perform it in a way the bindings do not name.
   */
  boundTransitions: ReadonlySet<string>;
}

const cache = new WeakMap<readonly unknown[], BoundContract[]>();

function isContractSetting(value: unknown): value is { contract: Contract; bindings?: unknown } {
  if (value === null || typeof value !== "object") return false;
  const contract = (value as { contract?: unknown }).contract;
  return (
    contract !== null && typeof contract === "object" && Array.isArray((contract as Contract).events) && typeof (contract as Contract).lifecycle === "object"
  );
}

/** The contracts that have bindings (the others give the contract rules nothing to match). */
export function getBoundContracts(settings: CheckSettings): BoundContract[] {
  const hit = cache.get(settings.contracts);
  if (hit) return hit;
  const bound: BoundContract[] = [];
  for (const entry of settings.contracts) {
    if (!isContractSetting(entry) || entry.bindings === undefined) continue;
    // Validated when the config was loaded; parsing again gives the typed shape (and guards callers that skip the config).
    const bindings = contractBindingsSchema.parse(entry.bindings);
    const graph = new LifecycleGraph(entry.contract);
    const transitions = bindings.transitions ?? [];
    const boundTransitions = new Set(
      transitions.some((t) => t.transitionArg !== undefined) ? graph.transitions : transitions.flatMap((t) => t.transition ?? []),
    );
    // A transition an event takes is seen where a bound call sends or processes that event.
    const eventBindings = [...(bindings.emits ?? []), ...(bindings.receives ?? [])];
    for (const { transition, event } of graph.eventTransitions()) {
      if (eventBindings.some((b) => b.event === undefined || b.event === event)) boundTransitions.add(transition);
    }
    bound.push({ contract: entry.contract, bindings, graph, boundTransitions });
  }
  cache.set(settings.contracts, bound);
  return bound;
}
