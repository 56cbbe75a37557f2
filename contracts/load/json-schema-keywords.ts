/**
 * The JSON Schema 2020-12 vocabulary as the loader needs it: which keywords hold subschemas (so a walk
 * never mistakes data under `enum`, `const`, `default` or `examples` for schemas), and which instance
 * types a keyword constrains.
 */

import { OPENNESS_KEYWORD } from "../model.js";

export type KeywordKind = "schema" | "schemaArray" | "schemaMap" | "value";

export const SCHEMA_KEYWORDS: ReadonlyMap<string, KeywordKind> = new Map<string, KeywordKind>([
  // core
  ["$schema", "value"],
  ["$id", "value"],
  ["$ref", "value"],
  ["$anchor", "value"],
  ["$dynamicRef", "value"],
  ["$dynamicAnchor", "value"],
  ["$vocabulary", "value"],
  ["$comment", "value"],
  ["$defs", "schemaMap"],
  ["definitions", "schemaMap"],
  // applicators
  ["allOf", "schemaArray"],
  ["anyOf", "schemaArray"],
  ["oneOf", "schemaArray"],
  ["not", "schema"],
  ["if", "schema"],
  ["then", "schema"],
  ["else", "schema"],
  ["dependentSchemas", "schemaMap"],
  ["prefixItems", "schemaArray"],
  ["items", "schema"],
  ["contains", "schema"],
  ["properties", "schemaMap"],
  ["patternProperties", "schemaMap"],
  ["additionalProperties", "schema"],
  ["propertyNames", "schema"],
  ["unevaluatedItems", "schema"],
  ["unevaluatedProperties", "schema"],
  // validation
  ["type", "value"],
  ["enum", "value"],
  ["const", "value"],
  ["multipleOf", "value"],
  ["maximum", "value"],
  ["exclusiveMaximum", "value"],
  ["minimum", "value"],
  ["exclusiveMinimum", "value"],
  ["maxLength", "value"],
  ["minLength", "value"],
  ["pattern", "value"],
  ["maxItems", "value"],
  ["minItems", "value"],
  ["uniqueItems", "value"],
  ["maxContains", "value"],
  ["minContains", "value"],
  ["maxProperties", "value"],
  ["minProperties", "value"],
  ["required", "value"],
  ["dependentRequired", "value"],
  // format, content, meta-data
  ["format", "value"],
  ["contentEncoding", "value"],
  ["contentMediaType", "value"],
  ["contentSchema", "schema"],
  ["title", "value"],
  ["description", "value"],
  ["default", "value"],
  ["deprecated", "value"],
  ["readOnly", "value"],
  ["writeOnly", "value"],
  ["examples", "value"],
  // covenant's own annotation (docs/contract-format.md#openness): `open` or `closed`, next to an `enum` or `const`
  [OPENNESS_KEYWORD, "value"],
]);

/** Keywords that only constrain some instance types (JSON Schema validation vocabulary). */
export const KEYWORD_TYPES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...["multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"].map((k) => [k, ["number", "integer"]] as const),
  ...["maxLength", "minLength", "pattern"].map((k) => [k, ["string"]] as const),
  ...["prefixItems", "items", "contains", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "unevaluatedItems"].map(
    (k) => [k, ["array"]] as const,
  ),
  ...[
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
  ].map((k) => [k, ["object"]] as const),
]);

/** Keywords people bring from OpenAPI or older drafts, with the 2020-12 way to say it. */
export const FOREIGN_KEYWORD_FIXES: ReadonlyMap<string, string> = new Map([
  ["nullable", 'OpenAPI\'s `nullable` is not JSON Schema: write `type: [<type>, "null"]` instead.'],
  ["additionalItems", "`additionalItems` is from draft-07: in 2020-12 use `prefixItems` for the tuple and `items` for the rest."],
  ["dependencies", "`dependencies` is from draft-07: use `dependentRequired` or `dependentSchemas`."],
  ["discriminator", "OpenAPI's `discriminator` is not JSON Schema: use `oneOf` with a `const` on the tag property."],
  ["example", "`example` is OpenAPI: use `examples` (a list)."],
  ["x-nullable", 'write `type: [<type>, "null"]` instead.'],
  ["$recursiveRef", "`$recursiveRef` is from draft 2019-09: use `$ref` to a named schema under `$defs`."],
  ["$recursiveAnchor", "`$recursiveAnchor` is from draft 2019-09: use `$ref` to a named schema under `$defs`."],
]);

/** Core keywords covenant does not support in contracts (their resolution depends on dynamic scope or base URIs). */
export const UNSUPPORTED_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ["$dynamicRef", "use `$ref` to a named schema under `$defs`"],
  ["$dynamicAnchor", "use `$ref` to a named schema under `$defs`"],
  ["$anchor", "refer to the schema by JSON pointer (`#/$defs/Name`)"],
  ["$vocabulary", "remove it: contracts use the 2020-12 vocabularies"],
]);
