import { type JsonSchema, OPENNESS_KEYWORD } from "../model.js";
import { objectKey } from "./names.js";
import { isSchemaObject, refTarget, schemaTypes, type SchemaObject } from "./schema-walk.js";

/**
 * Translates a JSON Schema (2020-12 subset) into zod v4 source. The result is an expression
 * over the `z` import, the schema constants of shared definitions and a few helpers that the
 * validators file declares when `helpers` says they are used.
 */
export interface ZodSourceContext {
  /** Schema constant for a definition key. */
  refName(key: string): string | undefined;
  /** Helpers the expression uses (filled in). */
  helpers: Set<ZodHelper>;
  /** Keywords present but not enforced (filled in, with the schema location). */
  unsupported: Set<string>;
}

export type ZodHelper = "jsonEqual" | "valueIn" | "uniqueItems" | "objectRules" | "notRule" | "whenType" | "forwardIssues" | "conditional" | "containsRule";

/** Keywords with no run-time meaning (annotations) or handled by the envelope. */
const ANNOTATIONS = new Set([
  OPENNESS_KEYWORD,
  "$schema",
  "$id",
  "$anchor",
  "$comment",
  "$defs",
  "definitions",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "format",
  "contentMediaType",
  "contentEncoding",
  "contentSchema",
]);

/**
 * Keywords that constrain one type of value. Without `type`, each constrains only values of its type
 * (`{ minimum: 3 }` accepts "x"), so their presence says which types to check.
 */
const OBJECT_KEYWORDS = [
  "properties",
  "required",
  "additionalProperties",
  "patternProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "dependentRequired",
  "dependentSchemas",
];
const ARRAY_KEYWORDS = ["items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"];
const STRING_KEYWORDS = ["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];

/** Keywords the validators enforce: those that apply to any value, and the type-specific ones above. */
const HANDLED = new Set([
  "type",
  "enum",
  "const",
  "$ref",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  // Read with `contains` (alone they mean nothing), so they say nothing about the type.
  "minContains",
  "maxContains",
  ...OBJECT_KEYWORDS,
  ...ARRAY_KEYWORDS,
  ...STRING_KEYWORDS,
  ...NUMBER_KEYWORDS,
]);

/** Whether the generated validators enforce (or, for annotations, need not enforce) a keyword. */
export function isEnforcedKeyword(keyword: string): boolean {
  return ANNOTATIONS.has(keyword) || HANDLED.has(keyword);
}

export function zodSource(schema: JsonSchema, ctx: ZodSourceContext, where: string): string {
  if (schema === true) return "z.unknown()";
  if (schema === false) return "z.never()";
  if (!isSchemaObject(schema)) return "z.unknown()";
  for (const key of Object.keys(schema)) {
    if (!isEnforcedKeyword(key)) ctx.unsupported.add(`${where}: ${key}`);
  }
  const parts: string[] = [];
  const core = coreSource(schema, ctx, where);
  if (core !== undefined) parts.push(core);
  const target = refTarget(schema.$ref);
  if (target !== undefined) {
    const name = ctx.refName(target);
    if (name === undefined) ctx.unsupported.add(`${where}: $ref ${String(schema.$ref)}`);
    else parts.push(name);
  } else if (schema.$ref !== undefined) {
    ctx.unsupported.add(`${where}: $ref ${typeof schema.$ref === "string" ? schema.$ref : JSON.stringify(schema.$ref)}`);
  }
  if (Array.isArray(schema.allOf)) schema.allOf.forEach((sub, i) => parts.push(zodSource(sub as JsonSchema, ctx, `${where}.allOf[${i}]`)));
  if (Array.isArray(schema.anyOf)) parts.push(unionSource(schema.anyOf as JsonSchema[], "anyOf", ctx, where));
  if (Array.isArray(schema.oneOf)) parts.push(unionSource(schema.oneOf as JsonSchema[], "oneOf", ctx, where));
  let expr = parts.length === 0 ? "z.unknown()" : parts.reduce((acc, part) => `${acc}.and(${part})`);
  if (schema.not !== undefined) {
    ctx.helpers.add("notRule");
    expr = `${expr}.superRefine(notRule(${zodSource(schema.not as JsonSchema, ctx, `${where}.not`)}))`;
  }
  // `then` and `else` mean nothing without `if`, and `if` nothing without one of them.
  if (schema.if !== undefined && (schema.then !== undefined || schema.else !== undefined)) {
    ctx.helpers.add("conditional");
    ctx.helpers.add("forwardIssues");
    const branch = (keyword: "then" | "else") =>
      schema[keyword] === undefined ? "undefined" : zodSource(schema[keyword] as JsonSchema, ctx, `${where}.${keyword}`);
    expr = `${expr}.superRefine(conditional(${zodSource(schema.if as JsonSchema, ctx, `${where}.if`)}, ${branch("then")}, ${branch("else")}))`;
  }
  return expr;
}

/** The schema's own value constraint (type, enum, const and the type-specific keywords). */
function coreSource(schema: SchemaObject, ctx: ZodSourceContext, where: string): string | undefined {
  if (Object.hasOwn(schema, "const")) return valuesSource([schema.const], ctx);
  if (Array.isArray(schema.enum)) return valuesSource(schema.enum, ctx);
  const types = schemaTypes(schema);
  if (types === undefined) {
    // No `type`: each type-specific keyword guards only values of its type, as in JSON Schema, so
    // the JSON Schema bundle and these validators agree.
    const has = (keys: string[]): boolean => keys.some((k) => Object.hasOwn(schema, k));
    const hasFormat = typeof schema.format === "string" && isEnforcedFormat(schema.format);
    const guarded = [
      has(OBJECT_KEYWORDS) && "object",
      has(ARRAY_KEYWORDS) && "array",
      (has(STRING_KEYWORDS) || hasFormat) && "string",
      has(NUMBER_KEYWORDS) && "number",
    ];
    const present = guarded.filter((t): t is string => t !== false);
    if (present.length === 0) return undefined;
    ctx.helpers.add("whenType");
    ctx.helpers.add("forwardIssues");
    return present.reduce((expr, type) => `${expr}.superRefine(whenType(${JSON.stringify(type)}, ${typeSource(type, schema, ctx, where)}))`, "z.unknown()");
  }
  const unique = [...new Set(types.includes("number") ? types.filter((t) => t !== "integer") : types)];
  const members = unique.map((type) => typeSource(type, schema, ctx, where));
  return members.length === 1 ? members[0] : `z.union([${members.join(", ")}])`;
}

function typeSource(type: string, schema: SchemaObject, ctx: ZodSourceContext, where: string): string {
  switch (type) {
    case "string":
      return stringSource(schema, ctx, where);
    case "number":
    case "integer":
      return numberSource(type, schema);
    case "boolean":
      return "z.boolean()";
    case "null":
      return "z.null()";
    case "array":
      return arraySource(schema, ctx, where);
    case "object":
      return objectSource(schema, ctx, where);
    default:
      ctx.unsupported.add(`${where}: type ${type}`);
      return "z.unknown()";
  }
}

const FORMATS: Record<string, string> = {
  "date-time": "z.iso.datetime({ offset: true })",
  date: "z.iso.date()",
  email: "z.email()",
  uri: "z.url()",
  uuid: "z.guid()",
  ipv4: "z.ipv4()",
  ipv6: "z.ipv6()",
  hostname: "z.hostname()",
};

/** Whether the generated validators check a `format` (the others are checked by the JSON Schema bundle only). */
export function isEnforcedFormat(format: string): boolean {
  return Object.hasOwn(FORMATS, format);
}

function stringSource(schema: SchemaObject, ctx: ZodSourceContext, where: string): string {
  let expr = "z.string()";
  if (typeof schema.format === "string") {
    if (isEnforcedFormat(schema.format)) expr = FORMATS[schema.format]!;
    else ctx.unsupported.add(`${where}: format ${schema.format}`);
  }
  if (typeof schema.minLength === "number") expr += `.min(${schema.minLength})`;
  if (typeof schema.maxLength === "number") expr += `.max(${schema.maxLength})`;
  if (typeof schema.pattern === "string") expr += `.regex(new RegExp(${JSON.stringify(schema.pattern)}, "u"))`;
  return expr;
}

function numberSource(type: string, schema: SchemaObject): string {
  let expr = type === "integer" ? "z.int()" : "z.number()";
  if (typeof schema.minimum === "number") expr += `.gte(${schema.minimum})`;
  if (typeof schema.maximum === "number") expr += `.lte(${schema.maximum})`;
  if (typeof schema.exclusiveMinimum === "number") expr += `.gt(${schema.exclusiveMinimum})`;
  if (typeof schema.exclusiveMaximum === "number") expr += `.lt(${schema.exclusiveMaximum})`;
  if (typeof schema.multipleOf === "number") expr += `.multipleOf(${schema.multipleOf})`;
  return expr;
}

function arraySource(schema: SchemaObject, ctx: ZodSourceContext, where: string): string {
  const items = schema.items;
  let expr: string;
  if (Array.isArray(schema.prefixItems)) {
    const prefix = schema.prefixItems.map((sub, i) => `${zodSource(sub as JsonSchema, ctx, `${where}.prefixItems[${i}]`)}.optional()`);
    const rest = items === false ? "" : `, ${items === undefined ? "z.unknown()" : zodSource(items as JsonSchema, ctx, `${where}.items`)}`;
    expr = `z.tuple([${prefix.join(", ")}]${rest})`;
  } else {
    expr = `z.array(${items === undefined ? "z.unknown()" : zodSource(items as JsonSchema, ctx, `${where}.items`)})`;
  }
  // A tuple has no .min()/.max(); the checks give the same issues.
  const tuple = Array.isArray(schema.prefixItems);
  if (typeof schema.minItems === "number") expr += tuple ? `.check(z.minLength(${schema.minItems}))` : `.min(${schema.minItems})`;
  if (typeof schema.maxItems === "number") expr += tuple ? `.check(z.maxLength(${schema.maxItems}))` : `.max(${schema.maxItems})`;
  if (schema.uniqueItems === true) {
    ctx.helpers.add("uniqueItems");
    expr += `.superRefine(uniqueItems)`;
  }
  // minContains/maxContains mean nothing without contains.
  if (schema.contains !== undefined) {
    ctx.helpers.add("containsRule");
    const contains = zodSource(schema.contains as JsonSchema, ctx, `${where}.contains`);
    const min = typeof schema.minContains === "number" ? schema.minContains : 1;
    const max = typeof schema.maxContains === "number" ? `, ${schema.maxContains}` : "";
    expr += `.superRefine(containsRule(${contains}, ${min}${max}))`;
  }
  return expr;
}

function objectSource(schema: SchemaObject, ctx: ZodSourceContext, where: string): string {
  const properties = isSchemaObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : []);
  const fields: string[] = [];
  for (const [name, sub] of Object.entries(properties)) {
    const expr = zodSource(sub as JsonSchema, ctx, `${where}.properties.${name}`);
    fields.push(`${objectKey(name)}: ${required.has(name) ? expr : `${expr}.optional()`}`);
  }
  // Required but not described: any value, as long as the key is there.
  for (const name of required) if (!Object.hasOwn(properties, name)) fields.push(`${objectKey(name)}: z.unknown()`);
  const shape = fields.length === 0 ? "{}" : `{ ${fields.join(", ")} }`;
  const additional = schema.additionalProperties;
  const hasPatterns = isSchemaObject(schema.patternProperties) && Object.keys(schema.patternProperties).length > 0;
  const additionalSchema = additional !== undefined && additional !== true && additional !== false;
  let expr = !hasPatterns && additional === false ? `z.strictObject(${shape})` : `z.looseObject(${shape})`;
  const rules: string[] = [];
  // Not zod's .catchall(): it skips a `__proto__` key (JSON.parse makes it an own field), which
  // objectRules checks like any other.
  if (hasPatterns || additionalSchema) {
    const patterns = hasPatterns ? Object.entries(schema.patternProperties as SchemaObject) : [];
    const entries = patterns.map(
      ([pattern, sub]) => `[new RegExp(${JSON.stringify(pattern)}, "u"), ${zodSource(sub as JsonSchema, ctx, `${where}.patternProperties`)}]`,
    );
    rules.push(`patterns: [${entries.join(", ")}]`);
    rules.push(`known: ${JSON.stringify(Object.keys(properties))}`);
    if (additional === false) rules.push("closed: true");
    else if (additionalSchema) rules.push(`additional: ${zodSource(additional as JsonSchema, ctx, `${where}.additionalProperties`)}`);
  }
  if (schema.propertyNames !== undefined) rules.push(`names: ${zodSource(schema.propertyNames as JsonSchema, ctx, `${where}.propertyNames`)}`);
  if (typeof schema.minProperties === "number") rules.push(`minProperties: ${schema.minProperties}`);
  if (typeof schema.maxProperties === "number") rules.push(`maxProperties: ${schema.maxProperties}`);
  if (isSchemaObject(schema.dependentRequired)) rules.push(`dependentRequired: ${JSON.stringify(schema.dependentRequired)}`);
  if (isSchemaObject(schema.dependentSchemas)) {
    const entries = Object.entries(schema.dependentSchemas).map(
      ([key, sub]) => `[${JSON.stringify(key)}, ${zodSource(sub as JsonSchema, ctx, `${where}.dependentSchemas.${key}`)}]`,
    );
    rules.push(`dependentSchemas: [${entries.join(", ")}]`);
  }
  if (rules.length > 0) {
    ctx.helpers.add("objectRules");
    ctx.helpers.add("forwardIssues");
    expr += `.superRefine(objectRules({ ${rules.join(", ")} }))`;
  }
  return expr;
}

function valuesSource(values: unknown[], ctx: ZodSourceContext): string {
  if (values.length === 0) return "z.never()";
  const primitive = values.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v));
  if (primitive) {
    if (values.every((v) => typeof v === "string") && values.length > 1) return `z.enum(${JSON.stringify(values)})`;
    return values.length === 1 ? `z.literal(${JSON.stringify(values[0])})` : `z.literal(${JSON.stringify(values)})`;
  }
  ctx.helpers.add("jsonEqual");
  ctx.helpers.add("valueIn");
  const expected = values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((v) => JSON.stringify(v)).join(" | ")}`;
  return `z.unknown().superRefine(valueIn(${JSON.stringify(values)}, ${JSON.stringify(expected)}))`;
}

function unionSource(options: JsonSchema[], keyword: "anyOf" | "oneOf", ctx: ZodSourceContext, where: string): string {
  const members = options.map((sub, i) => zodSource(sub, ctx, `${where}.${keyword}[${i}]`));
  if (members.length === 1) return members[0]!;
  const discriminator = keyword === "oneOf" ? findDiscriminator(options) : undefined;
  if (discriminator !== undefined) return `z.discriminatedUnion(${JSON.stringify(discriminator)}, [${members.join(", ")}])`;
  return `z.${keyword === "oneOf" ? "xor" : "union"}([${members.join(", ")}])`;
}

/**
 * A property every option declares inline as a required, distinct string `const` (or one-value
 * enum): zod can then pick the option by it and report the allowed values.
 */
function findDiscriminator(options: JsonSchema[]): string | undefined {
  const objects = options.filter(isSchemaObject);
  if (objects.length !== options.length || objects.some((o) => o.$ref !== undefined || [o.allOf, o.anyOf, o.oneOf, o.not].some(Boolean))) return undefined;
  const first = objects[0];
  if (!first || !isSchemaObject(first.properties)) return undefined;
  for (const key of Object.keys(first.properties)) {
    const values = objects.map((o) => {
      const prop = isSchemaObject(o.properties) ? o.properties[key] : undefined;
      const required = Array.isArray(o.required) && o.required.includes(key);
      if (!required || !isSchemaObject(prop)) return undefined;
      if (typeof prop.const === "string") return prop.const;
      if (Array.isArray(prop.enum) && prop.enum.length === 1 && typeof prop.enum[0] === "string") return prop.enum[0];
      return undefined;
    });
    if (values.every((v) => v !== undefined) && new Set(values).size === values.length) return key;
  }
  return undefined;
}
