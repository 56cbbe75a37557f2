import { ts } from "../typescript.js";
import { isNullishLiteral, skipParenthesesAndNonNull } from "../shared/nodes.js";
import { alwaysExits, getStatements } from "../shared/narrowing.js";
import { isNullableType } from "../shared/promises.js";

/** How a nullable receiver was kept from a call: silently (reported), or with the nullish case handled. */
export type EmissionGuard = "ifWithoutElse" | "earlyReturn" | "handled";

/**
 * The link of an optional chain that skips the call when its object is nullish: in
 * `a?.b.emit()` / `a.b?.emit()` the object before the `?.` whose type admits null/undefined.
 * A `?.` on the call itself is not followed; callers leave out optional callbacks first
 * (`isOptionalCallback`), so `this.bridge?.emit?.(e)` with a required `emit` reaches `this.bridge`.
 */
export function findOptionalReceiver(callee: ts.PropertyAccessExpression, checker: ts.TypeChecker): ts.Expression | undefined {
  let node: ts.Expression = callee;
  for (;;) {
    if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node) && !ts.isCallExpression(node)) return undefined;
    if (node.questionDotToken && isNullableType(checker.getTypeAtLocation(node.expression))) return node.expression;
    if (!(node.flags & ts.NodeFlags.OptionalChain) || node.questionDotToken) return undefined;
    node = node.expression;
  }
}

/**
 * `recv.notify?.(m)` where `notify` may be missing as declared: a hook the author made optional,
 * whatever the receiver is (`this.onChange?.()`, `this.opts?.notify?.(m)`). Neither a `?.` before it
 * nor an `if` around it is a dropped emission. With `notify` declared required
 * (`this.bridge?.emit?.(e)` with `emit(e): void`) the extra `?.` changes nothing.
 */
export function isOptionalCallback(call: ts.CallExpression, callee: ts.PropertyAccessExpression, checker: ts.TypeChecker): boolean {
  return call.questionDotToken !== undefined && isOptionalMember(callee, checker);
}

/**
 * Whether the member `callee` names may be missing as declared: an optional property or method
 * (`notify?: (m: string) => void`), a type that admits null/undefined, or one that says nothing
 * (`any`, `unknown`, no symbol). A method or property declared required is not.
 */
function isOptionalMember(callee: ts.PropertyAccessExpression, checker: ts.TypeChecker): boolean {
  const symbol = checker.getSymbolAtLocation(callee.name);
  if (!symbol || symbol.flags & ts.SymbolFlags.Optional) return true;
  const type = checker.getTypeOfSymbol(symbol);
  return (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0 || isNullableType(type);
}

/** `x`, `this.x`, `a.b?.c`, `a["k"]`: the same reference (optional and plain access alike). */
export function isSameReference(a: ts.Node, b: ts.Node, checker: ts.TypeChecker): boolean {
  a = skipParenthesesAndNonNull(a);
  b = skipParenthesesAndNonNull(b);
  if (a.kind === ts.SyntaxKind.ThisKeyword) return b.kind === ts.SyntaxKind.ThisKeyword;
  if (ts.isIdentifier(a) && ts.isIdentifier(b)) {
    if (a.text !== b.text) return false;
    const sa = checker.getSymbolAtLocation(a);
    return sa !== undefined && sa === checker.getSymbolAtLocation(b);
  }
  if (ts.isPropertyAccessExpression(a) && ts.isPropertyAccessExpression(b)) {
    return a.name.text === b.name.text && isSameReference(a.expression, b.expression, checker);
  }
  if (ts.isElementAccessExpression(a) && ts.isElementAccessExpression(b)) {
    const ka = a.argumentExpression;
    const kb = b.argumentExpression;
    return ts.isLiteralExpression(ka) && ts.isLiteralExpression(kb) && ka.text === kb.text && isSameReference(a.expression, b.expression, checker);
  }
  return false;
}

/**
 * Whether `expression` tests the receiver while it may still be nullish: it mentions the receiver
 * at a point where the receiver's flow type admits null/undefined. A mention that is already
 * narrowed (by an earlier throw, say) does not make this expression the guard.
 */
export function testsNullableReceiver(expression: ts.Expression, receiver: ts.Expression, checker: ts.TypeChecker): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (isSameReference(node, receiver, checker) && isNullableType(checker.getTypeAtLocation(node))) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

function isEmptyStatement(node: ts.Statement | undefined): boolean {
  return node === undefined || ts.isEmptyStatement(node) || (ts.isBlock(node) && node.statements.every(ts.isEmptyStatement));
}

/** `return;`, `return undefined;`, `continue;`, `break;` (alone, or alone in a block): leaves without a trace. */
function isSilentExit(node: ts.Statement): boolean {
  const statements = ts.isBlock(node) ? node.statements.filter((s) => !ts.isEmptyStatement(s)) : [node];
  if (statements.length !== 1) return false;
  const only = statements[0]!;
  if (ts.isReturnStatement(only)) return only.expression === undefined || isNullishLiteral(only.expression);
  return (ts.isContinueStatement(only) || ts.isBreakStatement(only)) && only.label === undefined;
}

/**
 * An `if` before the call, in the same block, that tests the receiver and leaves when it is missing:
 * a silent exit (`if (!x) return;`) or a handled one (throw, log and return, return a value).
 * An `if` that does not leave narrows nothing, and the scan goes on.
 */
function classifyEarlierGuard(statement: ts.Statement, receiver: ts.Expression, checker: ts.TypeChecker): EmissionGuard | undefined {
  if (!ts.isIfStatement(statement) || !testsNullableReceiver(statement.expression, receiver, checker)) return undefined;
  const { thenStatement, elseStatement } = statement;
  if (!alwaysExits(thenStatement) && !(elseStatement && alwaysExits(elseStatement))) return undefined;
  return elseStatement === undefined && isSilentExit(thenStatement) ? "earlyReturn" : "handled";
}

/** `if (x) { x.emit(); return; } handle();`: a then-branch that leaves makes the code after the `if` its else. */
function hasFallThroughElse(statement: ts.IfStatement): boolean {
  if (!alwaysExits(statement.thenStatement)) return false;
  const statements = getStatements(statement.parent);
  return statements !== undefined && statements.indexOf(statement) < statements.length - 1;
}

function classifyAncestor(parent: ts.Node, child: ts.Node, receiver: ts.Expression, checker: ts.TypeChecker): EmissionGuard | undefined {
  if (ts.isIfStatement(parent) && child !== parent.expression && testsNullableReceiver(parent.expression, receiver, checker)) {
    return child === parent.thenStatement && isEmptyStatement(parent.elseStatement) && !hasFallThroughElse(parent) ? "ifWithoutElse" : "handled";
  }
  if (ts.isConditionalExpression(parent) && child !== parent.condition && testsNullableReceiver(parent.condition, receiver, checker)) {
    return child === parent.whenTrue && isNullishLiteral(parent.whenFalse) ? "ifWithoutElse" : "handled";
  }
  if (ts.isBinaryExpression(parent) && child === parent.right && testsNullableReceiver(parent.left, receiver, checker)) {
    return parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ? "ifWithoutElse" : "handled";
  }
  const statements = getStatements(parent);
  if (statements) {
    const index = statements.indexOf(child as ts.Statement);
    for (let i = index - 1; i >= 0; i--) {
      const guard = classifyEarlierGuard(statements[i]!, receiver, checker);
      if (guard) return guard;
    }
  }
  return undefined;
}

/**
 * Finds what narrowed `receiver` (nullable where declared, non-null at the call) at `call`: an
 * enclosing `if` / `&&` / `?:` that tests it, or an earlier `if (!x) return;` in an enclosing block.
 * Stops at the enclosing function or class declaration. `undefined`: narrowed some other way
 * (assignment, assertion function), which is not a drop.
 */
export function findNarrowingGuard(call: ts.Node, receiver: ts.Expression, checker: ts.TypeChecker): EmissionGuard | undefined {
  let child = call;
  for (let parent = call.parent; parent; child = parent, parent = parent.parent) {
    const guard = classifyAncestor(parent, child, receiver, checker);
    if (guard) return guard;
    if (
      ts.isFunctionDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isConstructorDeclaration(parent) ||
      ts.isAccessor(parent) ||
      ts.isClassLike(parent)
    ) {
      return undefined;
    }
  }
  return undefined;
}
