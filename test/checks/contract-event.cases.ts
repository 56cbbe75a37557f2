import type { ContractBindingsInput } from "../../contracts/bindings/bindings.schema.js";
import type { CheckTable } from "../utils/check-tester.js";
import path from "node:path";
import { withBindings } from "./contract-settings.js";

// Ambient declarations every case sees (a .d.ts beside the file under test, so case lines start at 1):
// emitters in the shapes services use (name + payload, method per event, a bridge that adds fields,
// raw wire messages on a socket, the generated guard that queues) and payload types.
const ENV = `
type AgentEventName = "agent_started" | "agent_thinking" | "tool_executing" | "tool_completed" | "agent_completed";
interface AgentEmitter { emit(event: string, payload: object): void }
interface Bus { emit(event: string, payload?: unknown): void }
declare class UserEmitter { notifyAgentStarted(agentName: string): void; notifyAgentCompleted(agentName: string, result: string): void }
interface AgentBridge { emitAgentEvent(event: AgentEventName, runId: string, payload: Record<string, unknown>): void }
interface Socket { send(data: string): void }
interface PendingConnection { accept(): Promise<Socket>; authenticate(token: string): Promise<void> }
interface GuardedConnection { emit(event: string, payload: unknown): void }
interface AgentStarted { run_id: string; agent_name: string; thread_id?: string; timestamp: number }
interface WireMessage { type: string; data: Record<string, unknown> }
interface ShapeEmitter { emit(event: string, payload: object): void }
declare const emitter: AgentEmitter;
declare const bus: Bus;
declare const userEmitter: UserEmitter;
declare const bridge: AgentBridge;
declare const socket: Socket;
declare const guard: GuardedConnection;
declare const shapes: ShapeEmitter;
declare const ok: boolean;
declare const runId: string;
declare function now(): number;
declare function startServices(): Promise<void>;
declare function markReady(): void;
declare function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T>;
`;

const files = { "src/env.d.ts": ENV };

const bindings: ContractBindingsInput = {
  emits: [
    { call: "emit", receiverType: "AgentEmitter", eventArg: 0, payloadArg: 1 },
    { call: "emitAgentEvent", receiverType: "AgentBridge", eventArg: 0, payloadArg: 2, addsFields: ["run_id", "timestamp"] },
    { call: "send", receiverType: "Socket", envelopeArg: 0 },
    { call: "notifyAgentStarted", receiverType: "UserEmitter", event: "agent_started" },
    { call: "notifyAgentCompleted", receiverType: "UserEmitter", event: "agent_completed" },
    { call: "emit", receiverType: "GuardedConnection", eventArg: 0, payloadArg: 1, queues: true },
  ],
  transitions: [
    { transition: "accept", call: "accept", receiverType: "PendingConnection" },
    { transition: "authenticate", call: "authenticate", receiverType: "PendingConnection" },
    { transition: "services_ready", call: "startServices" },
    { transition: "ready", call: "markReady" },
  ],
  handlers: [
    { parameterType: "PendingConnection", state: "connecting" },
    { function: ["onReady", "*.onReady"], state: "processing_ready" },
    { function: "onAccepted", state: "accepted" },
  ],
};

const settings = withBindings(bindings);
// Only accept is bound: whether the code authenticated and got ready is invisible, so states say nothing.
const acceptOnlySettings = withBindings({ ...bindings, transitions: bindings.transitions!.slice(0, 1) });

// The shapes contract (test/checks/contract-event.shapes.contract.yaml): schema keywords beyond the agent contract's.
const shapeSettings = withBindings(
  { emits: [{ call: "emit", receiverType: "ShapeEmitter", eventArg: 0, payloadArg: 1 }] },
  path.resolve(import.meta.dirname, "contract-event.shapes.contract.yaml"),
);
const shape = (fields: string) => `shapes.emit("shape", { kind: "shape", point: { x: 1, y: 2 }${fields} });`;

// Client messages (issue 14): receive sites, out-of-state policies, `states: "*"`, transitions events take.
// graphql-ws (examples/graphql-ws): `connection_init` received takes `init`, `connection_ack` sent takes
// `acknowledge`; `ping`/`pong` are `"*"`; a subscribe before the ack is rejected with 4401, a second init with 4429.
const INBOUND_ENV = `
interface GqlSocket { send(data: string): void; close(code: number): void }
interface GqlRouter { handle(event: string, message: unknown): void }
interface Conn { accept(): void; send(data: string): void }
declare const router: GqlRouter;
declare const eventName: string;
declare function handleSubscribe(ws: GqlSocket, payload: { query: string }): void;
declare function runQuery(conn: Conn, query: object): void;
declare function onHello(conn: Conn): void;
interface GqlClientSocket { send(data: string): void }
declare function onAck(ws: GqlClientSocket): void;
`;
const inboundFiles = { "src/env.d.ts": ENV + INBOUND_ENV };
const gqlSettings = withBindings(
  {
    emits: [{ call: "send", receiverType: "GqlSocket", envelopeArg: 0 }],
    receives: [
      { call: "handle", receiverType: "GqlRouter", eventArg: 0 },
      { call: "handleSubscribe", event: "subscribe", connectionArg: 0 },
    ],
    transitions: [{ transition: "close", call: "close", receiverType: "GqlSocket" }],
    handlers: [{ parameterType: "GqlSocket", function: ["onOpen", "onOpen*"], state: "accepted" }],
  },
  path.resolve(import.meta.dirname, "../../examples/graphql-ws/graphql-ws.covenant.yaml"),
);
// The client's side of graphql-ws: it sends connection_init (taking `init`) and processes connection_ack (taking `acknowledge`).
const gqlClientSettings = withBindings(
  {
    emits: [{ call: "send", receiverType: "GqlClientSocket", envelopeArg: 0 }],
    receives: [{ call: "onAck", event: "connection_ack", connectionArg: 0 }],
    handlers: [{ parameterType: "GqlClientSocket", function: "onClientOpen", state: "accepted" }],
  },
  path.resolve(import.meta.dirname, "../../examples/graphql-ws/graphql-ws.covenant.yaml"),
);
// test/checks/contract-event.inbound.contract.yaml: `query` is held until `ready`, `hello` (default policy) rejected with 1008.
const inboundSettings = withBindings(
  {
    transitions: [{ transition: "accept", call: "accept", receiverType: "Conn" }],
    receives: [
      { call: "runQuery", event: "query", connectionArg: 0 },
      { call: "onHello", event: "hello", connectionArg: 0 },
    ],
    emits: [{ call: "send", receiverType: "Conn", envelopeArg: 0 }],
    handlers: [{ parameterType: "Conn", function: "onConnect", state: "connecting" }],
  },
  path.resolve(import.meta.dirname, "contract-event.inbound.contract.yaml"),
);
// The client's side of the same contract: it sends hello and query; the server holds an early query.
const inboundClientSettings = withBindings(
  {
    emits: [{ call: "send", receiverType: "GqlClientSocket", envelopeArg: 0 }],
    handlers: [{ parameterType: "GqlClientSocket", function: "onClientOpen", state: "accepted" }],
  },
  path.resolve(import.meta.dirname, "contract-event.inbound.contract.yaml"),
);

const table: CheckTable = {
  valid: [
    {
      name: "client: a query sent before hello: the server holds it until ready (`outOfState: hold`), so sending it early is no breach",
      code: `function onClientOpen(ws: GqlClientSocket) {
  ws.send(JSON.stringify({ type: "query", data: {} }));
  ws.send(JSON.stringify({ type: "hello", data: {} }));
}`,
      files: inboundFiles,
      settings: inboundClientSettings,
    },
    // graphql-ws: `"*"` events in every state; the init received and the ack sent move the connection on.
    {
      name: 'ping and pong (states: "*") processed and sent before the connection is acknowledged',
      code: `function onOpen(ws: GqlSocket) {
  router.handle("ping", {});
  ws.send(JSON.stringify({ type: "pong", payload: {} }));
  router.handle("pong", {});
}`,
      files: inboundFiles,
      settings: gqlSettings,
    },
    {
      name: "connection_init received, connection_ack sent, then subscribe and next: the events take the transitions",
      code: `function onOpen(ws: GqlSocket) {
  router.handle("connection_init", {});
  ws.send(JSON.stringify({ type: "connection_ack", payload: {} }));
  handleSubscribe(ws, { query: "subscription { greetings }" });
  ws.send(JSON.stringify({ type: "next", payload: { data: null } }));
  router.handle("ping", {});
}`,
      files: inboundFiles,
      settings: gqlSettings,
    },
    {
      name: "a subscribe processed where the connection's state is not known (no handler binding) is not reported",
      code: `function helper(ws: GqlSocket) {
  handleSubscribe(ws, { query: "q" });
}`,
      files: inboundFiles,
      settings: gqlSettings,
    },
    {
      name: "an event name that is not a literal names no event: not reported",
      code: `function onOpen(ws: GqlSocket) {
  router.handle(eventName, {});
}`,
      files: inboundFiles,
      settings: gqlSettings,
    },
    {
      name: "client: subscribe sent after sending connection_init and processing connection_ack",
      code: `function onClientOpen(ws: GqlClientSocket) {
  ws.send(JSON.stringify({ type: "connection_init", payload: {} }));
  onAck(ws);
  ws.send(JSON.stringify({ type: "subscribe", payload: { query: "{ hello }" } }));
}`,
      files: inboundFiles,
      settings: gqlClientSettings,
    },
    {
      name: "a held event processed once the arrival of hello has moved the connection to ready",
      code: `function onConnect(conn: Conn) {
  conn.accept();
  onHello(conn);
  runQuery(conn, {});
  conn.send(JSON.stringify({ type: "welcome", data: {} }));
}`,
      files: inboundFiles,
      settings: inboundSettings,
    },
    // Payloads that fit, as literals (literal property values are not widened away).
    {
      name: 'emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() })',
      code: `emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });`,
      files,
      settings,
    },
    {
      name: 'emitter.emit("tool_completed", { run_id: runId, agent_name: "triage", tool_name: "search", call_id:…',
      code: `emitter.emit("tool_completed", { run_id: runId, agent_name: "triage", tool_name: "search", call_id: "c1", status: ok ? "success" : "error", result: { rows: [1] }, timestamp: now() });`,
      files,
      settings,
    },
    {
      name: 'emitter.emit("agent_thinking", { run_id: runId, agent_name: "triage", thought: "look it up", step:…',
      code: `emitter.emit("agent_thinking", { run_id: runId, agent_name: "triage", thought: "look it up", step: 2, timestamp: Date.now() });`,
      files,
      settings,
    },
    {
      name: 'const status = "completed"',
      code: `const status = "completed";
emitter.emit("agent_completed", { run_id: runId, agent_name: "triage", status, timestamp: now() });`,
      files,
      settings,
    },
    {
      name: "A const holding the literal: its values, not the widened type of the variable",
      code: `const payload = { run_id: runId, agent_name: "triage", status: "completed", timestamp: now() };
emitter.emit("agent_completed", payload);`,
      files,
      settings,
    },
    // Typed payloads: an interface, a spread of one, an optional field the contract does not require.
    {
      name: 'emitter.emit("agent_started", payload)',
      code: `function start(payload: AgentStarted) {
  emitter.emit("agent_started", payload);
}`,
      files,
      settings,
    },
    {
      name: 'emitter.emit("agent_started", { ...base, thread_id: threadId, timestamp: now() })',
      code: `function start(base: { run_id: string; agent_name: string }, threadId: string | undefined) {
  emitter.emit("agent_started", { ...base, thread_id: threadId, timestamp: now() });
}`,
      files,
      settings,
    },
    {
      name: 'emitter.emit("tool_executing", { run_id: runId, agent_name: "a", tool_name: "search", call_id: "c1"…',
      code: `emitter.emit("tool_executing", { run_id: runId, agent_name: "a", tool_name: "search", call_id: "c1", arguments: { q: "x" }, timestamp: now() });`,
      files,
      settings,
    },
    {
      name: "Fields the emitter adds itself",
      code: `bridge.emitAgentEvent("agent_started", runId, { agent_name: "triage" });`,
      files,
      settings,
    },
    {
      name: "A name of union type: every name is in the contract; the payload may be for any of them",
      code: `function forward(event: AgentEventName, payload: Record<string, unknown>) {
  bridge.emitAgentEvent(event, runId, payload);
}`,
      files,
      settings,
    },
    // Names and payloads not known statically.
    {
      name: "emitter.emit(name, payload)",
      code: `function relay(name: string, payload: object) {
  emitter.emit(name, payload);
}`,
      files,
      settings,
    },
    {
      name: 'emitter.emit("agent_started", payload) (2)',
      code: `function relay(payload: Record<string, unknown>) {
  emitter.emit("agent_started", payload);
}`,
      files,
      settings,
    },
    {
      name: "socket.send(JSON.stringify(message))",
      code: `function relay(message: WireMessage) {
  socket.send(JSON.stringify(message));
}`,
      files,
      settings,
    },
    {
      name: "socket.send(text)",
      code: `function relay(text: string) {
  socket.send(text);
}`,
      files,
      settings,
    },
    {
      name: "A whole wire message that fits",
      code: `socket.send(JSON.stringify({ type: "agent_completed", data: { run_id: runId, agent_name: "triage", status: "completed", timestamp: now() } }));`,
      files,
      settings,
    },
    {
      name: "Another type's emit",
      code: `bus.emit("connection_established", { user: 1 });`,
      files,
      settings,
    },
    // States: emitted where the contract allows it, or through a guard that queues.
    {
      name: 'userEmitter.notifyAgentStarted("triage")',
      code: `function onReady() {
  userEmitter.notifyAgentStarted("triage");
}`,
      files,
      settings,
    },
    {
      name: 'userEmitter.notifyAgentCompleted("triage", "done")',
      code: `class Session {
  onReady() {
    userEmitter.notifyAgentCompleted("triage", "done");
  }
}`,
      files,
      settings,
    },
    {
      name: "await conn.accept()",
      code: `async function handle(conn: PendingConnection) {
  await conn.accept();
  guard.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });
}`,
      files,
      settings,
    },
    // Every transition on the way, through bound calls (plain functions act on the handler's connection).
    {
      name: "await conn.accept() (2)",
      code: `async function handle(conn: PendingConnection, token: string) {
  await conn.accept();
  await conn.authenticate(token);
  await startServices();
  markReady();
  emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });
}`,
      files,
      settings,
    },
    {
      name: 'userEmitter.notifyAgentCompleted("triage", "done") (2)',
      code: `function onAccepted() {
  userEmitter.notifyAgentCompleted("triage", "done");
}`,
      files,
      settings: acceptOnlySettings,
    },
    {
      name: "Transitions awaited through a timeout wrapper, a cast, a `let` awaited later",
      code: `async function handle(conn: PendingConnection, token: string) {
  await withTimeout(conn.accept(), 5000);
  let authenticating = conn.authenticate(token);
  await (authenticating as Promise<void>);
  await startServices()!;
  markReady();
  emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });
}`,
      files,
      settings,
    },
    {
      name: "No state known: a plain function, nothing said about states",
      code: `function started() {
  userEmitter.notifyAgentStarted("triage");
}`,
      files,
      settings,
    },
    {
      name: "Without bindings the rule says nothing",
      code: `emitter.emit("agent_strated", { run_id: 1 });`,
      files,
    },
    // A shorthand property is its variable as narrowed where the payload is built, not as declared.
    {
      name: "if (run_id === undefined) return",
      code: `function start(run_id: string | undefined) {
  if (run_id === undefined) return;
  emitter.emit("agent_started", { run_id, agent_name: "triage", timestamp: now() });
}`,
      files,
      settings,
    },
    {
      name: 'if (!run_id) throw new Error("no run")',
      code: `function start(run_id?: string) {
  if (!run_id) throw new Error("no run");
  emitter.emit("agent_started", { run_id, agent_name: "triage", timestamp: now() });
}`,
      files,
      settings,
    },
    {
      name: 'if (typeof agent_name === "string") emitter.emit("agent_started", { run_id: runId, agent_name, time…',
      code: `function start(agent_name: string | number) {
  if (typeof agent_name === "string") emitter.emit("agent_started", { run_id: runId, agent_name, timestamp: now() });
}`,
      files,
      settings,
    },
    {
      name: 'if (type === "agent_completed") socket.send(JSON.stringify({ type, data: { run_id: runId, agent_nam…',
      code: `function send(type: "agent_completed" | "agent_strated") {
  if (type === "agent_completed") socket.send(JSON.stringify({ type, data: { run_id: runId, agent_name: "a", status: "completed", timestamp: now() } }));
}`,
      files,
      settings,
    },
    // An optional field a guard has checked, in a payload passed whole, spread, or built in a const.
    {
      name: "if (!p.run_id) return",
      code: `function start(p: { run_id?: string; agent_name: string; timestamp: number }) {
  if (!p.run_id) return;
  emitter.emit("agent_started", p);
}`,
      files,
      settings,
    },
    {
      name: 'if (p.run_id !== undefined) emitter.emit("agent_started", p)',
      code: `function start(p: { run_id?: string; agent_name: string; timestamp: number }) {
  if (p.run_id !== undefined) emitter.emit("agent_started", p);
}`,
      files,
      settings,
    },
    {
      name: "return",
      code: `function start(p: { run_id?: string; agent_name: string }) {
  if (typeof p.run_id !== "string") {
    return;
  }
  emitter.emit("agent_started", { ...p, timestamp: now() });
}`,
      files,
      settings,
    },
    {
      name: 'return ready && p.run_id != null && emitter.emit("agent_started", p)',
      code: `function start(p: { run_id?: string; agent_name: string; timestamp: number }, ready: boolean) {
  return ready && p.run_id != null && emitter.emit("agent_started", p);
}`,
      files,
      settings,
    },
    {
      name: 'const payload = { run_id: id, agent_name: "triage", timestamp: now() }',
      code: `function start(id: string | undefined) {
  const payload = { run_id: id, agent_name: "triage", timestamp: now() };
  if (payload.run_id === undefined) throw new Error("no run");
  emitter.emit("agent_started", payload);
}`,
      files,
      settings,
    },
    {
      name: "if (m.data.run_id == null) return",
      code: `function send(m: { type: "agent_started"; data: { run_id?: string; agent_name: string; timestamp: number } }) {
  if (m.data.run_id == null) return;
  socket.send(JSON.stringify(m));
}`,
      files,
      settings,
    },
    // $ref, tuples, anyOf, additionalProperties as a schema, patternProperties, null.
    {
      name: 'shapes.emit("shape", { kind: "shape", point: { x: 1, y: 2 }, tags: ["a"], pair: ["a", 1], value: 3,…',
      code: shape(`, tags: ["a"], pair: ["a", 1], value: 3, meta: { a: "b" }, labels: { "x-a": "v" }, nullable: null, flag: true`),
      files,
      settings: shapeSettings,
    },
    {
      name: 'shapes.emit("shape", { kind: "shape", point: { x: 1, y: 2 }, value, nullable: note })',
      code: `function send(value: string | number, note: string | null) {
  ${shape(", value, nullable: note")}
}`,
      files,
      settings: shapeSettings,
    },
  ],
  invalid: [
    // An event the contract does not have (a typo, a greeting the contract never defined).
    {
      name: 'emitter.emit("agent_strated", { run_id: runId, agent_name: "triage", timestamp: now() })',
      code: `emitter.emit("agent_strated", { run_id: runId, agent_name: "triage", timestamp: now() });`,
      files,
      settings,
      errors: [
        { messageId: "unknownEvent", line: 1, column: 1, data: { event: "agent_strated", contract: "agent-websocket", fix: "Did you mean `agent_started`?" } },
      ],
    },
    {
      name: 'socket.send(JSON.stringify({ type: "connection_established", data: { user_id: "u1" } }))',
      code: `socket.send(JSON.stringify({ type: "connection_established", data: { user_id: "u1" } }));`,
      files,
      settings,
      errors: [{ messageId: "unknownEvent", line: 1, column: 1, data: { event: "connection_established" } }],
    },
    {
      name: "The seed: the event's `type` became a number where the contract names events by strings",
      code: `socket.send(JSON.stringify({ type: 3, data: { run_id: runId } }));`,
      files,
      settings,
      errors: [{ messageId: "eventNameType", line: 1, column: 1, data: { actual: "3", field: "`type`" } }],
    },
    // Field types.
    {
      name: 'emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: "2026-01-01T00:00:0…',
      code: `emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: "2026-01-01T00:00:00Z" });`,
      files,
      settings,
      errors: [{ messageId: "fieldType", line: 1, column: 1, data: { field: "timestamp", actual: '"2026-01-01T00:00:00Z"', expected: "a number" } }],
    },
    {
      name: 'emitter.emit("agent_started", payload) (3)',
      code: `function start(payload: { run_id: string; agent_name: number; timestamp: number }) {
  emitter.emit("agent_started", payload);
}`,
      files,
      settings,
      errors: [{ messageId: "fieldType", line: 2, column: 3, data: { field: "agent_name", actual: "number", expected: "a string" } }],
    },
    {
      name: 'emitter.emit("tool_completed", { run_id: runId, agent_name: "a", tool_name: "search", call_id: "c1"…',
      code: `emitter.emit("tool_completed", { run_id: runId, agent_name: "a", tool_name: "search", call_id: "c1", status: "done", timestamp: now() });`,
      files,
      settings,
      errors: [{ messageId: "fieldType", line: 1, column: 1, data: { field: "status", expected: 'one of `"success"`, `"error"`' } }],
    },
    {
      name: 'emitter.emit("agent_thinking", { run_id: runId, agent_name: "a", thought: "hmm", step: 1.5, timesta…',
      code: `emitter.emit("agent_thinking", { run_id: runId, agent_name: "a", thought: "hmm", step: 1.5, timestamp: now() });`,
      files,
      settings,
      errors: [{ messageId: "fieldType", line: 1, column: 1, data: { field: "step", expected: "an integer" } }],
    },
    {
      name: 'emitter.emit("tool_executing", { run_id: runId, agent_name: "a", tool_name: "search", call_id: "c1"… (2)',
      code: `emitter.emit("tool_executing", { run_id: runId, agent_name: "a", tool_name: "search", call_id: "c1", arguments: "q=x", timestamp: now() });`,
      files,
      settings,
      errors: [{ messageId: "fieldType", line: 1, column: 1, data: { field: "arguments", expected: "an object" } }],
    },
    {
      name: 'emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: new Date() })',
      code: `emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: new Date() });`,
      files,
      settings,
      errors: [{ messageId: "fieldType", line: 1, column: 1, data: { field: "timestamp", actual: "Date" } }],
    },
    {
      name: 'emitter.emit("agent_completed", payload)',
      code: `const payload = { run_id: runId, agent_name: "triage", status: "done", timestamp: now() };
emitter.emit("agent_completed", payload);`,
      files,
      settings,
      errors: [{ messageId: "fieldType", line: 2, column: 1, data: { field: "status", actual: '"done"' } }],
    },
    // Nested through $ref, tuples, anyOf, additionalProperties as a schema, patternProperties, const, null, boolean.
    {
      name: 'shapes.emit("shape", { kind: "shape", point: { x: "1", y: 2, z: 3 } })',
      code: `shapes.emit("shape", { kind: "shape", point: { x: "1", y: 2, z: 3 } });`,
      files,
      errors: [
        { messageId: "fieldType", line: 1, column: 1, data: { field: "point.x", expected: "a number" } },
        { messageId: "extraField", line: 1, column: 1, data: { field: "point.z" } },
      ],
      settings: shapeSettings,
    },
    {
      name: 'shapes.emit("shape", { kind: "shape", point: { x: 1, y: 2 }, pair: ["a", "b"], value: true })',
      code: shape(`, pair: ["a", "b"], value: true`),
      files,
      errors: [
        { messageId: "fieldType", line: 1, column: 1, data: { field: "pair[1]", expected: "a number" } },
        { messageId: "fieldType", line: 1, column: 1, data: { field: "value", expected: "a string or a number" } },
      ],
      settings: shapeSettings,
    },
    {
      name: 'shapes.emit("shape", { kind: "shape", point: { x: 1, y: 2 }, meta: { a: 1 }, labels: { "x-a": "v",…',
      code: shape(`, meta: { a: 1 }, labels: { "x-a": "v", y: "w" }`),
      files,
      errors: [
        { messageId: "fieldType", line: 1, column: 1, data: { field: "meta.a", expected: "a string" } },
        { messageId: "extraField", line: 1, column: 1, data: { field: "labels.y" } },
      ],
      settings: shapeSettings,
    },
    {
      name: 'shapes.emit("shape", { kind: "circle", point: { x: 1, y: 2 }, nullable: 0, flag: "yes" })',
      code: `shapes.emit("shape", { kind: "circle", point: { x: 1, y: 2 }, nullable: 0, flag: "yes" });`,
      files,
      errors: [
        { messageId: "fieldType", line: 1, column: 1, data: { field: "kind", expected: 'one of `"shape"`' } },
        { messageId: "fieldType", line: 1, column: 1, data: { field: "nullable", expected: "a string or null" } },
        { messageId: "fieldType", line: 1, column: 1, data: { field: "flag", expected: "a boolean" } },
      ],
      settings: shapeSettings,
    },
    {
      name: 'shapes.emit("shape", { kind: "shape", point: { x: 1, y: 2 }, tags, pair })',
      code: `function send(tags: readonly number[], pair: [string, string]) {
  ${shape(", tags, pair")}
}`,
      files,
      errors: [
        { messageId: "fieldType", line: 2, column: 3, data: { field: "tags[0]" } },
        { messageId: "fieldType", line: 2, column: 3, data: { field: "pair[1]" } },
      ],
      settings: shapeSettings,
    },
    // Required fields missing, or maybe missing; fields the contract does not allow.
    {
      name: 'emitter.emit("agent_started", { run_id: runId, agent_name: "triage" })',
      code: `emitter.emit("agent_started", { run_id: runId, agent_name: "triage" });`,
      files,
      settings,
      errors: [{ messageId: "missingField", line: 1, column: 1, data: { field: "timestamp", expected: "a number" } }],
    },
    {
      name: 'emitter.emit("agent_started", payload) (4)',
      code: `function start(payload: { run_id?: string; agent_name: string; timestamp: number }) {
  emitter.emit("agent_started", payload);
}`,
      files,
      settings,
      errors: [{ messageId: "optionalField", line: 2, column: 3, data: { field: "run_id", actual: "optional `string`" } }],
    },
    // Shorthand properties and whole payloads no guard (or a guard that does not cover this point) has checked.
    {
      name: 'emitter.emit("agent_started", { run_id, agent_name: "triage", timestamp: now() })',
      code: `function start(run_id: string | undefined) {
  emitter.emit("agent_started", { run_id, agent_name: "triage", timestamp: now() });
}`,
      files,
      settings,
      errors: [{ messageId: "optionalField", line: 2, column: 3, data: { field: "run_id", actual: "`string | undefined`" } }],
    },
    {
      name: 'emitter.emit("agent_started", { run_id: runId, agent_name, timestamp: now() })',
      code: `function start(agent_name: string | number) {
  if (typeof agent_name === "string") return;
  emitter.emit("agent_started", { run_id: runId, agent_name, timestamp: now() });
}`,
      files,
      settings,
      errors: [{ messageId: "fieldType", line: 3, column: 3, data: { field: "agent_name", actual: "number" } }],
    },
    {
      name: 'if (type !== "agent_completed") socket.send(JSON.stringify({ type, data: { run_id: runId } }))',
      code: `function send(type: "agent_completed" | "agent_strated") {
  if (type !== "agent_completed") socket.send(JSON.stringify({ type, data: { run_id: runId } }));
}`,
      files,
      settings,
      errors: [{ messageId: "unknownEvent", line: 2, column: 35, data: { event: "agent_strated" } }],
    },
    {
      name: 'emitter.emit("agent_started", p)',
      code: `function start(p: { run_id?: string; agent_name: string; timestamp: number }, q: { run_id?: string }) {
  if (!q.run_id || !p.agent_name) return;
  emitter.emit("agent_started", p);
}`,
      files,
      settings,
      errors: [{ messageId: "optionalField", line: 3, column: 3, data: { field: "run_id" } }],
    },
    {
      name: 'emitter.emit("agent_started", p) (2)',
      code: `function start(p: { run_id?: string; agent_name: string; timestamp: number }) {
  if (!p.run_id) markReady();
  emitter.emit("agent_started", p);
}`,
      files,
      settings,
      errors: [{ messageId: "optionalField", line: 3, column: 3, data: { field: "run_id" } }],
    },
    {
      name: 'else emitter.emit("agent_started", p)',
      code: `function start(p: { run_id?: string; agent_name: string; timestamp: number }) {
  if (p.run_id) return;
  else emitter.emit("agent_started", p);
  return p.run_id || emitter.emit("agent_started", p);
}`,
      files,
      settings,
      errors: [
        { messageId: "optionalField", line: 3, column: 8, data: { field: "run_id" } },
        { messageId: "optionalField", line: 4, column: 22, data: { field: "run_id" } },
      ],
    },
    {
      name: 'emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now(), user_id: "u1…',
      code: `emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now(), user_id: "u1" });`,
      files,
      settings,
      errors: [{ messageId: "extraField", line: 1, column: 1, data: { field: "user_id" } }],
    },
    // Through a bridge that adds run_id and timestamp, and in a wire message.
    {
      name: 'bridge.emitAgentEvent("agent_completed", runId, { agent_name: "triage", status: "ok" })',
      code: `bridge.emitAgentEvent("agent_completed", runId, { agent_name: "triage", status: "ok" });`,
      files,
      settings,
      errors: [{ messageId: "fieldType", line: 1, column: 1, data: { field: "status" } }],
    },
    {
      name: 'socket.send(JSON.stringify({ type: "agent_started", data: { run_id: runId, agent_name: "triage" } }…',
      code: `socket.send(JSON.stringify({ type: "agent_started", data: { run_id: runId, agent_name: "triage" } }));`,
      files,
      settings,
      errors: [{ messageId: "missingField", line: 1, column: 1, data: { field: "timestamp" } }],
    },
    // States: emitted before the connection is ready.
    {
      name: 'emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() }) (2)',
      code: `async function handle(conn: PendingConnection) {
  await conn.accept();
  emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });
}`,
      files,
      settings,
      errors: [
        {
          messageId: "eventInState",
          line: 3,
          column: 3,
          data: { event: "agent_started", state: "accepted", states: "`processing_ready`", path: "`authenticate`, `services_ready` and `ready`" },
        },
      ],
    },
    {
      name: 'emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() }) (3)',
      code: `async function handle(conn: PendingConnection, token: string) {
  await conn.accept();
  const authenticating = withTimeout(conn.authenticate(token), 5000);
  await startServices();
  markReady();
  emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });
  await authenticating;
}`,
      files,
      settings,
      errors: [{ messageId: "eventInState", line: 6, column: 3, data: { state: "accepted", reader: "the client" } }],
    },
    {
      name: 'userEmitter.notifyAgentStarted("triage") (2)',
      code: `function onAccepted() {
  userEmitter.notifyAgentStarted("triage");
}`,
      files,
      settings,
      errors: [{ messageId: "eventInState", line: 2, column: 3, data: { state: "accepted", origin: " (`onAccepted` runs in state `accepted`)" } }],
    },
    {
      name: 'socket.send(JSON.stringify({ type: "agent_completed", data: { run_id: runId, agent_name: "a", statu…',
      code: `async function handle(conn: PendingConnection, token: string) {
  await conn.accept();
  if (ok) await conn.authenticate(token);
  socket.send(JSON.stringify({ type: "agent_completed", data: { run_id: runId, agent_name: "a", status: "completed", timestamp: now() } }));
}`,
      files,
      settings,
      errors: [{ messageId: "eventInState", line: 4, column: 3, data: { state: "accepted" } }],
    },
    // Client messages processed where the contract rejects or holds them.
    {
      name: "subscribe processed before the connection is acknowledged: graphql-ws rejects it with 4401",
      code: `function onOpen(ws: GqlSocket) {
  handleSubscribe(ws, { query: "subscription { greetings }" });
}`,
      files: inboundFiles,
      settings: gqlSettings,
      errors: [
        {
          messageId: "receivedInState",
          line: 2,
          column: 3,
          data: {
            event: "subscribe",
            state: "accepted",
            origin: " (`ws: GqlSocket` starts in state `accepted`)",
            states: "`acknowledged`",
            policy: "there it rejects the message by closing the connection with 4401 `unauthorized`",
            path: "`init` and `acknowledge`",
            fix: "Process it only after `init` and `acknowledge`; before that, close the connection with 4401 as the contract says",
          },
        },
      ],
    },
    {
      name: "subscribe after the init but before the ack is sent: still initialising",
      code: `function onOpen(ws: GqlSocket) {
  router.handle("connection_init", {});
  router.handle("subscribe", { query: "q" });
  ws.send(JSON.stringify({ type: "connection_ack", payload: {} }));
}`,
      files: inboundFiles,
      settings: gqlSettings,
      errors: [{ messageId: "receivedInState", line: 3, column: 3, data: { event: "subscribe", state: "initialising", path: "`acknowledge`" } }],
    },
    {
      name: "a second connection_init processed: graphql-ws rejects it with 4429, and no state allows it again",
      code: `function onOpen(ws: GqlSocket) {
  router.handle("connection_init", {});
  router.handle("connection_init", {});
}`,
      files: inboundFiles,
      settings: gqlSettings,
      errors: [
        {
          messageId: "receivedInState",
          line: 3,
          column: 3,
          data: {
            event: "connection_init",
            state: "initialising",
            policy: "there it rejects the message by closing the connection with 4429 `too_many_initialisation_requests`",
            fix: "Do not process it there: no state that allows it can follow; close the connection with 4429 as the contract says",
          },
        },
      ],
    },
    {
      name: "connection_init processed on only one branch: subscribe can run in accepted",
      code: `function onOpen(ws: GqlSocket) {
  if (ok) {
    router.handle("connection_init", {});
    ws.send(JSON.stringify({ type: "connection_ack", payload: {} }));
  }
  handleSubscribe(ws, { query: "q" });
}`,
      files: inboundFiles,
      settings: gqlSettings,
      errors: [{ messageId: "receivedInState", line: 6, column: 3, data: { state: "accepted" } }],
    },
    {
      name: "next sent before the ack: the state comes from the events that take the transitions",
      code: `function onOpen(ws: GqlSocket) {
  router.handle("connection_init", {});
  ws.send(JSON.stringify({ type: "next", payload: { data: null } }));
}`,
      files: inboundFiles,
      settings: gqlSettings,
      errors: [{ messageId: "eventInState", line: 3, column: 3, data: { event: "next", state: "initialising", path: "`acknowledge`" } }],
    },
    {
      name: "client: subscribe sent before processing connection_ack: the connection is still initialising",
      code: `function onClientOpen(ws: GqlClientSocket) {
  ws.send(JSON.stringify({ type: "connection_init", payload: {} }));
  ws.send(JSON.stringify({ type: "subscribe", payload: { query: "{ hello }" } }));
  onAck(ws);
}`,
      files: inboundFiles,
      settings: gqlClientSettings,
      errors: [{ messageId: "eventInState", line: 3, column: 3, data: { event: "subscribe", state: "initialising", path: "`acknowledge`" } }],
    },
    {
      name: "a query processed before hello arrived: the contract holds it until ready",
      code: `function onConnect(conn: Conn) {
  conn.accept();
  runQuery(conn, {});
}`,
      files: inboundFiles,
      settings: inboundSettings,
      errors: [
        {
          messageId: "receivedInState",
          line: 3,
          column: 3,
          data: {
            event: "query",
            state: "accepted",
            policy: "there it holds the message until a state allows it (`outOfState: hold`)",
            path: "`start`",
            fix: "Process it only after `start`; hold it until then",
          },
        },
      ],
    },
    {
      name: "client: hello sent twice: the server rejects the second (default policy), held or not",
      code: `function onClientOpen(ws: GqlClientSocket) {
  ws.send(JSON.stringify({ type: "query", data: {} }));
  ws.send(JSON.stringify({ type: "hello", data: {} }));
  ws.send(JSON.stringify({ type: "hello", data: {} }));
}`,
      files: inboundFiles,
      settings: inboundClientSettings,
      errors: [
        {
          messageId: "eventInState",
          line: 4,
          column: 3,
          data: {
            event: "hello",
            state: "ready",
            reader: "the server",
            fix: "No state that allows it can follow: do not emit it there (the generated guard would never send it).",
          },
        },
      ],
    },
    {
      name: "hello processed twice: the default policy rejects it with 1008",
      code: `function onConnect(conn: Conn) {
  conn.accept();
  onHello(conn);
  onHello(conn);
}`,
      files: inboundFiles,
      settings: inboundSettings,
      errors: [
        {
          messageId: "receivedInState",
          line: 4,
          column: 3,
          data: { event: "hello", state: "ready", policy: "there it rejects the message by closing the connection with 1008 `policy_violation`" },
        },
      ],
    },
  ],
};

export default table;
