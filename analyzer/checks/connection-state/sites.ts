/**
 * The calls of a file that `bindings.<contract>` names: transitions, operations, emissions and
 * constructions of connections, each with the connection it acts on and the unit it runs in.
 */
import { ts } from "../typescript.js";
import type { EmitBinding, HandlerBinding, OperationBinding, ReceiveBinding, TransitionBinding } from "../../../contracts/bindings/bindings.schema.js";
import { getCallee, getConnectionExpression, getStringValues, matchesCall, toList, typeHasName } from "./bindings-match.js";
import type { ConnectionKeys } from "./connection-keys.js";
import { skipValueWrappers } from "../shared/nodes.js";
import type { BoundContract } from "./contract-bindings.js";
import { getUnit, type Unit } from "./units.js";

/**
 * The connection a call acts on: none named (a plain function call: the unit's connection), or an
 * expression, with its key when it is a name or member chain (no key: not tracked).
 */
export type SiteTarget = { kind: "none" } | { kind: "expression"; node: ts.Expression; key: string | undefined };

interface SiteBase {
  unit: Unit;
  target: SiteTarget;
}

export interface TransitionSite extends SiteBase {
  kind: "transition";
  node: ts.CallExpression;
  binding: TransitionBinding;
  /** The transition(s) performed; undefined when the name argument is not a literal. */
  names: string[] | undefined;
}

export interface OperationSite extends SiteBase {
  kind: "operation";
  node: ts.CallExpression;
  binding: OperationBinding;
}

export interface EmitSite extends SiteBase {
  kind: "emit";
  node: ts.CallExpression;
  binding: EmitBinding;
  /** The events the call may emit, when known here (`event`, or a literal `eventArg`): for the transitions they take. */
  events: string[] | undefined;
}

/** A call that processes a message the other side sent (`receives`). */
export interface ReceiveSite extends SiteBase {
  kind: "receive";
  node: ts.CallExpression;
  binding: ReceiveBinding;
  /** The events it may process; undefined when the name argument is not of literal type. */
  events: string[] | undefined;
}

export interface ConstructSite extends SiteBase {
  kind: "construct";
  node: ts.NewExpression;
  binding: HandlerBinding;
}

export type LifecycleSite = TransitionSite | OperationSite | EmitSite | ReceiveSite | ConstructSite;

function getTarget(keys: ConnectionKeys, call: ts.CallExpression, binding: TransitionBinding | OperationBinding | EmitBinding | ReceiveBinding): SiteTarget {
  const node = getConnectionExpression(call, binding);
  return node ? { kind: "expression", node, key: keys.getKey(node) } : { kind: "none" };
}

/** Where `new X()` puts the connection: `const ws = new X()` or `this.ws = new X()`. */
function getConstructTarget(keys: ConnectionKeys, node: ts.NewExpression): SiteTarget {
  let outer: ts.Node = node;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return { kind: "expression", node, key: keys.getDeclarationKey(parent.name) };
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === outer) {
    return { kind: "expression", node: parent.left, key: keys.getKey(parent.left) };
  }
  return { kind: "expression", node, key: undefined };
}

function getTransitionNames(checker: ts.TypeChecker, bound: BoundContract, call: ts.CallExpression, binding: TransitionBinding): string[] | undefined {
  if (binding.transition !== undefined) return [binding.transition];
  const argument = call.arguments[binding.transitionArg!];
  const values = argument && getStringValues(checker, argument);
  return values?.filter((v) => bound.graph.transitions.includes(v));
}

/** `{ type: "connection_ack", … }` (also inside `JSON.stringify(…)`, or by its type): the discriminator's literal values. */
function getEnvelopeEventNames(checker: ts.TypeChecker, bound: BoundContract, argument: ts.Expression): string[] | undefined {
  let message = skipValueWrappers(argument);
  if (ts.isCallExpression(message) && message.arguments.length > 0 && skipValueWrappers(message.expression).getText() === "JSON.stringify")
    message = skipValueWrappers(message.arguments[0]!);
  const field = bound.contract.envelope.discriminator;
  if (ts.isObjectLiteralExpression(message)) {
    const property = [...message.properties]
      .reverse()
      .find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) && p.name.text === field);
    if (!property || message.properties.some(ts.isSpreadAssignment)) return undefined;
    return ts.isPropertyAssignment(property) ? getStringValues(checker, property.initializer) : undefined;
  }
  const symbol = checker.getTypeAtLocation(message).getProperty(field);
  const type = symbol && checker.getTypeOfSymbol(symbol);
  const parts = type ? (type.isUnion() ? type.types : [type]) : [];
  return parts.length && parts.every((t) => t.isStringLiteral()) ? parts.map((t) => t.value) : undefined;
}

/** The event names a binding gives (`event`) or a literal argument names (`eventArg`); undefined when not known here. */
function getEventNames(checker: ts.TypeChecker, bound: BoundContract, call: ts.CallExpression, binding: EmitBinding | ReceiveBinding): string[] | undefined {
  if (binding.event !== undefined) return [binding.event];
  const envelopeArg = "envelopeArg" in binding ? binding.envelopeArg : undefined;
  const argument = call.arguments[binding.eventArg ?? envelopeArg ?? call.arguments.length];
  if (!argument) return undefined;
  const values = binding.eventArg !== undefined ? getStringValues(checker, argument) : getEnvelopeEventNames(checker, bound, argument);
  return values?.filter((v) => bound.contract.events.some((e) => e.name === v));
}

/** Names worth a full (typed) match: every `call` of the bindings. */
function getCalledNames(bound: BoundContract): Set<string> {
  const { transitions = [], operations = [], emits = [], receives = [] } = bound.bindings;
  return new Set([...transitions, ...operations, ...emits, ...receives].flatMap((b) => toList(b.call)));
}

function findCallSites(checker: ts.TypeChecker, keys: ConnectionKeys, bound: BoundContract, call: ts.CallExpression, unit: Unit): LifecycleSite[] {
  const { transitions = [], operations = [], emits = [], receives = [] } = bound.bindings;
  const sites: LifecycleSite[] = [];
  for (const binding of operations) {
    if (matchesCall(checker, call, binding)) sites.push({ kind: "operation", node: call, binding, unit, target: getTarget(keys, call, binding) });
  }
  for (const binding of emits) {
    if (!matchesCall(checker, call, binding)) continue;
    sites.push({ kind: "emit", node: call, binding, unit, target: getTarget(keys, call, binding), events: getEventNames(checker, bound, call, binding) });
  }
  for (const binding of receives) {
    if (!matchesCall(checker, call, binding)) continue;
    sites.push({ kind: "receive", node: call, binding, unit, target: getTarget(keys, call, binding), events: getEventNames(checker, bound, call, binding) });
  }
  for (const binding of transitions) {
    if (!matchesCall(checker, call, binding)) continue;
    sites.push({
      kind: "transition",
      node: call,
      binding,
      unit,
      target: getTarget(keys, call, binding),
      names: getTransitionNames(checker, bound, call, binding),
    });
  }
  return sites;
}

function findConstructSites(checker: ts.TypeChecker, keys: ConnectionKeys, bound: BoundContract, node: ts.NewExpression, unit: Unit): ConstructSite[] {
  const constructs = (bound.bindings.handlers ?? []).filter((h) => h.construct !== undefined);
  if (constructs.length === 0) return [];
  const type = checker.getTypeAtLocation(node);
  const binding = constructs.find((h) => typeHasName(checker, type, toList(h.construct)));
  return binding ? [{ kind: "construct", node, binding, unit, target: getConstructTarget(keys, node) }] : [];
}

/** Every bound call of the file, in source order (operations and emissions before the transitions of the same call). */
export function findLifecycleSites(checker: ts.TypeChecker, keys: ConnectionKeys, sourceFile: ts.SourceFile, bound: BoundContract): LifecycleSite[] {
  const names = getCalledNames(bound);
  const sites: LifecycleSite[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = getCallee(node);
      // A plain function call may be a renamed import: those get the full match.
      if (callee && (names.has(callee.name) || !callee.receiver)) {
        const found = findCallSites(checker, keys, bound, node, sourceFile);
        const unit = found.length ? getUnit(checker, node) : undefined;
        if (unit) sites.push(...found.map((site) => ({ ...site, unit })));
      }
    } else if (ts.isNewExpression(node)) {
      const unit = getUnit(checker, node);
      if (unit) sites.push(...findConstructSites(checker, keys, bound, node, unit));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return sites;
}
