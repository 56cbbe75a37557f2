import fs from "node:fs";
import path from "node:path";
import { loadContract } from "../../contracts/index.js";
import { compileGenerated, generateInto, importGenerated } from "./generate-harness.js";
import type { GeneratedLifecycle } from "../utils/generated-lifecycle.js";

/**
 * Envelope fields (`envelope.fields`, an event's `fields`) and optional payloads
 * (`payloadOptional`) in the generated endpoints, on the graphql-ws contract: `emit` takes the
 * event's fields and checks the whole message, `receive` requires exactly the fields the event
 * lists, and the types make the fields argument required where the event carries fields.
 */
const repo = path.resolve(import.meta.dirname, "../..");

interface Received {
  kind: string;
  code?: number;
  message?: unknown;
}
interface Endpoint {
  emit(event: string, payload: unknown, fields?: Record<string, unknown>): "sent" | "queued";
  receive(raw: string): Received;
}
interface Module extends GeneratedLifecycle {
  createGraphqlWsServer(options: { send: (text: string) => void; close: () => void; onDeliver: () => void }): Endpoint;
}

let outDir: string;
let mod: Module;

beforeAll(async () => {
  outDir = await generateInto(loadContract(path.join(repo, "examples/graphql-ws/graphql-ws.covenant.yaml")), "envelope-fields/graphql-ws");
  mod = await importGenerated<Module>(outDir, "graphql-ws.lifecycle.ts");
});

/** A server past the acknowledgement; what it sent. */
function acknowledged(): { server: Endpoint; sent: string[] } {
  const sent: string[] = [];
  const server = mod.createGraphqlWsServer({ send: (text) => sent.push(text), close: () => undefined, onDeliver: () => undefined });
  expect(server.receive(JSON.stringify({ type: "connection_init" })).kind).toBe("deliver");
  server.emit("connection_ack", undefined);
  sent.length = 0;
  return { server, sent };
}

describe("emit with envelope fields", () => {
  const rows: { name: string; event: string; payload: unknown; fields?: Record<string, unknown>; sends?: unknown; throws?: string }[] = [
    { name: "next with its id", event: "next", payload: { data: {} }, fields: { id: "1" }, sends: { type: "next", payload: { data: {} }, id: "1" } },
    { name: "complete without a payload", event: "complete", payload: undefined, fields: { id: "a" }, sends: { type: "complete", id: "a" } },
    { name: "pong without a payload or fields", event: "pong", payload: undefined, sends: { type: "pong" } },
    { name: "pong with a null payload", event: "pong", payload: null, sends: { type: "pong", payload: null } },
    { name: "next without its id", event: "next", payload: { data: {} }, throws: "id" },
    { name: "next with an empty id", event: "next", payload: { data: {} }, fields: { id: "" }, throws: "id" },
    { name: "next with a numeric id", event: "next", payload: { data: {} }, fields: { id: 1 }, throws: "id" },
    { name: "a field the event does not carry", event: "pong", payload: undefined, fields: { id: "1" }, throws: 'carries no envelope field "id"' },
    {
      name: "the discriminator as a field",
      event: "next",
      payload: { data: {} },
      fields: { id: "1", type: "error" },
      throws: 'carries no envelope field "type"',
    },
    { name: "a payload on complete", event: "complete", payload: {}, fields: { id: "1" }, throws: "payload" },
    { name: "next without a payload", event: "next", payload: undefined, fields: { id: "1" }, throws: "payload" },
  ];
  it.each(rows)("$name", (row) => {
    const { server, sent } = acknowledged();
    if (row.throws !== undefined) {
      expect(() => server.emit(row.event, row.payload, row.fields)).toThrow(mod.ContractError);
      expect(() => server.emit(row.event, row.payload, row.fields)).toThrow(row.throws);
      expect(sent).toEqual([]);
    } else {
      expect(server.emit(row.event, row.payload, row.fields)).toBe("sent");
      expect(sent.map((t) => JSON.parse(t) as unknown)).toEqual([row.sends]);
    }
  });
});

describe("receive with envelope fields", () => {
  const rows: { name: string; message: unknown; kind: string; code?: number }[] = [
    { name: "subscribe with its id", message: { id: "1", type: "subscribe", payload: { query: "{ a }" } }, kind: "deliver" },
    { name: "complete with only its id", message: { id: "1", type: "complete" }, kind: "deliver" },
    { name: "ping without a payload", message: { type: "ping" }, kind: "deliver" },
    { name: "subscribe without its id", message: { type: "subscribe", payload: { query: "{ a }" } }, kind: "refused", code: 4400 },
    { name: "subscribe without its payload", message: { id: "1", type: "subscribe" }, kind: "refused", code: 4400 },
    { name: "ping with an id", message: { id: "1", type: "ping" }, kind: "refused", code: 4400 },
    { name: "complete with a payload", message: { id: "1", type: "complete", payload: {} }, kind: "refused", code: 4400 },
    { name: "an unknown top-level field", message: { id: "1", type: "complete", extra: 1 }, kind: "refused", code: 4400 },
  ];
  it.each(rows)("$name", (row) => {
    const { server } = acknowledged();
    const result = server.receive(JSON.stringify(row.message));
    expect(result.kind).toBe(row.kind);
    if (row.code !== undefined) expect(result.code).toBe(row.code);
    if (row.kind === "deliver") expect(result.message).toEqual(row.message);
  });
});

describe("types", () => {
  it("the fields argument is required where the event carries fields, refused where it carries none", () => {
    const consumer = path.join(outDir, "..", "consumer.ts");
    fs.writeFileSync(
      consumer,
      [
        `import { createGraphqlWsServer } from "./graphql-ws/graphql-ws.lifecycle.js";`,
        `const server = createGraphqlWsServer({ send: () => undefined, close: () => undefined, onDeliver: () => undefined });`,
        `server.emit("next", { data: {} }, { id: "1" });`,
        `server.emit("complete", undefined, { id: "1" });`,
        `server.emit("pong", undefined);`,
        `// @ts-expect-error: next carries an id`,
        `server.emit("next", { data: {} });`,
        `// @ts-expect-error: pong carries no id`,
        `server.emit("pong", undefined, { id: "1" });`,
        `// @ts-expect-error: the id is a string`,
        `server.emit("complete", undefined, { id: 1 });`,
        "",
      ].join("\n"),
    );
    expect(compileGenerated(outDir, "nodenext", [consumer])).toEqual([]);
  });
});
