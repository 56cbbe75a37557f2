import type { Contract, JsonSchema } from "../../contracts/model.js";
import { buildContract } from "./build-contract.js";

/**
 * Keyword coverage beyond the sample contracts: for each schema, the generated zod validator and
 * ajv (JSON Schema 2020-12, the reference) must agree on every value. Each row has values both
 * accept and values both reject, so a translation that drops a keyword fails here. Values made by
 * JSON.parse carry an own `__proto__` field, as a message from the wire can.
 */
export const KEYWORD_ROWS: { name: string; schema: JsonSchema; values: unknown[] }[] = [
  { name: "const object", schema: { const: { a: [1, 2] } }, values: [{ a: [1, 2] }, { a: [2, 1] }, { a: [1, 2], b: 1 }] },
  { name: "mixed enum", schema: { enum: ["a", 1, null, true] }, values: ["a", 1, null, true, "b", 2, false] },
  { name: "enum with an object", schema: { enum: [{ x: 1 }, "y"] }, values: [{ x: 1 }, "y", { x: 2 }, "z"] },
  {
    name: "required enum fields",
    schema: { type: "object", required: ["plain", "objects"], properties: { plain: { enum: ["a", "b"] }, objects: { enum: [{ x: 1 }, "y"] } } },
    values: [{ plain: "a", objects: "y" }, { plain: "b", objects: { x: 1 } }, {}, { plain: "c", objects: "y" }, { plain: "a", objects: { x: 2 } }],
  },
  { name: "not", schema: { type: "string", not: { enum: ["admin", "root"] } }, values: ["ada", "root", 4] },
  { name: "not alone", schema: { not: { type: "string" } }, values: [5, null, { a: 1 }, [1], "x"] },
  {
    name: "patternProperties closed",
    schema: { type: "object", properties: { id: { type: "string" } }, patternProperties: { "^x-": { type: "number" } }, additionalProperties: false },
    values: [{ id: "a" }, { id: "a", "x-b": 1 }, { id: "a", "x-b": "1" }, { id: "a", other: 1 }, JSON.parse('{"id": "a", "__proto__": 1}')],
  },
  {
    name: "patternProperties with additional schema",
    schema: { type: "object", patternProperties: { "^n_": { type: "integer" } }, additionalProperties: { type: "boolean" } },
    values: [{ n_a: 1, flag: true }, { n_a: 1.5 }, { flag: "yes" }],
  },
  {
    name: "additionalProperties schema, also for a __proto__ field",
    schema: { type: "object", properties: { id: { type: "string" } }, additionalProperties: { type: "number" } },
    values: [
      { id: "a", n: 1 },
      { id: "a", n: "x" },
      JSON.parse('{"__proto__": 1}'),
      JSON.parse('{"__proto__": "x"}'),
      JSON.parse('{"id": "a", "__proto__": {}}'),
    ],
  },
  {
    name: "propertyNames",
    schema: { type: "object", propertyNames: { pattern: "^[a-z]+$" } },
    values: [{ ab: 1 }, { Ab: 1 }, {}, JSON.parse('{"__proto__": 1}')],
  },
  {
    name: "min/maxProperties",
    schema: { type: "object", minProperties: 1, maxProperties: 2 },
    values: [{}, { a: 1 }, { a: 1, b: 2, c: 3 }, JSON.parse('{"__proto__": 1}'), JSON.parse('{"a": 1, "b": 2, "__proto__": 3}')],
  },
  { name: "dependentRequired", schema: { type: "object", dependentRequired: { card: ["cvv"] } }, values: [{}, { card: 1, cvv: 2 }, { card: 1 }] },
  {
    name: "prefixItems",
    schema: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], items: false },
    values: [["a", 1], ["a"], [], [1, "a"], ["a", 1, 2]],
  },
  {
    name: "prefixItems with rest",
    schema: { type: "array", prefixItems: [{ const: "v1" }], items: { type: "integer" } },
    values: [["v1", 1, 2], ["v1", "x"], ["v2"]],
  },
  { name: "prefixItems without type", schema: { prefixItems: [{ type: "integer" }], items: false }, values: [[1], [], 7, "x", [1, 2], ["x"]] },
  {
    name: "prefixItems in a nullable array with minItems",
    schema: { type: ["array", "null"], prefixItems: [{ type: "string" }, { $ref: "#/$defs/Named" }], minItems: 1 },
    values: [["a"], ["a", { name: "n" }], ["a", { name: "n" }, 3], null, [], [1], ["a", {}]],
  },
  { name: "contains", schema: { type: "array", contains: { type: "string" } }, values: [[1, "a"], [1, 2], []] },
  {
    name: "minContains and maxContains",
    schema: { type: "array", contains: { type: "string" }, minContains: 2, maxContains: 3 },
    values: [
      ["a", "b"],
      ["a", 1],
      ["a", "b", "c", "d"],
      [1, 2],
      ["a", "b", "c", 1],
    ],
  },
  { name: "minContains 0", schema: { type: "array", contains: { type: "string" }, minContains: 0, maxContains: 1 }, values: [[], [1], ["a"], ["a", "b"]] },
  {
    name: "if / then / else",
    schema: {
      type: "object",
      properties: { kind: { type: "string" }, n: { type: "number" } },
      if: { properties: { kind: { const: "x" } }, required: ["kind"] },
      then: { required: ["n"] },
      else: { properties: { n: { maximum: 0 } } },
    },
    values: [{ kind: "x", n: 1 }, { kind: "x" }, { kind: "y", n: 1 }, { kind: "y", n: -1 }, {}, { n: 3 }],
  },
  {
    name: "if / then without type",
    schema: { if: { properties: { kind: { const: "x" } } }, then: { required: ["n"] } },
    values: [{ kind: "x", n: 1 }, { kind: "x" }, {}, { kind: "y" }, 5, "s"],
  },
  { name: "if / else", schema: { type: "integer", if: { minimum: 10 }, else: { multipleOf: 2 } }, values: [11, 12, 4, 3, 1.5] },
  {
    name: "dependentSchemas",
    schema: { type: "object", dependentSchemas: { card: { required: ["cvv"], properties: { cvv: { type: "string" } } } } },
    values: [{}, { card: 1, cvv: "1" }, { card: 1 }, { card: 1, cvv: 2 }, { cvv: 2 }],
  },
  {
    name: "exclusive bounds and multipleOf",
    schema: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 10, multipleOf: 0.5 },
    values: [0.5, 0, 10, 9.5, 3.3],
  },
  { name: "integer or string", schema: { type: ["integer", "string"], minimum: 1, minLength: 2 }, values: [1, 0, "ab", "a", 1.5, null] },
  {
    name: "boolean subschemas",
    schema: { type: "object", properties: { any: true, none: false }, required: ["any"] },
    values: [{ any: 1 }, { any: null }, { any: 1, none: 1 }, {}],
  },
  { name: "required without properties", schema: { type: "object", required: ["a"] }, values: [{ a: null }, { a: 1 }, {}, { b: 1 }] },
  {
    name: "allOf with a $ref",
    schema: { allOf: [{ $ref: "#/$defs/Named" }, { type: "object", required: ["age"], properties: { age: { type: "integer" } } }] },
    values: [{ name: "a", age: 1 }, { name: "a" }, { age: 1 }],
  },
  {
    name: "oneOf without a discriminator (exactly one)",
    schema: { oneOf: [{ type: "integer" }, { type: "number", minimum: 10 }] },
    values: [1, 10.5, 12, "x"],
  },
  {
    name: "anyOf of objects",
    schema: {
      anyOf: [
        { type: "object", required: ["a"] },
        { type: "object", required: ["b"] },
      ],
    },
    values: [{ a: 1 }, { b: 1 }, { a: 1, b: 1 }, { c: 1 }],
  },
  {
    name: "uniqueItems of objects",
    schema: { type: "array", uniqueItems: true },
    values: [
      [{ a: 1 }, { a: 2 }],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [1, "1"],
    ],
  },
  {
    name: "formats",
    schema: { type: "array", prefixItems: [{ format: "email" }, { type: "string", format: "uuid" }, { type: "string", format: "date" }] },
    values: [
      ["a@b.io", "0a1b2c3d-0000-4000-8000-000000000000", "2026-02-03"],
      ["nope"],
      ["a@b.io", "x"],
      ["a@b.io", "0a1b2c3d-0000-4000-8000-000000000000", "2026-13-03"],
    ],
  },
  {
    name: "a recursive linked list",
    schema: { $ref: "#/$defs/List" },
    values: [{ v: 1 }, { v: 1, next: { v: 2, next: { v: 3 } } }, { v: 1, next: { v: "2" } }, { v: 1, next: null }, JSON.parse('{"v": 1, "__proto__": {}}')],
  },
  {
    name: "object keywords without type admit other types",
    schema: { properties: { a: { type: "string" } }, required: ["a"] },
    values: [{ a: "x" }, 5, "s", null, [1], { a: 1 }, {}],
  },
  { name: "typeless keywords imply the type", schema: { properties: { a: { minimum: 3 } }, required: ["a"] }, values: [{ a: 3 }, { a: 2 }, { a: "x" }] },
];

export const KEYWORD_DEFINITIONS: Record<string, JsonSchema> = {
  Named: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
  List: { type: "object", required: ["v"], additionalProperties: false, properties: { v: { type: "integer" }, next: { $ref: "#/$defs/List" } } },
};

/** One event per row (`e0`, `e1`, ...), built by hand: some rows are shapes the loader would not need to accept. */
export function keywordsContract(): Contract {
  const events = Object.fromEntries(KEYWORD_ROWS.map((row, i) => [`e${i}`, { states: ["open"], payload: row.schema }]));
  return buildContract({
    name: "keywords",
    initial: "open",
    states: { open: { on: { close: "done" } }, done: { final: true } },
    events,
    definitions: KEYWORD_DEFINITIONS,
  });
}

/**
 * Names that are legal in a contract but awkward in code: dotted/slashed/coloned event names, dashed
 * states, `$`/dash field names, an unusual envelope, a definition called `Extract`, comment breakers
 * in descriptions. The generated code must still compile and keep every name intact.
 */
export function awkwardNamesContract(): Contract {
  return buildContract({
    name: "odd-names2",
    description: "Ends a comment */ and an HTML comment --> on purpose.",
    initial: "not-ready",
    states: { "not-ready": { on: { "go-live": "live" } }, live: { on: { "shut.down": "end" } }, end: { final: true } },
    envelope: { discriminator: "$type", payloadField: "payload-data" },
    events: {
      "user.joined": { states: ["live"], payload: { $ref: "#/$defs/Extract" }, description: "*/ not the end" },
      "room:closed": {
        states: ["live", "not-ready"],
        payload: { type: "object", properties: { "$id-x": { type: "string" }, "a-b": { type: "integer" } }, additionalProperties: false },
      },
      "a/b": { direction: "both", states: ["live"], payload: { type: "object", required: ["n"], properties: { n: { $ref: "#/$defs/Extract" } } } },
    },
    definitions: { Extract: { type: "object", required: ["id"], properties: { id: { type: "string", description: "closes */ early" } } } },
    runs: { key: "n", pattern: "a/b+" },
  });
}
