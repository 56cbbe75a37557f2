/**
 * What a TypeScript type becomes on the wire (JSON.stringify) and what a JSON Schema accepts, in
 * the terms both share: string, number, boolean, null, object, array.
 */
import { perTypeScript, ts } from "../typescript.js";

export type JsonKind = "string" | "number" | "boolean" | "null" | "object" | "array";

/** What a type part serializes as; `absent` (undefined: the field is left out), `unknown` (cannot tell), `invalid` (bigint: JSON.stringify throws). */
export type ValueKind = JsonKind | "absent" | "unknown" | "invalid" | "function";

const STRING_FLAGS = perTypeScript(() => ts.TypeFlags.String | ts.TypeFlags.StringLiteral | ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping);
const NUMBER_FLAGS = perTypeScript(() => ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral | ts.TypeFlags.Enum);
const BOOLEAN_FLAGS = perTypeScript(() => ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral);

function objectKind(checker: ts.TypeChecker, type: ts.Type): ValueKind {
  if (checker.isArrayType(type) || checker.isTupleType(type)) return "array";
  const symbol = type.getSymbol();
  if (symbol?.name === "Date") return "string"; // Date#toJSON
  if (type.getProperty("toJSON")) return "unknown";
  if (type.getCallSignatures().length > 0 && type.getProperties().length === 0) return "function";
  return "object";
}

/** The wire kind of one (non-union) type part. */
export function getValueKind(checker: ts.TypeChecker, type: ts.Type): ValueKind {
  const flags = type.flags;
  if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.ESSymbolLike | ts.TypeFlags.Never)) return "unknown";
  if (flags & STRING_FLAGS()) return "string";
  if (flags & NUMBER_FLAGS()) return "number";
  if (flags & BOOLEAN_FLAGS()) return "boolean";
  if (flags & ts.TypeFlags.Null) return "null";
  if (flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return "absent";
  if (flags & ts.TypeFlags.BigIntLike) return "invalid";
  if (flags & ts.TypeFlags.TypeParameter) {
    const constraint = checker.getBaseConstraintOfType(type);
    return constraint && constraint !== type ? getValueKind(checker, constraint) : "unknown";
  }
  if (type.isIntersection()) {
    // A branded primitive (`string & { __brand: "Id" }`) is that primitive.
    const primitive = type.types.map((t) => getValueKind(checker, t)).find((k) => k === "string" || k === "number" || k === "boolean");
    return primitive ?? "object";
  }
  if (flags & ts.TypeFlags.NonPrimitive) return "object";
  if (flags & ts.TypeFlags.Object) return objectKind(checker, type);
  return "unknown";
}

/** The parts of a type: a union's members (boolean stays whole), or the type itself. */
export function getTypeParts(type: ts.Type): readonly ts.Type[] {
  if (!type.isUnion()) return [type];
  // `boolean` is `true | false`: keep it one part so messages say `boolean`.
  const booleans = type.types.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
  if (booleans.length === 2 && type.types.length > 2) return [...type.types.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral)), ...booleans];
  return type.types;
}

/** The kinds a JSON Schema's `type` (and, without one, its `enum`/`const` values) allows; undefined: any. */
export function getAllowedKinds(schema: Record<string, unknown>): Set<JsonKind | "integer"> | undefined {
  const declared = schema.type;
  if (typeof declared === "string") return new Set([declared as JsonKind]);
  if (Array.isArray(declared)) return new Set(declared as JsonKind[]);
  const values = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : undefined;
  if (!values) return undefined;
  return new Set(values.map((v) => (v === null ? "null" : Array.isArray(v) ? "array" : (typeof v as JsonKind))));
}

export function kindAllowed(kind: JsonKind, allowed: ReadonlySet<JsonKind | "integer">): boolean {
  return allowed.has(kind) || (kind === "number" && allowed.has("integer"));
}

const ARTICLES: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  null: "null",
  object: "an object",
  array: "an array",
};

/** "a string", "a string or null", `"success" | "error"`: what a schema wants, for messages. */
export function describeSchema(schema: Record<string, unknown>): string {
  const values = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : undefined;
  if (values) return `one of ${values.map((v) => `\`${JSON.stringify(v)}\``).join(", ")}`;
  const allowed = getAllowedKinds(schema);
  if (!allowed) return "any JSON value";
  const words = [...allowed].map((k) => ARTICLES[k] ?? k);
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)!}` : words[0]!;
}
