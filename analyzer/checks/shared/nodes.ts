/** Syntax helpers several checks use: seeing through wrappers that keep an expression's value. */
import { ts } from "../typescript.js";

/** `((x))` → `x` (ts.skipParentheses is internal in the public API). */
export function skipParentheses(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

/** `((x)!)` → `x`: parentheses and non-null assertions, which keep the reference (`x` stays the same variable or member). */
export function skipParenthesesAndNonNull(node: ts.Expression): ts.Expression;
export function skipParenthesesAndNonNull(node: ts.Node): ts.Node;
export function skipParenthesesAndNonNull(node: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
  return node;
}

export type ValueWrapper = ts.ParenthesizedExpression | ts.NonNullExpression | ts.AsExpression | ts.SatisfiesExpression | ts.TypeAssertion;

/** `(x)`, `x!`, `x as T`, `x satisfies T`, `<T>x`: an expression whose value is its operand's. */
export function isValueWrapper(node: ts.Node): node is ValueWrapper {
  return (
    ts.isParenthesizedExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isTypeAssertionExpression(node)
  );
}

/** `((x as T)!)` → `x`: wrappers that keep the value. */
export function skipValueWrappers(node: ts.Expression): ts.Expression {
  while (isValueWrapper(node)) node = node.expression;
  return node;
}

/** `null`, `undefined`, `void 0` (inside any parentheses): a literal missing value. */
export function isNullishLiteral(node: ts.Expression): boolean {
  const inner = skipParentheses(node);
  return inner.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(inner) && inner.text === "undefined") || ts.isVoidExpression(inner);
}
