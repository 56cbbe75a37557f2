import fs from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse as parseYaml } from "yaml";
import { CovenantError, type Problem } from "../../common/errors.js";
import { EMPTY_PAYLOAD, loadContract, loadContractFromText, type Contract } from "../../contracts/index.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const VALID = path.join(import.meta.dirname, "valid");
const BUNDLED = path.join(REPO, "contracts/agent-websocket.contract.yaml");

/** The model without its function, for deep comparisons. */
function data(contract: Contract): Omit<Contract, "locate" | "file"> {
  const { locate: _locate, file: _file, ...rest } = contract;
  return rest;
}

function problemsOf(run: () => unknown): Problem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof CovenantError) return error.problems;
    throw error;
  }
  throw new Error("expected a CovenantError");
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe("the bundled agent-websocket contract", () => {
  const contract = loadContract(BUNDLED);
  const text = fs.readFileSync(BUNDLED, "utf8");

  test("models the seed protocol's lifecycle", () => {
    expect(contract.file).toBe(BUNDLED);
    expect(contract).toMatchObject({ formatVersion: 1, name: "agent-websocket", version: "1.0.0" });
    expect(contract.lifecycle.initial).toBe("connecting");
    expect(contract.lifecycle.states.map((s) => [s.name, s.final, s.on])).toEqual([
      ["connecting", false, { accept: "accepted", reject: "closed" }],
      ["accepted", false, { authenticate: "authenticated", close: "closed" }],
      ["authenticated", false, { services_ready: "services_ready", close: "closed" }],
      ["services_ready", false, { ready: "processing_ready", close: "closed" }],
      ["processing_ready", false, { close: "closed" }],
      ["closed", true, {}],
    ]);
    expect(contract.envelope).toEqual({ discriminator: "type", payloadField: "data" });
  });

  test("has the five agent events, server-to-client, in processing_ready, with closed payloads and examples", () => {
    expect(contract.events.map((e) => e.name)).toEqual(["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]);
    for (const event of contract.events) {
      expect(event.direction).toBe("server-to-client");
      expect(event.states).toEqual(["processing_ready"]);
      expect(event.payload).toMatchObject({ type: "object", additionalProperties: false });
      expect((event.payload as { required: string[] }).required).toContain("run_id");
      expect(event.examples.length).toBeGreaterThan(0);
    }
    const started = contract.events[0]!.payload as { properties: Record<string, unknown> };
    expect(started.properties.run_id).toEqual({ $ref: "#/$defs/RunId" });
    expect(Object.keys(contract.definitions)).toEqual(["AgentName", "RunId", "Timestamp", "ToolName"]);
  });

  test("parses the run pattern into its AST", () => {
    expect(contract.runs).toEqual({
      key: "run_id",
      pattern: "agent_started (agent_thinking | tool_executing tool_completed)* agent_completed",
      ast: {
        kind: "seq",
        items: [
          { kind: "event", name: "agent_started" },
          {
            kind: "repeat",
            min: 0,
            max: "many",
            item: {
              kind: "alt",
              options: [
                { kind: "event", name: "agent_thinking" },
                {
                  kind: "seq",
                  items: [
                    { kind: "event", name: "tool_executing" },
                    { kind: "event", name: "tool_completed" },
                  ],
                },
              ],
            },
          },
          { kind: "event", name: "agent_completed" },
        ],
      },
    });
  });

  test("locate() points at the key of a path, and at the definition for definitions.<Name>", () => {
    expect(contract.locate(["events", "agent_thinking"])).toEqual(positionOf(text, "agent_thinking:"));
    expect(contract.locate(["lifecycle", "states", "closed"])).toEqual(positionOf(text, "closed:\n"));
    expect(contract.locate(["definitions", "Timestamp"])).toEqual(positionOf(text, "Timestamp:\n"));
    // A path below what exists falls back to the nearest ancestor.
    expect(contract.locate(["events", "agent_thinking", "nope", "deeper"])).toEqual(positionOf(text, "agent_thinking:"));
  });

  test("loading is deterministic", () => {
    expect(JSON.stringify(data(loadContract(BUNDLED)))).toBe(JSON.stringify(data(contract)));
  });

  test("the published JSON Schema of the format accepts it", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, "schema/contract.schema.json"), "utf8")) as Record<string, unknown>;
    const ajv = new Ajv2020({ strict: false });
    // Payloads are `$ref`ed to the 2020-12 meta-schema, which Ajv2020 ships.
    const validate = ajv.compile(schema);
    expect(validate(parseYaml(text)), JSON.stringify(validate.errors)).toBe(true);
    // ... and rejects what the loader rejects as shape errors.
    expect(validate(parseYaml(text.replace("  initial: connecting\n", "")))).toBe(false);
    expect(validate(parseYaml(text.replace("direction: server-to-client", "direction: upstream")))).toBe(false);
  });
});

describe("JSON contracts", () => {
  test("a JSON contract gives the same model as its YAML twin", () => {
    const fromYaml = loadContract(path.join(VALID, "chat.contract.yaml"));
    const fromJson = loadContract(path.join(VALID, "chat.contract.json"));
    expect(data(fromJson)).toEqual(data(fromYaml));
    expect(fromJson.envelope).toEqual({ discriminator: "kind", payloadField: "body" });
    expect(fromJson.events.map((e) => [e.name, e.direction])).toEqual([
      ["chat:message", "both"],
      ["presence.update", "server-to-client"],
      ["ping", "client-to-server"],
    ]);
    expect(fromJson.runs?.ast).toEqual({ kind: "repeat", min: 1, max: "many", item: { kind: "event", name: "chat:message" } });
  });

  test("an event without a payload gets the empty-object payload", () => {
    const ping = loadContract(path.join(VALID, "chat.contract.json")).events.find((e) => e.name === "ping")!;
    expect(ping.payload).toEqual(EMPTY_PAYLOAD);
    expect(ping.examples).toEqual([]);
  });

  test("JSON positions are reported like YAML ones", () => {
    const file = path.join(VALID, "chat.contract.json");
    const text = fs.readFileSync(file, "utf8").replace('"refuse": "left"', '"refuse": "lefft"');
    expect(problemsOf(() => loadContractFromText(text, file)).map((p) => [p.code, p.line, p.column])).toEqual([["unknown-target-state", 10, 58]]);
  });
});

describe("external $ref", () => {
  const file = path.join(VALID, "external/orders.contract.yaml");
  const contract = loadContract(file);

  test("bundles referenced files into definitions and rewrites the refs", () => {
    expect(Object.keys(contract.definitions)).toEqual(["Customer", "Email", "OrderId", "Timestamp"]);
    expect(contract.events[0]!.payload).toEqual({
      type: "object",
      required: ["order_id", "customer", "placed_at"],
      additionalProperties: false,
      properties: {
        order_id: { $ref: "#/$defs/OrderId" },
        customer: { $ref: "#/$defs/Customer" },
        placed_at: { $ref: "#/$defs/Timestamp" },
      },
    });
    // The referenced file's own refs are resolved from its folder and hoisted; `$id`, `$schema`, `$defs` are dropped.
    expect(contract.definitions.Customer).toEqual({
      type: "object",
      required: ["id", "email"],
      additionalProperties: false,
      properties: { id: { type: "string" }, email: { $ref: "#/$defs/Email" }, since: { $ref: "#/$defs/Timestamp" } },
    });
    expect(contract.definitions.Timestamp).toEqual({ type: "integer", minimum: 0, description: "Seconds since the Unix epoch." });
  });

  test("locate() of a definition from another file points at the $ref that brought it in", () => {
    const text = fs.readFileSync(file, "utf8");
    expect(contract.locate(["definitions", "Customer"])).toEqual(positionOf(text, '$ref: "./schemas/customer'));
    // Email is only referenced from customer.schema.json, which the contract references.
    expect(contract.locate(["definitions", "Email"])).toEqual(positionOf(text, '$ref: "./schemas/customer'));
    expect(contract.locate(["definitions", "OrderId"])).toEqual(positionOf(text, "OrderId: {"));
  });

  test("a problem inside a referenced file is reported in that file", () => {
    const common = path.join(VALID, "external/schemas/common.schema.yaml");
    const readFile = (f: string) => (f === common ? "$defs:\n  Timestamp:\n    type: integr\n" : fs.readFileSync(f, "utf8"));
    const problems = problemsOf(() => loadContract(file, { readFile }));
    expect(problems.map((p) => [p.code, p.file, p.line, p.column])).toEqual([["schema-invalid", common, 3, 11]]);
    expect(problems[0]!.message).toContain("`schemas/common.schema.yaml#/$defs/Timestamp/type`");
  });

  test("the root option widens the folder refs may use", () => {
    const items = path.join(VALID, "rooted/sub/items.contract.yaml");
    const outside = problemsOf(() => loadContract(items));
    expect(outside.map((p) => [p.code, p.line, p.column])).toEqual([["ref-outside-root", 18, 21]]);
    const contract = loadContract(items, { root: path.join(VALID, "rooted") });
    expect(contract.definitions).toEqual({ Id: { type: "string", minLength: 1 } });
  });
});

describe("recursive schemas", () => {
  const contract = loadContract(path.join(VALID, "recursive.contract.yaml"));

  test("keep their self and mutual references as #/$defs refs", () => {
    expect(Object.keys(contract.definitions)).toEqual(["Call", "Expr", "Literal", "TreeNode"]);
    expect(contract.definitions.TreeNode).toMatchObject({ properties: { children: { items: { $ref: "#/$defs/TreeNode" } } } });
    expect(contract.definitions.Call).toMatchObject({ properties: { args: { items: { $ref: "#/$defs/Expr" } } } });
  });

  test("examples are validated through the recursion, with the deep position", () => {
    const file = path.join(VALID, "recursive.contract.yaml");
    const text = fs.readFileSync(file, "utf8").replace("{ name: c, children: [] }", "{ name: c, children: 3 }");
    const problems = problemsOf(() => loadContractFromText(text, file));
    expect(problems.map((p) => [p.code, p.line, p.column])).toEqual([["example-invalid", 21, 80]]);
    expect(problems[0]!.message).toContain("`root.children.0.children.0.children` must be array");
  });
});

describe('close codes, out-of-state policies, timeouts, event-taken transitions, states: "*"', () => {
  const file = path.join(VALID, "inbound.contract.yaml");
  const contract = loadContract(file);
  const text = fs.readFileSync(file, "utf8");

  test("a transition an event takes keeps its target under `on` and names the event under `onEvent`; a timeout is read in ms", () => {
    expect(contract.lifecycle.states[0]).toEqual({
      name: "accepted",
      final: false,
      on: { init: "ready", close: "closed" },
      onEvent: { init: "hello" },
      timeout: { after: "3s", ms: 3000, close: { code: 4408, name: "init_timeout" } },
    });
    expect(contract.lifecycle.states[1]).toEqual({ name: "ready", final: false, on: { close: "closed" } });
  });

  test("close codes by code; the defaults (out of state, invalid) are 1008", () => {
    expect(contract.closeCodes).toEqual([
      { code: 4401, name: "unauthorized", description: "Sent before the hello." },
      { code: 4408, name: "init_timeout" },
    ]);
    expect(contract.invalidClose).toEqual({ code: 1008, name: "policy_violation" });
  });

  test('policies for events clients send (own or default), none for server-to-client ones; "*" is every non-final state', () => {
    const events = Object.fromEntries(contract.events.map((e) => [e.name, e]));
    expect(events.hello!.outOfState).toEqual({ action: "reject", close: { code: 1008, name: "policy_violation" } });
    expect(events.hello!.outOfStateDeclared).toBeUndefined();
    expect(events.message!.outOfState).toEqual({ action: "reject", close: { code: 4401, name: "unauthorized" } });
    expect(events.message!.outOfStateDeclared).toBe(true);
    expect(events.notice!.outOfState).toBeUndefined();
    expect(events.notice!.states).toEqual(["accepted", "ready"]);
    expect(events.notice!.allStates).toBe(true);
  });

  test("a contract-wide default, `hold`, and a declared 1008 keep their names", () => {
    const held = loadContractFromText(
      text
        .replace("closeCodes:\n", "inbound: { outOfState: hold, invalid: violation }\ncloseCodes:\n  1008: { name: violation }\n")
        .replace('states: "*"', 'states: ["*"]')
        .replace("    outOfState: { reject: unauthorized }\n", "")
        .replace("    states: [accepted]\n", "    states: [accepted]\n    outOfState: { reject: unauthorized }\n"),
      file,
    );
    const events = Object.fromEntries(held.events.map((e) => [e.name, e]));
    expect(events.message!.outOfState).toEqual({ action: "hold" });
    expect(events.message!.outOfStateDeclared).toBeUndefined();
    expect(events.hello!.outOfState).toEqual({ action: "reject", close: { code: 4401, name: "unauthorized" } });
    expect(held.invalidClose).toEqual({ code: 1008, name: "violation" });
    expect(events.notice!.allStates).toBe(true);
  });

  test("inbound.wrongDirection: absent unless declared (the invalid-message code applies); a declared name resolves, an undeclared one is located", () => {
    expect(contract.wrongDirectionClose).toBeUndefined();
    const declared = loadContractFromText(
      text.replace("closeCodes:\n", "inbound: { wrongDirection: server_only }\ncloseCodes:\n  4500: { name: server_only }\n"),
      file,
    );
    expect(declared.wrongDirectionClose).toEqual({ code: 4500, name: "server_only" });
    expect(declared.invalidClose).toEqual({ code: 1008, name: "policy_violation" });
    const problems = problemsOf(() =>
      loadContractFromText(text.replace("closeCodes:\n", "inbound: { wrongDirection: server_onyl }\ncloseCodes:\n  4500: { name: server_only }\n"), file),
    );
    expect(problems.map((p) => [p.code, p.line, p.column])).toEqual([["unknown-close-code", 12, 28]]);
    expect(problems[0]!.message).toContain("Did you mean `server_only`?");
    const wrongType = problemsOf(() => loadContractFromText(text.replace("closeCodes:\n", "inbound: { wrongDirection: 4500 }\ncloseCodes:\n"), file));
    expect(wrongType.map((p) => [p.code, p.line])).toEqual([["invalid-type", 12]]);
  });

  test.each([
    [3000, true],
    [3008, true],
    [3999, true],
    [4000, true],
    [4999, true],
    [1000, true],
    [1014, true],
    [2999, false],
    [1004, false],
    [1006, false],
    [1015, false],
    [5000, false],
  ])("close code %i may be declared: %s (3000-3999 are registered with IANA, RFC 6455 7.4.2)", (code, allowed) => {
    const source = text.replace("closeCodes:\n", `closeCodes:\n  ${code}: { name: registered }\n`).replace("reject: unauthorized", "reject: registered");
    if (!allowed) {
      expect(problemsOf(() => loadContractFromText(source, file)).map((p) => [p.code, p.line])).toEqual([
        ["close-code-not-allowed", 13],
        ["unknown-close-code", 23], // the policy that names it
      ]);
      return;
    }
    const loaded = loadContractFromText(source, file);
    expect(loaded.closeCodes?.find((c) => c.code === code)).toEqual({ code, name: "registered" });
    expect(loaded.events.find((e) => e.name === "message")!.outOfState).toEqual({ action: "reject", close: { code, name: "registered" } });
  });

  test("the published JSON Schema of the format accepts it, and rejects a policy or timeout of the wrong shape", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, "schema/contract.schema.json"), "utf8")) as Record<string, unknown>;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(parseYaml(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(parseYaml(text.replace("outOfState: { reject: unauthorized }", "outOfState: drop")))).toBe(false);
    expect(validate(parseYaml(text.replace("timeout: { after: 3s, close: init_timeout }", "timeout: { after: 3s }")))).toBe(false);
    expect(validate(parseYaml(text.replace('states: "*"', 'states: "any"')))).toBe(false);
  });
});

describe("inline contracts", () => {
  const file = path.join(VALID, "inline.contract.yaml");
  const head = `covenant: 1
name: inline
version: 1.0.0
lifecycle:
  initial: a
  states:
    a: { on: { end: z } }
    z: { final: true }
`;

  test("defaults: envelope type/data, no runs", () => {
    const contract = loadContractFromText(`${head}events:\n  e: { direction: both, states: [a] }\n`, file);
    expect(contract.envelope).toEqual({ discriminator: "type", payloadField: "data" });
    expect(contract.runs).toBeUndefined();
    expect(contract.definitions).toEqual({});
  });

  test("a payload written as a standalone schema with its own $defs", () => {
    const contract = loadContractFromText(
      `${head}events:
  moved:
    direction: server-to-client
    states: [a]
    payload:
      type: object
      properties:
        at: { $ref: "#/$defs/Point" }
      $defs:
        Point: { type: object, properties: { x: { type: number } } }
`,
      file,
    );
    expect(contract.events[0]!.payload).toEqual({ type: "object", properties: { at: { $ref: "#/$defs/Point" } } });
    expect(contract.definitions).toEqual({ Point: { type: "object", properties: { x: { type: "number" } } } });
  });

  test("legitimate JSON Schema idioms are accepted (anyOf of required, oneOf variants, untyped enum, union types)", () => {
    const contract = loadContractFromText(
      `${head}events:
  update:
    direction: both
    states: [a]
    payload:
      type: object
      properties:
        id: { type: string }
        email: { type: string, format: email }
        phone: { type: [string, "null"] }
        kind: { enum: [x, y] }
      anyOf:
        - required: [email]
        - required: [phone]
      oneOf:
        - { properties: { id: { type: string }, mode: { const: full } }, required: [id, mode] }
        - { properties: { id: { type: string }, mode: { const: diff } }, required: [id, mode] }
    examples:
      - { id: "1", email: a@b.c, mode: full }
runs:
  key: id
  pattern: update
`,
      file,
    );
    expect(contract.runs?.key).toBe("id");
  });

  test("a pattern in a folded block scalar is located inside the block", () => {
    const text = `${head}events:\n  e: { direction: both, states: [a], payload: { type: object, required: [k], properties: { k: { type: string } } } }\nruns:\n  key: k\n  pattern: >-\n    e\n    (e | f)*\n`;
    const problems = problemsOf(() => loadContractFromText(text, file));
    expect(problems.map((p) => [p.code, p.line, p.column])).toEqual([["pattern-unknown-event", 15, 10]]);
  });

  test("YAML merge keys and aliases share event definitions", () => {
    const contract = loadContractFromText(
      `${head}events:\n  a1: &server { direction: server-to-client, states: [a] }\n  a2:\n    <<: *server\n    description: second\n  a3: *server\n`,
      file,
    );
    expect(contract.events.map((e) => [e.name, e.direction, e.states, e.description])).toEqual([
      ["a1", "server-to-client", ["a"], undefined],
      ["a2", "server-to-client", ["a"], "second"],
      ["a3", "server-to-client", ["a"], undefined],
    ]);
  });

  test("CRLF line endings give the same positions", () => {
    const text = `${head}events:\n  e: { direction: both, states: [a, b] }\n`;
    const lf = problemsOf(() => loadContractFromText(text, file));
    const crlf = problemsOf(() => loadContractFromText(text.replace(/\n/g, "\r\n"), file));
    expect(lf.map((p) => [p.code, p.line, p.column])).toEqual([["unknown-event-state", 10, 37]]);
    expect(crlf).toEqual(lf);
  });

  test("loads never share state: an invalid load does not affect the next", () => {
    expect(() => loadContractFromText(`${head}events:\n  e: { direction: up, states: [a] }\n`, file)).toThrow(CovenantError);
    expect(loadContractFromText(`${head}events:\n  e: { direction: both, states: [a] }\n`, file).events).toHaveLength(1);
  });
});
