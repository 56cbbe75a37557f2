import type { ContractBindingsInput } from "../../contracts/bindings/bindings.schema.js";
import type { CheckTable, InvalidCase, ValidCase } from "../utils/check-tester.js";
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
const shapeSettings = withBindings({ emits: [{ call: "emit", receiverType: "ShapeEmitter", eventArg: 0, payloadArg: 1 }] }, path.resolve(import.meta.dirname, "contract-event.shapes.contract.yaml"));
const shape = (fields: string) => `shapes.emit("shape", { kind: "shape", point: { x: 1, y: 2 }${fields} });`;

function valid(code: string, extra: Partial<ValidCase> = {}): ValidCase {
  return { code, files, settings, ...extra };
}

function invalid(code: string, errors: InvalidCase["errors"], extra: Partial<InvalidCase> = {}): InvalidCase {
  return { code, files, settings, errors, ...extra };
}

const table: CheckTable = {
  valid: [
    // Payloads that fit, as literals (literal property values are not widened away).
    valid(`emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });`),
    valid(`emitter.emit("tool_completed", { run_id: runId, agent_name: "triage", tool_name: "search", call_id: "c1", status: ok ? "success" : "error", result: { rows: [1] }, timestamp: now() });`),
    valid(`emitter.emit("agent_thinking", { run_id: runId, agent_name: "triage", thought: "look it up", step: 2, timestamp: Date.now() });`),
    valid(`const status = "completed";\nemitter.emit("agent_completed", { run_id: runId, agent_name: "triage", status, timestamp: now() });`),
    // A const holding the literal: its values, not the widened type of the variable.
    valid(`const payload = { run_id: runId, agent_name: "triage", status: "completed", timestamp: now() };\nemitter.emit("agent_completed", payload);`),
    // Typed payloads: an interface, a spread of one, an optional field the contract does not require.
    valid(`function start(payload: AgentStarted) {\n  emitter.emit("agent_started", payload);\n}`),
    valid(`function start(base: { run_id: string; agent_name: string }, threadId: string | undefined) {\n  emitter.emit("agent_started", { ...base, thread_id: threadId, timestamp: now() });\n}`),
    valid(`emitter.emit("tool_executing", { run_id: runId, agent_name: "a", tool_name: "search", call_id: "c1", arguments: { q: "x" }, timestamp: now() });`),
    // Fields the emitter adds itself.
    valid(`bridge.emitAgentEvent("agent_started", runId, { agent_name: "triage" });`),
    // A name of union type: every name is in the contract; the payload may be for any of them.
    valid(`function forward(event: AgentEventName, payload: Record<string, unknown>) {\n  bridge.emitAgentEvent(event, runId, payload);\n}`),
    // Names and payloads not known statically.
    valid(`function relay(name: string, payload: object) {\n  emitter.emit(name, payload);\n}`),
    valid(`function relay(payload: Record<string, unknown>) {\n  emitter.emit("agent_started", payload);\n}`),
    valid(`function relay(message: WireMessage) {\n  socket.send(JSON.stringify(message));\n}`),
    valid(`function relay(text: string) {\n  socket.send(text);\n}`),
    // A whole wire message that fits.
    valid(`socket.send(JSON.stringify({ type: "agent_completed", data: { run_id: runId, agent_name: "triage", status: "completed", timestamp: now() } }));`),
    // Another type's emit.
    valid(`bus.emit("connection_established", { user: 1 });`),
    // States: emitted where the contract allows it, or through a guard that queues.
    valid(`function onReady() {\n  userEmitter.notifyAgentStarted("triage");\n}`),
    valid(`class Session {\n  onReady() {\n    userEmitter.notifyAgentCompleted("triage", "done");\n  }\n}`),
    valid(`async function handle(conn: PendingConnection) {\n  await conn.accept();\n  guard.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });\n}`),
    // Every transition on the way, through bound calls (plain functions act on the handler's connection).
    valid(`async function handle(conn: PendingConnection, token: string) {\n  await conn.accept();\n  await conn.authenticate(token);\n  await startServices();\n  markReady();\n  emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });\n}`),
    valid(`function onAccepted() {\n  userEmitter.notifyAgentCompleted("triage", "done");\n}`, { settings: acceptOnlySettings }),
    // Transitions awaited through a timeout wrapper, a cast, a \`let\` awaited later.
    valid(`async function handle(conn: PendingConnection, token: string) {\n  await withTimeout(conn.accept(), 5000);\n  let authenticating = conn.authenticate(token);\n  await (authenticating as Promise<void>);\n  await startServices()!;\n  markReady();\n  emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });\n}`),
    // No state known: a plain function, nothing said about states.
    valid(`function started() {\n  userEmitter.notifyAgentStarted("triage");\n}`),
    // Without bindings the rule says nothing.
    { code: `emitter.emit("agent_strated", { run_id: 1 });`, files },
    // A shorthand property is its variable as narrowed where the payload is built, not as declared.
    valid(`function start(run_id: string | undefined) {\n  if (run_id === undefined) return;\n  emitter.emit("agent_started", { run_id, agent_name: "triage", timestamp: now() });\n}`),
    valid(`function start(run_id?: string) {\n  if (!run_id) throw new Error("no run");\n  emitter.emit("agent_started", { run_id, agent_name: "triage", timestamp: now() });\n}`),
    valid(`function start(agent_name: string | number) {\n  if (typeof agent_name === "string") emitter.emit("agent_started", { run_id: runId, agent_name, timestamp: now() });\n}`),
    valid(`function send(type: "agent_completed" | "agent_strated") {\n  if (type === "agent_completed") socket.send(JSON.stringify({ type, data: { run_id: runId, agent_name: "a", status: "completed", timestamp: now() } }));\n}`),
    // An optional field a guard has checked, in a payload passed whole, spread, or built in a const.
    valid(`function start(p: { run_id?: string; agent_name: string; timestamp: number }) {\n  if (!p.run_id) return;\n  emitter.emit("agent_started", p);\n}`),
    valid(`function start(p: { run_id?: string; agent_name: string; timestamp: number }) {\n  if (p.run_id !== undefined) emitter.emit("agent_started", p);\n}`),
    valid(`function start(p: { run_id?: string; agent_name: string }) {\n  if (typeof p.run_id !== "string") {\n    return;\n  }\n  emitter.emit("agent_started", { ...p, timestamp: now() });\n}`),
    valid(`function start(p: { run_id?: string; agent_name: string; timestamp: number }, ready: boolean) {\n  return ready && p.run_id != null && emitter.emit("agent_started", p);\n}`),
    valid(`function start(id: string | undefined) {\n  const payload = { run_id: id, agent_name: "triage", timestamp: now() };\n  if (payload.run_id === undefined) throw new Error("no run");\n  emitter.emit("agent_started", payload);\n}`),
    valid(`function send(m: { type: "agent_started"; data: { run_id?: string; agent_name: string; timestamp: number } }) {\n  if (m.data.run_id == null) return;\n  socket.send(JSON.stringify(m));\n}`),
    // $ref, tuples, anyOf, additionalProperties as a schema, patternProperties, null.
    valid(shape(`, tags: ["a"], pair: ["a", 1], value: 3, meta: { a: "b" }, labels: { "x-a": "v" }, nullable: null, flag: true`), { settings: shapeSettings }),
    valid(`function send(value: string | number, note: string | null) {\n  ${shape(", value, nullable: note")}\n}`, { settings: shapeSettings }),
  ],
  invalid: [
    // An event the contract does not have (a typo, a greeting the contract never defined).
    invalid(`emitter.emit("agent_strated", { run_id: runId, agent_name: "triage", timestamp: now() });`, [
      { messageId: "unknownEvent", line: 1, column: 1, data: { event: "agent_strated", contract: "agent-websocket", fix: "Did you mean `agent_started`?" } },
    ]),
    invalid(`socket.send(JSON.stringify({ type: "connection_established", data: { user_id: "u1" } }));`, [{ messageId: "unknownEvent", line: 1, column: 1, data: { event: "connection_established" } }]),
    // The seed: the event's `type` became a number where the contract names events by strings.
    invalid(`socket.send(JSON.stringify({ type: 3, data: { run_id: runId } }));`, [{ messageId: "eventNameType", line: 1, column: 1, data: { actual: "3", field: "`type`" } }]),
    // Field types.
    invalid(`emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: "2026-01-01T00:00:00Z" });`, [
      { messageId: "fieldType", line: 1, column: 1, data: { field: "timestamp", actual: '"2026-01-01T00:00:00Z"', expected: "a number" } },
    ]),
    invalid(`function start(payload: { run_id: string; agent_name: number; timestamp: number }) {\n  emitter.emit("agent_started", payload);\n}`, [
      { messageId: "fieldType", line: 2, column: 3, data: { field: "agent_name", actual: "number", expected: "a string" } },
    ]),
    invalid(`emitter.emit("tool_completed", { run_id: runId, agent_name: "a", tool_name: "search", call_id: "c1", status: "done", timestamp: now() });`, [
      { messageId: "fieldType", line: 1, column: 1, data: { field: "status", expected: 'one of `"success"`, `"error"`' } },
    ]),
    invalid(`emitter.emit("agent_thinking", { run_id: runId, agent_name: "a", thought: "hmm", step: 1.5, timestamp: now() });`, [{ messageId: "fieldType", line: 1, column: 1, data: { field: "step", expected: "an integer" } }]),
    invalid(`emitter.emit("tool_executing", { run_id: runId, agent_name: "a", tool_name: "search", call_id: "c1", arguments: "q=x", timestamp: now() });`, [
      { messageId: "fieldType", line: 1, column: 1, data: { field: "arguments", expected: "an object" } },
    ]),
    invalid(`emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: new Date() });`, [{ messageId: "fieldType", line: 1, column: 1, data: { field: "timestamp", actual: "Date" } }]),
    invalid(`const payload = { run_id: runId, agent_name: "triage", status: "done", timestamp: now() };\nemitter.emit("agent_completed", payload);`, [
      { messageId: "fieldType", line: 2, column: 1, data: { field: "status", actual: '"done"' } },
    ]),
    // Nested through $ref, tuples, anyOf, additionalProperties as a schema, patternProperties, const, null, boolean.
    invalid(`shapes.emit("shape", { kind: "shape", point: { x: "1", y: 2, z: 3 } });`, [
      { messageId: "fieldType", line: 1, column: 1, data: { field: "point.x", expected: "a number" } },
      { messageId: "extraField", line: 1, column: 1, data: { field: "point.z" } },
    ], { settings: shapeSettings }),
    invalid(shape(`, pair: ["a", "b"], value: true`), [
      { messageId: "fieldType", line: 1, column: 1, data: { field: "pair[1]", expected: "a number" } },
      { messageId: "fieldType", line: 1, column: 1, data: { field: "value", expected: "a string or a number" } },
    ], { settings: shapeSettings }),
    invalid(shape(`, meta: { a: 1 }, labels: { "x-a": "v", y: "w" }`), [
      { messageId: "fieldType", line: 1, column: 1, data: { field: "meta.a", expected: "a string" } },
      { messageId: "extraField", line: 1, column: 1, data: { field: "labels.y" } },
    ], { settings: shapeSettings }),
    invalid(`shapes.emit("shape", { kind: "circle", point: { x: 1, y: 2 }, nullable: 0, flag: "yes" });`, [
      { messageId: "fieldType", line: 1, column: 1, data: { field: "kind", expected: 'one of `"shape"`' } },
      { messageId: "fieldType", line: 1, column: 1, data: { field: "nullable", expected: "a string or null" } },
      { messageId: "fieldType", line: 1, column: 1, data: { field: "flag", expected: "a boolean" } },
    ], { settings: shapeSettings }),
    invalid(`function send(tags: readonly number[], pair: [string, string]) {\n  ${shape(", tags, pair")}\n}`, [
      { messageId: "fieldType", line: 2, column: 3, data: { field: "tags[0]" } },
      { messageId: "fieldType", line: 2, column: 3, data: { field: "pair[1]" } },
    ], { settings: shapeSettings }),
    // Required fields missing, or maybe missing; fields the contract does not allow.
    invalid(`emitter.emit("agent_started", { run_id: runId, agent_name: "triage" });`, [{ messageId: "missingField", line: 1, column: 1, data: { field: "timestamp", expected: "a number" } }]),
    invalid(`function start(payload: { run_id?: string; agent_name: string; timestamp: number }) {\n  emitter.emit("agent_started", payload);\n}`, [
      { messageId: "optionalField", line: 2, column: 3, data: { field: "run_id", actual: "optional `string`" } },
    ]),
    // Shorthand properties and whole payloads no guard (or a guard that does not cover this point) has checked.
    invalid(`function start(run_id: string | undefined) {\n  emitter.emit("agent_started", { run_id, agent_name: "triage", timestamp: now() });\n}`, [
      { messageId: "optionalField", line: 2, column: 3, data: { field: "run_id", actual: "`string | undefined`" } },
    ]),
    invalid(`function start(agent_name: string | number) {\n  if (typeof agent_name === "string") return;\n  emitter.emit("agent_started", { run_id: runId, agent_name, timestamp: now() });\n}`, [
      { messageId: "fieldType", line: 3, column: 3, data: { field: "agent_name", actual: "number" } },
    ]),
    invalid(`function send(type: "agent_completed" | "agent_strated") {\n  if (type !== "agent_completed") socket.send(JSON.stringify({ type, data: { run_id: runId } }));\n}`, [
      { messageId: "unknownEvent", line: 2, column: 35, data: { event: "agent_strated" } },
    ]),
    invalid(`function start(p: { run_id?: string; agent_name: string; timestamp: number }, q: { run_id?: string }) {\n  if (!q.run_id || !p.agent_name) return;\n  emitter.emit("agent_started", p);\n}`, [
      { messageId: "optionalField", line: 3, column: 3, data: { field: "run_id" } },
    ]),
    invalid(`function start(p: { run_id?: string; agent_name: string; timestamp: number }) {\n  if (!p.run_id) markReady();\n  emitter.emit("agent_started", p);\n}`, [
      { messageId: "optionalField", line: 3, column: 3, data: { field: "run_id" } },
    ]),
    invalid(`function start(p: { run_id?: string; agent_name: string; timestamp: number }) {\n  if (p.run_id) return;\n  else emitter.emit("agent_started", p);\n  return p.run_id || emitter.emit("agent_started", p);\n}`, [
      { messageId: "optionalField", line: 3, column: 8, data: { field: "run_id" } },
      { messageId: "optionalField", line: 4, column: 22, data: { field: "run_id" } },
    ]),
    invalid(`emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now(), user_id: "u1" });`, [{ messageId: "extraField", line: 1, column: 1, data: { field: "user_id" } }]),
    // Through a bridge that adds run_id and timestamp, and in a wire message.
    invalid(`bridge.emitAgentEvent("agent_completed", runId, { agent_name: "triage", status: "ok" });`, [{ messageId: "fieldType", line: 1, column: 1, data: { field: "status" } }]),
    invalid(`socket.send(JSON.stringify({ type: "agent_started", data: { run_id: runId, agent_name: "triage" } }));`, [{ messageId: "missingField", line: 1, column: 1, data: { field: "timestamp" } }]),
    // States: emitted before the connection is ready.
    invalid(`async function handle(conn: PendingConnection) {\n  await conn.accept();\n  emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });\n}`, [
      { messageId: "eventInState", line: 3, column: 3, data: { event: "agent_started", state: "accepted", states: "`processing_ready`", path: "`authenticate`, `services_ready` and `ready`" } },
    ]),
    invalid(`async function handle(conn: PendingConnection, token: string) {\n  await conn.accept();\n  const authenticating = withTimeout(conn.authenticate(token), 5000);\n  await startServices();\n  markReady();\n  emitter.emit("agent_started", { run_id: runId, agent_name: "triage", timestamp: now() });\n  await authenticating;\n}`, [
      { messageId: "eventInState", line: 6, column: 3, data: { state: "accepted" } },
    ]),
    invalid(`function onAccepted() {\n  userEmitter.notifyAgentStarted("triage");\n}`, [
      { messageId: "eventInState", line: 2, column: 3, data: { state: "accepted", origin: " (`onAccepted` runs in state `accepted`)" } },
    ]),
    invalid(`async function handle(conn: PendingConnection, token: string) {\n  await conn.accept();\n  if (ok) await conn.authenticate(token);\n  socket.send(JSON.stringify({ type: "agent_completed", data: { run_id: runId, agent_name: "a", status: "completed", timestamp: now() } }));\n}`, [
      { messageId: "eventInState", line: 4, column: 3, data: { state: "accepted" } },
    ]),
  ],
};

export default table;
