/**
 * The units the lifecycle analysis runs over — function bodies and the module's top level — and
 * what `bindings.handlers` say about the state each one starts in.
 *
 * A callback the code runs on the spot (an array method's callback, a Promise executor, an IIFE) is
 * part of its enclosing unit. Any other function is a unit of its own: it runs later, at a time the
 * analysis does not know, so the connections it captures start in an unknown state unless a handler
 * binding names it.
 */
import picomatch from "picomatch";
import { ts } from "../typescript.js";
import type { HandlerBinding } from "../../../contracts/bindings/bindings.schema.js";
import { skipValueWrappers } from "../shared/nodes.js";
import { getCallee, getEnclosingCallArgument, matchesCall, toList, typeHasName } from "./bindings-match.js";
import type { ConnectionKeys } from "./connection-keys.js";

/** The key standing for "the connection this function handles" when a handler binding names no parameter. */
export const AMBIENT_KEY = "@function";

export type FunctionUnit = ts.FunctionLikeDeclaration | ts.ClassStaticBlockDeclaration;
export type Unit = FunctionUnit | ts.SourceFile;

const ITERATION_METHODS = new Set([
  "forEach",
  "map",
  "flatMap",
  "filter",
  "some",
  "every",
  "find",
  "findIndex",
  "findLast",
  "findLastIndex",
  "reduce",
  "reduceRight",
]);
const COLLECTION_TYPES = ["Array", "ReadonlyArray", "Set", "ReadonlySet", "Map", "ReadonlyMap"];

function isFunctionUnit(node: ts.Node): node is FunctionUnit {
  if (ts.isClassStaticBlockDeclaration(node)) return true;
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node)) &&
    node.body !== undefined
  );
}

/** Whether a function literal runs where it is written: an array method's callback, a Promise executor, an IIFE. */
export function isInlineCallback(checker: ts.TypeChecker, fn: ts.Node): boolean {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  let outer: ts.Node = fn;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  if (ts.isCallExpression(outer.parent) && outer.parent.expression === outer) return true; // IIFE
  const site = getEnclosingCallArgument(fn);
  if (!site) return false;
  if (ts.isNewExpression(site.call)) {
    const callee = skipValueWrappers(site.call.expression);
    return site.index === 0 && ts.isIdentifier(callee) && callee.text === "Promise";
  }
  const callee = getCallee(site.call);
  if (!callee?.receiver || !ITERATION_METHODS.has(callee.name)) return false;
  const receiverType = checker.getNonNullableType(checker.getTypeAtLocation(callee.receiver));
  return checker.isArrayType(receiverType) || checker.isTupleType(receiverType) || typeHasName(checker, receiverType, COLLECTION_TYPES);
}

/** The unit a node's code runs in; undefined inside class field initializers and decorators. */
export function getUnit(checker: ts.TypeChecker, node: ts.Node): Unit | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionUnit(current) && !isInlineCallback(checker, current)) return current;
    if (ts.isPropertyDeclaration(current) || ts.isDecorator(current)) return undefined;
  }
  return node.getSourceFile();
}

/** The names a function answers to: its own, `Class.method`, or the variable/property it is assigned to. */
function getUnitNames(unit: FunctionUnit): string[] {
  const named: ts.Node = (ts.isFunctionExpression(unit) || ts.isArrowFunction(unit)) && !unit.name ? unit.parent : unit;
  const nameNode = (named as { name?: ts.Node }).name;
  const name = nameNode && (ts.isIdentifier(nameNode) || ts.isStringLiteral(nameNode) || ts.isPrivateIdentifier(nameNode)) ? nameNode.text : undefined;
  if (!name) return [];
  const owner = named.parent;
  const className = owner && ts.isClassLike(owner) && owner.name ? owner.name.text : undefined;
  return className ? [name, `${className}.${name}`] : [name];
}

function getDecoratorNames(unit: FunctionUnit): string[] {
  const holder = (ts.isArrowFunction(unit) || ts.isFunctionExpression(unit)) && ts.isPropertyDeclaration(unit.parent) ? unit.parent : unit;
  if (!ts.canHaveDecorators(holder)) return [];
  return (ts.getDecorators(holder) ?? []).flatMap((d) => {
    const expression = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    if (ts.isIdentifier(expression)) return [expression.text];
    if (ts.isPropertyAccessExpression(expression)) return [expression.name.text];
    return [];
  });
}

export interface Start {
  state: string;
  /** Why, for messages: "`connection: PendingConnection` starts in `connecting`". */
  origin: string;
}

/** What the handler bindings say about a unit: the state its connections start in, and which one it handles. */
export interface UnitStart {
  initial: Map<string, Start>;
  /** The connection the function handles: a bound parameter, a registering call's receiver, or AMBIENT_KEY. */
  primary?: string;
}

function findParameter(checker: ts.TypeChecker, unit: FunctionUnit, types: readonly string[]): ts.ParameterDeclaration | undefined {
  if (ts.isClassStaticBlockDeclaration(unit)) return undefined;
  return unit.parameters.find((p) => ts.isIdentifier(p.name) && typeHasName(checker, checker.getTypeAtLocation(p), types));
}

function matchesCallbackOf(checker: ts.TypeChecker, unit: FunctionUnit, binding: NonNullable<HandlerBinding["callbackOf"]>): ts.CallExpression | undefined {
  const site = getEnclosingCallArgument(unit);
  if (!site || !ts.isCallExpression(site.call)) return undefined;
  if (binding.callbackArg !== undefined && binding.callbackArg !== site.index) return undefined;
  return matchesCall(checker, site.call, binding) ? site.call : undefined;
}

/** Applies one handler binding to a unit: the connection key it starts, or undefined when it does not apply. */
function applyHandler(checker: ts.TypeChecker, keys: ConnectionKeys, unit: FunctionUnit, binding: HandlerBinding): { key: string; origin: string } | undefined {
  const state = `state \`${binding.state}\``;
  if (binding.construct !== undefined) return undefined;
  const names = getUnitNames(unit);
  const label = names.at(-1) ?? "this function";
  if (binding.function !== undefined && !names.some((n) => picomatch.isMatch(n, toList(binding.function) as string[]))) return undefined;
  if (binding.decorator !== undefined && !getDecoratorNames(unit).some((d) => toList(binding.decorator).includes(d))) return undefined;
  const registering = binding.callbackOf && matchesCallbackOf(checker, unit, binding.callbackOf);
  if (binding.callbackOf && !registering) return undefined;
  if (binding.parameterType !== undefined) {
    const parameter = findParameter(checker, unit, toList(binding.parameterType));
    const key = parameter && keys.getDeclarationKey(parameter.name as ts.Identifier);
    const where = registering ? ` in this \`${getCallee(registering)!.name}\` callback` : "";
    return key ? { key, origin: `\`${parameter.getText().replace(/\s+/g, " ")}\` starts in ${state}${where}` } : undefined;
  }
  if (registering) {
    const receiver = getCallee(registering)?.receiver;
    const connection = binding.callbackOf?.connectionArg !== undefined ? registering.arguments[binding.callbackOf.connectionArg] : receiver;
    const key = connection && keys.getKey(connection);
    return key ? { key, origin: `\`${connection.getText()}\` is in ${state} when this \`${getCallee(registering)!.name}\` callback runs` } : undefined;
  }
  return { key: AMBIENT_KEY, origin: `\`${label}\` runs in ${state}` };
}

export function getUnitStart(checker: ts.TypeChecker, keys: ConnectionKeys, unit: Unit, handlers: readonly HandlerBinding[]): UnitStart {
  const start: UnitStart = { initial: new Map() };
  if (ts.isSourceFile(unit)) return start;
  for (const binding of handlers) {
    const applied = applyHandler(checker, keys, unit, binding);
    if (!applied || start.initial.has(applied.key)) continue;
    start.initial.set(applied.key, { state: binding.state, origin: applied.origin });
    start.primary ??= applied.key;
  }
  return start;
}
