/**
 * Where the Promise a call returns is awaited: right there (`await conn.accept()`, also through
 * parentheses, `as`, `satisfies`, `!`, either arm of `?:` and `.then/.catch/.finally` chains), later
 * by an awaited call it is passed to (`await withTimeout(conn.accept(), 5000)`,
 * `await Promise.all([conn.accept(), …])`), or later through a variable that holds it
 * (`const p = conn.accept(); …; await p`, or a `let` never assigned again).
 */
import { ts } from "../typescript.js";
import { isValueWrapper, skipValueWrappers } from "../shared/nodes.js";
import { PROMISE_METHODS } from "../shared/promises.js";

const COMBINATORS = new Set(["all", "race", "any", "allSettled"]);

export type PromiseDestination =
  /** Awaited where it is made: complete when the call returns. */
  | { kind: "awaited" }
  /** Passed to a call that `await` awaits: complete when that await returns. */
  | { kind: "awaitedBy"; await: ts.AwaitExpression }
  /** Held by a variable: complete where the variable is awaited. */
  | { kind: "held"; name: ts.Identifier };

/** `Promise.all(…)` → "all": the name of the `Promise` static method a call calls, if it does. */
function getPromiseStaticName(call: ts.CallExpression): string | undefined {
  const callee = skipValueWrappers(call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Promise" ? callee.name.text : undefined;
}

/** `Promise.all(…)`, `Promise.race(…)`, `Promise.any(…)`, `Promise.allSettled(…)`. */
function isCombinator(call: ts.CallExpression): boolean {
  return COMBINATORS.has(getPromiseStaticName(call) ?? "");
}

/** `x.then(…)` (also `catch` / `finally`) → x; undefined for other calls. */
function getChainReceiver(call: ts.CallExpression): ts.Expression | undefined {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && PROMISE_METHODS.has(callee.name.text) ? callee.expression : undefined;
}

/** The outermost expression whose value settles with the Promise `node` makes. */
function climb(node: ts.Expression): ts.Expression {
  for (;;) {
    const parent = node.parent;
    if (isValueWrapper(parent)) node = parent;
    else if (ts.isConditionalExpression(parent) && parent.condition !== node) node = parent;
    else if (
      ts.isPropertyAccessExpression(parent) &&
      ts.isCallExpression(parent.parent) &&
      parent.parent.expression === parent &&
      getChainReceiver(parent.parent) === node
    )
      node = parent.parent;
    else return node;
  }
}

/** The call `node` is handed to as an argument (or inside an array given to `Promise.all` & co). */
function getReceivingCall(node: ts.Expression): ts.CallExpression | undefined {
  const parent = node.parent;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node)) return parent;
  if (ts.isArrayLiteralExpression(parent) && ts.isCallExpression(parent.parent) && parent.parent.arguments.includes(parent) && isCombinator(parent.parent))
    return parent.parent;
  return undefined;
}

/** Whether the variable a declaration names is never assigned again (a `const`, or a `let` / `var` only initialized). */
function isNeverReassigned(checker: ts.TypeChecker, declaration: ts.VariableDeclaration): boolean {
  if (!ts.isIdentifier(declaration.name)) return false;
  if (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) return true;
  const symbol = checker.getSymbolAtLocation(declaration.name);
  // A `let` lives in its block (or its `for`), a `var` in its function.
  let scope: ts.Node | undefined = ts.isVariableStatement(declaration.parent.parent) ? declaration.parent.parent.parent : declaration.parent.parent;
  if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.BlockScoped))
    while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!symbol || !scope) return false;
  let assigned = false;
  const visit = (node: ts.Node): void => {
    if (assigned) return;
    if (ts.isIdentifier(node) && node !== declaration.name && isAssignmentTarget(node) && checker.getSymbolAtLocation(node) === symbol) assigned = true;
    else ts.forEachChild(node, visit);
  };
  visit(scope);
  return !assigned;
}

/** `x = …`, `x += …`, `x++`, `[x] = …`, `({ x } = …)`, `for (x of …)`. */
function isAssignmentTarget(identifier: ts.Identifier): boolean {
  let node: ts.Node = identifier;
  for (;;) {
    const parent = node.parent;
    if (
      (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
      (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)
    )
      return true;
    if (ts.isBinaryExpression(parent) && parent.left === node)
      return parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
    if (ts.isForInStatement(parent) || ts.isForOfStatement(parent)) return parent.initializer === node;
    // Inside a destructuring pattern written as a literal: keep going up to the assignment.
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isSpreadElement(parent) ||
      ts.isSpreadAssignment(parent) ||
      ts.isShorthandPropertyAssignment(parent) ||
      ts.isObjectLiteralExpression(parent)
    ) {
      node = parent;
    } else if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
      node = parent;
    } else {
      return false;
    }
  }
}

/** Where the Promise that `node` (a call) returns is awaited; undefined when it is not (as far as the function shows). */
export function getPromiseDestination(checker: ts.TypeChecker, node: ts.Expression): PromiseDestination | undefined {
  const carrier = climb(node);
  const parent = carrier.parent;
  if (ts.isAwaitExpression(parent)) return { kind: "awaited" };
  const call = getReceivingCall(carrier);
  if (call) {
    const outer = getPromiseDestination(checker, call);
    if (outer?.kind === "awaited") return { kind: "awaitedBy", await: climb(call).parent as ts.AwaitExpression };
    return outer;
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === carrier && ts.isIdentifier(parent.name) && isNeverReassigned(checker, parent))
    return { kind: "held", name: parent.name };
  return undefined;
}

/** The variables whose Promises `await` waits for: `await p`, `await (ok ? p : q)`, `await withTimeout(p, 5000)`, `await Promise.all([p, q])`. */
export function getAwaitedNames(node: ts.AwaitExpression): ts.Identifier[] {
  const names: ts.Identifier[] = [];
  const collect = (expression: ts.Expression): void => {
    const inner = skipValueWrappers(expression);
    if (ts.isIdentifier(inner)) names.push(inner);
    else if (ts.isConditionalExpression(inner)) [inner.whenTrue, inner.whenFalse].forEach(collect);
    else if (ts.isCallExpression(inner)) {
      const receiver = getChainReceiver(inner);
      if (receiver) collect(receiver);
      for (const argument of inner.arguments) {
        const value = skipValueWrappers(argument);
        if (ts.isArrayLiteralExpression(value) && isCombinator(inner)) value.elements.forEach(collect);
        else collect(argument);
      }
    }
  };
  collect(node.expression);
  return names;
}

/** `await Promise.reject(error)` (also as an arm of `?:`): the path ends there, as at a `throw`. */
export function isAwaitedRejection(call: ts.CallExpression | ts.NewExpression): boolean {
  return ts.isCallExpression(call) && getPromiseStaticName(call) === "reject" && ts.isAwaitExpression(climb(call).parent);
}
