/**
 * `covenant infer`'s pipeline: load the project → find message unions → find emission sites →
 * choose the envelope → convert each message's payload type → the protocol the draft is written
 * from, with the warnings to print.
 */
import path from "node:path";
import { Node, type SourceFile, type Type } from "ts-morph";
import { CovenantError } from "../../common/errors.js";
import { EVENT_NAME_PATTERN } from "../../contracts/format/contract.schema.js";
import type { EmitBinding } from "../../contracts/bindings/bindings.schema.js";
import { type EmissionSite, findBoundEmissionSites, findEmissionSites } from "./find-emissions.js";
import { type FoundUnion, findMessageUnions } from "./find-unions.js";
import { loadInferProject } from "./load.js";
import { getDocumentation, locate } from "./locate.js";
import { resolveNameCollisions } from "./names.js";
import type { DirectionHint, InferredEvent, InferredProtocol, SourceLocation } from "./model.js";
import { getSideFromName, getSidesFromComment } from "./side-hints.js";
import { TypeToSchema } from "./type-to-schema.js";

export interface InferOptions {
  /** The tsconfig (absolute). */
  tsconfig: string;
  /** Files and folders to look in (relative to `cwd`); empty: the whole project. */
  paths: readonly string[];
  cwd: string;
  /** `--type`: the message unions, by name. */
  typeNames: readonly string[];
  discriminator?: string;
  payloadField?: string;
  /** `emits` bindings from the config: they name the emission sites instead of the heuristic. */
  bindings?: readonly EmitBinding[];
  /** The contract's name: generated API names (`<Name>Message`) a shared schema must not take. */
  contractName: string;
}

export interface InferWarning {
  at: SourceLocation | undefined;
  text: string;
}

export interface InferResult {
  protocol: InferredProtocol;
  warnings: InferWarning[];
  /** The tsconfig's folder. */
  root: string;
}

/** Payload field names tried in this order when the messages nest their payload. */
const PAYLOAD_PREFERENCE = ["data", "payload", "body", "params", "args", "content", "detail", "d"];

function compareLocations(a: SourceLocation, b: SourceLocation): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

/**
 * The payload field: the preferred name (`data`, `payload`, ...) at least half the messages with
 * more than a discriminator nest their payload under (`nested`); else `data`, and the messages are
 * taken to send their fields flat, beside the discriminator.
 */
function choosePayloadField(messages: readonly Type[], discriminator: string): { field: string; nested: boolean } {
  const counts = new Map<string, number>();
  for (const message of messages) {
    for (const property of message.getProperties()) counts.set(property.getName(), (counts.get(property.getName()) ?? 0) + 1);
  }
  const withSiblings = messages.filter((m) => m.getProperties().some((p) => p.getName() !== discriminator)).length;
  const best = PAYLOAD_PREFERENCE.filter((name) => (counts.get(name) ?? 0) > 0).sort((a, b) => counts.get(b)! - counts.get(a)!)[0];
  return best !== undefined && counts.get(best)! * 2 >= withSiblings ? { field: best, nested: true } : { field: "data", nested: false };
}

function notFound(options: InferOptions, lookedIn: string): CovenantError {
  const named = options.typeNames.length > 0;
  return new CovenantError({
    code: "no-protocol-found",
    file: options.tsconfig,
    line: 0,
    column: 0,
    message: named
      ? `None of ${options.typeNames.map((n) => `\`${n}\``).join(", ")} is a message union in ${lookedIn}: a type alias or interface whose members all have a string-literal discriminator. Check the name, or pass --discriminator <field>.`
      : `No message union or emission site found in ${lookedIn}: covenant infer looks for type aliases named like messages (\`ServerMessage = { type: "a"; data: A } | ...\`) and for send/emit calls with a message (\`ws.send(JSON.stringify({ type: "a", ... }))\`, \`emit("a", payload)\`). Point it at your union with --type <name>${options.discriminator === undefined ? ", and at its discriminator with --discriminator <field>" : ""}.`,
  });
}

class ProtocolBuilder {
  readonly events = new Map<string, InferredEvent & { first: SourceLocation }>();
  readonly warnings: InferWarning[] = [];
  private readonly payloadTypes = new Map<InferredEvent, Type>();

  /**
   * A payload whose type also became a shared schema (used elsewhere, or recursive) is written as
   * a `$ref` to it, once all types are converted; its notes are the shared schema's.
   */
  shareRepeatedPayloads(): void {
    for (const [event, type] of this.payloadTypes) {
      const ref = this.converter.getSharedRef(type);
      if (ref !== undefined && event.payload) event.payload = { schema: { $ref: ref }, notes: [] };
    }
  }

  constructor(
    private readonly converter: TypeToSchema,
    private readonly discriminator: string,
    private readonly payloadField: string,
    /** The messages nest their payloads under `payloadField`: other fields of a message are envelope fields (graphql-ws's `id`). */
    private readonly nested: boolean,
  ) {}

  /** An event from a whole message type (`{ type: "a"; data: A }`). */
  addMessage(
    name: string,
    message: Type,
    node: Node,
    hints: readonly DirectionHint[],
    source: InferredEvent["sources"][number],
    origin?: InferredEvent["origin"],
  ): void {
    if (this.merge(name, hints, source)) return;
    const others = message.getProperties().filter((p) => p.getName() !== this.discriminator);
    const payloadProperty = message.getProperty(this.payloadField);
    const event = this.create(name, hints, source);
    const description = getDocumentation(message.getAliasSymbol() ?? message.getSymbol(), this.converter.checker);
    if (description !== undefined) event.description = description;
    if (payloadProperty) {
      const declaration = payloadProperty.getValueDeclaration() ?? node;
      const payloadType = payloadProperty.getTypeAtLocation(node);
      const converted = this.converter.convertPayload(payloadType, declaration);
      event.payload = { schema: converted.schema, notes: converted.notes };
      this.payloadTypes.set(event, payloadType);
      event.payloadOptional = converted.optional || payloadProperty.isOptional();
      event.envelopeSiblings = others.map((p) => p.getName()).filter((p) => p !== this.payloadField);
    } else if (others.length > 0 && this.nested) {
      event.envelopeSiblings = others.map((p) => p.getName());
    } else if (others.length > 0) {
      event.payload = this.converter.convertFields(message, node, [this.discriminator]);
      event.flat = true;
    }
    if (origin)
      event.origin = event.flat
        ? { ...origin, payloadType: `Omit<${origin.payloadType}, ${JSON.stringify(this.discriminator)}>` }
        : event.payload
          ? { ...origin, payloadType: `Exclude<${origin.payloadType}[${JSON.stringify(this.payloadField)}], undefined>` }
          : undefined;
    if (!event.origin) delete event.origin;
  }

  /** An event from an `emit("a", payload)` call. */
  addPayload(name: string, payload: Type | undefined, node: Node, hints: readonly DirectionHint[], source: InferredEvent["sources"][number]): void {
    if (this.merge(name, hints, source)) return;
    const event = this.create(name, hints, source);
    if (!payload) return;
    const converted = this.converter.convertPayload(payload, node);
    event.payload = { schema: converted.schema, notes: converted.notes };
    this.payloadTypes.set(event, payload);
  }

  private create(name: string, hints: readonly DirectionHint[], source: InferredEvent["sources"][number]): InferredEvent & { first: SourceLocation } {
    const event: InferredEvent & { first: SourceLocation } = {
      name,
      payload: undefined,
      payloadOptional: false,
      envelopeSiblings: [],
      flat: false,
      hints: [...hints],
      sources: [source],
      first: source.at,
    };
    this.events.set(name, event);
    return event;
  }

  /** A second source of a known event adds its side and place; the first source's payload stays. */
  private merge(name: string, hints: readonly DirectionHint[], source: InferredEvent["sources"][number]): boolean {
    const known = this.events.get(name);
    if (!known) return false;
    for (const hint of hints) if (!known.hints.some((h) => h.side === hint.side && h.reason === hint.reason)) known.hints.push(hint);
    known.sources.push(source);
    return true;
  }
}

function unionOrigin(union: FoundUnion, value: string, discriminator: string): InferredEvent["origin"] {
  return {
    file: union.at.file,
    union: union.typeText,
    payloadType: `Extract<${union.typeText}, { ${JSON.stringify(discriminator)}: ${JSON.stringify(value)} }>`,
  };
}

function describeFiles(files: readonly SourceFile[], root: string): string {
  if (files.length === 1) return path.relative(root, files[0]!.getFilePath()).split(path.sep).join("/") || files[0]!.getFilePath();
  return `${files.length} files`;
}

export function inferProtocol(options: InferOptions): InferResult {
  const { project, files, root } = loadInferProject(options.tsconfig, options.paths, options.cwd);
  const warnings: InferWarning[] = [];
  const { discriminator, unions } = selectUnions(files, options, root, warnings);
  const sites = options.bindings ? findBoundEmissionSites(files, options.bindings, discriminator, root) : findEmissionSites(files, discriminator, root);
  const messageTypes = [
    ...unions.flatMap((u) => u.members.map((m) => m.type)),
    ...sites.flatMap((s) => s.messages.flatMap((m) => (m.form === "envelope" && m.type ? [m.type] : []))),
  ];
  const given = options.payloadField;
  const envelope =
    given !== undefined
      ? { field: given, nested: messageTypes.some((m) => m.getProperty(given) !== undefined) }
      : choosePayloadField(messageTypes, discriminator);
  const converter = new TypeToSchema(project.getTypeChecker());
  const builder = new ProtocolBuilder(converter, discriminator, envelope.field, envelope.nested);
  const accept = (name: string, at: SourceLocation): boolean => {
    if (EVENT_NAME_PATTERN.test(name)) return true;
    warnings.push({
      at,
      text: `\`${name}\` is not a valid contract event name (letters, digits, \`_\`, and single \`-\`, \`.\`, \`:\`, \`/\` between words): left out. Rename it in the draft by hand.`,
    });
    return false;
  };
  addUnions(builder, unions, discriminator, accept);
  const used = addSites(builder, sites, options.typeNames.length > 0, root, accept);
  if (builder.events.size === 0) throw notFound(options, describeFiles(files, root));
  builder.shareRepeatedPayloads();
  const events = [...builder.events.values()].sort((a, b) => compareLocations(a.first, b.first));
  for (const event of events) warnings.push(...describeEventWarnings(event, discriminator, envelope.field));
  const definitions = converter.definitions;
  for (const note of [...events.flatMap((e) => e.payload?.notes ?? []), ...[...definitions.values()].flatMap((d) => d.notes)]) {
    if (note.kind === "unconvertible") warnings.push({ at: note.at, text: note.text });
  }
  const protocol: InferredProtocol = {
    discriminator,
    payloadField: envelope.field,
    events: events.map(({ first: _first, ...event }) => event),
    definitions: new Map([...definitions].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))),
    unions: unions.map(({ members: _members, ...union }) => union),
    emits: options.bindings ? [...options.bindings] : dedupeBindings(used.map((s) => s.binding)),
  };
  const named = resolveNameCollisions(protocol, options.contractName);
  return { protocol: named.protocol, warnings: dedupeWarnings([...warnings, ...named.warnings]), root };
}

/** The message unions in scope that share the discriminator (given, or the most common one), in source order. */
function selectUnions(
  files: readonly SourceFile[],
  options: InferOptions,
  root: string,
  warnings: InferWarning[],
): { discriminator: string; unions: FoundUnion[] } {
  const found = findMessageUnions(files, { typeNames: options.typeNames, discriminator: options.discriminator });
  warnings.push(...found.skipped.map((s) => ({ at: s.at, text: s.text })));
  if (found.missing.length > 0 && found.missing.length === options.typeNames.length) throw notFound(options, describeFiles(files, root));
  for (const name of found.missing) warnings.push({ at: undefined, text: `No type named \`${name}\` in the files looked in.` });
  const discriminator = options.discriminator ?? mostCommon(found.unions.map((u) => u.discriminator)) ?? "type";
  const unions = found.unions.filter((union) => {
    if (union.discriminator === discriminator) return true;
    warnings.push({
      at: union.at,
      text: `\`${union.name}\` is discriminated by \`${union.discriminator}\`, the other messages by \`${discriminator}\`: a contract has one discriminator, so it is left out. Run covenant infer on it alone (--type ${union.name}).`,
    });
    return false;
  });
  return { discriminator, unions: unions.sort((a, b) => compareLocations(a.at, b.at)) };
}

function addUnions(
  builder: ProtocolBuilder,
  unions: readonly FoundUnion[],
  discriminator: string,
  accept: (name: string, at: SourceLocation) => boolean,
): void {
  for (const union of unions) {
    const side = getSideFromName(union.name);
    const unionHints: DirectionHint[] = side ? [{ side, reason: `its union \`${union.name}\`` }] : [];
    for (const member of union.members) {
      for (const value of member.values) {
        const at = locate(member.node);
        if (!accept(value, at)) continue;
        const hints = [...unionHints, ...getCommentHints(member.type, member.node, discriminator, value)];
        builder.addMessage(value, member.type, member.node, hints, { kind: "union", union: union.name, at }, unionOrigin(union, value, discriminator));
      }
    }
  }
}

/** Adds the events of the emission sites; returns the sites that sent at least one event of the draft (their bindings are the draft's). */
function addSites(
  builder: ProtocolBuilder,
  sites: readonly EmissionSite[],
  onlyKnown: boolean,
  root: string,
  accept: (name: string, at: SourceLocation) => boolean,
): EmissionSite[] {
  const used: EmissionSite[] = [];
  for (const site of sites) {
    const side = getSideFromName(site.context);
    const where = `${path.relative(root, site.at.file).split(path.sep).join("/")}:${site.at.line}`;
    const hints: DirectionHint[] = side ? [{ side, reason: `\`${site.call}\` at ${where}` }] : [];
    for (const message of site.messages) {
      if (onlyKnown && !builder.events.has(message.event)) continue;
      if (!accept(message.event, site.at)) continue;
      const source = { kind: "call" as const, call: site.call, at: site.at };
      if (message.form === "envelope" && message.type) builder.addMessage(message.event, message.type, message.node, hints, source);
      else builder.addPayload(message.event, message.type, message.node, hints, source);
      if (used.at(-1) !== site) used.push(site);
    }
  }
  return used;
}

/** The comments on a line from a node's start to the end of the line it ends on (a trailing `// Client -> Server`), and its doc comment. */
function readComments(node: Node): string {
  const sourceFile = node.getSourceFile();
  const text = sourceFile.getFullText();
  const lineEnd = text.indexOf("\n", node.getEnd());
  const rest = text.slice(node.getEnd(), lineEnd === -1 ? text.length : lineEnd);
  const leading = node.getLeadingCommentRanges().map((r) => r.getText());
  const comments = [...leading, ...(/\/\/|\/\*/.test(rest) ? [rest] : [])];
  return comments.join("\n");
}

/** What comments say about who sends a message: at its declaration, or at its discriminator's enum member. */
function getCommentHints(message: Type, node: Node, discriminator: string, value: string): DirectionHint[] {
  const places: Node[] = [];
  const symbol = message.getAliasSymbol() ?? message.getSymbol();
  const declaration = symbol?.getDeclarations()[0];
  if (declaration && !Node.isSourceFile(declaration)) places.push(declaration);
  const literal = message.getProperty(discriminator)?.getTypeAtLocation(node);
  const member = literal?.isEnumLiteral() ? literal.getSymbol()?.getDeclarations()[0] : undefined;
  if (member) places.push(member);
  const hints: DirectionHint[] = [];
  for (const place of places) {
    const text = readComments(place);
    for (const side of getSidesFromComment(text)) {
      const line = text.split("\n").find((l) => getSidesFromComment(l).length > 0) ?? text;
      const quoted = line
        .replace(/^[\s,;]*(\/\/+|\/\*+|\*)\s*/, "")
        .replace(/\s*\*\/\s*$/, "")
        .trim();
      hints.push({ side, reason: `the comment \`${quoted.length > 60 ? `${quoted.slice(0, 57)}...` : quoted}\` on \`${value}\`` });
    }
  }
  return hints;
}

function describeEventWarnings(event: InferredEvent, discriminator: string, payloadField: string): InferWarning[] {
  const at = event.sources[0]?.at;
  const warnings: InferWarning[] = [];
  if (event.envelopeSiblings.length > 0) {
    warnings.push({
      at,
      text: `\`${event.name}\` messages also carry ${event.envelopeSiblings.map((s) => `\`${s}\``).join(", ")} beside \`${discriminator}\` and \`${payloadField}\`: a contract's envelope has only those two fields, so the draft leaves them out.`,
    });
  }
  if (event.flat)
    warnings.push({
      at,
      text: `\`${event.name}\` messages carry their fields beside \`${discriminator}\`, not under a payload field: the draft puts them under \`${payloadField}\`, the contract's envelope.`,
    });
  if (event.payloadOptional)
    warnings.push({
      at,
      text: `\`${event.name}\` messages may leave out \`${payloadField}\`: a contract's payload is always sent (an empty object at least).`,
    });
  return warnings;
}

function dedupeBindings(bindings: readonly EmitBinding[]): EmitBinding[] {
  const seen = new Map<string, EmitBinding>();
  for (const binding of bindings) seen.set(JSON.stringify(binding), binding);
  return [...seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, b]) => b);
}

function dedupeWarnings(warnings: readonly InferWarning[]): InferWarning[] {
  const seen = new Map<string, InferWarning>();
  for (const warning of warnings) seen.set(`${String(warning.at?.file)}:${String(warning.at?.line)}:${String(warning.at?.column)} ${warning.text}`, warning);
  return [...seen.values()].sort(
    (a, b) => (a.at && b.at ? compareLocations(a.at, b.at) : a.at ? 1 : b.at ? -1 : 0) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
  );
}
