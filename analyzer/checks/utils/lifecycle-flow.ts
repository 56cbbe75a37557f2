/**
 * The lifecycle state of each connection at each bound call of a unit, by abstract interpretation
 * over the unit's control flow: statements in order, both arms of a branch, loops to a fixed point,
 * `return`/`throw`/`break`/`continue` ending their paths, `catch` entered from any point of its
 * `try`, `&&`/`||`/`??`/`?:`/`?.` as branches. A state is a set (a may-analysis: every state the
 * connection can be in on some path to the call). A transition returning a Promise completes where
 * it is awaited; until then the connection may be in the state before or after it.
 */
import ts from "typescript";
import { type LifecycleGraph, UNKNOWN_STATE } from "./lifecycle-graph.js";
import type { LifecycleSite, TransitionSite } from "./lifecycle-sites.js";
import { AMBIENT_KEY, getEnclosingCallArgument, isInlineCallback, type Unit, type UnitStart } from "./lifecycle-units.js";
import { isThenableType } from "./promise-types.js";

type StateSet = ReadonlySet<string>;

interface FlowState {
  /** Connection key → the states it can be in (absent: its start state). */
  conns: Map<string, StateSet>;
  /** Local variable key → transitions whose Promise it holds, completed at `await <local>`. */
  pending: Map<string, TransitionSite[]>;
}

/** null: no path reaches here. */
type State = FlowState | null;

interface JumpTarget {
  kind: "loop" | "switch" | "label" | "function";
  label?: string;
  breaks: State[];
  continues: State[];
}

export interface FlowResult {
  /** The states of the connection a site acts on, before the call (operations, emissions, transitions). */
  statesAt: Map<LifecycleSite, StateSet>;
  /** Transition calls whose Promise is neither awaited nor kept for a later `await`. */
  unawaited: Set<TransitionSite>;
  /** The key whose state a site reads; undefined when the connection is not tracked. */
  stateKeyOf(site: LifecycleSite): string | undefined;
  start: UnitStart;
}

const MAX_LOOP_ROUNDS = 20;

function union(a: StateSet, b: StateSet): StateSet {
  if (a === b) return a;
  const out = new Set(a);
  for (const s of b) out.add(s);
  return out;
}

function sameSet(a: StateSet, b: StateSet): boolean {
  return a.size === b.size && [...a].every((s) => b.has(s));
}

export class LifecycleFlow {
  private readonly result: FlowResult;
  private readonly targets: JumpTarget[] = [];
  private readonly tryCollectors: State[][] = [];
  private readonly sitesByNode = new Map<ts.Node, LifecycleSite[]>();
  /** Keys whose start is known here: bound parameters, callback receivers, `new` connections. */
  private readonly ownStart = new Set<string>();
  /** Transitions whose Promise a const holds (`const p = conn.accept()`). */
  private readonly pendingSites = new Set<TransitionSite>();
  private readonly primary: string;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly graph: LifecycleGraph,
    private readonly unit: Unit,
    private readonly start: UnitStart,
    sites: readonly LifecycleSite[],
    private readonly localKey: (name: ts.Identifier) => string | undefined,
  ) {
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
    this.result = { statesAt: new Map(), unawaited: new Set(), stateKeyOf: (site) => this.stateKeyOf(site), start };
  }

  run(): FlowResult {
    const entry: FlowState = { conns: new Map(), pending: new Map() };
    if (ts.isSourceFile(this.unit)) this.statements(this.unit.statements, entry);
    else if (this.unit.body) this.functionBody(this.unit.body, entry);
    return this.result;
  }

  /**
   * Whose state a site reads or changes. A plain function call acts on the function's connection. An
   * emission goes to a connection with a known start, else counts as the function's connection (an
   * emitter object is not the connection). In a function bound by name or decorator, a transition on
   * an object with no known start moves the function's connection. Operations stay on their receiver
   * (a broadcast to other sockets is not this connection's business).
   */
  private stateKeyOf(site: LifecycleSite): string | undefined {
    if (site.target.kind === "none") return this.primary;
    const key = site.target.key;
    const known = key !== undefined && this.ownStart.has(key);
    if (site.kind === "emit") return known ? key : this.primary;
    if (site.kind === "transition" && !known && this.primary === AMBIENT_KEY && this.start.initial.has(AMBIENT_KEY)) return AMBIENT_KEY;
    return key;
  }

  private initialOf(key: string): StateSet {
    const start = this.start.initial.get(key);
    return new Set([start ? start.state : UNKNOWN_STATE]);
  }

  private get(state: FlowState, key: string): StateSet {
    return state.conns.get(key) ?? this.initialOf(key);
  }

  private join(a: State, b: State): State {
    if (!a) return b;
    if (!b) return a;
    const conns = new Map<string, StateSet>();
    for (const key of new Set([...a.conns.keys(), ...b.conns.keys()])) conns.set(key, union(this.get(a, key), this.get(b, key)));
    const pending = new Map(a.pending);
    for (const [key, list] of b.pending) pending.set(key, [...new Set([...(pending.get(key) ?? []), ...list])]);
    return { conns, pending };
  }

  private joinAll(states: readonly State[]): State {
    return states.reduce<State>((acc, s) => this.join(acc, s), null);
  }

  private equal(a: State, b: State): boolean {
    if (!a || !b) return a === b;
    const keys = new Set([...a.conns.keys(), ...b.conns.keys()]);
    if ([...keys].some((k) => !sameSet(this.get(a, k), this.get(b, k)))) return false;
    return a.pending.size === b.pending.size && [...a.pending].every(([k, v]) => b.pending.get(k)?.length === v.length);
  }

  private functionBody(body: ts.ConciseBody, state: State): State {
    const target: JumpTarget = { kind: "function", breaks: [], continues: [] };
    this.targets.push(target);
    const out = ts.isBlock(body) ? this.statements(body.statements, state) : this.expression(body, state);
    this.targets.pop();
    return this.joinAll([out, ...target.breaks]);
  }

  private statements(list: readonly ts.Statement[], state: State): State {
    for (const statement of list) {
      if (!state) return null;
      state = this.statement(statement, state);
    }
    return state;
  }

  private collect(state: State): void {
    for (const collector of this.tryCollectors) collector.push(state);
  }

  private statement(node: ts.Statement, state: State): State {
    if (!state) return null;
    this.collect(state);
    if (ts.isBlock(node)) return this.statements(node.statements, state);
    if (ts.isExpressionStatement(node)) return this.expression(node.expression, state);
    if (ts.isVariableStatement(node)) return node.declarationList.declarations.reduce<State>((s, d) => this.declaration(d, s), state);
    if (ts.isIfStatement(node)) {
      const afterCondition = this.expression(node.expression, state);
      return this.join(this.statement(node.thenStatement, afterCondition), node.elseStatement ? this.statement(node.elseStatement, afterCondition) : afterCondition);
    }
    if (ts.isReturnStatement(node)) return this.jump("return", node.expression ? this.expression(node.expression, state) : state);
    if (ts.isThrowStatement(node)) return this.exit(this.expression(node.expression, state));
    if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) return this.breakOrContinue(node, state);
    if (ts.isIterationStatement(node, false)) return this.loop(node, state);
    if (ts.isSwitchStatement(node)) return this.switchStatement(node, state);
    if (ts.isLabeledStatement(node)) return this.labeled(node, state);
    if (ts.isTryStatement(node)) return this.tryStatement(node, state);
    if (ts.isExportAssignment(node)) return this.expression(node.expression, state);
    return state; // declarations (functions, classes, types, imports) run nothing here
  }

  private declaration(node: ts.VariableDeclaration, state: State): State {
    if (!state || !node.initializer) return state;
    const out = this.expression(node.initializer, state);
    // `const p = conn.accept()`: the transition completes at `await p`.
    let initializer = node.initializer;
    while (ts.isParenthesizedExpression(initializer)) initializer = initializer.expression;
    const sites = (this.sitesByNode.get(initializer) ?? []).filter((s): s is TransitionSite => s.kind === "transition" && this.pendingSites.has(s));
    const key = sites.length && ts.isIdentifier(node.name) ? this.localKey(node.name) : undefined;
    if (!out || !key) return out;
    const pending = new Map(out.pending);
    pending.set(key, sites);
    return { conns: out.conns, pending };
  }

  /** `return` inside an inline callback ends the callback; elsewhere it ends the path. */
  private jump(_kind: "return", state: State): State {
    const fn = [...this.targets].reverse().find((t) => t.kind === "function");
    fn?.breaks.push(state);
    return null;
  }

  private exit(_state: State): State {
    return null;
  }

  private breakOrContinue(node: ts.BreakStatement | ts.ContinueStatement, state: State): State {
    const isBreak = ts.isBreakStatement(node);
    const label = node.label?.text;
    for (let i = this.targets.length - 1; i >= 0; i--) {
      const target = this.targets[i]!;
      if (target.kind === "function") break; // no jump leaves a function
      const fits = label ? target.label === label : isBreak ? target.kind !== "label" : target.kind === "loop";
      if (!fits) continue;
      (isBreak ? target.breaks : target.continues).push(state);
      break;
    }
    return null;
  }

  private labelOf(node: ts.Node): string | undefined {
    return ts.isLabeledStatement(node.parent) ? node.parent.label.text : undefined;
  }

  private labeled(node: ts.LabeledStatement, state: State): State {
    if (ts.isIterationStatement(node.statement, false)) return this.statement(node.statement, state);
    const target: JumpTarget = { kind: "label", label: node.label.text, breaks: [], continues: [] };
    this.targets.push(target);
    const out = this.statement(node.statement, state);
    this.targets.pop();
    return this.joinAll([out, ...target.breaks]);
  }

  /** Runs `round` from `entry` until the state at the loop head stops growing. */
  private fixpoint(entry: State, round: (head: State, target: JumpTarget) => { next: State; exit: State }, label?: string): State {
    let head = entry;
    for (let i = 0; i < MAX_LOOP_ROUNDS; i++) {
      const target: JumpTarget = { kind: "loop", breaks: [], continues: [], ...(label ? { label } : {}) };
      this.targets.push(target);
      const { next, exit } = round(head, target);
      this.targets.pop();
      const widened = this.joinAll([head, next, ...target.continues]);
      if (this.equal(widened, head) || i === MAX_LOOP_ROUNDS - 1) return this.joinAll([exit, ...target.breaks]);
      head = widened;
    }
    return head;
  }

  private isAlwaysTrue(node: ts.Expression | undefined): boolean {
    return node === undefined || node.kind === ts.SyntaxKind.TrueKeyword;
  }

  private loop(node: ts.IterationStatement, state: State): State {
    const label = this.labelOf(node);
    if (ts.isForStatement(node)) {
      const init = node.initializer;
      const entry = init ? (ts.isVariableDeclarationList(init) ? init.declarations.reduce<State>((s, d) => this.declaration(d, s), state) : this.expression(init, state)) : state;
      return this.fixpoint(entry, (head) => {
        const tested = node.condition ? this.expression(node.condition, head) : head;
        const body = this.statement(node.statement, tested);
        return { next: node.incrementor ? this.expression(node.incrementor, body) : body, exit: this.isAlwaysTrue(node.condition) ? null : tested };
      }, label);
    }
    if (ts.isWhileStatement(node)) {
      return this.fixpoint(state, (head) => {
        const tested = this.expression(node.expression, head);
        return { next: this.statement(node.statement, tested), exit: this.isAlwaysTrue(node.expression) ? null : tested };
      }, label);
    }
    if (ts.isDoStatement(node)) {
      return this.fixpoint(state, (head) => {
        const tested = this.expression(node.expression, this.statement(node.statement, head));
        return { next: tested, exit: this.isAlwaysTrue(node.expression) ? null : tested };
      }, label);
    }
    const iterable = this.expression((node as ts.ForOfStatement | ts.ForInStatement).expression, state);
    return this.fixpoint(iterable, (head) => ({ next: this.statement(node.statement, head), exit: head }), label);
  }

  private switchStatement(node: ts.SwitchStatement, state: State): State {
    const entry = this.expression(node.expression, state);
    const target: JumpTarget = { kind: "switch", breaks: [], continues: [], ...(this.labelOf(node) ? { label: this.labelOf(node)! } : {}) };
    this.targets.push(target);
    let fall: State = null;
    let hasDefault = false;
    for (const clause of node.caseBlock.clauses) {
      hasDefault ||= ts.isDefaultClause(clause);
      const tested = ts.isCaseClause(clause) ? this.expression(clause.expression, entry) : entry;
      fall = this.statements(clause.statements, this.join(tested, fall));
    }
    this.targets.pop();
    return this.joinAll([fall, ...target.breaks, hasDefault ? null : entry]);
  }

  private tryStatement(node: ts.TryStatement, state: State): State {
    const collected: State[] = [state];
    this.tryCollectors.push(collected);
    const tryOut = this.statement(node.tryBlock, state);
    this.tryCollectors.pop();
    let catchOut: State = null;
    if (node.catchClause) {
      // Anything in the try block may throw: the catch starts from any state seen there.
      const entry = this.joinAll(collected);
      this.collect(entry);
      const catchCollected: State[] = [];
      this.tryCollectors.push(catchCollected);
      catchOut = this.statement(node.catchClause.block, entry);
      this.tryCollectors.pop();
      collected.push(...catchCollected);
    }
    const normal = node.catchClause ? this.join(tryOut, catchOut) : tryOut;
    if (!node.finallyBlock) return normal;
    // The finally block also runs on the way out of returns and throws: record its calls from every state.
    this.statement(node.finallyBlock, this.joinAll([normal, ...collected]));
    return normal && this.statement(node.finallyBlock, normal);
  }

  private expression(node: ts.Expression, state: State): State {
    if (!state) return null;
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return isInlineCallback(this.checker, node) ? this.inlineCallback(node, state) : state;
    if (ts.isClassExpression(node)) return state;
    if (ts.isBinaryExpression(node)) return this.binary(node, state);
    if (ts.isConditionalExpression(node)) {
      const tested = this.expression(node.condition, state);
      return this.join(this.expression(node.whenTrue, tested), this.expression(node.whenFalse, tested));
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) return this.call(node, state);
    if (ts.isAwaitExpression(node)) return this.await(node, state);
    let out: State = state;
    ts.forEachChild(node, (child) => {
      if (ts.isExpression(child)) out = this.expression(child, out);
      else if (ts.isObjectLiteralElementLike(child) || ts.isTemplateSpan(child) || ts.isJsxAttributes(child) || ts.isJsxExpression(child)) out = this.children(child, out);
    });
    return out;
  }

  private children(node: ts.Node, state: State): State {
    if (ts.isMethodDeclaration(node) || ts.isAccessor(node)) return state; // runs when called
    let out: State = state;
    ts.forEachChild(node, (child) => {
      out = ts.isExpression(child) ? this.expression(child, out) : this.children(child, out);
    });
    return out;
  }

  private binary(node: ts.BinaryExpression, state: State): State {
    const left = this.expression(node.left, state);
    const op = node.operatorToken.kind;
    const conditional =
      op === ts.SyntaxKind.AmpersandAmpersandToken ||
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.QuestionQuestionToken ||
      op === ts.SyntaxKind.AmpersandAmpersandEqualsToken ||
      op === ts.SyntaxKind.BarBarEqualsToken ||
      op === ts.SyntaxKind.QuestionQuestionEqualsToken;
    const right = this.expression(node.right, left);
    return conditional ? this.join(left, right) : right;
  }

  /** A callback that runs on the spot, zero or more times (an IIFE or a Promise executor: once). */
  private inlineCallback(node: ts.ArrowFunction | ts.FunctionExpression, state: State): State {
    const once = !getEnclosingCallArgument(node) || ts.isNewExpression(getEnclosingCallArgument(node)!.call);
    if (once) return this.functionBody(node.body, state);
    return this.fixpoint(state, (head) => ({ next: this.functionBody(node.body, head), exit: head }));
  }

  private await(node: ts.AwaitExpression, state: State): State {
    const out = this.expression(node.expression, state);
    let operand: ts.Expression = node.expression;
    while (ts.isParenthesizedExpression(operand)) operand = operand.expression;
    const key = ts.isIdentifier(operand) ? this.localKey(operand) : undefined;
    const sites = key && out?.pending.get(key);
    if (!out || !sites) return out;
    const pending = new Map(out.pending);
    pending.delete(key);
    let next: FlowState = { conns: out.conns, pending };
    for (const site of sites) next = this.transition(site, next, "complete");
    return next;
  }

  private call(node: ts.CallExpression | ts.NewExpression, state: State): State {
    const calleeOut = this.expression(node.expression, state);
    let out = (node.arguments ?? []).reduce<State>((s, a) => this.expression(a, s), calleeOut);
    for (const site of this.sitesByNode.get(node) ?? []) out = this.effect(site, out);
    this.collect(out);
    // `a?.b(…)`: the call, and what it does, may not happen.
    return node.flags & ts.NodeFlags.OptionalChain ? this.join(calleeOut, out) : out;
  }

  private effect(site: LifecycleSite, state: State): State {
    if (!state) return null;
    const key = this.stateKeyOf(site);
    if (key === undefined) return state;
    const before = this.get(state, key);
    const recorded = this.result.statesAt.get(site);
    this.result.statesAt.set(site, recorded ? union(recorded, before) : before);
    if (site.kind === "construct") return this.set(state, key, new Set([site.binding.state]));
    if (site.kind !== "transition") return state;
    return this.transition(site, state, this.completion(site));
  }

  /** complete: the transition is done when the call returns (or is awaited there); maybe: it is still running. */
  private completion(site: TransitionSite): "complete" | "maybe" | "pending" {
    let node: ts.Node = site.node;
    // `await ws.accept().catch(onError)`: a then/catch/finally chain settles after the transition.
    for (;;) {
      while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
      const access = node.parent;
      if (!ts.isPropertyAccessExpression(access) || !["then", "catch", "finally"].includes(access.name.text) || !ts.isCallExpression(access.parent) || access.parent.expression !== access) break;
      node = access.parent;
    }
    if (ts.isAwaitExpression(node.parent)) return "complete";
    if (!isThenableType(this.checker, this.checker.getTypeAtLocation(site.node))) return "complete";
    // `await Promise.all([conn.accept(), …])`
    if (ts.isArrayLiteralExpression(node.parent) && ts.isCallExpression(node.parent.parent) && ts.isAwaitExpression(node.parent.parent.parent)) return "complete";
    if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) && ts.getCombinedNodeFlags(node.parent) & ts.NodeFlags.Const) {
      this.pendingSites.add(site);
      return "pending";
    }
    this.result.unawaited.add(site);
    return "maybe";
  }

  private transition(site: TransitionSite, state: FlowState, completion: "complete" | "maybe" | "pending"): FlowState {
    const key = this.stateKeyOf(site);
    if (key === undefined) return state;
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

  private set(state: FlowState, key: string, states: StateSet): FlowState {
    const conns = new Map(state.conns);
    conns.set(key, states);
    return { conns, pending: state.pending };
  }
}
