import ts from "typescript";

export type Cast = ts.AsExpression | ts.TypeAssertion;

export function isCast(node: ts.Node): node is Cast {
  return ts.isAsExpression(node) || ts.isTypeAssertionExpression(node);
}

function skipParens(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

/** The outermost cast of a chain: its parent (through parentheses) is not a cast. */
export function isOutermostCast(node: Cast): boolean {
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent)) parent = parent.parent;
  return !isCast(parent);
}

/** `x as unknown as T` / `<T><any>x` / `(x as any) as T`: the casts from outermost to innermost, and `x`. */
export function getCastChain(outer: Cast): { casts: Cast[]; source: ts.Expression } {
  const casts: Cast[] = [];
  let node: ts.Expression = outer;
  while (isCast(node)) {
    casts.push(node);
    node = skipParens(node.expression);
  }
  return { casts, source: node };
}

/** The `any` / `unknown` keyword a cast goes through, if it is one. */
export function getEscapeKeyword(cast: Cast): "any" | "unknown" | undefined {
  if (cast.type.kind === ts.SyntaxKind.AnyKeyword) return "any";
  if (cast.type.kind === ts.SyntaxKind.UnknownKeyword) return "unknown";
  return undefined;
}

/** The outermost expression a cast's value sits in (parentheses around it), for its contextual type. */
export function getValueNode(cast: Cast): ts.Expression {
  let node: ts.Expression = cast;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return node;
}

const PRIMITIVE =
  ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.EnumLike | ts.TypeFlags.ESSymbolLike | ts.TypeFlags.VoidLike | ts.TypeFlags.Null;
const NOT_OBJECT = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never | ts.TypeFlags.TypeParameter | ts.TypeFlags.Index | ts.TypeFlags.NonPrimitive | PRIMITIVE;

/**
 * An interface or class type, the kind a mock stands in for: an object type with named members
 * (interfaces, classes, object type aliases, mapped types over known keys), or an array/union/
 * intersection holding one. Not: primitives, literals, `any`/`unknown`/`object`/`{}`, type
 * parameters, function types without members, index-signature-only types (`Record<string, T>`).
 */
export function isMockTargetType(type: ts.Type, checker: ts.TypeChecker): boolean {
  if (type.flags & NOT_OBJECT) return false;
  if (type.isUnion() || type.isIntersection()) return type.types.some((t) => isMockTargetType(t, checker));
  if (!(type.flags & ts.TypeFlags.Object)) return false;
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    return checker.getTypeArguments(type as ts.TypeReference).some((t) => isMockTargetType(t, checker));
  }
  return checker.getPropertiesOfType(type).length > 0;
}
