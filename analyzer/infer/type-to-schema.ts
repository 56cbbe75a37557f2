/**
 * TypeScript types → JSON Schema 2020-12, as `JSON.stringify` would put them on the wire:
 * object types with their required and optional properties (`additionalProperties: false`, as a
 * TypeScript object type names every field), literal unions as `enum`, other unions as `anyOf`,
 * arrays, tuples (`prefixItems`), string index signatures as `additionalProperties`, named
 * interfaces, classes, enums and type aliases as shared `$defs` (`$ref`, which also carries
 * recursion), doc comments as `description`. What has no JSON form (functions, `bigint`, `Map`)
 * or says nothing (`any`, `unknown`, an unresolved type parameter) is a note at its place.
 */
import { Node, type Symbol as MorphSymbol, ts, type Type, type TypeChecker } from "ts-morph";
import { getDeclaration, getDocumentation, locate } from "./locate.js";
import type { ConvertedSchema, SchemaNote, SchemaObject as JsonSchema, SchemaPath } from "./model.js";

interface Context {
  path: SchemaPath;
  /** The declaration the value comes from (a property, an alias): where warnings point. */
  at: Node;
  notes: SchemaNote[];
  /** Anonymous types being converted, outermost first: meeting one again is a recursion no `$ref` can carry. */
  stack: ts.Type[];
}

/** Built-in classes JSON cannot carry as they are; the value is what `JSON.stringify` makes of them. */
const NOT_JSON: Record<string, string> = {
  Map: "serializes as `{}`",
  Set: "serializes as `{}`",
  WeakMap: "serializes as `{}`",
  WeakSet: "serializes as `{}`",
  Promise: "serializes as `{}`",
  RegExp: "serializes as `{}`",
  Error: "serializes as `{}` (message and stack are not enumerable)",
  ArrayBuffer: "serializes as `{}`",
  Buffer: 'serializes as `{ "type": "Buffer", "data": [...] }`',
  Uint8Array: "serializes as an object keyed by index",
  Blob: "cannot be serialized",
};

const MAX_DEPTH = 40;

function isBuiltin(symbol: MorphSymbol | undefined): boolean {
  const declaration = symbol?.getDeclarations()[0];
  if (!declaration) return false;
  const file = declaration.getSourceFile().getFilePath();
  return /[\\/]typescript[\\/]lib[\\/]lib\.[^\\/]*\.d\.ts$/.test(file) || /[\\/]@types[\\/]node[\\/]/.test(file);
}

function sortLiterals(values: (string | number | boolean | null)[]): (string | number | boolean | null)[] {
  const rank = (v: unknown) => (v === null ? 3 : typeof v === "boolean" ? 2 : typeof v === "number" ? 1 : 0);
  return [...new Set(values)].sort((a, b) => rank(a) - rank(b) || (a! < b! ? -1 : a! > b! ? 1 : 0));
}

/** A `$defs` key from a TypeScript name: what the contract format allows, `Foo<Bar>` → `Foo_Bar`. */
function toDefinitionKey(name: string): string {
  const key = name
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/_+/g, "_");
  return /^[A-Za-z_]/.test(key) ? key : `T_${key}`;
}

export class TypeToSchema {
  /** Shared schemas by `$defs` key, in the order they were met. */
  readonly definitions = new Map<string, ConvertedSchema & { description?: string }>();
  private readonly definitionKeys = new Map<ts.Type, string>();

  constructor(readonly checker: TypeChecker) {}

  /**
   * The schema of a payload. The payload's own type is written out even when it has a name (the
   * contract names it `<Event>Payload`); the types it uses go to `$defs`.
   */
  convertPayload(type: Type, at: Node): ConvertedSchema & { optional: boolean } {
    const notes: SchemaNote[] = [];
    const context: Context = { path: [], at, notes, stack: [] };
    const members = type.isUnion() ? type.getUnionTypes() : [type];
    const defined = members.filter((m) => !m.isUndefined() && !m.isVoid());
    if (defined.length === members.length) return { schema: this.convertStructure(type, context) ?? {}, notes, optional: false };
    const schema = defined.length === 1 ? this.convertStructure(defined[0]!, context) : this.convertMembers(defined, context);
    return { schema: schema ?? {}, notes, optional: true };
  }

  /**
   * `$ref` to the shared schema a payload type also became (it is used elsewhere too, or refers to
   * itself): the draft then says it once. Undefined when the type is only the payload.
   */
  getSharedRef(type: Type): string | undefined {
    const members = type.isUnion() ? type.getUnionTypes().filter((m) => !m.isUndefined() && !m.isVoid()) : [type];
    const key = members.length === 1 ? this.definitionKeys.get(members[0]!.compilerType) : undefined;
    return key === undefined ? undefined : `#/$defs/${key}`;
  }

  /** Like `convertPayload`, for the fields of an object type other than `omit` (messages sent flat, `{ type, ...fields }`). */
  convertFields(type: Type, at: Node, omit: readonly string[]): ConvertedSchema {
    const notes: SchemaNote[] = [];
    const schema = this.convertObject(type, { path: [], at, notes, stack: [] }, omit);
    return { schema, notes };
  }

  private note(context: Context, kind: SchemaNote["kind"], text: string, path: SchemaPath = context.path, lossless = false): void {
    context.notes.push({ path, kind, text, at: locate(context.at), lossless });
  }

  /** A type's schema; undefined when the value is not sent at all (a function, `undefined`, a symbol). */
  private convert(type: Type, context: Context): JsonSchema | undefined {
    if (context.path.length > MAX_DEPTH) {
      this.note(context, "unconvertible", "nested too deep to convert: write this schema by hand.");
      return {};
    }
    const key = this.getDefinitionName(type);
    if (key !== undefined) return this.refTo(type, key, context);
    return this.convertStructure(type, context);
  }

  private convertStructure(type: Type, context: Context): JsonSchema | undefined {
    const text = () => type.getText(context.at);
    if (type.isAny()) return this.anything(context, "`any`", true);
    if (type.isUnknown()) return this.anything(context, "`unknown`", true);
    if (type.isTypeParameter()) return this.anything(context, `the unresolved generic \`${text()}\``);
    if (type.isNever()) {
      this.note(context, "unconvertible", "`never`: no value can be sent here. Remove the field, or write its schema.");
      return { not: {} };
    }
    if (type.isNull()) return { type: "null" };
    if (type.isUndefined() || type.isVoid()) {
      this.note(context, "unconvertible", "`undefined` is not JSON: `JSON.stringify` drops the field.");
      return undefined;
    }
    if (type.isBooleanLiteral()) return { const: type.getText() === "true" };
    if (type.isStringLiteral() || type.isNumberLiteral()) return { const: type.getLiteralValue() as string | number };
    if (type.isString()) return { type: "string" };
    if (type.isNumber()) return { type: "number" };
    if (type.isBoolean()) return { type: "boolean" };
    const flags = type.getFlags();
    if (flags & (ts.TypeFlags.BigInt | ts.TypeFlags.BigIntLiteral)) {
      this.note(context, "unconvertible", "`bigint` is not JSON (`JSON.stringify` throws on it): send it as a string or a number, and write that here.");
      return {};
    }
    if (flags & (ts.TypeFlags.ESSymbol | ts.TypeFlags.UniqueESSymbol)) {
      this.note(context, "unconvertible", "a `symbol` is not JSON: `JSON.stringify` drops it.");
      return undefined;
    }
    if (type.isTemplateLiteral() || flags & ts.TypeFlags.StringMapping) {
      this.note(context, "choice", `\`${text()}\` is any string here: add a \`pattern\` if it matters.`);
      return { type: "string" };
    }
    if (type.isUnion()) return this.convertUnion(type, context);
    if (type.isIntersection()) return this.convertIntersection(type, context);
    if (type.isObject()) return this.convertObjectType(type, context);
    return this.anything(context, `\`${text()}\``);
  }

  private anything(context: Context, what: string, lossless = false): JsonSchema {
    this.note(context, "unconvertible", `${what}: the draft accepts any JSON value here. Write the schema.`, context.path, lossless);
    return {};
  }

  private convertObjectType(type: Type, context: Context): JsonSchema | undefined {
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      this.note(context, "unconvertible", `a function (\`${type.getText(context.at)}\`) is not JSON: \`JSON.stringify\` drops it.`);
      return undefined;
    }
    if (type.isArray() || type.isReadonlyArray()) {
      const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
      return { type: "array", items: (element && this.convert(element, this.child(context, "items"))) ?? {} };
    }
    if (type.isTuple()) return this.convertTuple(type, context);
    const symbol = type.getSymbol();
    if (symbol && isBuiltin(symbol)) {
      const name = symbol.getName();
      if (name === "Date") {
        this.note(context, "choice", "`Date`: sent as its ISO 8601 string (`toJSON`).", context.path, true);
        return { type: "string", format: "date-time" };
      }
      if (name === "URL") {
        this.note(context, "choice", "`URL`: sent as its string (`toJSON`).");
        return { type: "string", format: "uri" };
      }
      if (name in NOT_JSON || name.endsWith("Array")) {
        this.note(
          context,
          "unconvertible",
          `\`${name}\` ${NOT_JSON[name] ?? "serializes as an object keyed by index"}: send a JSON form of it, and write that here.`,
        );
        return {};
      }
    }
    if (context.stack.includes(type.compilerType)) {
      this.note(
        context,
        "unconvertible",
        `\`${type.getText(context.at)}\` refers to itself without a name: give it one (an interface or a type alias) so the draft can use \`$ref\`.`,
      );
      return {};
    }
    return this.convertObject(type, context, []);
  }

  private convertTuple(type: Type, context: Context): JsonSchema {
    const elements = type.getTupleElements();
    if (elements.length === 0) {
      this.note(context, "choice", "`[]`: an empty array (the generated type is `never[]`).");
      return { type: "array", items: false };
    }
    const target = (type.compilerType as ts.TupleTypeReference).target;
    const prefixItems: JsonSchema[] = [];
    let minItems = 0;
    let rest: JsonSchema | false = false;
    elements.forEach((element, index) => {
      const flag = target.elementFlags[index] ?? ts.ElementFlags.Required;
      if (flag & ts.ElementFlags.Variable) {
        rest = this.convert(element, this.child(context, "items")) ?? {};
        if (index < elements.length - 1)
          this.note(context, "unconvertible", "a rest element before other elements: JSON Schema can only say what follows the fixed items.");
        return;
      }
      if (rest !== false) return;
      // An optional element's `undefined` is its absence, not a value to note.
      const present = flag & ts.ElementFlags.Optional && element.isUnion() ? element.getUnionTypes().filter((m) => !m.isUndefined()) : [element];
      const elementContext = this.child(context, "prefixItems", prefixItems.length);
      const schema = present.length === 1 ? this.convert(present[0]!, elementContext) : this.convertMembers(present, elementContext);
      prefixItems.push(schema ?? {});
      if (flag & ts.ElementFlags.Required) minItems = prefixItems.length;
    });
    return { type: "array", prefixItems, ...(minItems > 0 ? { minItems } : {}), items: rest };
  }

  private convertUnion(type: Type, context: Context): JsonSchema | undefined {
    let members = type.getUnionTypes();
    if (members.some((m) => m.isUndefined() || m.isVoid())) {
      members = members.filter((m) => !m.isUndefined() && !m.isVoid());
      this.note(context, "choice", "`undefined` is not JSON: the draft leaves it out of this union.");
    }
    return this.convertMembers(members, context);
  }

  /** The members of a union (without `undefined`): literals as one `enum`, the rest as `anyOf`. */
  private convertMembers(members: readonly Type[], context: Context): JsonSchema | undefined {
    const literals: (string | number | boolean | null)[] = [];
    const others: Type[] = [];
    for (const member of members) {
      if (member.isStringLiteral() || member.isNumberLiteral()) literals.push(member.getLiteralValue() as string | number);
      else if (member.isBooleanLiteral()) literals.push(member.getText() === "true");
      else if (member.isNull()) literals.push(null);
      else others.push(member);
    }
    if (others.length === 0) {
      const values = sortLiterals(literals);
      if (values.length === 2 && values.includes(true) && values.includes(false)) return { type: "boolean" };
      return values.length === 1 ? { const: values[0] } : { enum: values };
    }
    const schemas: JsonSchema[] = [];
    if (literals.length === 1 && literals[0] === null) {
      // `string | null`: `type: [string, "null"]` when the rest are plain types.
      literals.length = 0;
      others.push(...members.filter((m) => m.isNull()));
    }
    if (literals.length > 0) {
      const values = sortLiterals(literals);
      schemas.push(values.length === 1 ? { const: values[0] } : { enum: values });
    }
    others.forEach((member) => {
      const schema = this.convert(member, this.child(context, "anyOf", schemas.length));
      if (schema) schemas.push(schema);
    });
    if (schemas.length === 1) return schemas[0];
    const bare = schemas.every((s) => Object.keys(s).length === 1 && typeof s.type === "string");
    return bare ? { type: [...new Set(schemas.map((s) => s.type as string))] } : { anyOf: schemas };
  }

  private convertIntersection(type: Type, context: Context): JsonSchema | undefined {
    const parts = type.getIntersectionTypes();
    const primitive = parts.find((p) => !p.isObject());
    if (primitive) {
      this.note(context, "choice", `\`${type.getText(context.at)}\`: a branded \`${primitive.getText(context.at)}\`; the brand is not on the wire.`);
      return this.convert(primitive, context);
    }
    if (context.stack.includes(type.compilerType)) return this.anything(context, "a recursive intersection without a name");
    return this.convertObject(type, context, []);
  }

  /** An object type written out: its data properties, an index signature as `additionalProperties`. */
  private convertObject(type: Type, context: Context, omit: readonly string[]): JsonSchema {
    const inner: Context = { ...context, stack: [...context.stack, type.compilerType] };
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    const methods: string[] = [];
    for (const property of type.getProperties()) {
      const name = property.getName();
      if (omit.includes(name)) continue;
      if (name === "__proto__") {
        this.note(
          inner,
          "unconvertible",
          "a property named `__proto__`: generated code cannot hold it (JavaScript objects give it a special meaning), so it is left out.",
        );
        continue;
      }
      const declaration = getDeclaration(property) ?? context.at;
      if (
        Node.isMethodDeclaration(declaration) ||
        Node.isMethodSignature(declaration) ||
        Node.isGetAccessorDeclaration(declaration) ||
        Node.isSetAccessorDeclaration(declaration)
      ) {
        methods.push(name);
        continue;
      }
      const propertyContext: Context = { ...inner, path: [...context.path, "properties", name], at: declaration };
      const propertyType = property.getTypeAtLocation(context.at);
      let members: Type[] | undefined;
      let optional = property.isOptional();
      if (propertyType.isUnion() && propertyType.getUnionTypes().some((m) => m.isUndefined())) {
        const defined = propertyType.getUnionTypes().filter((m) => !m.isUndefined());
        if (!optional) this.note(propertyContext, "choice", `\`${name}\` may be \`undefined\`, which \`JSON.stringify\` leaves out: optional here.`);
        optional = true;
        members = defined;
      }
      const noted = context.notes.length;
      const schema =
        members === undefined
          ? this.convert(propertyType, propertyContext)
          : members.length === 1
            ? this.convert(members[0]!, propertyContext)
            : members.length === 0
              ? undefined
              : this.convertMembers(members, propertyContext);
      if (!schema) {
        if (context.notes.length > noted) continue; // the conversion already said why
        this.note(inner, "unconvertible", `\`${name}\` (\`${propertyType.getText(context.at)}\`) is not sent by \`JSON.stringify\`: left out.`, context.path);
        continue;
      }
      const description = getDocumentation(property, this.checker);
      properties[name] = description !== undefined && schema.$ref === undefined ? { description, ...schema } : schema;
      if (!optional) required.push(name);
    }
    if (methods.length > 0) {
      const owner = type.isClass() ? `class \`${type.getSymbol()?.getName() ?? "(anonymous)"}\`` : "this type";
      this.note(inner, "unconvertible", `${owner} has methods (${methods.map((m) => `\`${m}\``).join(", ")}): functions are not sent, so they are left out.`);
    }
    const stringIndex = type.getStringIndexType();
    const numberIndex = type.getNumberIndexType();
    let additional: JsonSchema | false = false;
    if (stringIndex) additional = this.convert(stringIndex, this.child(inner, "additionalProperties")) ?? {};
    else if (numberIndex) {
      this.note(
        inner,
        "unconvertible",
        "a number-keyed index signature: JSON keys are strings, so the draft allows any key. Add `propertyNames` with a `pattern` for digits if it matters.",
      );
      additional = this.convert(numberIndex, this.child(inner, "additionalProperties")) ?? {};
    }
    return {
      type: "object",
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: additional,
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
  }

  private child(context: Context, ...keys: (string | number)[]): Context {
    return { ...context, path: [...context.path, ...keys] };
  }

  /** The `$defs` key a named type goes under, or undefined for types written in place. */
  private getDefinitionName(type: Type): string | undefined {
    const known = this.definitionKeys.get(type.compilerType);
    if (known !== undefined) return known;
    if (type.isAny() || type.isUnknown() || type.isTypeParameter()) return undefined;
    const alias = type.getAliasSymbol();
    if (alias && type.getAliasTypeArguments().length === 0 && !isBuiltin(alias)) return alias.getName();
    if (alias) return undefined;
    const symbol = type.getSymbol();
    if (!symbol || isBuiltin(symbol)) return undefined;
    if (type.isEnum() || ((type.isInterface() || type.isClass()) && type.getTypeArguments().length === 0)) return symbol.getName();
    return undefined;
  }

  private refTo(type: Type, name: string, context: Context): JsonSchema {
    let key = this.definitionKeys.get(type.compilerType);
    if (key === undefined) {
      const base = toDefinitionKey(name);
      key = base;
      for (let n = 2; this.definitions.has(key); n++) key = `${base}${n}`;
      this.definitionKeys.set(type.compilerType, key);
      const symbol = type.getAliasSymbol() ?? type.getSymbol();
      const declaration = (symbol && getDeclaration(symbol)) ?? context.at;
      const entry: ConvertedSchema & { description?: string } = { schema: {}, notes: [] };
      this.definitions.set(key, entry);
      const description = getDocumentation(symbol, this.checker);
      if (description !== undefined) entry.description = description;
      entry.schema = this.convertStructure(type, { path: [], at: declaration, notes: entry.notes, stack: [] }) ?? {};
    }
    return { $ref: `#/$defs/${key}` };
  }
}
