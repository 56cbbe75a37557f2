/**
 * Questions about a contract's lifecycle state machine that the contract rules ask: which states
 * come after a state, which transitions bring a connection into a set of states, the shortest way
 * from one state to another.
 */
import type { Contract } from "../../../contracts/model.js";
import { reachable } from "../../../common/graph.js";

/** The state of a connection the analysis cannot name: nothing known about where it started. */
export const UNKNOWN_STATE = "?";

export class LifecycleGraph {
  private readonly on = new Map<string, Record<string, string>>();
  private readonly finals = new Set<string>();
  /** state → event → the transition its arrival takes there (`on: { t: { to, event } }`). */
  private readonly byEvent = new Map<string, Map<string, string>>();
  readonly states: readonly string[];
  readonly transitions: readonly string[];

  constructor(readonly contract: Contract) {
    for (const state of contract.lifecycle.states) {
      this.on.set(state.name, state.on);
      if (state.final) this.finals.add(state.name);
      this.byEvent.set(state.name, new Map(Object.entries(state.onEvent ?? {}).map(([transition, event]) => [event, transition])));
    }
    this.states = contract.lifecycle.states.map((s) => s.name);
    this.transitions = [...new Set(contract.lifecycle.states.flatMap((s) => Object.keys(s.on)))];
  }

  isState(name: string): boolean {
    return this.on.has(name);
  }

  isFinal(state: string): boolean {
    return this.finals.has(state);
  }

  /** Where `transition` leads from `state`; undefined when the contract has no such transition there. */
  next(state: string, transition: string): string | undefined {
    return this.on.get(state)?.[transition];
  }

  /** The transition `event` takes in `state` (sent or accepted there); undefined when it takes none. */
  eventTransition(state: string, event: string): string | undefined {
    return this.byEvent.get(state)?.get(event);
  }

  /** The transitions some event's arrival takes, with that event. */
  eventTransitions(): { transition: string; event: string }[] {
    return [...this.byEvent.values()].flatMap((m) => [...m].map(([event, transition]) => ({ transition, event })));
  }

  /** Every state `transition` leads to, from any state. */
  targets(transition: string): string[] {
    return [...new Set(this.states.flatMap((s) => this.on.get(s)?.[transition] ?? []))];
  }

  /** `state` and every state reachable from it. */
  reach(state: string): Set<string> {
    return reachable([state], (from) => Object.values(this.on.get(from) ?? {}));
  }

  /**
   * The states in which an operation that `requires` a state (or a transition) may run: that state
   * and every state after it (for a transition: after its targets).
   */
  allowedStates(requires: string): Set<string> {
    if (this.isState(requires)) return this.reach(requires);
    const allowed = new Set<string>();
    for (const target of this.targets(requires)) for (const s of this.reach(target)) allowed.add(s);
    return allowed;
  }

  /**
   * The transitions that bring a connection into `allowed` from outside it, to a state that is not
   * final (`accept` for "accepted and after"; not `reject` or `close`, which end the connection).
   */
  bringingTransitions(allowed: ReadonlySet<string>): Set<string> {
    const found = new Set<string>();
    for (const state of this.states) {
      if (allowed.has(state)) continue;
      for (const [transition, target] of Object.entries(this.on.get(state) ?? {})) {
        if (allowed.has(target) && !this.isFinal(target)) found.add(transition);
      }
    }
    return found;
  }

  /**
   * The shortest list of transitions from `from` into `allowed` (breadth first, document order),
   * into a state that is not final when there is one (`close` is no way to get ready).
   */
  pathInto(from: string, allowed: ReadonlySet<string>): string[] | undefined {
    const live = [...allowed].filter((s) => !this.isFinal(s));
    if (live.length) allowed = new Set(live);
    const previous = new Map<string, { state: string; transition: string } | null>([[from, null]]);
    const queue = [from];
    while (queue.length) {
      const state = queue.shift()!;
      if (allowed.has(state)) {
        const path: string[] = [];
        for (let step = previous.get(state); step; step = previous.get(step.state)) path.unshift(step.transition);
        return path;
      }
      for (const [transition, target] of Object.entries(this.on.get(state) ?? {})) {
        if (previous.has(target)) continue;
        previous.set(target, { state, transition });
        queue.push(target);
      }
    }
    return undefined;
  }
}

/** "`accept`", "`services_ready` and `ready`": a path of transitions for messages. */
export function describeTransitions(path: readonly string[] | undefined): string {
  if (!path?.length) return "a transition the contract does not offer from there";
  const names = path.map((t) => `\`${t}\``);
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}` : names[0]!;
}
