import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { applyGeneration, buildRunDfa, planGeneration } from "../../contracts/generate/index.js";
import { loadContract, parseRunPattern } from "../../contracts/index.js";
import { buildContract } from "./build-contract.js";
import { compileGenerated, generatedRoot, generateInto, importGenerated, MODULE_MODES } from "./generate-harness.js";

/**
 * Names every JavaScript object inherits (`toString`, `constructor`, `valueOf`, `hasOwnProperty`,
 * ...) used everywhere a contract names something. Generation must not crash, the code must
 * compile, and no inherited member may pass for a state, transition, event or field.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const contractFile = path.join(repo, "test/contracts/generate/prototype-names.contract.yaml");
const outDir = path.join(generatedRoot, "prototype-names");

type ParseResult = { success: true; data: unknown } | { success: false; error: { message: string } };
interface Connection {
  readonly state: string;
  transition(name: string): string;
  emit(event: string, payload: unknown): "sent" | "queued";
}
interface RunMonitor {
  observe(message: unknown): void;
  violations(): { key: string | number; reason: string; message: string }[];
}

let parse: (raw: unknown) => ParseResult;
let create: (options: { send: (text: string) => void }) => Connection;
let monitor: () => RunMonitor;
let bundle: ValidateFunction;

beforeAll(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  await applyGeneration(await planGeneration([loadContract(contractFile)], { outDir }), { check: false });
  fs.writeFileSync(
    path.join(outDir, "consumer.ts"),
    `import { createPrototypeNamesConnection } from "./prototype-names.lifecycle.js";
import type { PrototypeNamesTransition, PrototypeNamesMessageOf } from "./prototype-names.types.js";
const connection = createPrototypeNamesConnection({ send: () => undefined });
const step: PrototypeNamesTransition = "valueOf";
connection.transition(step);
connection.emit("toString", { valueOf: "r", constructor: 1, hasOwnProperty: true });
// @ts-expect-error propertyIsEnumerable is not a transition of this contract
connection.transition("propertyIsEnumerable");
export const message: PrototypeNamesMessageOf<"valueOf"> = { constructor: "valueOf", toString: { valueOf: "r", toLocaleString: 1 } };
`,
  );
  const validators = await importGenerated<Record<string, unknown>>(outDir, "prototype-names.validators.ts");
  parse = validators.parsePrototypeNamesMessage as typeof parse;
  const lifecycle = await importGenerated<Record<string, unknown>>(outDir, "prototype-names.lifecycle.ts");
  create = lifecycle.createPrototypeNamesConnection as typeof create;
  monitor = lifecycle.createPrototypeNamesRunMonitor as typeof monitor;
  bundle = new Ajv2020({ strict: false, ownProperties: true }).compile(JSON.parse(fs.readFileSync(path.join(outDir, "prototype-names.schema.json"), "utf8")));
});

describe("contract names that objects inherit (toString, constructor, valueOf, ...)", () => {
  it("build a run DFA whose tables hold only the pattern's events", () => {
    const parsed = parseRunPattern("toString valueOf* constructor | __proto__ hasOwnProperty");
    if (!parsed.ok) throw new Error("bad pattern");
    const dfa = buildRunDfa(parsed.ast);
    expect(dfa.alphabet).toEqual(["toString", "valueOf", "constructor", "__proto__", "hasOwnProperty"]);
    expect(dfa.states.map((s) => Object.entries(s.next))).toEqual([
      [
        ["toString", 1],
        ["__proto__", 2],
      ],
      [
        ["valueOf", 1],
        ["constructor", 3],
      ],
      [["hasOwnProperty", 3]],
      [],
    ]);
  });

  it.each(Object.keys(MODULE_MODES).map((mode) => [mode as keyof typeof MODULE_MODES]))("generate code that compiles (%s)", (mode) => {
    expect(compileGenerated(outDir, mode)).toEqual([]);
  });

  const CASES: { name: string; message: unknown; error?: string }[] = [
    { name: "a payload without the optional inherited-name fields", message: { constructor: "toString", toString: { valueOf: "r1" } } },
    { name: "every field given", message: { constructor: "toString", toString: { valueOf: "r1", constructor: 2, hasOwnProperty: false } } },
    {
      name: "a field called constructor of the wrong type",
      message: { constructor: "toString", toString: { valueOf: "r1", constructor: "x" } },
      error: "toString.constructor: expected number, received string",
    },
    {
      name: "a missing required field called valueOf",
      message: { constructor: "toString", toString: {} },
      error: "toString.valueOf: missing required field (expected string)",
    },
    {
      name: "a required field declared nowhere (toLocaleString)",
      message: { constructor: "valueOf", toString: { valueOf: "r1" } },
      error: "toString.toLocaleString: missing required field",
    },
    { name: "the required undeclared field present", message: { constructor: "valueOf", toString: { valueOf: "r1", toLocaleString: null } } },
    { name: "dependentRequired on inherited names, unused", message: { constructor: "constructor", toString: { valueOf: "r1" } } },
    {
      name: "dependentRequired on inherited names, broken",
      message: { constructor: "constructor", toString: { valueOf: "r1", isPrototypeOf: 1 } },
      error: 'toString.propertyIsEnumerable: missing required field (required when "isPrototypeOf" is present)',
    },
    { name: "an event without payload", message: { constructor: "hasOwnProperty", toString: {} } },
    {
      name: "no event field",
      message: { toString: {} },
      error: 'constructor: missing required field (expected one of "toString" | "valueOf" | "constructor" | "hasOwnProperty")',
    },
    { name: "no payload field", message: { constructor: "toString" }, error: "toString: missing required field (expected object)" },
  ];

  it.each(CASES.map((c) => [c.name, c] as const))("are validated as own fields only: %s", (_, { message, error }) => {
    const result = parse(message);
    expect(bundle(message), "the JSON Schema bundle agrees").toBe(error === undefined);
    if (error === undefined) expect(result).toEqual({ success: true, data: message });
    else expect(result.success ? "accepted" : result.error.message).toBe(error);
  });

  it("take transitions by own name only, and name the allowed ones", () => {
    const sent: string[] = [];
    const connection = create({ send: (text) => sent.push(text) });
    expect(connection.state).toBe("toString");
    expect(() => connection.transition("isPrototypeOf")).toThrow(
      'transition "isPrototypeOf" is not allowed in state "toString" (allowed here: "valueOf", "hasOwnProperty")',
    );
    expect(() => connection.transition("toLocaleString")).toThrow(/not allowed/);
    expect(connection.emit("valueOf", { valueOf: "r1", toLocaleString: 1 })).toBe("queued");
    expect(connection.transition("valueOf")).toBe("constructor");
    expect(sent).toEqual(['{"constructor":"valueOf","toString":{"valueOf":"r1","toLocaleString":1}}']);
    expect(connection.transition("toString")).toBe("hasOwnProperty");
    expect(() => connection.emit("isPrototypeOf", {})).toThrow('unknown event "isPrototypeOf"');
    expect(connection.transition("valueOf")).toBe("toString");
  });

  it("monitor runs keyed by a field called valueOf", () => {
    const runs = monitor();
    const message = (event: string, key: string) => ({ constructor: event, toString: { valueOf: key } });
    for (const m of [message("toString", "a"), message("valueOf", "a"), message("constructor", "a"), message("constructor", "b"), message("toString", "c")])
      runs.observe(m);
    runs.observe({ toString: { valueOf: "d" } });
    expect(runs.violations().map((v) => [v.key, v.reason])).toEqual([
      ["b", "broken"],
      ["c", "incomplete"],
    ]);
  });
});

describe("__proto__ as a state, transition and event name (the loader refuses it; the generators do not rely on that)", () => {
  it("generates code that compiles, keeps the names as keys and runs", async () => {
    const contract = buildContract({
      name: "proto-keys",
      initial: "__proto__",
      // Computed keys: a literal `__proto__:` would set the prototype instead.
      states: { ["__proto__"]: { on: { ["__proto__"]: "open" } }, open: { on: { close: "done" } }, done: { final: true } },
      events: { ["__proto__"]: { states: ["open"], payload: { type: "object", required: ["id"], properties: { id: { type: "string" } } } } },
      runs: { key: "id", pattern: "__proto__+" },
    });
    expect(contract.lifecycle.states.map((s) => s.name)).toEqual(["__proto__", "open", "done"]);
    const dir = await generateInto(contract, "proto-keys");
    expect(compileGenerated(dir, "nodenext")).toEqual([]);
    const lifecycle = await importGenerated<Record<string, unknown>>(dir, "proto-keys.lifecycle.ts");
    const sent: string[] = [];
    const connection = (lifecycle.createProtoKeysConnection as typeof create)({ send: (text) => sent.push(text) });
    expect(connection.state).toBe("__proto__");
    expect(connection.emit("__proto__", { id: "r" })).toBe("queued");
    expect(() => connection.transition("toString")).toThrow('allowed here: "__proto__"');
    expect(connection.transition("__proto__")).toBe("open");
    expect(sent).toEqual(['{"type":"__proto__","data":{"id":"r"}}']);
    const runs = (lifecycle.createProtoKeysRunMonitor as typeof monitor)();
    runs.observe({ type: "__proto__", data: { id: "r" } });
    expect(runs.violations()).toEqual([]);
  });
});
