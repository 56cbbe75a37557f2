import { perTypeScript, ts } from "../typescript.js";
import { isNullishLiteral } from "../shared/nodes.js";
import { PROMISE_METHODS } from "../shared/promises.js";

/**
 * How the value of an expression is used, read from the syntax around it alone (no types).
 * `slot` and `cast` uses need the checker to decide (see value-slots.ts); `local` means the value
 * goes into an unannotated variable whose references tell the rest.
 */
export type ExpressionUse =
  | { kind: "handled"; how: "await" | "void" | "promiseMethod" | "asyncReturn" }
  | { kind: "neutral" }
  | { kind: "discarded"; node: ts.Node }
  | { kind: "truthiness"; node: ts.Node }
  | { kind: "nullishProbe"; node: ts.Node }
  | { kind: "memberProbe"; node: ts.Node; probe: string }
  | { kind: "instanceofProbe"; node: ts.BinaryExpression }
  | { kind: "slot"; slot: SlotSite }
  | { kind: "cast"; node: ts.AsExpression | ts.TypeAssertion }
  | { kind: "local"; name: ts.Identifier }
  | { kind: "callbackReturn"; fn: ts.ArrowFunction | ts.FunctionExpression };

/** A place that receives the value and has a type of its own. */
export type SlotSite =
  | { kind: "argument"; call: ts.CallExpression | ts.NewExpression; index: number; node: ts.Expression }
  | { kind: "annotated"; declaration: ts.VariableDeclaration | ts.PropertyDeclaration | ts.ParameterDeclaration; type: ts.TypeNode; node: ts.Expression }
  | { kind: "assignment"; target: ts.Expression; node: ts.Expression }
  | { kind: "return"; fn: ts.SignatureDeclaration; type: ts.TypeNode; node: ts.Expression }
  | { kind: "property"; name: string; node: ts.Expression }
  | { kind: "element"; node: ts.Expression };

/** Wrappers that pass the value on unchanged. */
function isTransparentParent(parent: ts.Node, node: ts.Node): boolean {
  if (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) return true;
  if (ts.isConditionalExpression(parent)) return parent.condition !== node;
  if (ts.isBinaryExpression(parent) && parent.right === node) {
    const op = parent.operatorToken.kind;
    return (
      op === ts.SyntaxKind.AmpersandAmpersandToken ||
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.QuestionQuestionToken ||
      op === ts.SyntaxKind.CommaToken
    );
  }
  return false;
}

/**
 * Walks up from `expr` through wrappers that pass its value on (parentheses, `!`, `satisfies`,
 * `a ? x : y`, `a && x`, `a, x`). `mixed` tells whether the value met another one on the way (a
 * conditional branch or a logical operand), so the outer expression may not be the promise.
 */
export function skipTransparentParents(expr: ts.Expression): { node: ts.Expression; mixed: boolean } {
  let node: ts.Expression = expr;
  let mixed = false;
  while (isTransparentParent(node.parent, node)) {
    mixed ||= ts.isConditionalExpression(node.parent) || ts.isBinaryExpression(node.parent);
    node = node.parent as ts.Expression;
  }
  return { node, mixed };
}

/** The nearest function-like node enclosing `node` (methods, accessors, constructors and arrows included). */
export function getEnclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  return ts.findAncestor(node.parent, ts.isFunctionLike);
}

const EQUALITY = perTypeScript(
  () =>
    new Set([
      ts.SyntaxKind.EqualsEqualsToken,
      ts.SyntaxKind.EqualsEqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsToken,
      ts.SyntaxKind.ExclamationEqualsEqualsToken,
    ]),
);
const ASSIGNMENT = perTypeScript(
  () =>
    new Set([
      ts.SyntaxKind.EqualsToken,
      ts.SyntaxKind.QuestionQuestionEqualsToken,
      ts.SyntaxKind.BarBarEqualsToken,
      ts.SyntaxKind.AmpersandAmpersandEqualsToken,
    ]),
);

function getBinaryUse(parent: ts.BinaryExpression, node: ts.Expression): ExpressionUse {
  const op = parent.operatorToken.kind;
  const isLeft = parent.left === node;
  if (isLeft && (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken)) return { kind: "truthiness", node: parent };
  if (isLeft && op === ts.SyntaxKind.QuestionQuestionToken) return { kind: "nullishProbe", node: parent };
  if (isLeft && op === ts.SyntaxKind.CommaToken) return { kind: "discarded", node: parent };
  if (EQUALITY().has(op) && isNullishLiteral(isLeft ? parent.right : parent.left)) return { kind: "nullishProbe", node: parent };
  if (isLeft && op === ts.SyntaxKind.InstanceOfKeyword) return { kind: "instanceofProbe", node: parent };
  if (!isLeft && op === ts.SyntaxKind.InKeyword) {
    const key = ts.isStringLiteralLike(parent.left) ? `\`'${parent.left.text}' in\`` : "`in`";
    return { kind: "memberProbe", node: parent, probe: key };
  }
  if (!isLeft && ASSIGNMENT().has(op)) return { kind: "slot", slot: { kind: "assignment", target: parent.left, node } };
  return { kind: "neutral" };
}

function getAccessUse(parent: ts.PropertyAccessExpression | ts.ElementAccessExpression): ExpressionUse {
  const name = ts.isPropertyAccessExpression(parent)
    ? parent.name.text
    : ts.isStringLiteralLike(parent.argumentExpression)
      ? parent.argumentExpression.text
      : undefined;
  if (name !== undefined && PROMISE_METHODS.has(name)) return { kind: "handled", how: "promiseMethod" };
  if (parent.questionDotToken)
    return { kind: "memberProbe", node: parent, probe: name === undefined ? "a member with `?.`" : `member \`${name}\` with \`?.\`` };
  return { kind: "neutral" };
}

function getReturnUse(fn: ts.SignatureDeclaration | undefined, node: ts.Expression): ExpressionUse {
  if (!fn) return { kind: "neutral" };
  const modifiers = ts.canHaveModifiers(fn) ? ts.getModifiers(fn) : undefined;
  if (modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return { kind: "handled", how: "asyncReturn" };
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.asteriskToken) return { kind: "neutral" };
  // Only a declared return type counts: an unannotated function returns the promise on, typed as one,
  // unless it is a callback whose contextual type returns `void` (its caller drops what it returns).
  if (!fn.type) return ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) ? { kind: "callbackReturn", fn } : { kind: "neutral" };
  return { kind: "slot", slot: { kind: "return", fn, type: fn.type, node } };
}

function getDeclarationUse(
  parent: ts.VariableDeclaration | ts.PropertyDeclaration | ts.ParameterDeclaration,
  node: ts.Expression,
  mixed: boolean,
): ExpressionUse {
  if (parent.initializer !== node) return { kind: "neutral" };
  if (parent.type) return { kind: "slot", slot: { kind: "annotated", declaration: parent, type: parent.type, node } };
  // `const e = cond && make()` may hold something else: its tests are not (only) tests of the promise.
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && !mixed) return { kind: "local", name: parent.name };
  // An unannotated field or parameter default is typed as the promise itself.
  return { kind: "neutral" };
}

function getPropertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function getStatementUse(parent: ts.Node, node: ts.Expression): ExpressionUse | undefined {
  if (ts.isExpressionStatement(parent)) return { kind: "discarded", node: parent };
  if (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) {
    return parent.expression === node ? { kind: "truthiness", node: parent } : { kind: "neutral" };
  }
  if (ts.isForStatement(parent)) {
    if (parent.condition === node) return { kind: "truthiness", node: parent };
    return parent.initializer === node || parent.incrementor === node ? { kind: "discarded", node: parent } : { kind: "neutral" };
  }
  if (ts.isReturnStatement(parent)) return getReturnUse(getEnclosingFunction(parent), node);
  return undefined;
}

/** How the value of `expr` is used (see ExpressionUse). */
export function getExpressionUse(expr: ts.Expression): ExpressionUse {
  const { node, mixed } = skipTransparentParents(expr);
  const parent = node.parent;
  if (ts.isConditionalExpression(parent)) return { kind: "truthiness", node: parent };
  if (ts.isBinaryExpression(parent)) return getBinaryUse(parent, node);
  if (ts.isPrefixUnaryExpression(parent))
    return parent.operator === ts.SyntaxKind.ExclamationToken ? { kind: "truthiness", node: parent } : { kind: "neutral" };
  if (ts.isAwaitExpression(parent)) return { kind: "handled", how: "await" };
  if (ts.isVoidExpression(parent)) return { kind: "handled", how: "void" };
  if (ts.isAsExpression(parent) || ts.isTypeAssertionExpression(parent)) return { kind: "cast", node: parent };
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) return getAccessUse(parent);
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression !== node) {
    const index = parent.arguments?.indexOf(node) ?? -1;
    return index < 0 ? { kind: "neutral" } : { kind: "slot", slot: { kind: "argument", call: parent, index, node } };
  }
  const statementUse = getStatementUse(parent, node);
  if (statementUse) return statementUse;
  if (ts.isArrowFunction(parent) && parent.body === node) return getReturnUse(parent, node);
  if (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isParameter(parent)) return getDeclarationUse(parent, node, mixed);
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    const name = getPropertyName(parent.name);
    return name === undefined ? { kind: "neutral" } : { kind: "slot", slot: { kind: "property", name, node } };
  }
  if (ts.isShorthandPropertyAssignment(parent)) return { kind: "slot", slot: { kind: "property", name: parent.name.text, node } };
  if (ts.isArrayLiteralExpression(parent)) return { kind: "slot", slot: { kind: "element", node } };
  return { kind: "neutral" };
}
