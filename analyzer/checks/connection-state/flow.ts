/**
 * The lifecycle state of each connection at each bound call of a unit, walked over the unit's control
 * flow (control-flow.ts). A state is a set: every lifecycle state the connection can be in on some
 * path to the call (a may-analysis). Bound transitions move their connection; a transition returning a
 * Promise completes where it is awaited (awaited-promises.ts: also by an awaited call it is passed to,
 * or through `const p = …; await p`), until then the connection may be in the state before or after
 * it; `new X()` of a bound class starts a connection.
 */
import { ts } from "../typescript.js";
import { getAwaitedNames, getPromiseDestination } from "./awaited-promises.js";
import { ControlFlowWalker } from "./control-flow.js";
import { type LifecycleGraph, UNKNOWN_STATE } from "./graph.js";
import type { EmitSite, LifecycleSite, ReceiveSite, TransitionSite } from "./sites.js";
import { AMBIENT_KEY, isInlineCallback, type Unit, type UnitStart } from "./units.js";
import { mayBeThenable } from "../shared/promises.js";

type StateSet = ReadonlySet<string>;

interface FlowState {
  /** Connection key → the states it can be in (absent: its start state). */
  conns: Map<string, StateSet>;
  /**
   * Transitions still running: under a local variable's key, those whose Promise it holds (completed
   * at `await <local>`); under an await's key, those passed to the call it awaits.
   */
  pending: Map<string, TransitionSite[]>;
}

/** null: no path reaches here. */
type State = FlowState | null;

export interface FlowResult {
  /** The states of the connection a site acts on, before the call (operations, emissions, transitions). */
  statesAt: Map<LifecycleSite, StateSet>;
  /** Transition calls whose Promise is neither awaited nor kept for a later `await`. */
  unawaited: Set<TransitionSite>;
  /** The key whose state a site reads; undefined when the connection is not tracked. */
  stateKeyOf(site: LifecycleSite): string | undefined;
  start: UnitStart;
}

function union(a: StateSet, b: StateSet): StateSet {
  if (a === b) return a;
  const out = new Set(a);
  for (const s of b) out.add(s);
  return out;
}

/** The pending key of an await (a position is unique within the unit's file). */
function awaitKey(node: ts.AwaitExpression): string {
  return `await@${node.pos}`;
}

function sameSet(a: StateSet, b: StateSet): boolean {
  return a.size === b.size && [...a].every((s) => b.has(s));
}

export class LifecycleFlow extends ControlFlowWalker<FlowState> {
  private readonly result: FlowResult;
  private readonly sitesByNode = new Map<ts.Node, LifecycleSite[]>();
  /** Keys whose start is known here: bound parameters, callback receivers, `new` connections. */
  private readonly ownStart = new Set<string>();
  private readonly primary: string;
  /**
   * In a function bound by name or decorator (its connection is AMBIENT_KEY): the objects with no known
   * start that a transition here moves. They are the function's connection, for every call on them.
   */
  private readonly ambientAliases = new Set<string>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly graph: LifecycleGraph,
    private readonly unit: Unit,
    private readonly start: UnitStart,
    sites: readonly LifecycleSite[],
    private readonly localKey: (name: ts.Identifier) => string | undefined,
  ) {
    super();
    for (const site of sites) {
      const list = this.sitesByNode.get(site.node) ?? [];
      list.push(site);
      this.sitesByNode.set(site.node, list);
    }
    for (const key of start.initial.keys()) this.ownStart.add(key);
    for (const site of sites) if (site.kind === "construct" && site.target.kind === "expression" && site.target.key) this.ownStart.add(site.target.key);
    const transitioned = new Set(sites.flatMap((s) => (s.kind === "transition" && s.target.kind === "expression" && s.target.key ? [s.target.key] : [])));
    // The connection the function handles: bound by a handler, or the one connection it moves through the lifecycle.
    this.primary = start.primary ?? (transitioned.size === 1 ? [...transitioned][0]! : AMBIENT_KEY);
    if (this.primary === AMBIENT_KEY && start.initial.has(AMBIENT_KEY))
      for (const key of transitioned) if (!this.ownStart.has(key)) this.ambientAliases.add(key);
    this.result = { statesAt: new Map(), unawaited: new Set(), stateKeyOf: (site) => this.stateKeyOf(site), start };
  }

  run(): FlowResult {
    this.walk(this.unit, { conns: new Map(), pending: new Map() });
    return this.result;
  }

  /**
   * Whose state a site reads or changes. A plain function call acts on the function's connection. An
   * emission (or a processed message) goes to a connection with a known start, else counts as the function's connection (an
   * emitter object is not the connection). In a function bound by name or decorator, an object with no
   * known start that a transition here moves is the function's connection: its transitions move that
   * connection, and its operations read it (`socket.acceptSync(); socket.sendJson(…)` in an
   * `onUpgrade*` handler). Operations on other objects stay on their receiver (a broadcast to other
   * sockets is not this connection's business).
   */
  private stateKeyOf(site: LifecycleSite): string | undefined {
    if (site.target.kind === "none") return this.primary;
    const key = site.target.key;
    const known = key !== undefined && this.ownStart.has(key);
    if (site.kind === "emit" || site.kind === "receive") return known ? key : this.primary;
    if (site.kind === "transition" && !known && this.primary === AMBIENT_KEY && this.start.initial.has(AMBIENT_KEY)) return AMBIENT_KEY;
    if (key !== undefined && this.ambientAliases.has(key)) return AMBIENT_KEY;
    return key;
  }

  private initialOf(key: string): StateSet {
    const start = this.start.initial.get(key);
    return new Set([start ? start.state : UNKNOWN_STATE]);
  }

  private get(state: FlowState, key: string): StateSet {
    return state.conns.get(key) ?? this.initialOf(key);
  }

  protected join(a: State, b: State): State {
    if (!a) return b;
    if (!b) return a;
    const conns = new Map<string, StateSet>();
    for (const key of new Set([...a.conns.keys(), ...b.conns.keys()])) conns.set(key, union(this.get(a, key), this.get(b, key)));
    const pending = new Map(a.pending);
    for (const [key, list] of b.pending) pending.set(key, [...new Set([...(pending.get(key) ?? []), ...list])]);
    return { conns, pending };
  }

  protected equal(a: State, b: State): boolean {
    if (!a || !b) return a === b;
    const keys = new Set([...a.conns.keys(), ...b.conns.keys()]);
    if ([...keys].some((k) => !sameSet(this.get(a, k), this.get(b, k)))) return false;
    return a.pending.size === b.pending.size && [...a.pending].every(([k, v]) => b.pending.get(k)?.length === v.length);
  }

  protected afterCall(node: ts.CallExpression | ts.NewExpression, state: State): State {
    let out = state;
    for (const site of this.sitesByNode.get(node) ?? []) out = this.effect(site, out);
    return out;
  }

  protected isInline(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
    return isInlineCallback(this.checker, fn);
  }

  /** `await p` (`const p = conn.accept()`), `await withTimeout(conn.accept(), 5000)`: the transitions complete here. */
  protected override afterAwait(node: ts.AwaitExpression, out: State): State {
    if (!out) return out;
    const keys = [awaitKey(node), ...getAwaitedNames(node).flatMap((name) => this.localKey(name) ?? [])].filter((key) => out.pending.has(key));
    if (keys.length === 0) return out;
    const pending = new Map(out.pending);
    let next: FlowState = { conns: out.conns, pending };
    for (const key of keys) {
      const sites = pending.get(key)!;
      pending.delete(key);
      for (const site of sites) next = this.transition(site, next, "complete");
    }
    return next;
  }

  private effect(site: LifecycleSite, state: State): State {
    if (!state) return null;
    const key = this.stateKeyOf(site);
    if (key === undefined) return state;
    const before = this.get(state, key);
    const recorded = this.result.statesAt.get(site);
    this.result.statesAt.set(site, recorded ? union(recorded, before) : before);
    if (site.kind === "construct") return this.set(state, key, new Set([site.binding.state]));
    if (site.kind === "emit" || site.kind === "receive") return this.eventTaken(site, state, key, before);
    if (site.kind !== "transition") return state;
    const completion = this.completion(site);
    if (completion === "complete" || completion === "maybe") return this.transition(site, state, completion);
    // Running until an await: recorded under the key that await completes.
    const pending = new Map(state.pending);
    pending.set(completion.key, [...new Set([...(pending.get(completion.key) ?? []), site])]);
    return this.transition(site, { conns: state.conns, pending }, "maybe");
  }

  /**
   * complete: the transition is done when the call returns (a plain value, or awaited right there);
   * pending: it completes at a later await (of the call it is passed to, or of the variable holding
   * it); maybe: nothing here awaits it.
   */
  private completion(site: TransitionSite): "complete" | "maybe" | { key: string } {
    if (!mayBeThenable(this.checker, this.checker.getTypeAtLocation(site.node))) return "complete";
    const destination = getPromiseDestination(this.checker, site.node);
    if (destination?.kind === "awaited") return "complete";
    const key = destination?.kind === "awaitedBy" ? awaitKey(destination.await) : destination && this.localKey(destination.name);
    if (key !== undefined) return { key };
    this.result.unawaited.add(site);
    return "maybe";
  }

  private transition(site: TransitionSite, state: FlowState, completion: "complete" | "maybe" | "pending"): FlowState {
    const key = this.stateKeyOf(site);
    // `conn.transition("no_such")`: a name the contract does not have changes nothing here.
    if (key === undefined || site.names?.length === 0) return state;
    const before = this.get(state, key);
    const after = new Set<string>();
    for (const s of before) {
      for (const name of site.names ?? this.graph.transitions) {
        if (s === UNKNOWN_STATE) for (const t of this.graph.targets(name)) after.add(t);
        else after.add(this.graph.next(s, name) ?? s);
      }
      if (site.names === undefined) after.add(s); // an unknown transition may be none of them
    }
    return completion === "complete" ? this.set(state, key, after) : this.set(state, key, union(before, after));
  }

  /**
   * `on: { t: { to, event } }`: sending or processing the event takes the transition, from the states
   * that have one for it (elsewhere the connection stays). A queueing emitter sends later: the
   * connection may be in the state before or after. From an unknown state nothing is learnt.
   */
  private eventTaken(site: EmitSite | ReceiveSite, state: FlowState, key: string, before: StateSet): FlowState {
    if (!site.events?.length) return state;
    const after = new Set<string>();
    for (const s of before) {
      for (const event of site.events) {
        const transition = s === UNKNOWN_STATE ? undefined : this.graph.eventTransition(s, event);
        after.add((transition && this.graph.next(s, transition)) ?? s);
      }
    }
    if (sameSet(before, after)) return state;
    return this.set(state, key, site.kind === "emit" && site.binding.queues ? union(before, after) : after);
  }

  private set(state: FlowState, key: string, states: StateSet): FlowState {
    const conns = new Map(state.conns);
    conns.set(key, states);
    return { conns, pending: state.pending };
  }
}
