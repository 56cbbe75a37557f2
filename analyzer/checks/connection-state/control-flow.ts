/**
 * A forward data-flow walk over one function body (or a module's top level), structured by the syntax:
 * statements in order, both arms of `if`/`?:`/`&&`/`||`/`??` and `?.`, every `case` with fall-through,
 * loops run to a fixed point, `return`/`throw`/`break`/`continue` ending their path (labels included),
 * a `catch` entered from any state seen in its `try`, `finally` on every way out, an awaited
 * `Promise.reject(…)` ending its path as a `throw` does. Nested functions are
 * not entered (they run later), except callbacks the subclass says run on the spot (`isInline`), which
 * are walked where they are written, zero or more times (once for an IIFE or a Promise executor).
 *
 * The subclass gives the lattice (`join`, `equal`; null is "no path reaches here") and what calls and
 * awaits do to the state.
 */
import { ts } from "../typescript.js";
import { isAwaitedRejection } from "./awaited-promises.js";
import { getEnclosingCallArgument } from "./bindings-match.js";

interface JumpTarget<S> {
  kind: "loop" | "switch" | "label" | "function";
  label?: string;
  breaks: (S | null)[];
  continues: (S | null)[];
}

const MAX_LOOP_ROUNDS = 20;

export abstract class ControlFlowWalker<S> {
  private readonly targets: JumpTarget<S>[] = [];
  private readonly tryCollectors: (S | null)[][] = [];

  protected abstract join(a: S | null, b: S | null): S | null;
  protected abstract equal(a: S | null, b: S | null): boolean;
  /** Whether a function literal runs where it is written (an array callback, an IIFE, a Promise executor). */
  protected abstract isInline(fn: ts.ArrowFunction | ts.FunctionExpression): boolean;
  /** What a call does, after its callee and arguments were evaluated. */
  protected abstract afterCall(node: ts.CallExpression | ts.NewExpression, state: S | null): S | null;

  /** What an `await` does, after its operand was evaluated. */
  protected afterAwait(_node: ts.AwaitExpression, state: S | null): S | null {
    return state;
  }

  /** Walks a unit's body from `entry`. */
  protected walk(unit: ts.SourceFile | ts.FunctionLikeDeclaration | ts.ClassStaticBlockDeclaration, entry: S): S | null {
    if (ts.isSourceFile(unit)) return this.statements(unit.statements, entry);
    return unit.body ? this.functionBody(unit.body, entry) : entry;
  }

  private joinAll(states: readonly (S | null)[]): S | null {
    return states.reduce<S | null>((acc, s) => this.join(acc, s), null);
  }

  /** Records a state a `catch` may start from (any point of the enclosing `try` blocks). */
  protected collect(state: S | null): void {
    for (const collector of this.tryCollectors) collector.push(state);
  }

  private functionBody(body: ts.ConciseBody, state: S | null): S | null {
    const target: JumpTarget<S> = { kind: "function", breaks: [], continues: [] };
    this.targets.push(target);
    const out = ts.isBlock(body) ? this.statements(body.statements, state) : this.expression(body, state);
    this.targets.pop();
    return this.joinAll([out, ...target.breaks]);
  }

  private statements(list: readonly ts.Statement[], state: S | null): S | null {
    for (const statement of list) {
      if (!state) return null;
      state = this.statement(statement, state);
    }
    return state;
  }

  private statement(node: ts.Statement, state: S | null): S | null {
    if (!state) return null;
    this.collect(state);
    if (ts.isBlock(node)) return this.statements(node.statements, state);
    if (ts.isExpressionStatement(node)) return this.expression(node.expression, state);
    if (ts.isVariableStatement(node)) return node.declarationList.declarations.reduce<S | null>((s, d) => this.declaration(d, s), state);
    if (ts.isIfStatement(node)) {
      const afterCondition = this.expression(node.expression, state);
      return this.join(
        this.statement(node.thenStatement, afterCondition),
        node.elseStatement ? this.statement(node.elseStatement, afterCondition) : afterCondition,
      );
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

  /** `return` inside an inline callback ends the callback; elsewhere it ends the path. */
  private jump(_kind: "return", state: S | null): S | null {
    const fn = [...this.targets].reverse().find((t) => t.kind === "function");
    fn?.breaks.push(state);
    return null;
  }

  private exit(_state: S | null): S | null {
    return null;
  }

  private breakOrContinue(node: ts.BreakStatement | ts.ContinueStatement, state: S | null): S | null {
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

  private labeled(node: ts.LabeledStatement, state: S | null): S | null {
    if (ts.isIterationStatement(node.statement, false)) return this.statement(node.statement, state);
    const target: JumpTarget<S> = { kind: "label", label: node.label.text, breaks: [], continues: [] };
    this.targets.push(target);
    const out = this.statement(node.statement, state);
    this.targets.pop();
    return this.joinAll([out, ...target.breaks]);
  }

  /** Runs `round` from `entry` until the state at the loop head stops growing. */
  private fixpoint(entry: S | null, round: (head: S | null, target: JumpTarget<S>) => { next: S | null; exit: S | null }, label?: string): S | null {
    let head = entry;
    for (let i = 0; i < MAX_LOOP_ROUNDS; i++) {
      const target: JumpTarget<S> = { kind: "loop", breaks: [], continues: [], ...(label ? { label } : {}) };
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

  private loop(node: ts.IterationStatement, state: S | null): S | null {
    const label = this.labelOf(node);
    if (ts.isForStatement(node)) {
      const init = node.initializer;
      const entry = init
        ? ts.isVariableDeclarationList(init)
          ? init.declarations.reduce<S | null>((s, d) => this.declaration(d, s), state)
          : this.expression(init, state)
        : state;
      return this.fixpoint(
        entry,
        (head) => {
          const tested = node.condition ? this.expression(node.condition, head) : head;
          const body = this.statement(node.statement, tested);
          return { next: node.incrementor ? this.expression(node.incrementor, body) : body, exit: this.isAlwaysTrue(node.condition) ? null : tested };
        },
        label,
      );
    }
    if (ts.isWhileStatement(node)) {
      return this.fixpoint(
        state,
        (head) => {
          const tested = this.expression(node.expression, head);
          return { next: this.statement(node.statement, tested), exit: this.isAlwaysTrue(node.expression) ? null : tested };
        },
        label,
      );
    }
    if (ts.isDoStatement(node)) {
      return this.fixpoint(
        state,
        (head) => {
          const tested = this.expression(node.expression, this.statement(node.statement, head));
          return { next: tested, exit: this.isAlwaysTrue(node.expression) ? null : tested };
        },
        label,
      );
    }
    const iterable = this.expression((node as ts.ForOfStatement | ts.ForInStatement).expression, state);
    return this.fixpoint(iterable, (head) => ({ next: this.statement(node.statement, head), exit: head }), label);
  }

  private switchStatement(node: ts.SwitchStatement, state: S | null): S | null {
    const entry = this.expression(node.expression, state);
    const target: JumpTarget<S> = { kind: "switch", breaks: [], continues: [], ...(this.labelOf(node) ? { label: this.labelOf(node)! } : {}) };
    this.targets.push(target);
    let fall: S | null = null;
    let hasDefault = false;
    for (const clause of node.caseBlock.clauses) {
      hasDefault ||= ts.isDefaultClause(clause);
      const tested = ts.isCaseClause(clause) ? this.expression(clause.expression, entry) : entry;
      fall = this.statements(clause.statements, this.join(tested, fall));
    }
    this.targets.pop();
    return this.joinAll([fall, ...target.breaks, hasDefault ? null : entry]);
  }

  private tryStatement(node: ts.TryStatement, state: S | null): S | null {
    const collected: (S | null)[] = [state];
    this.tryCollectors.push(collected);
    const tryOut = this.statement(node.tryBlock, state);
    this.tryCollectors.pop();
    let catchOut: S | null = null;
    if (node.catchClause) {
      // Anything in the try block may throw: the catch starts from any state seen there.
      const entry = this.joinAll(collected);
      this.collect(entry);
      const catchCollected: (S | null)[] = [];
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

  private expression(node: ts.Expression, state: S | null): S | null {
    if (!state) return null;
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return this.isInline(node) ? this.inlineCallback(node, state) : state;
    if (ts.isClassExpression(node)) return state;
    if (ts.isBinaryExpression(node)) return this.binary(node, state);
    if (ts.isConditionalExpression(node)) {
      const tested = this.expression(node.condition, state);
      return this.join(this.expression(node.whenTrue, tested), this.expression(node.whenFalse, tested));
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) return this.call(node, state);
    if (ts.isAwaitExpression(node)) return this.await(node, state);
    let out: S | null = state;
    ts.forEachChild(node, (child) => {
      if (ts.isExpression(child)) out = this.expression(child, out);
      else if (ts.isObjectLiteralElementLike(child) || ts.isTemplateSpan(child) || ts.isJsxAttributes(child) || ts.isJsxExpression(child))
        out = this.children(child, out);
    });
    return out;
  }

  private children(node: ts.Node, state: S | null): S | null {
    if (ts.isMethodDeclaration(node) || ts.isAccessor(node)) return state; // runs when called
    let out: S | null = state;
    ts.forEachChild(node, (child) => {
      out = ts.isExpression(child) ? this.expression(child, out) : this.children(child, out);
    });
    return out;
  }

  private binary(node: ts.BinaryExpression, state: S | null): S | null {
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
  private inlineCallback(node: ts.ArrowFunction | ts.FunctionExpression, state: S | null): S | null {
    const once = !getEnclosingCallArgument(node) || ts.isNewExpression(getEnclosingCallArgument(node)!.call);
    if (once) return this.functionBody(node.body, state);
    return this.fixpoint(state, (head) => ({ next: this.functionBody(node.body, head), exit: head }));
  }

  private await(node: ts.AwaitExpression, state: S | null): S | null {
    return this.afterAwait(node, this.expression(node.expression, state));
  }

  private declaration(node: ts.VariableDeclaration, state: S | null): S | null {
    if (!state || !node.initializer) return state;
    return this.expression(node.initializer, state);
  }

  private call(node: ts.CallExpression | ts.NewExpression, state: S | null): S | null {
    const calleeOut = this.expression(node.expression, state);
    const out = this.afterCall(
      node,
      (node.arguments ?? []).reduce<S | null>((s, a) => this.expression(a, s), calleeOut),
    );
    this.collect(out);
    if (isAwaitedRejection(node)) return null; // `await Promise.reject(e)` throws there
    // `a?.b(…)`: the call, and what it does, may not happen.
    return node.flags & ts.NodeFlags.OptionalChain ? this.join(calleeOut, out) : out;
  }
}
