// `covenant infer` on code nobody here wrote for it: the message types graphql-ws 6 ships in its
// declaration files, and this repository's example server.
import fs from "node:fs";
import path from "node:path";
import { inferProtocol } from "../../analyzer/infer/infer-protocol.js";
import type { EmitBinding } from "../../contracts/bindings/bindings.schema.js";
import { writeDraft } from "../../analyzer/infer/write-draft.js";
import { loadContractFromText } from "../../contracts/load/load-contract.js";
import { FIXTURES } from "./harness.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const GRAPHQL_WS = path.join(REPO, "node_modules/graphql-ws/dist");

function graphqlWsDeclarations(): string {
  const file = fs.readdirSync(GRAPHQL_WS).find((f) => /^common-.*\.d\.ts$/.test(f));
  if (!file) throw new Error(`no common-*.d.ts in ${GRAPHQL_WS}: is graphql-ws 6 installed?`);
  return path.join(GRAPHQL_WS, file);
}

describe("covenant infer on graphql-ws 6's shipped types", () => {
  // Any small project can host the run: the path names the library's declaration file.
  const host = path.join(FIXTURES, "generic-defaults");
  const result = inferProtocol({
    tsconfig: path.join(host, "tsconfig.json"),
    paths: [graphqlWsDeclarations()],
    cwd: host,
    typeNames: [],
    contractName: "graphql-ws",
  });
  const { protocol } = result;

  it("finds the `Message` union through its generic default, and the envelope", () => {
    expect(protocol.unions.map((u) => u.name)).toEqual(["Message"]);
    expect(protocol.discriminator).toBe("type");
    expect(protocol.payloadField).toBe("payload");
    expect(protocol.events.map((e) => e.name)).toEqual(["connection_init", "connection_ack", "ping", "pong", "subscribe", "next", "error", "complete"]);
  });

  it("says what the contract format cannot hold: `id` beside the payload, optional payloads", () => {
    const by = Object.fromEntries(protocol.events.map((e) => [e.name, e]));
    expect(protocol.events.filter((e) => e.envelopeSiblings.includes("id")).map((e) => e.name)).toEqual(["subscribe", "next", "error", "complete"]);
    expect(protocol.events.filter((e) => e.payloadOptional).map((e) => e.name)).toEqual(["connection_init", "connection_ack", "ping", "pong"]);
    expect(by.complete!.payload).toBeUndefined();
    // The side comes from graphql-ws's own comments on `MessageType` (`// Client -> Server`);
    // `Complete` has none, so its direction is left to a person.
    const sides = Object.fromEntries(protocol.events.map((e) => [e.name, [...new Set(e.hints.map((h) => h.side))].sort().join("+")]));
    expect(sides).toEqual({
      connection_init: "client",
      connection_ack: "server",
      ping: "client+server",
      pong: "client+server",
      subscribe: "client",
      next: "server",
      error: "server",
      complete: "",
    });
  });

  it("converts the payloads, graphql's GraphQLFormattedError as a shared schema", async () => {
    expect([...protocol.definitions.keys()]).toEqual(["GraphQLFormattedError", "GraphQLFormattedErrorExtensions", "SourceLocation"]);
    const text = writeDraft(protocol, { name: "graphql-ws", root: result.root, tsconfig: "tsconfig.json" });
    expect(() => loadContractFromText(text, path.join(host, "graphql-ws.contract.yaml"))).not.toThrow();
    await expect(text).toMatchFileSnapshot("../golden/infer/graphql-ws.contract.yaml");
  });
});

describe("covenant infer on examples/agent-server (as it was with hand-written zod: test/golden/infer/agent-server-zod)", () => {
  // The example as it was with hand-written zod and raw sends (examples/agent-server now speaks its own contract).
  const dir = path.join(REPO, "test/golden/infer/agent-server-zod");
  const result = inferProtocol({ tsconfig: path.join(dir, "tsconfig.json"), paths: [], cwd: dir, typeNames: [], contractName: "agent-server" });
  const { protocol } = result;
  const by = Object.fromEntries(protocol.events.map((e) => [e.name, e]));

  it("finds the agent events, the client's requests and the protocol_error notice", () => {
    expect(protocol.events.map((e) => e.name)).toEqual([
      "agent_started",
      "agent_thinking",
      "tool_executing",
      "tool_completed",
      "agent_completed",
      "auth",
      "start_run",
      "protocol_error",
    ]);
    expect(protocol.unions.map((u) => u.name)).toEqual(["AgentWebsocketMessage", "ClientMessage"]);
    expect(by.protocol_error!.sources.map((s) => s.kind)).toEqual(["call"]);
  });

  it("tells the client's messages by their union's name, and leaves the rest to a person", () => {
    const sides = (name: string) => [...new Set(by[name]!.hints.map((h) => h.side))];
    expect(sides("auth")).toEqual(["client"]);
    expect(sides("start_run")).toEqual(["client"]);
    expect(sides("agent_started")).toEqual([]);
    expect(sides("protocol_error")).toEqual([]);
  });

  it("infers the emission bindings: the agents' `emit`, the generated guard's `emit` (which queues) and the socket's `send`", () => {
    expect(protocol.emits).toEqual([
      { call: "emit", eventArg: 0, payloadArg: 1 },
      // `this.guard.emit(event, payload)` with `event: E extends AgentEventName`: its constraint names the events.
      { call: "emit", receiverType: "AgentWebsocketConnection", eventArg: 0, payloadArg: 1, queues: true },
      { call: "send", receiverType: "WebSocket", envelopeArg: 0 },
    ]);
  });

  it("--type narrows the draft to that type, and the bindings to the calls that send it", () => {
    const narrowed = inferProtocol({
      tsconfig: path.join(dir, "tsconfig.json"),
      paths: [],
      cwd: dir,
      typeNames: ["ProtocolErrorMessage"],
      contractName: "errors",
    }).protocol;
    expect(narrowed.events.map((e) => e.name)).toEqual(["protocol_error"]);
    expect(narrowed.emits).toEqual([{ call: "send", receiverType: "WebSocket", envelopeArg: 0 }]);
  });

  it("writes a draft that loads", async () => {
    const text = writeDraft(protocol, { name: "agent-server", root: result.root, tsconfig: "tsconfig.json" });
    expect(() => loadContractFromText(text, path.join(dir, "agent-server.contract.yaml"))).not.toThrow();
    await expect(text).toMatchFileSnapshot("../golden/infer/agent-server.contract.yaml");
  });
});

describe("covenant infer on examples/agent-server (on its generated role endpoints)", () => {
  // Without the config's bindings: the heuristic's own emission sites.
  const dir = path.join(REPO, "examples/agent-server");
  const { protocol } = inferProtocol({ tsconfig: path.join(dir, "tsconfig.json"), paths: [], cwd: dir, typeNames: [], contractName: "agent-runs" });
  const by = Object.fromEntries(protocol.events.map((e) => [e.name, e]));
  const sides = (name: string) => [...new Set(by[name]!.hints.map((h) => h.side))];

  it("takes no emit site from the generated files (the endpoint's internal `sends` is not an emitter)", () => {
    const inGenerated = protocol.events.flatMap((e) => e.sources.filter((s) => s.kind === "call" && s.at.file.includes(`${path.sep}generated${path.sep}`)));
    expect(inGenerated).toEqual([]);
  });

  it("finds the user's emits through the endpoints, with the events they pass, and so which side sends each", () => {
    const calls = (name: string) => by[name]!.sources.flatMap((s) => (s.kind === "call" ? [s.call] : []));
    expect(calls("auth")).toContain("client.emit");
    expect(calls("start_run")).toContain("client.emit");
    expect(calls("authenticated")).toContain("this.endpoint.emit");
    // The agents' events go through `this.endpoint.emit(event, payload)`, `event: E extends AgentEventName`.
    for (const name of ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]) {
      expect(calls(name)).toContain("this.endpoint.emit");
      expect(sides(name)).toEqual(["server"]);
    }
    expect(sides("auth")).toEqual(["client"]);
    expect(sides("start_run")).toEqual(["client"]);
    expect(sides("authenticated")).toEqual(["server"]);
    // Sent only raw, as a value of the whole message union: nothing says who sends it.
    expect(sides("protocol_error")).toEqual([]);
  });

  it("tells the same sides from the config's `emits` bindings (what the CLI uses in that folder)", () => {
    const config = JSON.parse(fs.readFileSync(path.join(dir, "covenant.config.json"), "utf8")) as { bindings: Record<string, { emits: EmitBinding[] }> };
    const bound = inferProtocol({
      tsconfig: path.join(dir, "tsconfig.json"),
      paths: [],
      cwd: dir,
      typeNames: [],
      contractName: "agent-runs",
      bindings: config.bindings["agent-runs"]!.emits,
    }).protocol;
    const side = Object.fromEntries(bound.events.map((e) => [e.name, [...new Set(e.hints.map((h) => h.side))].join("+")]));
    expect(side).toEqual({
      auth: "client",
      authenticated: "server",
      start_run: "client",
      protocol_error: "",
      agent_started: "server",
      agent_thinking: "server",
      tool_executing: "server",
      tool_completed: "server",
      agent_completed: "server",
    });
  });

  it("binds the endpoints' `emit` with `queues: true` (the generated endpoint holds an early event)", () => {
    expect(protocol.emits).toEqual([
      { call: "emit", eventArg: 0, payloadArg: 1 },
      { call: "emit", receiverType: "AgentRunsClient", eventArg: 0, payloadArg: 1, queues: true },
      { call: "emit", receiverType: "AgentRunsServer", eventArg: 0, payloadArg: 1, queues: true },
      { call: "send", receiverType: "WebSocket", envelopeArg: 0 },
    ]);
  });
});
