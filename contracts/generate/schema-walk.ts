import { isJsonObject } from "../../common/json.js";
import { type Contract, type JsonSchema, OPENNESS_KEYWORD } from "../model.js";

/** A JSON Schema object (not the boolean form). */
export type SchemaObject = Record<string, unknown>;

/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = [
  "items",
  "additionalItems",
  "additionalProperties",
  "unevaluatedItems",
  "unevaluatedProperties",
  "propertyNames",
  "contains",
  "not",
  "if",
  "then",
  "else",
] as const;
/** Keywords whose value is an array of subschemas. */
const SCHEMA_ARRAY_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems", "items"] as const;
/** Keywords whose value maps names to subschemas. */
const SCHEMA_MAP_KEYWORDS = ["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"] as const;

/** A schema in its object form (a JSON object), not `true`/`false`. */
export const isSchemaObject: (value: unknown) => value is SchemaObject = isJsonObject;

/**
 * Rebuilds a schema bottom-up: `visit` sees every subschema (after its own subschemas were
 * rebuilt) and returns its replacement. Data keywords (`enum`, `const`, `examples`, `default`)
 * and the names under `properties` are never mistaken for schemas.
 */
export function mapSchema(schema: JsonSchema, visit: (schema: SchemaObject) => JsonSchema): JsonSchema {
  if (!isSchemaObject(schema)) return schema;
  return visit(mapChildren(schema, (sub) => mapSchema(sub, visit)));
}

/**
 * The schema with each direct subschema replaced by `map(sub, keyword)`: the values of the
 * subschema keywords, the members of the array keywords and the entries of the map keywords.
 * Everything else (data keywords, property names) is copied as it is. Keys are defined as own
 * data properties, so a property or definition called `__proto__` stays a key.
 */
export function mapChildren(schema: SchemaObject, map: (sub: JsonSchema, keyword: string) => JsonSchema): SchemaObject {
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, mapKeywordValue(key, value, (sub) => map(sub, key))]));
}

/**
 * The value of keyword `key` with each subschema it holds replaced by `map(sub, at)`, `at` being
 * the member's index or entry's name (undefined for a keyword whose value is one subschema). The
 * value of any other keyword is returned as it is.
 */
export function mapKeywordValue(key: string, value: unknown, map: (sub: JsonSchema, at: string | number | undefined) => JsonSchema): unknown {
  const isSchema = (v: unknown): v is JsonSchema => typeof v === "boolean" || isSchemaObject(v);
  if ((SCHEMA_ARRAY_KEYWORDS as readonly string[]).includes(key) && Array.isArray(value)) {
    return (value as unknown[]).map((item, i) => (isSchema(item) ? map(item, i) : item));
  }
  if ((SCHEMA_KEYWORDS as readonly string[]).includes(key) && isSchema(value)) return map(value, undefined);
  if ((SCHEMA_MAP_KEYWORDS as readonly string[]).includes(key) && isSchemaObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, isSchema(sub) ? map(sub, name) : sub]));
  }
  return value;
}

/** Calls `visit` on every subschema object, parents first. */
export function walkSchema(schema: JsonSchema, visit: (schema: SchemaObject) => void): void {
  mapSchema(schema, (node) => {
    visit(node);
    return node;
  });
}

const LOCAL_DEF_REF = /^#\/\$defs\/([^/]+)$/;

/** The definition key a `#/$defs/<key>` ref points to (JSON-pointer unescaped), else undefined. */
export function refTarget(ref: unknown): string | undefined {
  if (typeof ref !== "string") return undefined;
  const match = LOCAL_DEF_REF.exec(ref);
  if (!match) return undefined;
  let key = match[1]!;
  try {
    key = decodeURIComponent(key);
  } catch {
    // not percent-encoded: keep as written
  }
  return key.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** `#/$defs/<key>` for a definition key (JSON-pointer escaped). */
export function refTo(key: string): string {
  return `#/$defs/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** Every definition key the schema refers to. */
export function collectRefs(schema: JsonSchema): Set<string> {
  const refs = new Set<string>();
  walkSchema(schema, (node) => {
    const target = refTarget(node.$ref);
    if (target !== undefined) refs.add(target);
  });
  return refs;
}

/** The JSON types a schema admits through `type` (undefined when unconstrained). */
export function schemaTypes(schema: SchemaObject): string[] | undefined {
  const type = schema.type;
  if (typeof type === "string") return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === "string");
  return undefined;
}

/**
 * A subschema safe to embed in a bundle: no `$id` (it would move the base URI, so `#/$defs/...`
 * refs inside would stop resolving to the bundle), no `$schema` (only allowed at a resource root) and
 * no `x-covenant-openness` (covenant's annotation, which a validator in strict mode, Ajv's default,
 * refuses as an unknown keyword; the vectors file says what receivers do instead).
 */
export function embeddable(schema: JsonSchema): JsonSchema {
  return mapSchema(schema, (node) => {
    const { $id: _id, $schema: _schema, [OPENNESS_KEYWORD]: _openness, ...rest } = node;
    return rest;
  });
}

/**
 * Visits every schema object the generated validators read, with its path in the contract: the shared
 * definitions and each event's payload, and everything below them, but not definitions nested in a
 * payload (the validators read none: a `$ref` names the contract's own).
 */
export function walkContractSchemas(contract: Contract, visit: (schema: SchemaObject, at: (string | number)[]) => void): void {
  const walk = (schema: JsonSchema, at: (string | number)[]): void => {
    if (!isSchemaObject(schema)) return;
    visit(schema, at);
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$defs" || key === "definitions") continue;
      mapKeywordValue(key, value, (sub, below) => {
        walk(sub, below === undefined ? [...at, key] : [...at, key, below]);
        return sub;
      });
    }
  };
  for (const [key, schema] of Object.entries(contract.definitions)) walk(schema, ["definitions", key]);
  for (const event of contract.events) walk(event.payload, ["events", event.name, "payload"]);
}
