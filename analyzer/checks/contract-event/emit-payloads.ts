/**
 * What a bound emission call sends: the event name(s) and the payload, read from the argument the
 * binding names (`eventArg` + `payloadArg`), from the binding itself (`event`), or from a whole wire
 * message (`envelopeArg`: `{ type: "agent_started", data: {…} }`, also inside `JSON.stringify(…)`).
 */
import { ts } from "../typescript.js";
import type { Contract } from "../../../contracts/model.js";
import { getStringValues } from "../connection-state/bindings-match.js";
import { skipValueWrappers } from "../shared/nodes.js";
import { getTypeParts, getValueKind } from "./json-kinds.js";
import { getShorthandValueType } from "../shared/narrowing.js";
import type { EmitSite } from "../connection-state/sites.js";
import type { PayloadValue } from "./schema-conformance.js";

export interface EmittedEvent {
  /** The event names the call may emit; undefined when they are not known statically (a `string`). */
  events: string[] | undefined;
  /** The event name is not a string at all (a number where the contract names events by strings). */
  nameNotString?: { actual: string; field: string };
  payload?: PayloadValue;
}

/** `JSON.stringify(x)` → x. */
function unwrapStringify(node: ts.Expression): ts.Expression {
  const inner = skipValueWrappers(node);
  if (ts.isCallExpression(inner) && inner.arguments.length > 0) {
    const callee = skipValueWrappers(inner.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === "stringify" && ts.isIdentifier(callee.expression) && callee.expression.text === "JSON")
      return inner.arguments[0]!;
  }
  return inner;
}

function readName(checker: ts.TypeChecker, value: PayloadValue | undefined, field: string): Pick<EmittedEvent, "events" | "nameNotString"> {
  if (!value) return { events: undefined };
  if (value.kind === "node") {
    const events = getStringValues(checker, value.node);
    if (events) return { events };
  }
  const type = value.kind === "node" ? checker.getTypeAtLocation(value.node) : value.type;
  const parts = getTypeParts(type);
  if (parts.every((t) => t.isStringLiteral())) return { events: parts.map((t) => t.value) };
  const kinds = parts.map((t) => getValueKind(checker, t));
  if (kinds.every((k) => k === "number" || k === "boolean" || k === "null" || k === "object" || k === "array")) {
    return { events: undefined, nameNotString: { actual: checker.typeToString(type), field } };
  }
  return { events: undefined };
}

/** A property of an object literal (the last one wins) or of the type. */
function readProperty(checker: ts.TypeChecker, object: ts.Expression, name: string): PayloadValue | undefined {
  if (ts.isObjectLiteralExpression(object) && !object.properties.some(ts.isSpreadAssignment)) {
    const property = [...object.properties]
      .reverse()
      .find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) && p.name.text === name);
    if (property && ts.isPropertyAssignment(property)) return { kind: "node", node: property.initializer };
    // `{ type, data }`: the variables' types narrowed at this point, not as declared.
    if (property && ts.isShorthandPropertyAssignment(property))
      return { kind: "type", type: getShorthandValueType(checker, property), ref: { node: property.name, path: [] } };
    return undefined;
  }
  const symbol = checker.getTypeAtLocation(object).getProperty(name);
  return symbol ? { kind: "type", type: checker.getNonNullableType(checker.getTypeOfSymbol(symbol)), ref: { node: object, path: [name] } } : undefined;
}

function readEnvelope(checker: ts.TypeChecker, contract: Contract, argument: ts.Expression): EmittedEvent | undefined {
  const message = unwrapStringify(argument);
  const kind = ts.isObjectLiteralExpression(message) ? "object" : getValueKind(checker, checker.getTypeAtLocation(message));
  if (kind !== "object") return undefined; // a string already serialized elsewhere: nothing to read
  const { discriminator, payloadField } = contract.envelope;
  const name = readName(checker, readProperty(checker, message, discriminator), discriminator);
  const payload = readProperty(checker, message, payloadField);
  return payload ? { ...name, payload } : name;
}

export function readEmittedEvent(checker: ts.TypeChecker, contract: Contract, site: EmitSite): EmittedEvent | undefined {
  const { binding, node: call } = site;
  const payloadArgument = binding.payloadArg === undefined ? undefined : call.arguments[binding.payloadArg];
  const payload: PayloadValue | undefined = payloadArgument ? { kind: "node", node: payloadArgument } : undefined;
  if (binding.event !== undefined) return payload ? { events: [binding.event], payload } : { events: [binding.event] };
  if (binding.envelopeArg !== undefined) {
    const argument = call.arguments[binding.envelopeArg];
    return argument && readEnvelope(checker, contract, argument);
  }
  const argument = call.arguments[binding.eventArg!];
  if (!argument) return undefined;
  const name = readName(checker, { kind: "node", node: argument }, `argument ${binding.eventArg! + 1}`);
  return payload ? { ...name, payload } : name;
}
