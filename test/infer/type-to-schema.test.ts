// The type mapping of docs/infer.md, pinned on fixtures/infer/shapes (one message per shape):
// the schema each payload property becomes. The round-trip test checks the same payloads against
// the types `covenant generate` writes; this table says what the draft reads like.
import { draftFixture } from "./harness.js";

const { result } = draftFixture("shapes");
const { protocol } = result;

function schemaAt(event: string, ...path: string[]): unknown {
  let node: unknown = protocol.events.find((e) => e.name === event)?.payload?.schema;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

const property = (event: string, name: string) => schemaAt(event, "properties", name);

describe("type-to-schema: each TypeScript shape as the draft writes it", () => {
  const CASES: [string, string, unknown][] = [
    ["primitives", "s", { type: "string" }],
    ["primitives", "n", { type: "number" }],
    ["primitives", "b", { type: "boolean" }],
    ["primitives", "nil", { type: "null" }],
    ["literals", "one", { const: "one" }],
    ["literals", "two", { const: 2 }],
    ["literals", "yes", { const: true }],
    ["literals", "mixed", { enum: ["a", "b", 3, false] }],
    ["optional", "a", { type: "string" }],
    ["optional", "b", { type: ["number", "null"] }],
    ["optional", "c", { type: ["string", "null"] }],
    ["enums", "level", { $ref: "#/$defs/Level" }],
    ["enums", "fixed", { const: "high" }],
    ["arrays", "grid", { type: "array", items: { type: "array", items: { type: "number" } } }],
    ["arrays", "points", { type: "array", items: { $ref: "#/$defs/Point" } }],
    ["arrays", "frozen", { type: "array", items: { type: "string" } }],
    ["tuples", "pair", { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], minItems: 2, items: false }],
    ["tuples", "optional", { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], minItems: 1, items: false }],
    ["tuples", "rest", { type: "array", prefixItems: [{ type: "string" }], minItems: 1, items: { type: "number" } }],
    ["tuples", "empty", { type: "array", items: false }],
    ["named", "derived", { $ref: "#/$defs/Derived" }],
    ["named", "labelled", { $ref: "#/$defs/Labelled" }],
    ["unions", "shape", { $ref: "#/$defs/Shape" }],
    ["unions", "either", { type: ["string", "number"] }],
    ["records", "byName", { type: "object", additionalProperties: { type: "number" } }],
    [
      "records",
      "fixedKeys",
      { type: "object", required: ["x", "y"], additionalProperties: false, properties: { x: { type: "boolean" }, y: { type: "boolean" } } },
    ],
    ["records", "partial", { type: "object", additionalProperties: false, properties: { x: { type: "number" }, y: { type: "number" } } }],
    ["dates", "at", { type: "string", format: "date-time" }],
    ["readonly", "tags", { type: "array", items: { type: "string" } }],
  ];
  it.each(CASES)("%s.%s", (event, name, expected) => {
    expect(property(event, name)).toEqual(expected);
  });

  it("writes whole payloads that are not objects, and an empty object", () => {
    expect(schemaAt("whole-array")).toEqual({ type: "array", items: { $ref: "#/$defs/Point" } });
    expect(schemaAt("whole-string")).toEqual({ type: "string" });
    expect(schemaAt("empty")).toEqual({ type: "object", additionalProperties: false });
  });

  it("puts named types in $defs, with their doc comments, inherited properties and enum values", () => {
    expect([...protocol.definitions.keys()]).toEqual(["Base", "Derived", "Labelled", "Level", "Point", "Priority", "Shape"]);
    const def = (name: string) => protocol.definitions.get(name);
    expect(def("Derived")).toMatchObject({
      description: "An interface that extends another.",
      schema: { required: ["id"], properties: { extra: { type: "number" }, id: { type: "string" } } },
    });
    expect(def("Level")!.schema).toEqual({ enum: ["high", "low"] });
    expect(def("Priority")!.schema).toEqual({ enum: [1, 2] });
    expect((def("Shape")!.schema as { anyOf: unknown[] }).anyOf).toHaveLength(2);
  });

  it("notes its choices at their place, and only there", () => {
    const notes = protocol.events.flatMap((e) => (e.payload?.notes ?? []).map((n) => `${e.name}:${n.path.join("/")}:${n.kind}`));
    expect(notes.sort()).toEqual(["dates:properties/at:choice", "dates:properties/history/items:choice", "tuples:properties/empty:choice"]);
    expect(result.warnings).toEqual([]);
  });
});
