/**
 * What the guards before a point say about a value there, where the type checker does not say it.
 *
 * - A shorthand property (`{ nick }`) is its variable as narrowed at that point
 *   (`if (nick === undefined) return;`), without the widening of a literal the object's property gets.
 * - An optional property can be known present because a guard the point sits under says so
 *   (`if (!p.run_id) return;`, `if (p.run_id !== undefined) { … }`, `p.run_id && …`). TypeScript
 *   narrows the reference `p.run_id` there, but not `p`: a payload passed whole (`emit("x", p)`,
 *   `{ ...p }`) still has the optional field in its type. Guards are read within the enclosing
 *   function, as TypeScript reads them; an assignment between the guard and the point is not seen.
 */
import { ts } from "../typescript.js";
import { skipValueWrappers } from "./nodes.js";

/**
 * The value of `{ nick }` where it is written. The checker's type of the name is the narrowed one,
 * but widened as an object property is (`"completed"` → `string`); the declared type keeps literals
 * but not the narrowing. The declared type's members that fit the narrowed type have both.
 */
export function getShorthandValueType(checker: ts.TypeChecker, property: ts.ShorthandPropertyAssignment): ts.Type {
  const narrowed = checker.getTypeAtLocation(property.name);
  const symbol = checker.getShorthandAssignmentValueSymbol(property);
  if (!symbol) return narrowed;
  const declared = checker.getTypeOfSymbolAtLocation(symbol, property);
  const parts = declared.isUnion() ? declared.types : [declared];
  const kept = parts.filter((part) => checker.isTypeAssignableTo(part, narrowed));
  if (kept.length === parts.length) return declared;
  if (kept.length === 1) return kept[0]!;
  // Only `undefined` / `null` left out (`if (x == null) return;`); otherwise (from `unknown`, `any`) the narrowed type.
  const nullish = (t: ts.Type) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) !== 0;
  return kept.length > 0 && parts.every((part) => kept.includes(part) || nullish(part)) ? checker.getNonNullableType(declared) : narrowed;
}

/** The value of `node` followed by property names: `{ node: p, path: ["data", "run_id"] }` is `p.data.run_id`. */
export interface PropertyRef {
  node: ts.Expression;
  path: readonly string[];
}

export function childRef(ref: PropertyRef, name: string): PropertyRef {
  return { node: ref.node, path: [...ref.path, name] };
}

interface Key {
  root: ts.Symbol | "this";
  path: string[];
}

/** `p.data["run_id"]` → p's symbol and `data`, `run_id`; undefined for anything that is not a plain reference. */
function getKey(checker: ts.TypeChecker, expression: ts.Expression): Key | undefined {
  const node = skipValueWrappers(expression);
  if (node.kind === ts.SyntaxKind.ThisKeyword) return { root: "this", path: [] };
  if (ts.isIdentifier(node)) {
    const shorthand = ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node;
    const symbol = shorthand ? checker.getShorthandAssignmentValueSymbol(node.parent) : checker.getSymbolAtLocation(node);
    return symbol && { root: symbol, path: [] };
  }
  const name = ts.isPropertyAccessExpression(node)
    ? node.name.text
    : ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)
      ? node.argumentExpression.text
      : undefined;
  if (name === undefined) return undefined;
  const base = getKey(checker, (node as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression);
  return base && { root: base.root, path: [...base.path, name] };
}

function sameKey(a: Key, b: Key): boolean {
  return a.root === b.root && a.path.length === b.path.length && a.path.every((name, i) => name === b.path[i]);
}

function isUndefined(node: ts.Expression): boolean {
  const inner = skipValueWrappers(node);
  return (ts.isIdentifier(inner) && inner.text === "undefined") || ts.isVoidExpression(inner);
}

/** Does `condition` being `truthy` (true) or falsy (false) mean the referenced value is not undefined? */
function implies(checker: ts.TypeChecker, condition: ts.Expression, truthy: boolean, target: Key): boolean {
  const node = skipValueWrappers(condition);
  const matches = (e: ts.Expression): boolean => {
    const key = getKey(checker, e);
    return key !== undefined && sameKey(key, target);
  };
  if (matches(node)) return truthy;
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return implies(checker, node.operand, !truthy, target);
  if (!ts.isBinaryExpression(node)) return false;
  const op = node.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return truthy && (implies(checker, node.left, true, target) || implies(checker, node.right, true, target));
  if (op === ts.SyntaxKind.BarBarToken) return !truthy && (implies(checker, node.left, false, target) || implies(checker, node.right, false, target));
  const strict = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken;
  const negated = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  if (!strict && op !== ts.SyntaxKind.EqualsEqualsToken && op !== ts.SyntaxKind.ExclamationEqualsToken) return false;
  const equal = truthy !== negated; // the two sides are known equal (true) or known different (false)
  for (const [side, other] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    const inner = skipValueWrappers(side);
    const value = skipValueWrappers(other);
    if (ts.isTypeOfExpression(inner) && matches(inner.expression) && ts.isStringLiteralLike(value)) return value.text === "undefined" ? !equal : equal;
    if (!matches(side)) continue;
    if (isUndefined(value) || (!strict && value.kind === ts.SyntaxKind.NullKeyword)) return !equal;
    // Equal to a literal: present.
    if (ts.isStringLiteralLike(value) || ts.isNumericLiteral(value) || value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword)
      return equal;
  }
  return false;
}

/** Whether a statement always leaves the enclosing block (return, throw, continue, break). */
export function alwaysExits(node: ts.Statement): boolean {
  if (ts.isReturnStatement(node) || ts.isThrowStatement(node) || ts.isContinueStatement(node) || ts.isBreakStatement(node)) return true;
  if (ts.isBlock(node)) return node.statements.some(alwaysExits);
  if (ts.isIfStatement(node)) return node.elseStatement !== undefined && alwaysExits(node.thenStatement) && alwaysExits(node.elseStatement);
  return false;
}

/** The statement list of a block-like node (block, file, namespace body, `case` / `default` clause). */
export function getStatements(node: ts.Node): readonly ts.Statement[] | undefined {
  if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) return node.statements;
  return undefined;
}

/** Statements before `child` in its block that leave unless the reference is present. */
function guardedByEarlierExit(checker: ts.TypeChecker, statements: readonly ts.Statement[], child: ts.Node, target: Key): boolean {
  for (const statement of statements) {
    if (statement === child) return false;
    if (!ts.isIfStatement(statement)) continue;
    if (alwaysExits(statement.thenStatement) && implies(checker, statement.expression, false, target)) return true;
    if (statement.elseStatement && alwaysExits(statement.elseStatement) && implies(checker, statement.expression, true, target)) return true;
  }
  return false;
}

/** Does a guard around `ref.node` (within its function) say the value `ref` names is not undefined? */
export function isPresentByGuard(checker: ts.TypeChecker, ref: PropertyRef): boolean {
  const base = getKey(checker, ref.node);
  if (!base) return false;
  const target: Key = { root: base.root, path: [...base.path, ...ref.path] };
  let child: ts.Node = ref.node;
  for (let node = child.parent; node && !ts.isFunctionLike(node); child = node, node = node.parent) {
    if (ts.isIfStatement(node) && child !== node.expression && implies(checker, node.expression, child === node.thenStatement, target)) return true;
    if (ts.isConditionalExpression(node) && child !== node.condition && implies(checker, node.condition, child === node.whenTrue, target)) return true;
    if (ts.isBinaryExpression(node) && child === node.right) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken && implies(checker, node.left, true, target)) return true;
      if (op === ts.SyntaxKind.BarBarToken && implies(checker, node.left, false, target)) return true;
    }
    const statements = getStatements(node);
    if (statements && guardedByEarlierExit(checker, statements, child, target)) return true;
  }
  return false;
}
