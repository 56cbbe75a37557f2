/**
 * Message unions declared as types: `type ServerMessage = { type: "a"; data: A } | { type: "b" }`
 * (members may be interfaces, aliases, zod-inferred objects). A union is a message union when every
 * member is an object with one common property of string-literal type (the discriminator) and,
 * unless it is named with `--type`, its name ends in a word that says it carries messages
 * (`Message`, `Event`, `Command`, `Request`, ...). A generic alias whose type parameters all have defaults
 * (`Message<T extends MessageType = MessageType>`, graphql-ws) is read with its defaults.
 */
import { Node, type SourceFile, SyntaxKind, type Type, type TypeAliasDeclaration, type InterfaceDeclaration } from "ts-morph";
import { locate } from "./locate.js";
import type { MessageUnion, SourceLocation } from "./model.js";

/**
 * Names that say a union carries messages, by their last word (a documented heuristic; `--type`
 * overrides it): `ServerMessage`, `ClientEvents`, `WsCommandUnion`, but not `EventSource`.
 */
export const MESSAGE_NAME = /(message|event|command|request|response|notification|packet|frame|envelope|msg|action|rpc|signal|reply)s?(union|type)?$/i;

/** Discriminator names tried in this order when several properties could be it. */
const DISCRIMINATOR_PREFERENCE = ["type", "event", "kind", "op", "action", "t", "name", "method", "cmd", "command"];

export interface UnionMember {
  /** The discriminator values (a member may allow several: `type: "a" | "b"`). */
  values: string[];
  type: Type;
  /** Where the member is declared (its interface, its object type literal, or the union). */
  node: Node;
}

export interface FoundUnion extends MessageUnion {
  members: UnionMember[];
}

export interface FindUnionsOptions {
  /** `--type`: only these names, and without the name heuristic. */
  typeNames: readonly string[];
  /** `--discriminator`. */
  discriminator: string | undefined;
}

export interface FindUnionsResult {
  unions: FoundUnion[];
  /** Declarations skipped for a reason worth a warning (a generic without defaults named by --type, ...). */
  skipped: { at: SourceLocation; text: string }[];
  /** `--type` names no declaration in scope has. */
  missing: string[];
}

type Declaration = TypeAliasDeclaration | InterfaceDeclaration;

/** The string values of a literal type (or a union of them, enum members included); undefined otherwise. */
export function getStringLiterals(type: Type): string[] | undefined {
  const parts = type.isUnion() ? type.getUnionTypes() : [type];
  const values: string[] = [];
  for (const part of parts) {
    if (!part.isStringLiteral()) return undefined;
    values.push(part.getLiteralValue() as string);
  }
  return values.length > 0 ? values : undefined;
}

function getMembers(type: Type): Type[] {
  return (type.isUnion() ? type.getUnionTypes() : [type]).filter((m) => !m.isUndefined() && !m.isNull());
}

/** The property that discriminates every member with string literals: the preferred, or the given one. */
export function findDiscriminator(members: readonly Type[], node: Node, given: string | undefined): string | undefined {
  if (members.length === 0 || !members.every((m) => m.isObject() && !m.isArray())) return undefined;
  const fits = (name: string) =>
    members.every((m) => {
      const property = m.getProperty(name);
      return property !== undefined && !property.isOptional() && getStringLiterals(property.getTypeAtLocation(node)) !== undefined;
    });
  if (given !== undefined) return fits(given) ? given : undefined;
  const names = members[0]!
    .getProperties()
    .map((p) => p.getName())
    .filter(fits);
  const preferred = DISCRIMINATOR_PREFERENCE.find((name) => names.includes(name));
  return preferred ?? [...names].sort()[0];
}

const IN_NODE_MODULES = /[\\/]node_modules[\\/]/;

/** Where a member is declared; the union itself when that is a library's helper type (zod's `z.infer` objects). */
function memberNode(member: Type, fallback: Node): Node {
  const symbol = member.getAliasSymbol() ?? member.getSymbol();
  const declaration = symbol?.getDeclarations()[0];
  if (!declaration || Node.isSourceFile(declaration)) return fallback;
  const inLibrary = (node: Node) => IN_NODE_MODULES.test(node.getSourceFile().getFilePath());
  return inLibrary(declaration) && !inLibrary(fallback) ? fallback : declaration;
}

function toUnion(name: string, declaration: Declaration, type: Type, typeText: string, discriminatorFlag: string | undefined): FoundUnion | undefined {
  const members = getMembers(type);
  const discriminator = findDiscriminator(members, declaration, discriminatorFlag);
  if (discriminator === undefined) return undefined;
  return {
    name,
    at: locate(declaration.getNameNode()),
    discriminator,
    typeText,
    members: members.map((member) => ({
      values: getStringLiterals(member.getPropertyOrThrow(discriminator).getTypeAtLocation(declaration))!,
      type: member,
      node: memberNode(member, declaration),
    })),
  };
}

function isNamedByFlag(name: string, typeNames: readonly string[]): boolean {
  return typeNames.length === 0 || typeNames.includes(name);
}

/**
 * Generic aliases with defaults are instantiated through a helper alias added in memory to their
 * file (`type __covenantInfer0 = Message;`), never saved: the checker applies the defaults.
 */
function instantiateDefaults(declaration: TypeAliasDeclaration, index: number): TypeAliasDeclaration {
  const helper = `__covenantInfer${index}`;
  const sourceFile = declaration.getSourceFile();
  sourceFile.insertStatements(declaration.getChildIndex() + 1, `type ${helper} = ${declaration.getName()};`);
  return sourceFile.getTypeAliasOrThrow(helper);
}

export function findMessageUnions(files: readonly SourceFile[], options: FindUnionsOptions): FindUnionsResult {
  const skipped: FindUnionsResult["skipped"] = [];
  const pending: { name: string; declaration: Declaration; generic: boolean }[] = [];
  for (const file of files) {
    const declarations: Declaration[] = [
      ...file.getDescendantsOfKind(SyntaxKind.TypeAliasDeclaration),
      ...(options.typeNames.length > 0 ? file.getDescendantsOfKind(SyntaxKind.InterfaceDeclaration) : []),
    ];
    for (const declaration of declarations) {
      const name = declaration.getName();
      if (!isNamedByFlag(name, options.typeNames) || name.startsWith("__covenantInfer")) continue;
      if (options.typeNames.length === 0 && !MESSAGE_NAME.test(name)) continue;
      const parameters = declaration.getTypeParameters();
      if (parameters.length > 0 && parameters.some((p) => p.getDefault() === undefined)) {
        if (options.typeNames.length > 0)
          skipped.push({
            at: locate(declaration.getNameNode()),
            text: `\`${name}\` is generic and its type parameters have no defaults: point --type at an alias that instantiates it (\`type Mine = ${name}<...>\`).`,
          });
        continue;
      }
      pending.push({ name, declaration, generic: parameters.length > 0 });
    }
  }
  // Helpers first (editing a file invalidates the checker), then read every type.
  let helpers = 0;
  const resolved = pending.map((p) => ({
    ...p,
    read: p.generic && Node.isTypeAliasDeclaration(p.declaration) ? instantiateDefaults(p.declaration, helpers++) : p.declaration,
  }));
  const unions: FoundUnion[] = [];
  for (const { name, declaration, read } of resolved) {
    const union = toUnion(name, declaration, read.getType(), name, options.discriminator);
    if (union) unions.push(union);
    else if (options.typeNames.length > 0) {
      skipped.push({
        at: locate(declaration.getNameNode()),
        text: `\`${name}\` is not a message union: ${options.discriminator === undefined ? "no property has a string literal type in every member" : `\`${options.discriminator}\` is not a required string-literal property of every member`}.`,
      });
    }
  }
  const found = new Set(pending.map((p) => p.name));
  return { unions, skipped, missing: options.typeNames.filter((n) => !found.has(n)) };
}
