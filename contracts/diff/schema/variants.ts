/** Variants of a normal form: emptiness, unconstrainedness, a raw schema and text for each, descriptions. */
import type { JsonSchema } from "../../model.js";
import { type JsonObject, stableStringify } from "./json.js";
import { JSON_TYPES, type NormSchema, type Variant } from "./norm-types.js";

/** A variant no value satisfies (minimum above maximum, minLength above maxLength, ...). */
export function isEmptyVariant(v: Variant): boolean {
  if (v.kind === "values") return v.values.length === 0;
  const c = v.c;
  switch (c.type) {
    case "number":
      return c.min !== undefined && c.max !== undefined && (c.min.value > c.max.value || (c.min.value === c.max.value && (c.min.exclusive || c.max.exclusive)));
    case "string":
      return c.maxLength !== undefined && c.minLength > c.maxLength;
    case "array":
      return c.maxItems !== undefined && c.minItems > c.maxItems;
    case "object":
      return (c.maxProperties !== undefined && c.minProperties > c.maxProperties) || [...c.required].some((name) => c.properties.get(name)?.schema === false);
    default:
      return false;
  }
}

export function isUnconstrained(v: Extract<Variant, { kind: "schema" }>): boolean {
  if (v.opaque.length) return false;
  const c = v.c;
  switch (c.type) {
    case "number":
      return !c.integer && !c.min && !c.max && c.multipleOf.length === 0;
    case "string":
      return c.minLength === 0 && c.maxLength === undefined && c.patterns.length === 0 && c.formats.length === 0;
    case "array":
      return c.items.schema === true && c.prefixItems.length === 0 && c.minItems === 0 && c.maxItems === undefined && !c.unique;
    case "object":
      return c.properties.size === 0 && c.additional.schema === true && c.minProperties === 0 && c.maxProperties === undefined;
    default:
      return true;
  }
}

/** A raw JSON Schema accepting exactly what the variant accepts (for validating values against it). */
export function variantSchema(v: Variant): JsonSchema {
  if (v.kind === "values") return { enum: v.values };
  const c = v.c;
  const out: JsonObject = {};
  switch (c.type) {
    case "number":
      out.type = c.integer ? "integer" : "number";
      if (c.min) out[c.min.exclusive ? "exclusiveMinimum" : "minimum"] = c.min.value;
      if (c.max) out[c.max.exclusive ? "exclusiveMaximum" : "maximum"] = c.max.value;
      if (c.multipleOf.length === 1) out.multipleOf = c.multipleOf[0];
      else if (c.multipleOf.length > 1) out.allOf = c.multipleOf.map((m) => ({ multipleOf: m }));
      break;
    case "string":
      out.type = "string";
      if (c.minLength) out.minLength = c.minLength;
      if (c.maxLength !== undefined) out.maxLength = c.maxLength;
      if (c.patterns.length === 1) out.pattern = c.patterns[0];
      else if (c.patterns.length > 1) out.allOf = c.patterns.map((p) => ({ pattern: p }));
      if (c.formats.length === 1) out.format = c.formats[0];
      else if (c.formats.length > 1) out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), ...c.formats.map((f) => ({ format: f }))];
      break;
    case "array":
      out.type = "array";
      if (c.prefixItems.length) out.prefixItems = c.prefixItems.map((p) => p.schema);
      if (c.items.schema !== true) out.items = c.items.schema;
      if (c.minItems) out.minItems = c.minItems;
      if (c.maxItems !== undefined) out.maxItems = c.maxItems;
      if (c.unique) out.uniqueItems = true;
      break;
    case "object":
      out.type = "object";
      if (c.properties.size) out.properties = Object.fromEntries([...c.properties].map(([k, p]) => [k, p.schema]));
      if (c.required.size) out.required = [...c.required];
      if (c.additional.schema !== true) out.additionalProperties = c.additional.schema;
      if (c.minProperties) out.minProperties = c.minProperties;
      if (c.maxProperties !== undefined) out.maxProperties = c.maxProperties;
      break;
    default:
      out.type = c.type;
  }
  if (v.opaque.length) out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), ...v.opaque];
  return out;
}

/** Canonical text of a variant (sub-schemas by their raw text). */
export function variantKey(v: Variant): string {
  return stableStringify(variantSchema(v));
}

/** A short human description of the JSON types a normal form accepts ("integer", "string | null", "one of \"a\", \"b\""). */
export function describeTypes(norm: NormSchema): string {
  if (norm.types.size === JSON_TYPES.length && [...norm.types.values()].every((list) => list.length === 1 && list[0]!.kind === "schema" && isUnconstrained(list[0]!))) return "any value";
  if (norm.types.size === 0) return "nothing";
  const parts: string[] = [];
  for (const [type, variants] of norm.types) {
    for (const v of variants) {
      if (v.kind === "values") {
        const shown = v.values.slice(0, 8).map((x) => stableStringify(x)).join(", ");
        parts.push(v.values.length === 1 ? shown : `one of ${shown}${v.values.length > 8 ? ` and ${v.values.length - 8} more` : ""}`);
      }
      else parts.push(type === "number" && v.c.type === "number" && v.c.integer ? "integer" : type);
    }
  }
  return [...new Set(parts)].join(" | ");
}

