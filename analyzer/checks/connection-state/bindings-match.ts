/**
 * Matching calls against the matchers of `bindings.<contract>`: by the called name, by the type of
 * the receiver (type-aware: the declared class, interface or alias, any class or interface it
 * extends or implements, or the type that declares the method) and by string-literal arguments.
 */
import { ts } from "../typescript.js";
import { skipValueWrappers } from "../shared/nodes.js";
import type { ArgumentMatcher, CallMatcher } from "../../../contracts/bindings/bindings.schema.js";
import { getDirectBaseTypes } from "../shared/hierarchy.js";

export type CallLike = ts.CallExpression | ts.NewExpression;

export function toList(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === "string" ? [value] : value;
}

/** The callee of a call as `{ name, receiver }`: `a.b.send(x)` → send on `a.b`; `send(x)` → send, no receiver. */
export function getCallee(call: CallLike): { name: string; receiver?: ts.Expression; nameNode: ts.Node } | undefined {
  const callee = skipValueWrappers(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return { name: callee.name.text.replace(/^#/, ""), receiver: callee.expression, nameNode: callee.name };
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) {
    return { name: callee.argumentExpression.text, receiver: callee.expression, nameNode: callee.argumentExpression };
  }
  if (ts.isIdentifier(callee)) return { name: callee.text, nameNode: callee };
  return undefined;
}

const typeNameCache = new WeakMap<ts.Type, ReadonlySet<string>>();

function addDeclaredNames(checker: ts.TypeChecker, symbol: ts.Symbol, names: Set<string>, depth: number): void {
  const declaration = symbol.declarations?.find(
    (d): d is ts.ClassLikeDeclaration | ts.InterfaceDeclaration => ts.isClassLike(d) || ts.isInterfaceDeclaration(d),
  );
  if (!declaration || depth > 8) return;
  for (const base of getDirectBaseTypes(checker, symbol, declaration)) {
    for (const name of getTypeNames(checker, base, depth + 1)) names.add(name);
  }
}

/**
 * The names a type answers to: its alias, its class/interface symbol, and those of every class or
 * interface it extends or implements (at any depth); each constituent of a union or intersection.
 */
export function getTypeNames(checker: ts.TypeChecker, type: ts.Type, depth = 0): ReadonlySet<string> {
  const cached = typeNameCache.get(type);
  if (cached) return cached;
  const names = new Set<string>();
  typeNameCache.set(type, names); // recursive types end here
  if (type.aliasSymbol) names.add(type.aliasSymbol.name);
  if (type.isUnionOrIntersection()) {
    for (const part of type.types) for (const name of getTypeNames(checker, part, depth + 1)) names.add(name);
  } else if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = checker.getBaseConstraintOfType(type);
    if (constraint && constraint !== type) for (const name of getTypeNames(checker, constraint, depth + 1)) names.add(name);
  } else {
    const symbol = type.getSymbol();
    if (symbol && !symbol.name.startsWith("__")) {
      names.add(symbol.name);
      addDeclaredNames(checker, symbol, names, depth);
    }
  }
  return names;
}

/** Whether the type (or a class/interface it extends or implements) has one of `wanted`'s names. */
export function typeHasName(checker: ts.TypeChecker, type: ts.Type, wanted: readonly string[]): boolean {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  const names = getTypeNames(checker, type);
  return wanted.some((w) => names.has(w));
}

/** The name of the class, interface or type alias that declares the called member. */
function getMethodOwnerName(checker: ts.TypeChecker, nameNode: ts.Node): string | undefined {
  const declaration = checker.getSymbolAtLocation(nameNode)?.declarations?.[0];
  const owner = declaration?.parent;
  if (!owner) return undefined;
  if ((ts.isClassLike(owner) || ts.isInterfaceDeclaration(owner)) && owner.name) return owner.name.text;
  if (ts.isTypeLiteralNode(owner) && ts.isTypeAliasDeclaration(owner.parent)) return owner.parent.name.text;
  return undefined;
}

/** The string values an expression can have, from a literal or its (union of) literal type; undefined when not all literal. */
export function getStringValues(checker: ts.TypeChecker, expression: ts.Expression): string[] | undefined {
  const node = skipValueWrappers(expression);
  if (ts.isStringLiteralLike(node)) return [node.text];
  const type = checker.getTypeAtLocation(node);
  const parts = type.isUnion() ? type.types : [type];
  const values: string[] = [];
  for (const part of parts) {
    if (!part.isStringLiteral()) return undefined;
    values.push(part.value);
  }
  return values.length ? values : undefined;
}

function matchesArgument(checker: ts.TypeChecker, call: CallLike, matcher: ArgumentMatcher | undefined): boolean {
  if (!matcher) return true;
  const argument = call.arguments?.[matcher.index];
  if (!argument) return false;
  const values = getStringValues(checker, argument);
  const wanted = toList(matcher.value);
  return values?.every((v) => wanted.includes(v)) ?? false;
}

function matchesCalleeName(checker: ts.TypeChecker, callee: NonNullable<ReturnType<typeof getCallee>>, wanted: readonly string[]): boolean {
  if (wanted.includes(callee.name)) return true;
  // A renamed import (`import { markReady as ready }`) still means the declared function.
  if (callee.receiver || !ts.isIdentifier(callee.nameNode)) return false;
  const symbol = checker.getSymbolAtLocation(callee.nameNode);
  const aliased = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : undefined;
  return aliased !== undefined && wanted.includes(aliased.name);
}

/** Whether a call matches a binding's `call`, `receiverType` and `argument`. */
export function matchesCall(checker: ts.TypeChecker, call: ts.CallExpression, matcher: CallMatcher): boolean {
  const callee = getCallee(call);
  if (!callee || !matchesCalleeName(checker, callee, toList(matcher.call))) return false;
  if (matcher.receiverType !== undefined) {
    if (!callee.receiver) return false;
    const wanted = toList(matcher.receiverType);
    const receiverType = checker.getNonNullableType(checker.getTypeAtLocation(callee.receiver));
    const owner = getMethodOwnerName(checker, callee.nameNode);
    if (!typeHasName(checker, receiverType, wanted) && !(owner !== undefined && wanted.includes(owner))) return false;
  }
  return matchesArgument(checker, call, matcher.argument);
}

/** The expression that is the connection a matched call acts on: `connectionArg`, else the receiver. */
export function getConnectionExpression(call: ts.CallExpression, matcher: CallMatcher): ts.Expression | undefined {
  if (matcher.connectionArg !== undefined) return call.arguments[matcher.connectionArg];
  return getCallee(call)?.receiver;
}

/** `conn.send(…)`: the callee as written, arguments elided. */
export function getCallText(call: ts.CallExpression | ts.NewExpression): string {
  const callee = call.expression.getText().replace(/\s+/g, "");
  const text = `${ts.isNewExpression(call) ? "new " : ""}${callee.length > 50 ? `${callee.slice(0, 49)}…` : callee}`;
  return `${text}(${call.arguments?.length ? "…" : ""})`;
}

/** The call a function is an argument of (through parentheses), with the argument's position. */
export function getEnclosingCallArgument(fn: ts.Node): { call: CallLike; index: number } | undefined {
  let node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments) {
    const index = parent.arguments.indexOf(node as ts.Expression);
    if (index >= 0) return { call: parent, index };
  }
  return undefined;
}
