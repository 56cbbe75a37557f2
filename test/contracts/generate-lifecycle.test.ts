import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadContract } from "../../contracts/index.js";
import { buildContract } from "./build-contract.js";
import { importGeneratedLifecycles, type GeneratedConnection, type GeneratedLifecycle } from "../utils/generated-lifecycle.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

type Message = Record<string, unknown>;
type Connection = GeneratedConnection<Message>;
interface RunMonitor {
  observe(message: unknown): void;
  violations(): { key: string | number; reason: "broken" | "incomplete"; events: string[]; message: string }[];
}
type LifecycleModule = GeneratedLifecycle;

let agent: LifecycleModule;
let hub: LifecycleModule;
let lobby: LifecycleModule;

beforeAll(async () => {
  const files = ["contracts/agent-websocket.contract.yaml", "test/contracts/generate/device-hub.contract.yaml", "test/contracts/generate/lobby.contract.yaml"];
  const modules = await importGeneratedLifecycles(
    files.map((f) => loadContract(path.join(repo, f))),
    "lifecycle",
  );
  agent = modules.get("agent-websocket")!;
  hub = modules.get("device-hub")!;
  lobby = modules.get("lobby")!;
});

/** A connection whose sends and hand-offs are recorded (as parsed JSON, to check the wire text). */
function open(mod: LifecycleModule, factory: string, options: { undelivered?: boolean; send?: (text: string, sent: Message[]) => void } = {}) {
  const sent: Message[] = [];
  const undelivered: Message[][] = [];
  const create = mod[factory] as (options: object) => Connection;
  const connection = create({
    send: (text: string) => {
      expect(typeof text).toBe("string");
      sent.push(JSON.parse(text) as Message);
      options.send?.(text, sent);
    },
    ...(options.undelivered === false ? {} : { onUndelivered: (messages: Message[]) => undelivered.push(messages) }),
  });
  return { connection, sent, undelivered };
}

const payload = (run: string, extra: object = {}) => ({ run_id: run, agent_name: "triage", timestamp: 1, ...extra });
const started = (run: string) => ["agent_started", payload(run)] as const;
const thinking = (run: string) => ["agent_thinking", payload(run, { thought: "hm" })] as const;
const completed = (run: string) => ["agent_completed", payload(run, { status: "completed" })] as const;
const toProcessingReady = (c: Connection) => ["accept", "authenticate", "services_ready", "ready"].forEach((t) => c.transition(t));

describe("create<Name>Connection: lifecycle", () => {
  it("starts at the initial state and follows the contract's transitions", () => {
    const { connection } = open(agent, "createAgentWebsocketConnection");
    expect(connection.state).toBe("connecting");
    expect(connection.transition("accept")).toBe("accepted");
    expect(connection.state).toBe("accepted");
    expect(connection.pending).toBe(0);
  });

  it("rejects a transition the current state does not have, naming the state and the transition", () => {
    const { connection } = open(agent, "createAgentWebsocketConnection");
    let error: unknown;
    try {
      connection.transition("authenticate");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(agent.LifecycleError);
    expect((error as Error).message).toBe('agent-websocket: transition "authenticate" is not allowed in state "connecting" (allowed here: "accept", "reject")');
    expect(error).toMatchObject({ name: "LifecycleError", state: "connecting", transition: "authenticate" });
    expect(connection.state).toBe("connecting");
  });

  it.each([["toString"], ["constructor"], ["__proto__"], ["nope"]])("rejects %j (no inherited keys taken for transitions)", (name) => {
    const { connection } = open(agent, "createAgentWebsocketConnection");
    expect(() => connection.transition(name)).toThrow(agent.LifecycleError);
    expect(connection.state).toBe("connecting");
  });

  it("goes back and forth through a lifecycle with a loop", () => {
    const { connection } = open(hub, "createDeviceHubConnection");
    for (const [t, s] of [
      ["hello", "active"],
      ["suspend", "suspended"],
      ["resume", "active"],
      ["suspend", "suspended"],
      ["resume", "active"],
      ["bye", "gone"],
    ]) {
      expect(connection.transition(t!)).toBe(s);
    }
    expect(() => connection.transition("resume")).toThrow('device-hub: transition "resume" is not allowed in state "gone" (allowed here: none)');
  });
});

describe("create<Name>Connection: emit", () => {
  it("sends at once, as JSON text with the contract's envelope, when the state allows the event", () => {
    const { connection, sent } = open(agent, "createAgentWebsocketConnection");
    toProcessingReady(connection);
    expect(connection.emit(...started("r1"))).toBe("sent");
    expect(sent).toEqual([{ type: "agent_started", data: payload("r1") }]);

    const device = open(hub, "createDeviceHubConnection");
    device.connection.emit("device.hello", { device_id: "dev-1", firmware: { version: "1.0.0", channel: "beta" } });
    expect(device.sent).toEqual([{ kind: "device.hello", body: { device_id: "dev-1", firmware: { version: "1.0.0", channel: "beta" } } }]);
  });

  it("throws a ContractError naming the field when the payload does not match, and queues nothing", () => {
    const { connection, sent } = open(agent, "createAgentWebsocketConnection");
    let error: unknown;
    try {
      connection.emit("agent_started", { run_id: 7, agent_name: "triage", timestamp: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(agent.ContractError);
    expect((error as Error).message).toBe('agent-websocket: invalid payload for "agent_started": data.run_id: expected string, received number');
    expect(error).toMatchObject({
      name: "ContractError",
      event: "agent_started",
      issues: [{ path: ["data", "run_id"], message: "data.run_id: expected string, received number" }],
    });
    expect(connection.pending).toBe(0);
    expect(sent).toEqual([]);
  });

  it("throws a ContractError for an event the contract does not declare", () => {
    const { connection } = open(agent, "createAgentWebsocketConnection");
    expect(() => connection.emit("agent_exploded", {})).toThrow(
      'agent-websocket: unknown event "agent_exploded" (the contract declares "agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")',
    );
    expect(() => connection.emit("constructor", {})).toThrow(agent.ContractError);
  });

  it("validates what goes on the wire: the payload after a JSON round trip", () => {
    const { connection, sent } = open(agent, "createAgentWebsocketConnection");
    toProcessingReady(connection);
    expect(() => connection.emit("agent_started", { ...payload("r1"), timestamp: new Date(0) })).toThrow("data.timestamp: expected number, received string");
    connection.emit("agent_started", { ...payload("r1"), thread_id: undefined });
    expect(sent).toEqual([{ type: "agent_started", data: payload("r1") }]);
  });

  it("sends the payload as it was when emitted, even if the caller changes it while it waits", () => {
    const { connection, sent } = open(agent, "createAgentWebsocketConnection");
    const data = payload("r1");
    connection.emit("agent_started", data);
    data.run_id = "changed";
    toProcessingReady(connection);
    expect(sent).toEqual([{ type: "agent_started", data: payload("r1") }]);
  });
});

describe("create<Name>Connection: the queue", () => {
  it("holds messages the state does not allow, and sends them in order on the transition that allows them, before it returns", () => {
    const states: string[] = [];
    let connection!: Connection;
    const opened = open(agent, "createAgentWebsocketConnection", { send: () => states.push(connection.state) });
    connection = opened.connection;
    connection.transition("accept");
    expect(connection.emit(...started("r1"))).toBe("queued");
    expect(connection.emit(...thinking("r1"))).toBe("queued");
    expect(connection.emit(...completed("r1"))).toBe("queued");
    expect(connection.pending).toBe(3);
    connection.transition("authenticate");
    connection.transition("services_ready");
    expect(opened.sent).toEqual([]);
    expect(connection.pending).toBe(3);
    connection.transition("ready");
    expect(opened.sent.map((m) => m.type)).toEqual(["agent_started", "agent_thinking", "agent_completed"]);
    expect(states).toEqual(["processing_ready", "processing_ready", "processing_ready"]);
    expect(connection.pending).toBe(0);
  });

  it("keeps head-of-line order across transitions: an allowed message waits behind an earlier one that is not", () => {
    const { connection, sent } = open(hub, "createDeviceHubConnection");
    connection.transition("hello");
    connection.transition("suspend");
    expect(connection.emit("telemetry", { device_id: "dev-1", batch_id: 1, readings: [{ sensor: "t", value: 1, at: "2026-01-01T00:00:00Z" }] })).toBe("queued");
    // command_ack is allowed in `suspended`, but telemetry is ahead of it.
    expect(connection.emit("command_ack", { batch_id: 1, ok: true })).toBe("queued");
    expect(connection.emit("status", {})).toBe("queued");
    expect(sent).toEqual([]);
    connection.transition("resume");
    expect(sent.map((m) => m.kind)).toEqual(["telemetry", "command_ack", "status"]);
    expect(connection.pending).toBe(0);
  });

  it("never reorders: once the queue is empty again, allowed messages go straight out", () => {
    const { connection, sent } = open(hub, "createDeviceHubConnection");
    connection.emit("status", {});
    connection.transition("hello");
    expect(connection.emit("command_ack", { batch_id: 2, ok: false, error: null })).toBe("sent");
    expect(sent.map((m) => m.kind)).toEqual(["status", "command_ack"]);
  });

  it("sends only the allowed head of the queue and keeps the rest for a later state", () => {
    const { connection, sent } = open(hub, "createDeviceHubConnection");
    connection.emit("command_ack", { batch_id: 1, ok: true });
    connection.emit("device.hello", { device_id: "dev-1", firmware: { version: "1.0.0", channel: "stable" } });
    connection.transition("hello");
    // command_ack goes out in `active`; device.hello is only allowed in `handshake` and waits.
    expect(sent.map((m) => m.kind)).toEqual(["command_ack"]);
    expect(connection.pending).toBe(1);
  });

  it("hands the messages still queued at a final state to onUndelivered, in order, and drops none", () => {
    const { connection, sent, undelivered } = open(agent, "createAgentWebsocketConnection");
    connection.transition("accept");
    connection.emit(...started("r1"));
    connection.emit(...completed("r1"));
    expect(connection.transition("close")).toBe("closed");
    expect(sent).toEqual([]);
    expect(undelivered).toEqual([
      [
        { type: "agent_started", data: payload("r1") },
        { type: "agent_completed", data: payload("r1", { status: "completed" }) },
      ],
    ]);
    expect(connection.pending).toBe(0);
  });

  it("does not call onUndelivered when nothing waits", () => {
    const { connection, undelivered } = open(agent, "createAgentWebsocketConnection");
    connection.transition("reject");
    expect(undelivered).toEqual([]);
  });

  it("keeps undelivered messages queued when there is no onUndelivered, for drain()", () => {
    const { connection, sent } = open(agent, "createAgentWebsocketConnection", { undelivered: false });
    connection.emit(...started("r1"));
    connection.transition("reject");
    expect(connection.pending).toBe(1);
    expect(connection.drain()).toEqual([{ type: "agent_started", data: payload("r1") }]);
    expect(connection.pending).toBe(0);
    expect(sent).toEqual([]);
  });

  it("throws on emit after the final state, naming the state and the event", () => {
    const { connection } = open(agent, "createAgentWebsocketConnection");
    toProcessingReady(connection);
    connection.transition("close");
    let error: unknown;
    try {
      connection.emit(...started("r9"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(agent.LifecycleError);
    expect((error as Error).message).toBe('agent-websocket: cannot emit "agent_started": the connection reached the final state "closed"');
    expect(error).toMatchObject({ state: "closed", event: "agent_started" });
  });

  it("keeps order when send() emits: the new message goes after those already waiting", () => {
    let connection!: Connection;
    const opened = open(agent, "createAgentWebsocketConnection", {
      send: (_text, sent) => {
        if (sent.length === 1) connection.emit(...thinking("r2"));
      },
    });
    connection = opened.connection;
    connection.emit(...started("r1"));
    connection.emit(...completed("r1"));
    toProcessingReady(connection);
    expect(opened.sent.map((m) => [m.type, (m.data as Message).run_id])).toEqual([
      ["agent_started", "r1"],
      ["agent_completed", "r1"],
      ["agent_thinking", "r2"],
    ]);
  });

  it("loses nothing when send() closes the connection mid-flush", () => {
    let connection!: Connection;
    const opened = open(agent, "createAgentWebsocketConnection", {
      send: (_text, sent) => {
        if (sent.length === 1) connection.transition("close");
      },
    });
    connection = opened.connection;
    connection.emit(...started("r1"));
    connection.emit(...thinking("r1"));
    connection.emit(...completed("r1"));
    toProcessingReady(connection);
    expect(connection.state).toBe("closed");
    expect(opened.sent.map((m) => m.type)).toEqual(["agent_started"]);
    expect(opened.undelivered).toEqual([
      [
        { type: "agent_thinking", data: payload("r1", { thought: "hm" }) },
        { type: "agent_completed", data: payload("r1", { status: "completed" }) },
      ],
    ]);
  });

  it("keeps a message whose send() threw at the head, and sends it first on the next flush", () => {
    let fail = true;
    const opened = open(agent, "createAgentWebsocketConnection", {
      send: () => {
        if (fail) {
          fail = false;
          throw new Error("socket busy");
        }
      },
    });
    const { connection } = opened;
    connection.emit(...started("r1"));
    connection.emit(...thinking("r1"));
    expect(() => toProcessingReady(connection)).toThrow("socket busy");
    expect(connection.state).toBe("processing_ready");
    expect(connection.pending).toBe(2);
    expect(connection.emit(...completed("r1"))).toBe("sent");
    // The first (failed) attempt was recorded too; the retry resends it before the others.
    expect(opened.sent.map((m) => m.type)).toEqual(["agent_started", "agent_started", "agent_thinking", "agent_completed"]);
    expect(connection.pending).toBe(0);
  });
});

describe("create<Name>Connection: wire text and long queues", () => {
  /** A connection whose sends are kept as the raw text. */
  const rawOpen = (mod: LifecycleModule, factory: string, send: (text: string) => void = () => {}) => {
    const texts: string[] = [];
    const create = mod[factory] as (options: object) => Connection;
    return { texts, connection: create({ send: (text: string) => (texts.push(text), send(text)) }) };
  };
  /** What `JSON.stringify` gives for the envelope around the payload's wire form. */
  const wireText = (event: string, payload: unknown, d = "type", p = "data") =>
    JSON.stringify({ [d]: event, [p]: JSON.parse(JSON.stringify(payload) ?? "null") });
  const tricky = {
    b: 1,
    "10": "ten",
    "2": [-0, 1e21, 5e-7, Number.MAX_SAFE_INTEGER, NaN, Infinity],
    a: { toJSON: () => ({ z: "via toJSON" }) },
    when: new Date(0),
    text: 'quote " backslash \\ newline \n tab \t nul \u0000 line sep \u2028 emoji 😀 lone \ud800',
    gone: undefined,
    fn: () => 1,
    nested: [undefined, { "0": 0, "": "empty key" }],
  };

  it.each([
    ["arguments with awkward keys, numbers, toJSON, Date, escapes", tricky],
    ["an own __proto__ key", JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as object],
    ["an empty object", {}],
  ])("sends exactly the text JSON.stringify gives for the message: %s", (_, args) => {
    const { connection, texts } = rawOpen(agent, "createAgentWebsocketConnection");
    toProcessingReady(connection);
    const data = payload("r1", { tool_name: "search", call_id: "c1", arguments: args });
    expect(connection.emit("tool_executing", data)).toBe("sent");
    expect(texts).toEqual([wireText("tool_executing", data)]);
  });

  it("sends the same text for a queued message, and drain() returns the payload's wire form", () => {
    const device = rawOpen(hub, "createDeviceHubConnection");
    const ack = { batch_id: 3, ok: false, error: "bad \u2028 input", extra_ignored: undefined };
    expect(device.connection.emit("command_ack", ack)).toBe("queued");
    device.connection.transition("hello");
    expect(device.texts).toEqual([wireText("command_ack", ack, "kind", "body")]);

    const { connection } = open(agent, "createAgentWebsocketConnection", { undelivered: false });
    connection.emit("tool_completed", payload("r1", { tool_name: "t", call_id: "c", status: "success", result: { at: new Date(0), gone: undefined } }));
    expect(connection.drain()).toEqual([
      { type: "tool_completed", data: payload("r1", { tool_name: "t", call_id: "c", status: "success", result: { at: "1970-01-01T00:00:00.000Z" } }) },
    ]);
  });

  it("sends a payload that JSON.stringify turns into nothing as a message without the payload field", async () => {
    const contract = buildContract({
      name: "anything",
      initial: "open",
      states: { open: { on: { close: "done" } }, done: { final: true } },
      events: { ping: { states: ["open"], payload: true } },
    });
    const mod = (await importGeneratedLifecycles([contract], "lifecycle-anything")).get("anything")!;
    const { connection, texts } = rawOpen(mod, "createAnythingConnection");
    for (const value of [undefined, () => 1, null, 0, "x", [undefined]]) connection.emit("ping", value);
    expect(texts).toEqual([undefined, () => 1, null, 0, "x", [undefined]].map((value) => JSON.stringify({ type: "ping", data: value })));
  });

  it("queues thousands of messages before readiness and sends them all, in order, on the transition", () => {
    const { connection, sent } = open(agent, "createAgentWebsocketConnection");
    connection.transition("accept");
    const runs = Array.from({ length: 5000 }, (_, i) => `r${i}`);
    for (const run of runs) expect(connection.emit(...started(run))).toBe("queued");
    expect(connection.pending).toBe(5000);
    connection.transition("authenticate");
    connection.transition("services_ready");
    expect(sent).toEqual([]);
    connection.transition("ready");
    expect(connection.pending).toBe(0);
    expect(sent.map((m) => (m.data as Message).run_id)).toEqual(runs);
    expect(connection.emit(...completed("r0"))).toBe("sent");
  });

  it("keeps order, counts and drain() right after a partial flush of a long queue", () => {
    const { connection, sent } = open(hub, "createDeviceHubConnection", { undelivered: false });
    const ack = (batch: number) => ({ batch_id: batch, ok: true });
    for (let i = 0; i < 100; i++) connection.emit("command_ack", ack(i));
    connection.emit("device.hello", { device_id: "dev-1", firmware: { version: "1.0.0", channel: "stable" } });
    for (let i = 100; i < 110; i++) connection.emit("command_ack", ack(i));
    connection.transition("hello");
    // The 100 acks go out in `active`; device.hello (handshake only) now blocks the 10 behind it.
    expect(sent.map((m) => (m.body as Message).batch_id)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(connection.pending).toBe(11);
    expect(connection.emit("command_ack", ack(110))).toBe("queued");
    expect(connection.pending).toBe(12);
    const drained = connection.drain();
    expect(drained.map((m) => m.kind)).toEqual(["device.hello", ...Array.from({ length: 11 }, () => "command_ack")]);
    expect(drained.slice(1).map((m) => (m.body as Message).batch_id)).toEqual(Array.from({ length: 11 }, (_, i) => 100 + i));
    expect(connection.pending).toBe(0);
    expect(connection.emit("command_ack", ack(111))).toBe("sent");
  });

  it("keeps a message whose send() threw deep in a long flush at the head, behind nothing and before the rest", () => {
    let calls = 0;
    const { connection, sent } = open(agent, "createAgentWebsocketConnection", {
      send: () => {
        calls += 1;
        if (calls === 40) throw new Error("socket busy");
      },
    });
    connection.transition("accept");
    for (let i = 0; i < 50; i++) connection.emit(...started(`r${i}`));
    expect(() => ["authenticate", "services_ready", "ready"].forEach((t) => connection.transition(t))).toThrow("socket busy");
    expect(connection.pending).toBe(11);
    expect(connection.emit(...completed("r0"))).toBe("sent");
    const runs = sent.map((m) => (m.data as Message).run_id);
    // Attempt 40 (r39) failed and was retried first.
    expect(runs).toEqual([...Array.from({ length: 40 }, (_, i) => `r${i}`), ...Array.from({ length: 11 }, (_, i) => `r${39 + i}`), "r0"]);
    expect(connection.pending).toBe(0);
  });
});

describe("create<Name>RunMonitor", () => {
  const monitor = () => (agent.createAgentWebsocketRunMonitor as () => RunMonitor)();
  const message = ([type, data]: readonly [string, object]) => ({ type, data });
  const tool = (run: string) => [
    message(["tool_executing", payload(run, { tool_name: "search", call_id: "c1" })]),
    message(["tool_completed", payload(run, { tool_name: "search", call_id: "c1", status: "success" })]),
  ];
  const PATTERN = "(pattern: agent_started (agent_thinking | tool_executing tool_completed)* agent_completed)";

  it("reports nothing for complete runs", () => {
    const m = monitor();
    for (const msg of [message(started("r1")), message(thinking("r1")), ...tool("r1"), message(thinking("r1")), message(completed("r1"))]) m.observe(msg);
    m.observe(message(started("r2")));
    m.observe(message(completed("r2")));
    expect(m.violations()).toEqual([]);
  });

  it("reports a run that has not completed", () => {
    const m = monitor();
    m.observe(message(started("r1")));
    m.observe(tool("r1")[0]);
    expect(m.violations()).toEqual([
      {
        key: "r1",
        reason: "incomplete",
        events: ["agent_started", "tool_executing"],
        message: `run "r1" has not completed: after agent_started tool_executing, expected one of "tool_completed" ${PATTERN}`,
      },
    ]);
  });

  it("reports an out-of-order run as broken, at the first event the pattern does not allow", () => {
    const m = monitor();
    m.observe(message(thinking("r1")));
    m.observe(message(started("r1")));
    m.observe(message(completed("r1")));
    expect(m.violations()).toEqual([
      {
        key: "r1",
        reason: "broken",
        events: ["agent_thinking", "agent_started", "agent_completed"],
        message: `run "r1": "agent_thinking" is not allowed at the start of the run; expected one of "agent_started" ${PATTERN}`,
      },
    ]);
  });

  it("reports a tool completion without its start, and events after the run completed", () => {
    const m = monitor();
    for (const msg of [message(started("a")), tool("a")[1]!, message(started("b")), message(completed("b")), message(thinking("b"))]) m.observe(msg);
    expect(m.violations().map((v) => [v.key, v.reason, v.message])).toEqual([
      [
        "a",
        "broken",
        `run "a": "tool_completed" is not allowed after agent_started; expected one of "agent_thinking", "tool_executing", "agent_completed" ${PATTERN}`,
      ],
      ["b", "broken", `run "b": "agent_thinking" is not allowed after agent_started agent_completed; expected the run to be over ${PATTERN}`],
    ]);
  });

  it("tracks interleaved runs separately, in the order they started", () => {
    const m = monitor();
    const [exec1, done1] = tool("r1");
    const [exec2] = tool("r2");
    for (const msg of [
      message(started("r2")),
      message(started("r1")),
      exec1!,
      exec2!,
      message(thinking("r1")),
      done1!,
      message(completed("r1")),
      message(started("r3")),
    ])
      m.observe(msg);
    expect(m.violations().map((v) => [v.key, v.reason, v.events])).toEqual([
      ["r2", "incomplete", ["agent_started", "tool_executing"]],
      ["r1", "broken", ["agent_started", "tool_executing", "agent_thinking", "tool_completed", "agent_completed"]],
      ["r3", "incomplete", ["agent_started"]],
    ]);
  });

  it("ignores what is not a run event: other shapes, no key", () => {
    const m = monitor();
    for (const msg of [
      null,
      42,
      "agent_started",
      { type: "agent_started" },
      { type: "agent_started", data: { agent_name: "x" } },
      { type: "other", data: { run_id: "r" } },
    ])
      m.observe(msg);
    expect(m.violations()).toEqual([]);
  });

  it("groups by the contract's key (integer batch ids on device-hub) and follows its pattern", () => {
    const m = (hub.createDeviceHubRunMonitor as () => RunMonitor)();
    const telemetry = (batch: number | string) => ({ kind: "telemetry", body: { device_id: "dev-1", batch_id: batch, readings: [] } });
    const ack = (batch: number | string) => ({ kind: "command_ack", body: { batch_id: batch, ok: true } });
    const command = (batch: number) => ({ kind: "command", body: { op: "reboot", batch_id: batch } });
    for (const msg of [telemetry(1), telemetry(1), command(1), ack(1), ack(2), telemetry("1"), { kind: "status", body: {} }]) m.observe(msg);
    expect(m.violations()).toEqual([
      {
        key: 2,
        reason: "broken",
        events: ["command_ack"],
        message: 'run 2: "command_ack" is not allowed at the start of the run; expected one of "telemetry" (pattern: telemetry+ command? command_ack)',
      },
      {
        key: "1",
        reason: "incomplete",
        events: ["telemetry"],
        message: 'run "1" has not completed: after telemetry, expected one of "telemetry", "command", "command_ack" (pattern: telemetry+ command? command_ack)',
      },
    ]);
  });

  it("is not generated for a contract without runs", () => {
    expect(Object.keys(lobby).sort()).toEqual(["ContractError", "LifecycleError", "createLobbyClient", "createLobbyConnection", "createLobbyServer"]);
  });
});
