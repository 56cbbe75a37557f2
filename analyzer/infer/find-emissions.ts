/**
 * Emission sites: calls that send a message. With `emits` bindings in the config, the calls they
 * match; otherwise calls named like a send (`send`, `emit`, `publish`, `broadcast`, `notify`,
 * `post…`, `reply`, `respond`) that pass
 *
 * - a whole message, also inside `JSON.stringify(…)`: an object literal with a string-literal
 *   discriminator (`ws.send(JSON.stringify({ type: "x", data }))`), or a value whose type is such an
 *   object or a union of them (`ws.send(JSON.stringify(message))`, `message: ServerMessage`);
 * - an event name and a payload: `emit("x", payload)` (the name a string literal or of literal type).
 *
 * Node's own `EventEmitter.emit` and the DOM's `dispatchEvent` are in-process, not wire messages,
 * and are skipped.
 */
import { type CallExpression, type Expression, Node, type SourceFile, SyntaxKind, type Type } from "ts-morph";
import type { EmitBinding } from "../../contracts/bindings/bindings.schema.js";
import { getStringLiterals } from "./find-unions.js";
import { locate } from "./locate.js";
import type { SourceLocation } from "./model.js";

const SEND_NAME = /^(send|emit|publish|broadcast|notify|post|reply|respond)/i;

export interface EmittedMessage {
  event: string;
  /** The whole message's type (envelope form), or the payload's type (event-name form; undefined when the call passes none). */
  type: Type | undefined;
  form: "envelope" | "event-and-payload";
  /** Where the message or payload type is declared, for its notes (the argument when anonymous). */
  node: Node;
}

export interface EmissionSite {
  call: string;
  at: SourceLocation;
  /** Path of the file and names of the enclosing class and function, for side hints. */
  context: string;
  messages: EmittedMessage[];
  binding: EmitBinding;
}

function unwrap(expression: Expression): Expression {
  let node: Node = expression;
  for (;;) {
    if (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isNonNullExpression(node)) {
      node = node.getExpression();
      continue;
    }
    if (Node.isCallExpression(node) && node.getArguments().length > 0 && node.getExpression().getText().replace(/\s/g, "") === "JSON.stringify") {
      node = node.getArguments()[0]!;
      continue;
    }
    return node as Expression;
  }
}

/** The callee's name (`send` in `ws.send(…)`, `emit` in `emit(…)`), or undefined for other callees. */
function getCallName(call: CallExpression): string | undefined {
  const callee = call.getExpression();
  if (Node.isPropertyAccessExpression(callee)) return callee.getName();
  if (Node.isIdentifier(callee)) return callee.getText();
  return undefined;
}

/** The receiver's type name (class, interface or alias), for `receiverType`; undefined for plain calls or anonymous types. */
function getReceiverTypeName(call: CallExpression): string | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const type = callee.getExpression().getType();
  const symbol = type.getAliasSymbol() ?? type.getSymbol();
  const name = symbol?.getName();
  return name === undefined || name.startsWith("__") || type.isAny() ? undefined : name;
}

function isInProcessEmitter(call: CallExpression): boolean {
  const symbol = call.getExpression().getSymbol();
  const declaration = symbol?.getDeclarations()[0];
  const file = declaration?.getSourceFile().getFilePath() ?? "";
  return /[\\/]@types[\\/]node[\\/]/.test(file) || /[\\/]typescript[\\/]lib[\\/]/.test(file);
}

function describeContext(call: CallExpression, root: string): string {
  const names: string[] = [call.getSourceFile().getFilePath().slice(root.length)];
  for (const ancestor of call.getAncestors()) {
    if (Node.isClassDeclaration(ancestor) || Node.isFunctionDeclaration(ancestor) || Node.isMethodDeclaration(ancestor)) names.push(ancestor.getName() ?? "");
    if (Node.isVariableDeclaration(ancestor)) names.push(ancestor.getName());
  }
  return names.join(" ");
}

/** The messages a whole-message argument carries: one per discriminator value of each object member. */
function readEnvelope(argument: Expression, discriminator: string): EmittedMessage[] {
  const value = unwrap(argument);
  const type = value.getType();
  if (Node.isObjectLiteralExpression(value)) {
    // `{ type: "x", ... }` passed where nothing types it (JSON.stringify's `any`): the literal's
    // type widens "x" to string, so the discriminator is read from the property itself.
    const property = value.getProperty(discriminator);
    const initializer = property && Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
    const values =
      initializer &&
      (Node.isStringLiteral(initializer) || Node.isNoSubstitutionTemplateLiteral(initializer)
        ? [initializer.getLiteralValue()]
        : getStringLiterals(initializer.getType()));
    return values ? values.map((event) => ({ event, type, form: "envelope" as const, node: value })) : [];
  }
  const members = type.isUnion() ? type.getUnionTypes() : [type];
  const messages: EmittedMessage[] = [];
  for (const member of members) {
    if (!member.isObject() || member.isArray()) return [];
    const property = member.getProperty(discriminator);
    const values = property && getStringLiterals(property.getTypeAtLocation(value));
    if (!values) return [];
    const symbol = member.getAliasSymbol() ?? member.getSymbol();
    const declared = symbol?.getDeclarations()[0];
    const node = declared && !Node.isObjectLiteralExpression(declared) ? declared : value;
    for (const event of values) messages.push({ event, type: member, form: "envelope", node });
  }
  return messages;
}

/** `emit("x", payload)`: the payload's declared parameter type when the callee types it, else the argument's. */
function readEventAndPayload(call: CallExpression): EmittedMessage[] {
  const [name, payload] = call.getArguments();
  if (!name || !payload || !Node.isExpression(name) || !Node.isExpression(payload)) return [];
  const events = getStringLiterals(name.getType());
  if (!events) return [];
  const argumentType = payload.getType();
  if (argumentType.getCallSignatures().length > 0) return []; // `on("x", handler)`-like
  const signature = call.getProject().getTypeChecker().getResolvedSignature(call);
  const declared = signature?.getParameters()[1]?.getTypeAtLocation(call);
  const useDeclared = declared !== undefined && declared.isObject() && !declared.isAny() && declared.getCallSignatures().length === 0;
  const type = useDeclared ? declared : argumentType;
  const symbol = type.getAliasSymbol() ?? type.getSymbol();
  const declaration = symbol?.getDeclarations()[0];
  const node = declaration && !Node.isObjectLiteralExpression(declaration) ? declaration : payload;
  return events.map((event) => ({ event, type, form: "event-and-payload", node }));
}

export function findEmissionSites(files: readonly SourceFile[], discriminator: string, root: string): EmissionSite[] {
  const sites: EmissionSite[] = [];
  for (const file of files) {
    if (file.isDeclarationFile()) continue;
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const name = getCallName(call);
      if (name === undefined || !SEND_NAME.test(name) || isInProcessEmitter(call)) continue;
      const receiverType = getReceiverTypeName(call);
      const base = { call: call.getExpression().getText(), at: locate(call), context: `${describeContext(call, root)} ${receiverType ?? ""}` };
      const common = { call: name, ...(receiverType === undefined ? {} : { receiverType }) };
      const envelopeIndex = call.getArguments().findIndex((a) => Node.isExpression(a) && readEnvelope(a, discriminator).length > 0);
      if (envelopeIndex >= 0) {
        const messages = readEnvelope(call.getArguments()[envelopeIndex] as Expression, discriminator);
        sites.push({ ...base, messages, binding: { ...common, envelopeArg: envelopeIndex } });
        continue;
      }
      const messages = readEventAndPayload(call);
      if (messages.length > 0) sites.push({ ...base, messages, binding: { ...common, eventArg: 0, payloadArg: 1 } });
    }
  }
  return sites;
}

function matchesNames(value: string | readonly string[] | undefined, name: string): boolean {
  return value === undefined || (typeof value === "string" ? value === name : value.includes(name));
}

/** The names a receiver's type goes by: its alias, class or interface, and every base type's. */
function getReceiverTypeNames(call: CallExpression): Set<string> {
  const callee = call.getExpression();
  const names = new Set<string>();
  if (!Node.isPropertyAccessExpression(callee)) return names;
  const visit = (type: Type, depth: number): void => {
    if (depth > 8) return;
    const parts = type.isUnion() ? type.getUnionTypes() : type.isIntersection() ? type.getIntersectionTypes() : [type];
    for (const part of parts) {
      const alias = part.getAliasSymbol()?.getName();
      if (alias) names.add(alias);
      const symbol = part.getSymbol();
      if (symbol) names.add(symbol.getName());
      for (const base of part.getBaseTypes()) visit(base, depth + 1);
    }
  };
  const receiver = callee.getExpression().getType();
  if (!receiver.isAny()) visit(receiver, 0);
  const declaring = callee.getNameNode().getSymbol()?.getDeclarations()[0]?.getParent();
  if (declaring && (Node.isClassDeclaration(declaring) || Node.isInterfaceDeclaration(declaring))) names.add(declaring.getName() ?? "");
  return names;
}

function readBound(call: CallExpression, binding: EmitBinding, discriminator: string): EmittedMessage[] {
  const args = call.getArguments();
  const argument = (index: number | undefined) => {
    const node = index === undefined ? undefined : args[index];
    return node && Node.isExpression(node) ? node : undefined;
  };
  if (binding.envelopeArg !== undefined) {
    const envelope = argument(binding.envelopeArg);
    return envelope ? readEnvelope(envelope, discriminator) : [];
  }
  const payload = argument(binding.payloadArg);
  const events =
    binding.event !== undefined
      ? [binding.event]
      : (() => {
          const name = argument(binding.eventArg);
          return name ? (getStringLiterals(name.getType()) ?? []) : [];
        })();
  return events.map((event) => ({ event, type: payload?.getType(), form: "event-and-payload" as const, node: payload ?? call }));
}

/** The calls the config's `emits` bindings match (name, receiver type, literal argument), with what they send. */
export function findBoundEmissionSites(files: readonly SourceFile[], bindings: readonly EmitBinding[], discriminator: string, root: string): EmissionSite[] {
  const sites: EmissionSite[] = [];
  for (const file of files) {
    if (file.isDeclarationFile()) continue;
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const name = getCallName(call);
      if (name === undefined) continue;
      for (const binding of bindings) {
        if (!matchesNames(binding.call, name)) continue;
        if (binding.receiverType !== undefined) {
          const names = getReceiverTypeNames(call);
          const wanted = typeof binding.receiverType === "string" ? [binding.receiverType] : binding.receiverType;
          if (!wanted.some((w) => names.has(w))) continue;
        }
        if (binding.argument !== undefined) {
          const literal = call.getArguments()[binding.argument.index];
          const values = literal && Node.isExpression(literal) ? getStringLiterals(literal.getType()) : undefined;
          const allowed = typeof binding.argument.value === "string" ? [binding.argument.value] : binding.argument.value;
          if (!values?.every((v) => allowed.includes(v))) continue;
        }
        const messages = readBound(call, binding, discriminator);
        if (messages.length > 0)
          sites.push({ call: call.getExpression().getText(), at: locate(call), context: describeContext(call, root), messages, binding });
      }
    }
  }
  return sites;
}
