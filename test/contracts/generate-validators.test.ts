import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { applyGeneration, planGeneration } from "../../contracts/generate/index.js";
import { loadContract } from "../../contracts/index.js";
import type { Contract } from "../../contracts/model.js";
import { KEYWORD_DEFINITIONS, KEYWORD_ROWS, keywordsContract } from "./keyword-rows.js";
import { compileGenerated, generatedRoot, generateInto, importGenerated } from "./generate-harness.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FILES = {
  "agent-websocket": "contracts/agent-websocket.contract.yaml",
  "device-hub": "test/contracts/generate/device-hub.contract.yaml",
  lobby: "test/contracts/generate/lobby.contract.yaml",
} as const;
type Name = keyof typeof FILES;

type ParseResult = { success: true; data: unknown } | { success: false; error: { message: string; issues: { path: (string | number)[]; message: string }[] } };
type ValidatorsModule = Record<string, unknown>;

const outDir = path.join(generatedRoot, "validators");
const contracts = {} as Record<Name, Contract>;
const parse = {} as Record<Name, (raw: unknown) => ParseResult>;
const parsePayload = {} as Record<Name, (event: string, payload: unknown) => ParseResult>;
const bundles = {} as Record<Name, ValidateFunction>;

beforeAll(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const name of Object.keys(FILES) as Name[]) contracts[name] = loadContract(path.join(repo, FILES[name]));
  await applyGeneration(await planGeneration(Object.values(contracts), { outDir }), { check: false });
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const name of Object.keys(FILES) as Name[]) {
    const mod = await importGenerated<ValidatorsModule>(outDir, `${name}.validators.ts`);
    const base = name
      .split("-")
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join("");
    parse[name] = mod[`parse${base}Message`] as (raw: unknown) => ParseResult;
    parsePayload[name] = mod[`parse${base}Payload`] as (event: string, payload: unknown) => ParseResult;
    bundles[name] = ajv.compile(JSON.parse(fs.readFileSync(path.join(outDir, `${name}.schema.json`), "utf8")));
  }
});

describe("parse<Name>Message accepts every documented example", () => {
  it.each(Object.keys(FILES).map((name) => [name as Name]))("%s, as JSON text and as a parsed value", (name) => {
    const { discriminator, payloadField } = contracts[name].envelope;
    let count = 0;
    for (const event of contracts[name].events) {
      for (const example of event.examples) {
        const message = { [discriminator]: event.name, [payloadField]: example };
        const fromValue = parse[name](message);
        expect(fromValue, `${event.name}: ${JSON.stringify(example)}`).toEqual({ success: true, data: message });
        expect(parse[name](JSON.stringify(message))).toEqual({ success: true, data: message });
        count++;
      }
    }
    expect(count).toBeGreaterThan(0);
  });
});

const base = { run_id: "run-1", agent_name: "triage", timestamp: 1 };
const hello = { device_id: "dev-1", firmware: { version: "1.0.0", channel: "stable" } };
const reading = { sensor: "t", value: 1, at: "2026-01-01T00:00:00Z" };
const telemetry = { device_id: "dev-1", batch_id: 1, readings: [reading] };

/** `error` is the exact error.message; `undefined` means the message is valid. */
const CASES: { name: string; contract: Name; message: unknown; error?: string }[] = [
  // agent-websocket: the seed protocol
  { name: "agent_started", contract: "agent-websocket", message: { type: "agent_started", data: base } },
  {
    name: "a numeric type",
    contract: "agent-websocket",
    message: { type: 1, data: base },
    error: 'type: expected one of "agent_started" | "agent_thinking" | "tool_executing" | "tool_completed" | "agent_completed", received 1',
  },
  {
    name: "an unknown event",
    contract: "agent-websocket",
    message: { type: "agent_exploded", data: base },
    error: 'type: expected one of "agent_started" | "agent_thinking" | "tool_executing" | "tool_completed" | "agent_completed", received "agent_exploded"',
  },
  {
    name: "no type at all",
    contract: "agent-websocket",
    message: { data: base },
    error: 'type: missing required field (expected one of "agent_started" | "agent_thinking" | "tool_executing" | "tool_completed" | "agent_completed")',
  },
  {
    name: "a string timestamp",
    contract: "agent-websocket",
    message: { type: "agent_started", data: { ...base, timestamp: "now" } },
    error: "data.timestamp: expected number, received string",
  },
  {
    name: "a missing required field",
    contract: "agent-websocket",
    message: { type: "agent_started", data: { agent_name: "a", timestamp: 1 } },
    error: "data.run_id: missing required field (expected string)",
  },
  {
    name: "an extra payload field",
    contract: "agent-websocket",
    message: { type: "agent_started", data: { ...base, extra: true } },
    error: "data.extra: unexpected field (the contract does not declare it)",
  },
  {
    name: "an extra envelope field",
    contract: "agent-websocket",
    message: { type: "agent_started", data: base, id: 7 },
    error: "id: unexpected field (the contract does not declare it)",
  },
  {
    name: "a bad enum value",
    contract: "agent-websocket",
    message: { type: "tool_completed", data: { ...base, tool_name: "search", call_id: "c", status: "done" } },
    error: 'data.status: expected one of "success" | "error", received "done"',
  },
  {
    name: "a missing required enum field",
    contract: "agent-websocket",
    message: { type: "tool_completed", data: { ...base, tool_name: "search", call_id: "c" } },
    error: 'data.status: missing required field (expected one of "success" | "error")',
  },
  {
    name: "a fractional integer",
    contract: "agent-websocket",
    message: { type: "agent_thinking", data: { ...base, thought: "t", step: 1.5 } },
    error: "data.step: expected integer, received number (1.5)",
  },
  {
    name: "below the minimum",
    contract: "agent-websocket",
    message: { type: "agent_thinking", data: { ...base, thought: "t", step: 0 } },
    error: "data.step: expected number to be >=1, received 0",
  },
  {
    name: "an empty run_id",
    contract: "agent-websocket",
    message: { type: "agent_started", data: { ...base, run_id: "" } },
    error: 'data.run_id: expected string to have >=1 characters, received ""',
  },
  {
    name: "a tool name off the pattern",
    contract: "agent-websocket",
    message: { type: "tool_executing", data: { ...base, tool_name: "9tools", call_id: "c" } },
    error: 'data.tool_name: expected a string matching /^[A-Za-z][A-Za-z0-9_.-]*$/u, received "9tools"',
  },
  { name: "no payload", contract: "agent-websocket", message: { type: "agent_started" }, error: "data: missing required field (expected object)" },
  {
    name: "a payload that is not an object",
    contract: "agent-websocket",
    message: { type: "agent_started", data: [] },
    error: "data: expected object, received array",
  },
  { name: "a message that is not an object", contract: "agent-websocket", message: 42, error: "message: expected object, received number" },
  {
    name: "two problems at once",
    contract: "agent-websocket",
    message: { type: "agent_started", data: { run_id: 5, agent_name: "a", timestamp: null } },
    error: "data.run_id: expected string, received number; data.timestamp: expected number, received null",
  },
  {
    name: "any JSON value where the schema says nothing",
    contract: "agent-websocket",
    message: { type: "tool_completed", data: { ...base, tool_name: "s", call_id: "c", status: "success", result: [1, "x"] } },
  },

  // device-hub: nested objects, arrays, nullable, oneOf, recursion, other envelope
  { name: "device.hello", contract: "device-hub", message: { kind: "device.hello", body: hello } },
  {
    name: "a bad enum in a nested object",
    contract: "device-hub",
    message: { kind: "device.hello", body: { ...hello, firmware: { version: "1.0.0", channel: "alpha" } } },
    error: 'body.firmware.channel: expected one of "stable" | "beta" | "nightly", received "alpha"',
  },
  {
    name: "a missing required enum field in a nested object",
    contract: "device-hub",
    message: { kind: "device.hello", body: { ...hello, firmware: { version: "1.0.0" } } },
    error: 'body.firmware.channel: missing required field (expected one of "stable" | "beta" | "nightly")',
  },
  {
    name: "a missing field in a nested object",
    contract: "device-hub",
    message: { kind: "device.hello", body: { ...hello, firmware: { channel: "beta" } } },
    error: "body.firmware.version: missing required field (expected string)",
  },
  {
    name: "repeated items where they must be unique",
    contract: "device-hub",
    message: { kind: "device.hello", body: { ...hello, tags: ["a", "b", "a"] } },
    error: "body.tags[2]: items must be unique: item 2 repeats item 0",
  },
  {
    name: "a bad enum inside an array",
    contract: "device-hub",
    message: { kind: "device.hello", body: { ...hello, capabilities: ["telemetry", "teleport"] } },
    error: 'body.capabilities[1]: expected one of "telemetry" | "commands" | "config", received "teleport"',
  },
  { name: "telemetry with a null location", contract: "device-hub", message: { kind: "telemetry", body: { ...telemetry, location: null } } },
  {
    name: "a location that is neither object nor null",
    contract: "device-hub",
    message: { kind: "telemetry", body: { ...telemetry, location: "home" } },
    error: "body.location: matches none of the allowed shapes (closest: expected object, received string)",
  },
  {
    name: "an out-of-range field of a nullable object",
    contract: "device-hub",
    message: { kind: "telemetry", body: { ...telemetry, location: { lat: 91, lon: 0 } } },
    error: "body.location.lat: expected number to be <=90, received 91",
  },
  {
    name: "an empty array below minItems",
    contract: "device-hub",
    message: { kind: "telemetry", body: { ...telemetry, readings: [] } },
    error: "body.readings: expected array to have >=1 items, received array",
  },
  {
    name: "a bad date-time in an array of $ref objects",
    contract: "device-hub",
    message: { kind: "telemetry", body: { ...telemetry, readings: [reading, { ...reading, at: "yesterday" }] } },
    error: 'body.readings[1].at: expected a valid datetime, received "yesterday"',
  },
  {
    name: "additionalProperties given as a schema",
    contract: "device-hub",
    message: { kind: "telemetry", body: { ...telemetry, meta: { site: "lab", floor: 2 } } },
    error: "body.meta.floor: expected string, received number",
  },
  {
    name: "an integer key that is a float",
    contract: "device-hub",
    message: { kind: "telemetry", body: { ...telemetry, batch_id: 2.5 } },
    error: "body.batch_id: expected integer, received number (2.5)",
  },
  {
    name: "a oneOf branch picked by its const",
    contract: "device-hub",
    message: { kind: "command", body: { op: "set", batch_id: 1, key: "k", value: false } },
  },
  {
    name: "an unknown oneOf discriminator",
    contract: "device-hub",
    message: { kind: "command", body: { op: "explode", batch_id: 1 } },
    error: 'body.op: expected one of "reboot" | "set", received "explode"',
  },
  {
    name: "a field the picked oneOf branch does not have",
    contract: "device-hub",
    message: { kind: "command", body: { op: "reboot", batch_id: 1, key: "k" } },
    error: "body.key: unexpected field (the contract does not declare it)",
  },
  {
    name: "a multi-type field of the wrong type",
    contract: "device-hub",
    message: { kind: "command", body: { op: "set", batch_id: 1, key: "k", value: null } },
    error: "body.value: matches none of the allowed shapes (closest: expected string, received null)",
  },
  {
    name: "a recursive tree",
    contract: "device-hub",
    message: { kind: "config-tree", body: { root: { name: "a", children: [{ name: "b", children: [{ name: "c", value: null }] }] } } },
  },
  {
    name: "a bad node deep in a recursive tree",
    contract: "device-hub",
    message: { kind: "config-tree", body: { root: { name: "a", children: [{ name: "b", children: [{ name: "" }] }] } } },
    error: 'body.root.children[0].children[0].name: expected string to have >=1 characters, received ""',
  },
  { name: "an event declared without payload", contract: "device-hub", message: { kind: "status", body: {} } },
  {
    name: "a field on an event declared without payload",
    contract: "device-hub",
    message: { kind: "status", body: { up: true } },
    error: "body.up: unexpected field (the contract does not declare it)",
  },
  {
    name: "the default envelope field names on a custom envelope",
    contract: "device-hub",
    message: { type: "status", data: {} },
    error: 'kind: missing required field (expected one of "device.hello" | "telemetry" | "command" | "command_ack" | "config-tree" | "status")',
  },

  // lobby: open objects, allOf, anyOf, $ref payloads, `definitions`
  { name: "extra fields on an open object", contract: "lobby", message: { type: "joined", data: { id: 1, nickname: "ada", avatar: "x.png" } } },
  {
    name: "a $ref payload with a wrong field",
    contract: "lobby",
    message: { type: "joined", data: { id: "1", nickname: "ada" } },
    error: "data.id: expected number, received string",
  },
  { name: "allOf: both parts hold", contract: "lobby", message: { type: "chat.message", data: { id: 1, nickname: "ada", text: "hi", mentions: [2] } } },
  {
    name: "allOf: the second part fails",
    contract: "lobby",
    message: { type: "chat.message", data: { id: 1, nickname: "ada", text: "" } },
    error: 'data.text: expected string to have >=1 characters, received ""',
  },
  {
    name: "allOf: the first part fails",
    contract: "lobby",
    message: { type: "chat.message", data: { nickname: "ada", text: "hi" } },
    error: "data.id: missing required field (expected number)",
  },
  { name: "anyOf: the const option", contract: "lobby", message: { type: "queue-position", data: { position: 3, estimate: "unknown" } } },
  {
    name: "anyOf: no option",
    contract: "lobby",
    message: { type: "queue-position", data: { position: 3, estimate: "soon" } },
    error: "data.estimate: matches none of the allowed shapes (closest: expected number, received string)",
  },
];

describe("parse<Name>Message", () => {
  it.each(CASES.map((c) => [`${c.contract}: ${c.name}`, c] as const))("%s", (_, { contract, message, error }) => {
    const result = parse[contract](message);
    if (error === undefined) {
      expect(result).toEqual({ success: true, data: message });
    } else {
      expect(result.success).toBe(false);
      if (!result.success) {
        expect(result.error.message).toBe(error);
        expect(result.error.message).toBe(result.error.issues.map((i) => i.message).join("; "));
      }
    }
  });

  // The zod validators and the JSON Schema bundle are two translations of one schema: they must agree.
  it.each(CASES.map((c) => [`${c.contract}: ${c.name}`, c] as const))("agrees with the JSON Schema bundle (ajv): %s", (_, { contract, message, error }) => {
    expect(bundles[contract](message)).toBe(error === undefined);
  });

  it("reports JSON text that does not parse", () => {
    const result = parse["agent-websocket"]('{"type": "agent_started",');
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).toMatch(/^message: not valid JSON \(.+\)$/);
  });

  it("gives each issue its path", () => {
    const result = parse["device-hub"]({ kind: "telemetry", body: { ...telemetry, readings: [{ ...reading, at: 5 }] } });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(result.error.issues).toEqual([{ path: ["body", "readings", 0, "at"], message: "body.readings[0].at: expected string, received number" }]);
  });
});

describe("parse<Name>Payload", () => {
  it("validates one event's payload, with paths from the payload field", () => {
    expect(parsePayload["device-hub"]("status", {})).toEqual({ success: true, data: {} });
    const result = parsePayload["device-hub"]("command_ack", { batch_id: 1, ok: "yes" });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).toBe("body.ok: expected boolean, received string");
  });

  it("refuses an event the contract does not have (including inherited object keys)", () => {
    for (const event of ["nope", "constructor", "__proto__"]) {
      const result = parsePayload.lobby(event, {});
      expect(result.success).toBe(false);
      if (!result.success) expect(result.error.message).toBe(`unknown event ${JSON.stringify(event)}`);
    }
  });
});

describe("zod translation of JSON Schema keywords agrees with ajv", () => {
  let validate: (event: string, payload: unknown) => ParseResult;
  let ajv: Ajv2020;
  beforeAll(async () => {
    const dir = await generateInto(keywordsContract(), "keywords");
    const mod = await importGenerated<ValidatorsModule>(dir, "keywords.validators.ts");
    validate = mod.parseKeywordsPayload as typeof validate;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
  });

  it("explain if/then/else, dependentSchemas and minContains/maxContains failures", () => {
    const message = (name: string, value: unknown): string => {
      const result = validate(`e${KEYWORD_ROWS.findIndex((row) => row.name === name)}`, value);
      return result.success ? "accepted" : result.error.message;
    };
    expect(message("if / then / else", { kind: "x" })).toBe("data.n: when the `if` schema matches: missing required field");
    expect(message("if / then / else", { kind: "y", n: 1 })).toBe("data.n: when the `if` schema does not match: expected number to be <=0, received 1");
    expect(message("dependentSchemas", { card: 1, cvv: 2 })).toBe('data.cvv: when "card" is present: expected string, received number');
    expect(message("minContains and maxContains", ["a", 1])).toBe("data: expected at least 2 items matching the `contains` schema, received 1");
    expect(message("minContains 0", ["a", "b"])).toBe("data: expected at most 1 item matching the `contains` schema, received 2");
  });

  it("say a required enum or const field is missing, whatever its values", () => {
    const message = (name: string, value: unknown): string => {
      const result = validate(`e${KEYWORD_ROWS.findIndex((row) => row.name === name)}`, value);
      return result.success ? "accepted" : result.error.message;
    };
    expect(message("required enum fields", {})).toBe(
      'data.plain: missing required field (expected one of "a" | "b"); data.objects: missing required field (expected one of {"x":1} | "y")',
    );
    expect(message("required enum fields", { plain: "c", objects: { x: 2 } })).toBe(
      'data.plain: expected one of "a" | "b", received "c"; data.objects: expected one of {"x":1} | "y", received object',
    );
  });

  it.each(KEYWORD_ROWS.map((row, i) => [row.name, i] as const))("%s", (_, i) => {
    const row = KEYWORD_ROWS[i]!;
    const reference = ajv.compile({ ...(row.schema as object), $defs: KEYWORD_DEFINITIONS });
    const verdicts = row.values.map((value) => reference(value));
    expect(verdicts, "each row needs accepted and rejected values").toContain(true);
    expect(verdicts).toContain(false);
    for (const [j, value] of row.values.entries()) {
      const result = validate(`e${i}`, value);
      expect(result.success, `${JSON.stringify(value)}: ${result.success ? "accepted" : result.error.message}`).toBe(verdicts[j]);
    }
  });
});

describe("the generated types admit every value the validators accept", () => {
  // Types may be wider than the validators (TypeScript cannot say "not" or "unique"), never
  // narrower: a message the contract allows must be sendable without a cast. Each row's accepted
  // values are written as typed constants and compiled with the strictest options.
  it("for every keyword row (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess)", async () => {
    const dir = await generateInto(keywordsContract(), "keyword-types");
    const mod = await importGenerated<ValidatorsModule>(dir, "keywords.validators.ts");
    const validate = mod.parseKeywordsPayload as (event: string, payload: unknown) => ParseResult;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const lines = [`import type { KeywordsPayloads } from "./keywords.types.js";`];
    const expected: string[] = [];
    KEYWORD_ROWS.forEach((row, i) => {
      const reference = ajv.compile({ ...(row.schema as object), $defs: KEYWORD_DEFINITIONS });
      row.values.forEach((value, j) => {
        if (!reference(value) && !validate(`e${i}`, value).success) return;
        lines.push(`// ${row.name}`, `export const v${i}_${j}: KeywordsPayloads["e${i}"] = ${JSON.stringify(value)};`);
        expected.push(`v${i}_${j}`);
      });
    });
    expect(expected.length).toBeGreaterThan(KEYWORD_ROWS.length);
    const consumer = path.join(dir, "accepted-values.ts");
    fs.writeFileSync(consumer, `${lines.join("\n")}\n`);
    expect(compileGenerated(dir, "nodenext")).toEqual([]);
  });
});
