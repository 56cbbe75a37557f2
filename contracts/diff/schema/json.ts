/** Small JSON helpers for the diff: canonical text, deep equality, annotation stripping. */
import { isJsonObject } from "../../../common/json.js";

export type JsonObject = Record<string, unknown>;

export const isObject: (value: unknown) => value is JsonObject = isJsonObject;

/** JSON text with object keys sorted, so equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v)).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(",")}}`;
  }
  return value === undefined ? "null" : JSON.stringify(value);
}

/**
 * Whether two values have the same stableStringify text, without building it: the diff compares
 * schemas many times over, and the text of both sides was most of the time of a diff. Keys whose
 * value is undefined do not count, key order does not matter, and leaves compare by their JSON text
 * (so `undefined` in an array equals `null`, as in the text).
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    if (keys.length !== Object.keys(b).filter((k) => b[k] !== undefined).length) return false;
    return keys.every((k) => b[k] !== undefined && deepEqual(a[k], b[k]));
  }
  return leafText(a) === leafText(b);
}

function leafText(value: unknown): string | undefined {
  return value === undefined ? "null" : JSON.stringify(value);
}

/** Keywords that describe a schema without changing what it accepts. */
export const ANNOTATION_KEYWORDS = new Set([
  "title",
  "description",
  "examples",
  "default",
  "$comment",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$id",
  "$schema",
  "$anchor",
  "$dynamicAnchor",
  "$vocabulary",
  "contentMediaType",
  "contentEncoding",
  "contentSchema",
  // openness is compared on its own (openness-changed rules), not as part of what a schema accepts
  "x-covenant-openness",
]);

/** Sub-schema-valued keywords whose values are maps of schemas (their keys are names, not keywords). */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SCHEMA_VALUES = new Set(["items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "not", "if", "then", "else", "contains", "propertyNames"]);

/** The schema without annotations, at every depth (enum/const values are kept verbatim). */
export function stripAnnotations(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATION_KEYWORDS.has(key)) continue;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripAnnotations(v)]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((v) => stripAnnotations(v));
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = stripAnnotations(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Every `#/$defs/<Name>` a schema mentions (directly, not transitively). */
export function collectRefs(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) collectRefs(item, into);
  } else if (isObject(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$ref" && typeof value === "string") into.add(value);
      else if (key !== "enum" && key !== "const") collectRefs(value, into);
    }
  }
  return into;
}

/** The JSON type of a value, with integers reported as "integer". */
export function jsonTypeOf(value: unknown): "null" | "boolean" | "integer" | "number" | "string" | "array" | "object" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  return "object";
}
