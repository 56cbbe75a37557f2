/** Receivers whose absence drops nothing: the event source itself, and a receiver the code already asserted present. */
import { ts } from "../typescript.js";
import { skipParentheses } from "../shared/nodes.js";

const LISTENER_REGISTRATION = ["on", "once", "addListener", "addEventListener"];

/**
 * `participant?.emit("muted")` where `participant` is a local or a parameter (an object looked up
 * or handed in, not a collaborator the class holds to carry events) whose own type takes listeners
 * (`on` / `once` / `addListener` / `addEventListener`): the receiver *is* the event source, so when
 * it is missing nobody can have subscribed to it and nothing is lost. An `emit` on a field
 * (`this.socket?.emit(…)`, `this.bridge?.emit(…)`) is a transport that was to carry the event to
 * someone else, and stays reported, as do `send` / `notify` / `publish` on anything.
 */
export function isEmitOnEventSourceItself(method: string, receiver: ts.Expression, checker: ts.TypeChecker): boolean {
  if (method !== "emit" || !ts.isIdentifier(receiver)) return false;
  const declaration = checker.getSymbolAtLocation(receiver)?.valueDeclaration;
  if (!declaration || !(ts.isVariableDeclaration(declaration) || ts.isParameter(declaration) || ts.isBindingElement(declaration))) return false;
  if (ts.isParameter(declaration) && declaration.modifiers?.some((m) => isParameterPropertyKeyword(m.kind))) return false;
  const type = checker.getNonNullableType(checker.getTypeAtLocation(receiver));
  return LISTENER_REGISTRATION.some((name) => checker.getPropertyOfType(type, name) !== undefined);
}

function isParameterPropertyKeyword(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.PublicKeyword ||
    kind === ts.SyntaxKind.PrivateKeyword ||
    kind === ts.SyntaxKind.ProtectedKeyword ||
    kind === ts.SyntaxKind.ReadonlyKeyword
  );
}

/**
 * `client!.start(); client?.emit("x")`: an unconditional statement before the emission, in its own
 * block or an enclosing one of the same function, asserted the receiver present with `!`, so the
 * `?.` is defensive noise, not a path where the event can be dropped. A `!` inside a branch (an
 * `if`, a loop, a callback) asserts nothing about the emission's path and does not count.
 */
export function isAssertedPresentBefore(receiver: ts.Expression, call: ts.CallExpression): boolean {
  const text = skipParentheses(receiver).getText();
  const asserts = (node: ts.Node): boolean => {
    if (ts.isFunctionLike(node)) return false;
    if (ts.isNonNullExpression(node) && skipParentheses(node.expression).getText() === text && !isAssignedTo(node)) return true;
    return ts.forEachChild(node, asserts) ?? false;
  };
  for (
    let child: ts.Node = call, parent = call.parent;
    parent && !ts.isFunctionLike(parent) && !ts.isSourceFile(parent);
    child = parent, parent = parent.parent
  ) {
    if (!ts.isBlock(parent)) continue;
    for (const statement of parent.statements) {
      if (statement === child) break;
      if ((ts.isExpressionStatement(statement) || ts.isVariableStatement(statement)) && asserts(statement)) return true;
    }
  }
  return false;
}

function isAssignedTo(node: ts.Expression): boolean {
  const parent = node.parent;
  return ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}
