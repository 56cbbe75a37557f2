/**
 * Payload schemas compared by what they accept: a table of schema pairs on one event, for each
 * direction, with the rules (and kinds) the diff must report. Contracts are built from the model.
 */
import { diffContracts } from "../../contracts/diff/index.js";
import type { Contract, Direction, JsonSchema } from "../../contracts/model.js";

function contract(payload: JsonSchema, direction: Direction, definitions: Record<string, JsonSchema> = {}): Contract {
  return {
    file: "/virtual/x.contract.yaml",
    formatVersion: 1,
    name: "x",
    version: "1.0.0",
    lifecycle: {
      initial: "open",
      states: [
        { name: "open", final: false, on: { close: "closed" } },
        { name: "closed", final: true, on: {} },
      ],
    },
    envelope: { discriminator: "type", payloadField: "data" },
    events: [{ name: "e", direction, states: ["open"], payload, examples: [] }],
    definitions,
    locate: () => ({ line: 1, column: 1 }),
  };
}

function rules(
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  direction: Direction,
  defs: { old?: Record<string, JsonSchema>; new?: Record<string, JsonSchema> } = {},
): string[] {
  const result = diffContracts(contract(oldSchema, direction, defs.old), contract(newSchema, direction, defs.new));
  for (const change of result.changes) if (change.kind === "breaking") expect(change.witness, `${change.rule} has a witness`).toBeDefined();
  return result.changes.map((c) => `${c.kind === "breaking" ? "B" : "N"} ${c.rule}`);
}

const obj = (properties: Record<string, JsonSchema>, required: string[] = [], extra: Record<string, unknown> = {}): JsonSchema => ({
  type: "object",
  properties,
  required,
  ...extra,
});

describe("written differently, accepting the same: no change", () => {
  it.each<[string, JsonSchema, JsonSchema]>([
    ["integer vs number + multipleOf 1", { type: "integer" }, { type: "number", multipleOf: 1 }],
    ["enum order", { type: "string", enum: ["a", "b"] }, { enum: ["b", "a"] }],
    ["nullable spellings", { anyOf: [{ type: "string" }, { type: "null" }] }, { type: ["null", "string"] }],
    ["oneOf of consts vs enum", { oneOf: [{ const: "a" }, { const: "b" }] }, { enum: ["a", "b"] }],
    [
      "oneOf of disjoint number ranges vs anyOf",
      {
        oneOf: [
          { type: "number", maximum: 0 },
          { type: "number", exclusiveMinimum: 0 },
        ],
      },
      {
        anyOf: [
          { type: "number", maximum: 0 },
          { type: "number", exclusiveMinimum: 0 },
        ],
      },
    ],
    [
      "oneOf of closed objects requiring different fields vs anyOf",
      {
        oneOf: [
          obj({ v: { type: "number" } }, ["v"], { additionalProperties: false }),
          obj({ op: { type: "string" } }, ["op"], { additionalProperties: false }),
        ],
      },
      {
        anyOf: [
          obj({ v: { type: "number" } }, ["v"], { additionalProperties: false }),
          obj({ op: { type: "string" } }, ["op"], { additionalProperties: false }),
        ],
      },
    ],
    [
      "oneOf of integer ranges that meet vs integer",
      {
        oneOf: [
          { type: "integer", maximum: 0 },
          { type: "integer", minimum: 1 },
        ],
      },
      { type: "integer" },
    ],
    [
      "anyOf of number ranges that touch vs a single range",
      {
        anyOf: [
          { type: "number", minimum: 0, maximum: 5 },
          { type: "number", exclusiveMinimum: 5, maximum: 9 },
        ],
      },
      { type: "number", minimum: 0, maximum: 9 },
    ],
    [
      "anyOf of string lengths that meet vs string",
      {
        anyOf: [
          { type: "string", maxLength: 3 },
          { type: "string", minLength: 4 },
        ],
      },
      { type: "string" },
    ],
    [
      "oneOf of a discriminated union vs anyOf",
      { oneOf: [obj({ k: { const: "a" } }, ["k"]), obj({ k: { const: "b" } }, ["k"])] },
      { anyOf: [obj({ k: { const: "a" } }, ["k"]), obj({ k: { const: "b" } }, ["k"])] },
    ],
    ["allOf split vs one object", { allOf: [obj({ a: { type: "string" } }), { required: ["a"] }] }, obj({ a: { type: "string" } }, ["a"])],
    ["inclusive vs exclusive integer bound", { type: "integer", minimum: 0, maximum: 9 }, { type: "integer", exclusiveMinimum: -1, exclusiveMaximum: 10 }],
    ["length folded into a pattern", { type: "string", maxLength: 5, pattern: "^[a-z]*$" }, { type: "string", pattern: "^[a-z]{0,5}$" }],
    ["true vs {}", true, {}],
    ["additionalProperties: true vs absent", obj({ a: { type: "string" } }, [], { additionalProperties: true }), obj({ a: { type: "string" } })],
    ["boolean vs [true, false]", { type: "boolean" }, { enum: [true, false] }],
    ["small integer range vs its values", { enum: [1, 2, 3] }, { type: "integer", minimum: 1, maximum: 3 }],
    ["annotations", { type: "string", description: "x", title: "y", examples: ["a"] }, { type: "string", default: "z", $comment: "c" }],
    ["a type list of one", { type: ["string"] }, { type: "string" }],
    ["not: {} accepts nothing, like false", { not: {} }, false],
    ["an empty range accepts nothing", { type: "number", minimum: 5, maximum: 1 }, false],
    [
      "object keywords say nothing about strings",
      { type: "string" },
      { type: "string", required: ["a"], propertyNames: { pattern: "^a" }, if: { properties: { k: { const: 1 } } }, then: { required: ["k"] } },
    ],
  ])("%s", (_, a, b) => {
    for (const direction of ["server-to-client", "client-to-server", "both"] as const) {
      expect(rules(a, b, direction)).toEqual([]);
      expect(rules(b, a, direction)).toEqual([]);
    }
  });

  it("inline vs $ref, and a renamed definition", () => {
    const inline = obj({ id: { type: "string", minLength: 1 } }, ["id"]);
    expect(rules(inline, { $ref: "#/$defs/Thing" }, "both", { new: { Thing: inline } })).toEqual([]);
    expect(rules({ $ref: "#/$defs/A" }, { $ref: "#/$defs/B" }, "both", { old: { A: inline }, new: { B: inline } })).toEqual([]);
  });

  it("recursive definitions that are equal, written differently", () => {
    const tree = (order: "ab" | "ba"): JsonSchema => ({
      type: "object",
      properties:
        order === "ab"
          ? { name: { type: "string" }, kids: { type: "array", items: { $ref: "#/$defs/T" } } }
          : { kids: { items: { $ref: "#/$defs/T" }, type: "array" }, name: { type: "string" } },
    });
    expect(rules({ $ref: "#/$defs/T" }, { $ref: "#/$defs/T" }, "both", { old: { T: tree("ab") }, new: { T: tree("ba") } })).toEqual([]);
  });
});

describe("classified by set inclusion and direction", () => {
  it.each<[string, JsonSchema, JsonSchema, Record<"s2c" | "c2s", string[]>]>([
    ["integer -> number", { type: "integer" }, { type: "number" }, { s2c: ["B payload-field-type-widened"], c2s: ["N payload-field-type-widened"] }],
    ["string -> enum", { type: "string" }, { enum: ["a"] }, { s2c: ["N payload-field-type-narrowed"], c2s: ["B payload-field-type-narrowed"] }],
    ["number -> string", { type: "number" }, { type: "string" }, { s2c: ["B payload-field-type-changed"], c2s: ["B payload-field-type-changed"] }],
    ["any -> string", {}, { type: "string" }, { s2c: ["N payload-field-type-narrowed"], c2s: ["B payload-field-type-narrowed"] }],
    [
      "minimum raised",
      { type: "number", minimum: 0 },
      { type: "number", minimum: 5 },
      { s2c: ["N payload-constraint-tightened"], c2s: ["B payload-constraint-tightened"] },
    ],
    [
      "exclusive at the same value",
      { type: "number", minimum: 0 },
      { type: "number", exclusiveMinimum: 0 },
      { s2c: ["N payload-constraint-tightened"], c2s: ["B payload-constraint-tightened"] },
    ],
    ["maximum dropped", { type: "number", maximum: 5 }, { type: "number" }, { s2c: ["B payload-constraint-widened"], c2s: ["N payload-constraint-widened"] }],
    [
      "multipleOf 2 -> 4",
      { type: "integer", multipleOf: 2 },
      { type: "integer", multipleOf: 4 },
      { s2c: ["N payload-constraint-tightened"], c2s: ["B payload-constraint-tightened"] },
    ],
    [
      "multipleOf 2 -> 3",
      { type: "integer", multipleOf: 2 },
      { type: "integer", multipleOf: 3 },
      { s2c: ["B payload-constraint-changed"], c2s: ["B payload-constraint-changed"] },
    ],
    [
      "pattern narrowed by automata",
      { type: "string", pattern: "^[a-z0-9]+$" },
      { type: "string", pattern: "^[a-z]+$" },
      { s2c: ["N payload-constraint-tightened"], c2s: ["B payload-constraint-tightened"] },
    ],
    [
      "minItems raised",
      { type: "array", minItems: 0 },
      { type: "array", minItems: 2 },
      { s2c: ["N payload-constraint-tightened"], c2s: ["B payload-constraint-tightened"] },
    ],
    [
      "nested item field type",
      { type: "array", items: obj({ n: { type: "integer" } }, ["n"]) },
      { type: "array", items: obj({ n: { type: "string" } }, ["n"]) },
      { s2c: ["B payload-field-type-changed"], c2s: ["B payload-field-type-changed"] },
    ],
    [
      "tuple item widened",
      { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }] },
      { type: "array", prefixItems: [{ type: "string" }, { type: "number" }] },
      { s2c: ["B payload-field-type-widened"], c2s: ["N payload-field-type-widened"] },
    ],
    [
      "const changed",
      obj({ v: { const: 1 } }, ["v"]),
      obj({ v: { const: 2 } }, ["v"]),
      { s2c: ["N payload-enum-value-removed", "B payload-enum-value-added"], c2s: ["B payload-enum-value-removed", "N payload-enum-value-added"] },
    ],
    [
      "discriminated union gains a member",
      { oneOf: [obj({ k: { const: "a" } }, ["k"]), obj({ k: { const: "b" } }, ["k"])] },
      { oneOf: [obj({ k: { const: "a" } }, ["k"]), obj({ k: { const: "b" } }, ["k"]), obj({ k: { const: "c" } }, ["k"])] },
      { s2c: ["B payload-variant-added"], c2s: ["N payload-variant-added"] },
    ],
    [
      "required list grows",
      obj({ a: { type: "string" }, b: { type: "string" } }, ["a"]),
      obj({ a: { type: "string" }, b: { type: "string" } }, ["a", "b"]),
      { s2c: ["N payload-field-made-required"], c2s: ["B payload-field-made-required"] },
    ],
    [
      "object closed",
      obj({ a: { type: "string" } }),
      obj({ a: { type: "string" } }, [], { additionalProperties: false }),
      { s2c: ["N payload-constraint-tightened"], c2s: ["B payload-constraint-tightened"] },
    ],
    [
      "unevaluatedProperties: false over allOf",
      { allOf: [obj({ a: { type: "string" } })] },
      { allOf: [obj({ a: { type: "string" } })], unevaluatedProperties: false },
      { s2c: ["N payload-constraint-tightened"], c2s: ["B payload-constraint-tightened"] },
    ],
    [
      "not added",
      { type: "string" },
      { type: "string", not: { const: "" } },
      { s2c: ["N payload-constraint-tightened"], c2s: ["B payload-constraint-tightened"] },
    ],
    // oneOf is anyOf minus what several branches match: exact for value lists, a kept condition otherwise.
    [
      "oneOf with overlapping branches -> one of them",
      { oneOf: [{ type: "integer" }, { type: "number" }] },
      { type: "integer" },
      { s2c: ["N payload-field-type-narrowed", "B payload-constraint-widened"], c2s: ["B payload-field-type-narrowed", "N payload-constraint-widened"] },
    ],
    [
      "oneOf of overlapping enums -> their union",
      { oneOf: [{ enum: [1, 2] }, { enum: [2, 3] }] },
      { enum: [1, 2, 3] },
      { s2c: ["B payload-enum-value-added"], c2s: ["N payload-enum-value-added"] },
    ],
    [
      "anyOf of integer ranges with a gap -> integer",
      {
        anyOf: [
          { type: "integer", maximum: 0 },
          { type: "integer", minimum: 2 },
        ],
      },
      { type: "integer" },
      { s2c: ["B payload-variant-added"], c2s: ["N payload-variant-added"] },
    ],
    [
      "oneOf of disjoint types -> one of them",
      { oneOf: [{ type: "integer" }, { type: "string" }] },
      { type: "integer" },
      { s2c: ["N payload-field-type-narrowed"], c2s: ["B payload-field-type-narrowed"] },
    ],
  ])("%s", (_, a, b, expected) => {
    expect(rules(a, b, "server-to-client")).toEqual(expected.s2c);
    expect(rules(a, b, "client-to-server")).toEqual(expected.c2s);
    const both = rules(a, b, "both");
    expect(both.map((r) => r.slice(2))).toEqual(expected.s2c.map((r) => r.slice(2)));
    both.forEach((r, i) => expect(r[0]).toBe(expected.s2c[i]!.startsWith("B") || expected.c2s[i]!.startsWith("B") ? "B" : "N"));
  });
});
