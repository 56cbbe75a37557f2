import type { CheckTable } from "../utils/check-tester.js";

// Shared declarations, one line appended to the cases that use them (so case lines count from the code).
const decls =
  "interface Manager { emit(event: string, data?: unknown): void; send(text: string): boolean; sender(): string; notifyAgentStarted(runId: string): void; emitLater?: (e: string) => void; readyState: number } declare const logger: { warn(message: string): void }; declare function createManager(): Manager;";

const table: CheckTable = {
  valid: [
    {
      name: "A receiver that cannot be missing",
      code: `class Agent {
  constructor(private readonly manager: Manager) {}
  start() {
    this.manager.emit("agent_started");
  }
}
${decls}`,
    },
    {
      name: "`?.` on a non-nullable receiver is odd, not a drop (no-unnecessary-condition's business)",
      code: `class Agent {
  constructor(private readonly manager: Manager) {}
  start() {
    this.manager?.emit("agent_started");
  }
}
${decls}`,
    },
    // Optional callbacks: the callee itself is optional, the receiver is not.
    {
      name: "this.onChange?.()",
      code: `class Store {
  onChange?: () => void;
  notify?: (event: string) => void;
  set() {
    this.onChange?.();
    this.notify?.("changed");
  }
}
${decls}`,
    },
    {
      name: 'manager.emitLater?.("later")',
      code: `function run(manager: Manager) {
  manager.emitLater?.("later");
}
${decls}`,
    },
    {
      name: "An optional callback on an optional object: the hook may be missing either way, by design",
      code: `interface Options { notify?: (message: string) => void; notifyDone?(): void }
class Task {
  opts?: Options;
  callbacks?: { emit?: () => void; publish: ((topic: string) => void) | undefined };
  run() {
    this.opts?.notify?.("started");
    this.opts?.notifyDone?.();
    this.callbacks?.emit?.();
    this.callbacks?.publish?.("started");
    if (this.opts) this.opts.notify?.("guarded");
    if (!this.callbacks) return;
    this.callbacks.emit?.();
  }
}`,
    },
    {
      name: "Narrowed by a throw",
      code: `class Agent {
  manager?: Manager;
  start() {
    if (!this.manager) throw new Error("no manager wired");
    this.manager.emit("agent_started");
  }
}
${decls}`,
    },
    {
      name: "An else that handles the missing receiver",
      code: `class Agent {
  manager?: Manager;
  start() {
    if (this.manager) {
      this.manager.emit("agent_started");
    } else {
      logger.warn("agent_started dropped: no manager");
    }
  }
}
${decls}`,
    },
    // `??` fallbacks: for the receiver, and for the value of the call.
    {
      name: '(this.manager ?? this.fallback).emit("agent_started")',
      code: `class Agent {
  manager?: Manager;
  constructor(private readonly fallback: Manager) {}
  start() {
    (this.manager ?? this.fallback).emit("agent_started");
  }
}
${decls}`,
    },
    {
      name: 'this.manager?.send("agent_started") ?? logger.warn("agent_started dropped")',
      code: `class Agent {
  manager?: Manager;
  start() {
    this.manager?.send("agent_started") ?? logger.warn("agent_started dropped");
  }
}
${decls}`,
    },
    {
      name: "Not emission calls",
      code: `declare const store: { save(): void; emitter(): void; dispatcher(): void; publishing(): void } | undefined;
class Agent {
  manager?: Manager;
  name() {
    this.manager?.sender();
    store?.save();
    store?.emitter();
    store?.dispatcher();
    store?.publishing();
  }
}
${decls}`,
    },
    {
      name: "The value is observable: returned or assigned",
      code: `class Agent {
  manager?: Manager;
  start(): boolean | undefined {
    return this.manager?.send("agent_started");
  }
  stop() {
    const sent = this.manager?.send("agent_stopped");
    return sent;
  }
}
${decls}`,
    },
    {
      name: "An early return that logs, one that returns a value",
      code: `class Agent {
  manager?: Manager;
  start() {
    if (!this.manager) {
      logger.warn("agent_started dropped: no manager");
      return;
    }
    this.manager.emit("agent_started");
  }
  stop(): boolean {
    if (!this.manager) return false;
    this.manager.emit("agent_stopped");
    return true;
  }
}
${decls}`,
    },
    {
      name: "Narrowed by assignment",
      code: `class Agent {
  manager?: Manager;
  start() {
    if (!this.manager) this.manager = createManager();
    this.manager.emit("agent_started");
  }
}
${decls}`,
    },
    {
      name: "`any` says nothing about nullability",
      code: `declare const bus: any;
bus?.emit("agent_started");`,
    },
    {
      name: "Narrowed by a throw; the later `if` tests a property of an already non-null receiver",
      code: `class Agent {
  manager?: Manager;
  start() {
    if (!this.manager) throw new Error("no manager wired");
    if (this.manager.readyState === 1) this.manager.emit("agent_started");
  }
}
${decls}`,
    },
    {
      name: "A ternary whose other branch handles the missing receiver",
      code: `class Agent {
  manager?: Manager;
  start() {
    this.manager ? this.manager.emit("agent_started") : logger.warn("dropped");
  }
}
${decls}`,
    },
    {
      name: "`&&` with a `||` fallback",
      code: `class Agent {
  manager?: Manager;
  start() {
    (this.manager && this.manager.send("agent_started")) || logger.warn("dropped");
  }
}
${decls}`,
    },
    {
      name: "A queue for the missing receiver",
      code: `class Agent {
  manager?: Manager;
  private readonly queue: string[] = [];
  start() {
    if (this.manager === undefined) {
      this.queue.push("agent_started");
      return;
    }
    this.manager.emit("agent_started");
  }
}
${decls}`,
    },
    {
      name: "Narrowed by a throw, used in a callback",
      code: `function start(manager: Manager | undefined) {
  if (!manager) throw new Error("no manager wired");
  setTimeout(() => manager.emit("agent_started"), 0);
}
declare function setTimeout(callback: () => void, ms: number): unknown;
${decls}`,
    },
    {
      name: "A Map lookup that throws when the client is unknown",
      code: `class Hub {
  private readonly clients = new Map<string, Manager>();
  sendTo(id: string, text: string) {
    const client = this.clients.get(id);
    if (!client) throw new Error(\`unknown client \${id}\`);
    client.send(text);
  }
}
${decls}`,
    },
    {
      name: "A then-branch that leaves: the code after the `if` is its else",
      code: `class Connection {
  socket?: Manager;
  write(data: string): boolean {
    if (this.socket?.readyState === 1) {
      this.socket.send(data);
      return true;
    }
    logger.warn("not sent: connection not open");
    return false;
  }
}
${decls}`,
    },
    {
      name: "A default parameter value",
      code: `function start(manager: Manager = createManager()) {
  manager.emit("agent_started");
}
${decls}`,
    },
    {
      name: "The receiver is the event source itself, looked up or handed in: nobody can listen to a missing one",
      code: `interface Peer { on(event: string, fn: () => void): void; emit(event: string, ...args: unknown[]): void }
class Call {
  peers = new Map<string, Peer>();
  onMuted(id: string) {
    const peer = this.peers.get(id);
    peer?.emit("muted");
    if (!peer) return;
    peer.emit("muted-ack");
  }
  onLeft(peer: Peer | undefined) {
    peer?.emit("left");
  }
}`,
    },
    {
      name: "an event source guarded by an if, looked up by index",
      code: `declare class Track { addEventListener(type: string, fn: () => void): void; emit(type: string): void }
function stop(tracks: Track[], id: number) {
  const track = tracks[id] as Track | undefined;
  if (track) {
    track.emit("ended");
  }
}`,
    },
    {
      name: "Asserted present earlier in the same function: the `?.` is defensive",
      code: `declare function makeClient(): Manager | undefined;
function scenario() {
  const client = makeClient();
  client!.emit("start");
  client?.emit("ready");
  client?.notifyAgentStarted("r");
}
${decls}`,
    },
    {
      name: "A deferred emission the class runs again when the receiver arrives: postponed, not dropped",
      code: `interface Target { on(event: string, fn: () => void): void; emit(event: string, ...args: unknown[]): void }
class Relations {
  private target?: Target;
  private readonly items = new Set<string>();
  private announced = false;
  add(item: string) {
    this.items.add(item);
    this.maybeAnnounce();
  }
  setTarget(target: Target) {
    if (this.target) return;
    this.target = target;
    this.maybeAnnounce();
  }
  private maybeAnnounce(): void {
    if (this.announced) return;
    if (!this.target || !this.items.size) return;
    this.announced = true;
    this.target.emit("created", this.items.size);
  }
}`,
    },
    {
      name: "deferred behind ?. or an if, retried from a setter, an arrow field, or after ??=",
      code: `class Outbox {
  #bus: Manager | null = null;
  private pending = "";
  set bus(value: Manager) {
    this.#bus = value;
    void this.flush();
  }
  attach(factory: () => Manager) {
    this.#bus ??= factory();
    this.drain();
  }
  async flush(): Promise<void> {
    if (this.#bus) this.#bus.send(this.pending);
  }
  readonly drain = () => {
    this.#bus?.emit("drained");
  };
}
${decls}`,
    },
    {
      name: "An argument-free notification whose implementation keeps it to the receiver (counters, timers, log lines)",
      code: `/// <reference lib="dom" />
declare const log: { debug(message: string, context?: object): void };
class RegionTracker {
  private static readonly counts = new Map<string, { n: number; timer?: ReturnType<typeof setTimeout> }>();
  constructor(private readonly host: string) {}
  notifyConnected() {
    const entry = RegionTracker.counts.get(this.host) ?? { n: 0 };
    entry.n += 1;
    RegionTracker.counts.set(this.host, entry);
    RegionTracker.cancel(this.host);
  }
  notifyDisconnected = () => {
    const entry = RegionTracker.counts.get(this.host);
    if (!entry) return;
    entry.n = Math.max(0, entry.n - 1);
    entry.timer = setTimeout(() => {
      log.debug("forgetting region", { host: this.host });
      RegionTracker.counts.delete(this.host);
    }, 30_000);
  };
  private static cancel(host: string) {
    const timer = RegionTracker.counts.get(host)?.timer;
    if (timer) clearTimeout(timer);
  }
}
class Room {
  private tracker?: RegionTracker;
  connected() {
    if (this.tracker) {
      this.tracker.notifyConnected();
    }
  }
  disconnected() {
    this.tracker?.notifyDisconnected();
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'this.manager?.emit("agent_started")',
      code: `class Agent {
  manager?: Manager;
  start() {
    this.manager?.emit("agent_started");
  }
}
${decls}`,
      errors: [{ messageId: "optionalReceiver", line: 4, column: 5, data: { call: "this.manager?.emit(…)", receiver: "this.manager" } }],
    },
    {
      name: "an unneeded ?.() on a required method: the receiver is still what may be missing",
      code: `interface Bridge { emit(event: string): void; notifyDone(): void }
class Agent {
  bridge: Bridge | undefined;
  start() {
    this.bridge?.emit?.("agent_started");
    if (!this.bridge) return;
    this.bridge.notifyDone?.();
  }
}`,
      errors: [
        { messageId: "optionalReceiver", line: 5, column: 5, data: { call: "this.bridge?.emit?.(…)", receiver: "this.bridge" } },
        { messageId: "earlyReturn", line: 7, column: 5, data: { call: "this.bridge.notifyDone?.()", receiver: "this.bridge" } },
      ],
    },
    {
      name: "a call without arguments is shown with ()",
      code: `interface Bus { notifyDone(): void }
class Agent {
  bus?: Bus;
  finish() {
    this.bus?.notifyDone();
  }
}`,
      errors: [{ messageId: "optionalReceiver", line: 5, column: 5, data: { call: "this.bus?.notifyDone()", receiver: "this.bus" } }],
    },
    {
      name: "this.manager?.notifyAgentStarted(runId)",
      code: `class Agent {
  manager: Manager | null = null;
  start(runId: string) {
    this.manager?.notifyAgentStarted(runId);
  }
}
${decls}`,
      errors: [{ messageId: "optionalReceiver", line: 4, column: 5 }],
    },
    {
      name: 'this.manager.emit("agent_started")',
      code: `class Agent {
  manager?: Manager;
  start() {
    if (this.manager) {
      this.manager.emit("agent_started");
    }
  }
}
${decls}`,
      errors: [{ messageId: "ifWithoutElse", line: 5, column: 7, data: { call: "this.manager.emit(…)", receiver: "this.manager" } }],
    },
    {
      name: 'if (this.manager != null) this.manager.send("agent_started")',
      code: `class Agent {
  manager: Manager | null = null;
  start() {
    if (this.manager != null) this.manager.send("agent_started");
  }
}
${decls}`,
      errors: [{ messageId: "ifWithoutElse", line: 4, column: 31 }],
    },
    {
      name: 'manager && manager.emit("agent_started")',
      code: `function start(manager: Manager | undefined) {
  manager && manager.emit("agent_started");
}
${decls}`,
      errors: [{ messageId: "ifWithoutElse", line: 2, column: 14 }],
    },
    {
      name: 'this.manager.emit("agent_started") (2)',
      code: `class Agent {
  manager?: Manager;
  start() {
    if (!this.manager) return;
    this.manager.emit("agent_started");
  }
}
${decls}`,
      errors: [{ messageId: "earlyReturn", line: 5, column: 5 }],
    },
    {
      name: "this.clients.get(id)?.send(text)",
      code: `class Hub {
  private readonly clients = new Map<string, Manager>();
  sendTo(id: string, text: string) {
    this.clients.get(id)?.send(text);
  }
}
${decls}`,
      errors: [{ messageId: "optionalReceiver", line: 4, column: 5, data: { receiver: "this.clients.get(id)" } }],
    },
    {
      name: 'await this.bus?.publish("agent_started")',
      code: `interface Bus { publish(event: string): Promise<void> }
class Agent {
  bus?: Bus;
  async start() {
    await this.bus?.publish("agent_started");
  }
}`,
      errors: [{ messageId: "optionalReceiver", line: 5, column: 11 }],
    },
    {
      name: 'this.ctx?.target.dispatchEvent("agent_started")',
      code: `interface Target { dispatchEvent(event: string): boolean }
interface Context { target: Target }
class Agent {
  ctx?: Context;
  start() {
    this.ctx?.target.dispatchEvent("agent_started");
  }
}`,
      errors: [{ messageId: "optionalReceiver", line: 6, column: 5, data: { call: "this.ctx?.target.dispatchEvent(…)", receiver: "this.ctx" } }],
    },
    {
      name: 'events?.emit("task_started")',
      code: `export function runTask(task: () => void, events?: Manager) {
  events?.emit("task_started");
  task();
}
${decls}`,
      errors: [{ messageId: "optionalReceiver", line: 2, column: 3 }],
    },
    {
      name: 'this.manager ? this.manager.emit("agent_started") : undefined',
      code: `class Agent {
  manager?: Manager;
  start() {
    this.manager ? this.manager.emit("agent_started") : undefined;
  }
}
${decls}`,
      errors: [{ messageId: "ifWithoutElse", line: 4, column: 20 }],
    },
    {
      name: "if (this.socket?.readyState === 1) this.socket.send(data)",
      code: `class Connection {
  socket?: Manager;
  write(data: string) {
    if (this.socket?.readyState === 1) this.socket.send(data);
  }
}
${decls}`,
      errors: [{ messageId: "ifWithoutElse", line: 4, column: 40 }],
    },
    {
      name: "both halves of a dual interface, each guarded by an if without else",
      code: `interface Bridge { emit(event: string): void }
class Registry {
  manager?: Manager;
  bridge?: Bridge;
  started() {
    if (this.manager) this.manager.emit("agent_started");
    if (this.bridge) this.bridge.emit("agent_started");
  }
}
${decls}`,
      errors: [
        { messageId: "ifWithoutElse", line: 6, column: 23 },
        { messageId: "ifWithoutElse", line: 7, column: 22 },
      ],
    },
    {
      name: 'readonly onDone = () => this.manager?.emit("agent_completed")',
      code: `class Agent {
  manager?: Manager;
  readonly onDone = () => this.manager?.emit("agent_completed");
}
${decls}`,
      errors: [{ messageId: "optionalReceiver", line: 3, column: 27 }],
    },
    {
      name: "client.socket.send(text)",
      code: `interface Client { socket?: Manager }
function broadcast(clients: Client[], text: string) {
  for (const client of clients) {
    if (!client.socket) continue;
    client.socket.send(text);
  }
}
${decls}`,
      errors: [{ messageId: "earlyReturn", line: 5, column: 5 }],
    },
    {
      name: 'this.manager.emit("agent_started") (3)',
      code: `class Agent {
  manager?: Manager;
  start() {
    if (this.manager) {
      this.manager.emit("agent_started");
    } else {
    }
  }
}
${decls}`,
      errors: [{ messageId: "ifWithoutElse", line: 5, column: 7 }],
    },
    {
      name: 'if (manager) manager.emit("agent_started")',
      code: `declare const registry: Map<string, Manager>;
function start() {
  const manager = registry.get("agents");
  if (manager) manager.emit("agent_started");
}
${decls}`,
      errors: [{ messageId: "ifWithoutElse", line: 4, column: 16, data: { call: "manager.emit(…)", receiver: "manager" } }],
    },
    {
      name: 'void this.manager?.emit("agent_started")',
      code: `class Agent {
  manager?: Manager;
  start() {
    void this.manager?.emit("agent_started");
  }
}
${decls}`,
      errors: [{ messageId: "optionalReceiver", line: 4, column: 10 }],
    },
    {
      name: 'if (this.enabled && this.manager) this.manager.emit("agent_started")',
      code: `class Agent {
  enabled = true;
  manager?: Manager;
  start() {
    if (this.enabled && this.manager) this.manager.emit("agent_started");
  }
}
${decls}`,
      errors: [{ messageId: "ifWithoutElse", line: 5, column: 39 }],
    },
    {
      name: 'await hub?.SendAsync("hello")',
      code: `interface Hub { SendAsync(text: string): Promise<void> }
export async function greet(hub: Hub | undefined) {
  await hub?.SendAsync("hello");
}`,
      errors: [{ messageId: "optionalReceiver", line: 3, column: 9 }],
    },
    {
      name: "a then-branch that leaves, with nothing after the if",
      code: `class Connection {
  socket?: Manager;
  write(data: string) {
    if (this.socket) {
      this.socket.send(data);
      return;
    }
  }
}
${decls}`,
      errors: [{ messageId: "ifWithoutElse", line: 5, column: 7 }],
    },
    {
      name: "a bare break in a switch",
      code: `function route(kind: string, manager: Manager | undefined) {
  switch (kind) {
    case "start":
      if (!manager) break;
      manager.emit("agent_started");
      break;
  }
}
${decls}`,
      errors: [{ messageId: "earlyReturn", line: 5, column: 7 }],
    },
    {
      name: "a deferred emission that nothing retries after the receiver is assigned",
      code: `/// <reference lib="dom" />
class Relations {
  private target?: Manager;
  private count = 0;
  setTarget(target: Manager | undefined, other: Manager) {
    this.maybeAnnounce();
    this.target = target ?? other;
  }
  reset() {
    this.target = undefined;
    this.maybeAnnounce();
  }
  later(target: Manager) {
    this.target = target;
    setTimeout(() => this.other(), 0);
  }
  private other(): void {
    this.maybeAnnounce();
  }
  private maybeAnnounce(): void {
    if (!this.target) return;
    this.target.emit("created", this.count);
  }
}
${decls}`,
      errors: [{ messageId: "earlyReturn", line: 22, column: 5 }],
    },
    {
      name: "a send method with a payload, called again after the socket is assigned, does not send the skipped message",
      code: `class Connection {
  private ws: Manager | null = null;
  connect(factory: () => Manager) {
    this.ws = factory();
    this.send("hello");
  }
  send(text: string): void {
    if (!this.ws) return;
    this.ws.send(text);
  }
  readonly post = (text: string) => {
    this.ws?.emit("post", text);
  };
  reconnect(factory: () => Manager) {
    this.ws = factory();
    this.post("again");
  }
}
${decls}`,
      errors: [
        { messageId: "earlyReturn", line: 9, column: 5 },
        { messageId: "optionalReceiver", line: 12, column: 5 },
      ],
    },
    {
      name: "a deferred flush that takes its items off the queue before it looks at the receiver loses them",
      code: `class Outbox {
  private bus?: Manager;
  private readonly queue: string[] = [];
  private flushes = 0;
  attach(bus: Manager) {
    this.bus = bus;
    this.flush();
    this.count();
  }
  private flush(): void {
    let item: string | undefined;
    while ((item = this.queue.shift()) !== undefined) {
      if (!this.bus) continue;
      this.bus.send(item);
    }
  }
  private count(): void {
    this.flushes++;
    this.bus?.emit("flushed", this.flushes);
  }
}
${decls}`,
      errors: [
        { messageId: "earlyReturn", line: 14, column: 7 },
        { messageId: "optionalReceiver", line: 19, column: 5 },
      ],
    },
    {
      name: "a retry of another member does not excuse this one",
      code: `class Relations {
  private target?: Manager;
  setTarget(target: Manager) {
    this.target = target;
    this.announceCreated();
  }
  private announceCreated(): void {
    this.target?.emit("created");
  }
  announceRemoved(): void {
    this.target?.emit("removed");
  }
}
${decls}`,
      errors: [{ messageId: "optionalReceiver", line: 11, column: 5 }],
    },
    {
      name: "argument-free notifications whose implementation reaches someone else stay reported",
      code: `/// <reference lib="dom" />
interface Socket { send(text: string): void }
interface Sink { push(): void }
class Presence {
  private readonly listeners = new Set<() => void>();
  constructor(private readonly socket: Socket, private readonly sink: Sink, private readonly onIdle: () => void) {}
  notifyOnline() {
    this.socket.send("online");
  }
  notifyAway() {
    this.listeners.forEach((listener) => listener());
  }
  notifyIdle() {
    this.onIdle();
  }
  notifyBusy() {
    this.sink.push();
  }
  notifyGone() {
    setTimeout(this.onIdle, 10);
  }
  notifyServer() {
    void fetch("/presence");
  }
  notifyDeep() {
    this.relay();
  }
  private relay() {
    this.notifyOnline();
  }
}
class Client {
  presence?: Presence;
  update() {
    this.presence?.notifyOnline();
    this.presence?.notifyAway();
    this.presence?.notifyIdle();
    this.presence?.notifyBusy();
    this.presence?.notifyGone();
    this.presence?.notifyServer();
    this.presence?.notifyDeep();
  }
}`,
      errors: [
        { messageId: "optionalReceiver", line: 35, column: 5 },
        { messageId: "optionalReceiver", line: 36, column: 5 },
        { messageId: "optionalReceiver", line: 37, column: 5 },
        { messageId: "optionalReceiver", line: 38, column: 5 },
        { messageId: "optionalReceiver", line: 39, column: 5 },
        { messageId: "optionalReceiver", line: 40, column: 5 },
        { messageId: "optionalReceiver", line: 41, column: 5 },
      ],
    },
    {
      name: "a notification with a payload, or on a receiver whose implementation is not visible, stays reported",
      code: `interface Tracker { notifyConnected(): void }
class Queue {
  private readonly items: string[] = [];
  notifyItem(item: string) {
    this.items.push(item);
  }
}
class Room {
  tracker: Tracker | undefined;
  queue: Queue | null = null;
  connected() {
    if (this.tracker) this.tracker.notifyConnected();
    this.queue?.notifyItem("connected");
  }
}`,
      errors: [
        { messageId: "ifWithoutElse", line: 12, column: 23 },
        { messageId: "optionalReceiver", line: 13, column: 5 },
      ],
    },
    {
      name: "receiver type from another file",
      code: `import type { WebSocketManager } from "./manager.js";
export class AgentRegistry {
  private manager: WebSocketManager | undefined;
  setWebSocketManager(manager: WebSocketManager) {
    this.manager = manager;
  }
  agentStarted(runId: string) {
    this.manager?.emitEvent("agent_started", { runId });
  }
}`,
      files: { "src/manager.ts": `export interface WebSocketManager { emitEvent(type: string, data: unknown): void }\n` },
      errors: [{ messageId: "optionalReceiver", line: 8, column: 5 }],
    },
    {
      name: "emit on a field that carries events, and send on a looked-up source, stay reported",
      code: `interface Peer { on(event: string, fn: () => void): void; emit(event: string): void; send(data: string): void }
class Call {
  socket?: Peer;
  peers = new Map<string, Peer>();
  onMuted(id: string, manager: Manager | undefined) {
    this.socket?.emit("muted");
    this.peers.get(id)?.send("muted");
    manager?.emit("muted");
  }
}
${decls}`,
      errors: [
        { messageId: "optionalReceiver", line: 6, column: 5 },
        { messageId: "optionalReceiver", line: 7, column: 5 },
        { messageId: "optionalReceiver", line: 8, column: 5 },
      ],
    },
    {
      name: "a ! after the emission, on another receiver, or in another branch, does not excuse it",
      code: `declare function makeClient(): Manager | undefined;
function scenario(other: Manager | undefined, third: Manager | undefined, flush: boolean) {
  const client = makeClient();
  other!.emit("start");
  client?.emit("ready");
  client!.emit("late");
  if (flush) {
    third!.send("queued");
  }
  third?.send("now");
}
${decls}`,
      errors: [
        { messageId: "optionalReceiver", line: 5, column: 3 },
        { messageId: "optionalReceiver", line: 10, column: 3 },
      ],
    },
  ],
};

export default table;
