import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadContract } from "../../contracts/index.js";
import type { Contract } from "../../contracts/model.js";
import { importGeneratedLifecycles, type GeneratedLifecycle } from "../utils/generated-lifecycle.js";

/**
 * The generated role endpoints (`create<Name>Server`, `create<Name>Client`) of a contract with
 * event-taken transitions, state timeouts, out-of-state policies and runs, driven with a fake
 * clock and an injected close; imported for real from the generated `<name>.lifecycle.ts`.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Message {
  type: string;
  data: Record<string, unknown>;
}
type Received =
  { kind: "deliver"; message: Message } | { kind: "held" } | { kind: "ignored"; event: string } | { kind: "refused"; code: number; reason: string };

interface Endpoint {
  readonly role: string;
  readonly state: string;
  readonly pending: number;
  readonly held: number;
  readonly closed: { code: number; reason: string } | undefined;
  transition(name: string): string;
  emit(event: string, payload: unknown): "sent" | "queued";
  receive(raw: string): Received;
  drain(): Message[];
  drainHeld(): Message[];
  close(code?: number, reason?: string): void;
}

interface EndpointOptions {
  send: (text: string) => void;
  close: (code: number, reason: string) => void;
  onUndelivered?: (messages: Message[]) => void;
  onDeliver?: (message: Message) => void;
  onHeldDropped?: (messages: Message[]) => void;
  clock?: FakeClock;
  monitor?: { observe(message: Message): void };
  maxHeld?: number;
  onUnknownEvent?: (event: string) => void;
}

interface RelayModule extends GeneratedLifecycle {
  createRelayServer(options: EndpointOptions): Endpoint;
  createRelayClient(options: EndpointOptions): Endpoint;
  createRelayRunMonitor(): { observe(message: Message): void; violations(): { message: string }[] };
}

/** setTimeout/clearTimeout over a time that moves only when the test says. */
class FakeClock {
  now = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private next = 1;
  setTimeout(callback: () => void, ms: number): number {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get armed(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
}

let relay: RelayModule;

beforeAll(async () => {
  const contract = loadContract(path.join(repo, "test/contracts/generate/relay.contract.yaml"));
  relay = (await importGeneratedLifecycles<RelayModule>([contract], "endpoints")).get("relay")!;
});

const wire = (type: string, data: unknown = {}): string => JSON.stringify({ type, data });

/** A server endpoint with everything it does recorded. */
function server(extra: Partial<EndpointOptions> = {}) {
  const sent: Message[] = [];
  const closes: [number, string][] = [];
  const delivered: Message[] = [];
  const dropped: Message[][] = [];
  const clock = new FakeClock();
  const monitor = relay.createRelayRunMonitor();
  const endpoint = relay.createRelayServer({
    send: (text) => sent.push(JSON.parse(text) as Message),
    close: (code, reason) => closes.push([code, reason]),
    onDeliver: (message) => delivered.push(message),
    onHeldDropped: (messages) => dropped.push(messages),
    clock,
    monitor,
    ...extra,
  });
  return { endpoint, sent, closes, delivered, dropped, clock, monitor };
}

describe("create<Name>Server: receive", () => {
  // Each row: messages the client sends (after `setup` events the server emits), what the last receive returns.
  const rows: { name: string; before?: string[]; raw: string; kind: string; code?: number; reason?: RegExp; state?: string }[] = [
    { name: "hello in connecting: delivered, the arrival takes connecting -> greeted", raw: wire("hello", { name: "a" }), kind: "deliver", state: "greeted" },
    { name: "not JSON", raw: "{nope", kind: "refused", code: 4400, reason: /relay: invalid message: message: not valid JSON/ },
    { name: "not an object", raw: "42", kind: "refused", code: 4400, reason: /invalid message/ },
    { name: "an unknown event", raw: wire("teleport"), kind: "refused", code: 4400, reason: /invalid message: type: expected one of/ },
    {
      name: "an event only the server sends: inbound.wrongDirection",
      raw: wire("welcome"),
      kind: "refused",
      code: 4500,
      reason: /"welcome" is not sent by the client/,
    },
    {
      name: "an event only the server sends, also out of state: wrongDirection before the state",
      raw: wire("done", { job_id: "1" }),
      kind: "refused",
      code: 4500,
      reason: /"done" is not sent by the client/,
    },
    {
      name: "an event only the server sends, with a payload its schema rejects: invalid, not wrongDirection",
      raw: wire("done", { job_id: 1 }),
      kind: "refused",
      code: 4400,
      reason: /data\.job_id: expected string/,
    },
    {
      name: "an event only the server sends, with a field its schema does not declare: invalid",
      raw: wire("progress", { job_id: "1", pct: 1.5 }),
      kind: "refused",
      code: 4400,
      reason: /data\.pct/,
    },
    { name: "an event both sides send: delivered, not wrongDirection", raw: wire("ping"), kind: "deliver", state: "connecting" },
    {
      name: "a payload its schema rejects",
      raw: wire("hello", { name: 1 }),
      kind: "refused",
      code: 4400,
      reason: /data\.name: expected string, received number/,
    },
    {
      name: "a field the schema does not declare",
      raw: wire("hello", { name: "a", extra: 1 }),
      kind: "refused",
      code: 4400,
      reason: /data\.extra: unexpected field/,
    },
    {
      name: "a second hello: rejected with its own code",
      before: [wire("hello", { name: "a" })],
      raw: wire("hello", { name: "b" }),
      kind: "refused",
      code: 4429,
      reason: /"hello" is not allowed in state "greeted" \(hello_again\)/,
    },
    { name: "report too early: rejected with inbound.outOfState's code", raw: wire("report"), kind: "refused", code: 4401, reason: /\(too_early\)/ },
    { name: "start too early: held", raw: wire("start", { job_id: "j" }), kind: "held", state: "connecting" },
    { name: "ping in any state: delivered", raw: wire("ping"), kind: "deliver", state: "connecting" },
    {
      name: "ping while a start is held: delivered (a held message blocks nothing)",
      before: [wire("start", { job_id: "j" })],
      raw: wire("ping"),
      kind: "deliver",
    },
    {
      name: "hello while a start is held: delivered, the lifecycle moves on",
      before: [wire("start", { job_id: "j" })],
      raw: wire("hello", { name: "a" }),
      kind: "deliver",
      state: "greeted",
    },
    {
      name: "report while a start is held, not allowed itself: rejected",
      before: [wire("start", { job_id: "j" })],
      raw: wire("report"),
      kind: "refused",
      code: 4401,
    },
  ];
  it.each(rows)("$name", (row) => {
    const { endpoint, closes } = server();
    for (const raw of row.before ?? []) expect(endpoint.receive(raw).kind).not.toBe("refused");
    const result = endpoint.receive(row.raw);
    expect(result.kind).toBe(row.kind);
    if (result.kind === "refused") {
      expect(result.code).toBe(row.code);
      expect(result.reason).toMatch(row.reason ?? /./);
      expect(closes).toHaveLength(1);
      expect(closes[0]![0]).toBe(row.code);
      expect(result.reason.startsWith(closes[0]![1])).toBe(true); // the close frame's reason is cut to 123 bytes
      expect(endpoint.closed).toEqual({ code: row.code, reason: result.reason });
      expect(endpoint.held).toBe(0);
    } else {
      expect(closes).toEqual([]);
      expect(endpoint.closed).toBeUndefined();
    }
    if (result.kind === "deliver") expect(result.message).toEqual(JSON.parse(row.raw));
    if (row.state !== undefined) expect(endpoint.state).toBe(row.state);
  });

  it("held messages stay held, in order, through states that do not allow them", () => {
    const { endpoint, delivered } = server();
    expect(endpoint.receive(wire("start", { job_id: "1" })).kind).toBe("held");
    expect(endpoint.receive(wire("cancel", { job_id: "0" })).kind).toBe("held");
    expect(endpoint.emit("progress", { job_id: "1", pct: 10 })).toBe("queued"); // allowed only in ready
    expect(endpoint.receive(wire("hello", { name: "a" })).kind).toBe("deliver");
    expect(endpoint.state).toBe("greeted");
    expect(endpoint.held).toBe(2);
    expect(endpoint.pending).toBe(1);
    expect(delivered).toEqual([]);
  });

  it("messages emitted early wait in order; hello's arrival sends the queued welcome, whose sending takes greeted -> ready, then the rest, then the held ones are delivered", () => {
    const { endpoint, sent, delivered, monitor } = server();
    expect(endpoint.receive(wire("start", { job_id: "1" })).kind).toBe("held");
    expect(endpoint.emit("welcome", {})).toBe("queued");
    expect(endpoint.emit("progress", { job_id: "1", pct: 10 })).toBe("queued");
    expect(endpoint.receive(wire("cancel", { job_id: "1" })).kind).toBe("held");
    expect(sent).toEqual([]);
    expect(endpoint.receive(wire("hello", { name: "a" })).kind).toBe("deliver");
    expect(endpoint.state).toBe("ready");
    expect(sent.map((m) => m.type)).toEqual(["welcome", "progress"]);
    expect(delivered).toEqual([JSON.parse(wire("start", { job_id: "1" })), JSON.parse(wire("cancel", { job_id: "1" }))]);
    expect(endpoint.held).toBe(0);
    expect(endpoint.pending).toBe(0);
    // The run monitor saw progress (sent) before start (delivered): the run is broken there.
    expect(monitor.violations().map((v) => v.message)).toEqual([
      'run "1": "progress" is not allowed at the start of the run; expected one of "start" (pattern: start progress* (done | cancel))',
    ]);
    // Nothing queued or held now: an allowed message is delivered at once, and emits go out at once.
    expect(endpoint.receive(wire("report")).kind).toBe("deliver");
    expect(endpoint.emit("done", { job_id: "2" })).toBe("sent");
  });

  it("held messages are delivered when the state allows them, before the run goes on: the monitor sees a whole run", () => {
    const { endpoint, sent, delivered, monitor } = server();
    endpoint.receive(wire("hello", { name: "a" }));
    endpoint.receive(wire("start", { job_id: "7" }));
    expect(endpoint.emit("welcome", {})).toBe("sent");
    expect(delivered.map((m) => m.type)).toEqual(["start"]);
    endpoint.emit("progress", { job_id: "7", pct: 50 });
    endpoint.emit("done", { job_id: "7" });
    expect(sent.map((m) => m.type)).toEqual(["welcome", "progress", "done"]);
    expect(monitor.violations()).toEqual([]);
  });

  it("a final state drops held messages: never delivered, handed to onHeldDropped, oldest first", () => {
    const { endpoint, delivered, dropped } = server();
    endpoint.receive(wire("start", { job_id: "1" }));
    endpoint.receive(wire("cancel", { job_id: "1" }));
    endpoint.transition("close");
    expect(endpoint.state).toBe("closed");
    expect(endpoint.held).toBe(0);
    expect(delivered).toEqual([]);
    expect(dropped).toEqual([[JSON.parse(wire("start", { job_id: "1" })), JSON.parse(wire("cancel", { job_id: "1" }))]]);
    // One that arrives in the final state is held and dropped at once.
    expect(endpoint.receive(wire("start", { job_id: "2" })).kind).toBe("held");
    expect(dropped.slice(1)).toEqual([[JSON.parse(wire("start", { job_id: "2" }))]]);
    expect(endpoint.held).toBe(0);
  });

  it("without onHeldDropped, messages held when the connection ends stay for drainHeld()", () => {
    const { endpoint, delivered } = server({ onHeldDropped: undefined });
    endpoint.receive(wire("start", { job_id: "1" }));
    endpoint.receive(wire("cancel", { job_id: "1" }));
    endpoint.transition("close");
    expect(endpoint.held).toBe(2);
    endpoint.close();
    expect(endpoint.held).toBe(2);
    expect(endpoint.drainHeld()).toEqual([JSON.parse(wire("start", { job_id: "1" })), JSON.parse(wire("cancel", { job_id: "1" }))]);
    expect(endpoint.held).toBe(0);
    expect(delivered).toEqual([]);
  });

  // Each row: what ends the connection while start 1 and cancel 1 are held; all end in onHeldDropped, once.
  it.each([
    { name: "close()", end: (e: Endpoint) => e.close(1001, "bye"), code: 1001 },
    { name: "a refusal", end: (e: Endpoint) => e.receive(wire("report")), code: 4401 },
    { name: "an invalid message", end: (e: Endpoint) => e.receive("{"), code: 4400 },
    { name: "a state's timeout", end: (_: Endpoint, clock: FakeClock) => clock.advance(2000), code: 4408 },
  ])("$name while messages are held: they go to onHeldDropped, after the close", ({ end, code }) => {
    const order: string[] = [];
    const { endpoint, clock } = server({
      close: (c) => order.push(`close ${c}`),
      onHeldDropped: (messages) => order.push(`dropped ${messages.map((m) => `${m.type} ${String(m.data.job_id)}`).join(", ")}`),
    });
    endpoint.receive(wire("start", { job_id: "1" }));
    endpoint.receive(wire("cancel", { job_id: "1" }));
    end(endpoint, clock);
    expect(order).toEqual([`close ${code}`, "dropped start 1, cancel 1"]);
    expect(endpoint.held).toBe(0);
    endpoint.close();
    expect(order).toHaveLength(2);
  });

  it("held messages the state allows are not dropped: a final state that comes later drops only what is left", () => {
    const { endpoint, delivered, dropped } = server();
    endpoint.receive(wire("start", { job_id: "1" }));
    endpoint.receive(wire("hello", { name: "a" }));
    endpoint.emit("welcome", {});
    expect(delivered.map((m) => m.type)).toEqual(["start"]);
    endpoint.transition("close");
    expect(dropped).toEqual([]);
  });

  it("onDeliver may emit: the reply goes out after the delivery, and later held messages follow", () => {
    const order: string[] = [];
    const sent: Message[] = [];
    const endpoint: Endpoint = relay.createRelayServer({
      send: (text) => {
        const message = JSON.parse(text) as Message;
        sent.push(message);
        order.push(`sent ${message.type}`);
      },
      close: () => undefined,
      clock: new FakeClock(),
      onDeliver: (message) => {
        order.push(`delivered ${message.type}`);
        if (message.type === "start") endpoint.emit("progress", { job_id: String(message.data.job_id), pct: 0 });
      },
    });
    endpoint.receive(wire("hello", { name: "a" }));
    endpoint.receive(wire("start", { job_id: "1" }));
    endpoint.receive(wire("start", { job_id: "2" }));
    endpoint.emit("welcome", {});
    expect(order).toEqual(["sent welcome", "delivered start", "sent progress", "delivered start", "sent progress"]);
  });

  describe("onDeliver throwing while held messages are released", () => {
    /** A server whose onDeliver throws for the jobs named in `failing`; what it was given, in order. */
    function failingServer(failing: string[]) {
      const given: string[] = [];
      const made = server({
        onDeliver: (message) => {
          given.push(`${message.type} ${String(message.data.job_id ?? message.data.name)}`);
          if (failing.includes(String(message.data.job_id))) throw new Error(`handler failed on ${String(message.data.job_id)}`);
        },
      });
      return { ...made, given };
    }

    it("one throws: the others are still delivered, in order, then its error comes out of the call that released them", () => {
      const { endpoint, given, sent, dropped } = failingServer(["2"]);
      for (const job of ["1", "2", "3"]) endpoint.receive(wire("start", { job_id: job }));
      endpoint.receive(wire("cancel", { job_id: "1" }));
      endpoint.receive(wire("hello", { name: "a" }));
      expect(() => endpoint.emit("welcome", {})).toThrow("handler failed on 2");
      expect(given).toEqual(["start 1", "start 2", "start 3", "cancel 1"]);
      expect(sent.map((m) => m.type)).toEqual(["welcome"]); // the emit happened
      expect([endpoint.state, endpoint.held, endpoint.closed]).toEqual(["ready", 0, undefined]);
      // A later message comes after them all.
      expect(endpoint.receive(wire("start", { job_id: "4" }))).toMatchObject({ kind: "deliver" });
      expect(dropped).toEqual([]);
    });

    it("several throw: every message is delivered once, and one error lists them all", () => {
      const { endpoint, given } = failingServer(["1", "3"]);
      for (const job of ["1", "2", "3"]) endpoint.receive(wire("start", { job_id: job }));
      endpoint.receive(wire("hello", { name: "a" }));
      let thrown: unknown;
      try {
        endpoint.transition("welcome");
      } catch (error) {
        thrown = error;
      }
      expect(given).toEqual(["start 1", "start 2", "start 3"]);
      expect((thrown as Error).message).toBe("relay: 2 errors while delivering held messages (the first: handler failed on 1)");
      expect((thrown as { errors: Error[] }).errors.map((e) => e.message)).toEqual(["handler failed on 1", "handler failed on 3"]);
    });

    it("released by a receive that delivers its own message: that message goes to onDeliver too, after the held ones, before receive throws", () => {
      const { endpoint, given, sent } = failingServer(["1"]);
      endpoint.receive(wire("start", { job_id: "1" }));
      endpoint.receive(wire("start", { job_id: "2" }));
      expect(endpoint.emit("welcome", {})).toBe("queued"); // allowed in greeted: hello's arrival sends it, which moves to ready
      expect(() => endpoint.receive(wire("hello", { name: "a" }))).toThrow("handler failed on 1");
      expect(sent.map((m) => m.type)).toEqual(["welcome"]);
      expect(given).toEqual(["start 1", "start 2", "hello a"]);
      expect(endpoint.state).toBe("ready");
    });

    it("nothing throws: receive returns its own message, which onDeliver does not get", () => {
      const { endpoint, given } = failingServer([]);
      endpoint.receive(wire("start", { job_id: "1" }));
      endpoint.emit("welcome", {});
      expect(endpoint.receive(wire("hello", { name: "a" }))).toMatchObject({ kind: "deliver", message: { type: "hello" } });
      expect(given).toEqual(["start 1"]);
    });

    it("onDeliver closes the endpoint: the rest is not delivered, it goes to onHeldDropped", () => {
      const given: string[] = [];
      const dropped: Message[][] = [];
      const endpoint: Endpoint = relay.createRelayServer({
        send: () => undefined,
        close: () => undefined,
        clock: new FakeClock(),
        onDeliver: (message) => {
          given.push(String(message.data.job_id));
          endpoint.close(4000, "enough");
        },
        onHeldDropped: (messages) => dropped.push(messages),
      });
      for (const job of ["1", "2"]) endpoint.receive(wire("start", { job_id: job }));
      endpoint.receive(wire("hello", { name: "a" }));
      endpoint.emit("welcome", {});
      expect(given).toEqual(["1"]);
      expect(dropped).toEqual([[JSON.parse(wire("start", { job_id: "2" }))]]);
    });

    it("the call's own error and onDeliver's both come out, the call's first; the held message is still delivered", () => {
      const given: string[] = [];
      const endpoint: Endpoint = relay.createRelayServer({
        send: () => {
          throw new Error("socket closed");
        },
        close: () => undefined,
        clock: new FakeClock(),
        onDeliver: (message) => {
          given.push(String(message.data.job_id));
          throw new Error("handler failed");
        },
      });
      endpoint.receive(wire("start", { job_id: "1" }));
      endpoint.receive(wire("hello", { name: "a" }));
      endpoint.emit("progress", { job_id: "0", pct: 1 }); // queued: allowed in ready
      let thrown: unknown;
      try {
        endpoint.transition("welcome"); // moves to ready; its flush's send throws
      } catch (error) {
        thrown = error;
      }
      expect(endpoint.state).toBe("ready");
      expect(given).toEqual(["1"]);
      expect((thrown as { errors: Error[] }).errors.map((e) => e.message)).toEqual(["socket closed", "handler failed"]);
      expect(endpoint.pending).toBe(1); // the message whose send threw stays first in the queue
    });
  });

  it("a server whose contract holds events needs onDeliver", () => {
    expect(() => relay.createRelayServer({ send: () => undefined, close: () => undefined, clock: new FakeClock() })).toThrow(
      'relay: the contract holds "start" until a state allows it: pass onDeliver, which receives held messages then',
    );
  });

  it("after a refusal: receive refuses without closing again, emit throws, queued messages go to onUndelivered", () => {
    const undelivered: Message[][] = [];
    const { endpoint, closes } = server({ onUndelivered: (messages) => undelivered.push(messages) });
    expect(endpoint.emit("progress", { job_id: "1", pct: 1 })).toBe("queued");
    expect(endpoint.receive(wire("report"))).toMatchObject({ kind: "refused", code: 4401 });
    expect(undelivered).toEqual([[{ type: "progress", data: { job_id: "1", pct: 1 } }]]);
    expect(endpoint.pending).toBe(0);
    expect(endpoint.receive(wire("hello", { name: "a" }))).toMatchObject({ kind: "refused", code: 4401, reason: /the endpoint closed/ });
    expect(closes).toHaveLength(1);
    expect(() => endpoint.emit("ping", {})).toThrow(relay.LifecycleError);
    expect(() => endpoint.emit("ping", {})).toThrow('relay: cannot emit "ping": the endpoint closed with 4401');
  });

  it("without onUndelivered, queued messages stay for drain() after a close", () => {
    const { endpoint } = server();
    endpoint.emit("done", { job_id: "1" });
    endpoint.close(1000, "bye");
    expect(endpoint.closed).toEqual({ code: 1000, reason: "bye" });
    expect(endpoint.drain()).toEqual([{ type: "done", data: { job_id: "1" } }]);
  });

  it("refuses to emit what only the client sends (a ContractError, nothing sent)", () => {
    const { endpoint, sent } = server();
    expect(() => endpoint.emit("hello", { name: "x" })).toThrow(relay.ContractError);
    expect(() => endpoint.emit("hello", { name: "x" })).toThrow('relay: the server cannot emit "hello": only the client sends it');
    expect(sent).toEqual([]);
  });

  it("cuts the close frame's reason to 123 bytes, never inside a character, and keeps it whole in the result", () => {
    const { endpoint, closes } = server();
    const result = endpoint.receive(wire("hello", { ["é".repeat(100)]: 1, name: "a" }));
    expect(result.kind).toBe("refused");
    const [[, reason]] = closes as [[number, string]];
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    expect((result as { reason: string }).reason.startsWith(reason)).toBe(true);
    expect(reason.length).toBeLessThan((result as { reason: string }).reason.length);
  });
});

describe("create<Name>Server: hostile and failing peers", () => {
  it("holds at most maxHeld messages: one more is refused with 1008", () => {
    const { endpoint, closes } = server({ maxHeld: 3 });
    for (let i = 0; i < 3; i++) expect(endpoint.receive(wire("start", { job_id: String(i) })).kind).toBe("held");
    expect(endpoint.receive(wire("start", { job_id: "3" }))).toMatchObject({
      kind: "refused",
      code: 1008,
      reason: "relay: more than 3 messages held for a state that allows them",
    });
    expect(closes).toHaveLength(1);
    expect(endpoint.held).toBe(0);
  });

  it("holds 1000 by default", () => {
    const { endpoint } = server();
    for (let i = 0; i < 1000; i++) endpoint.receive(wire("cancel", { job_id: String(i) }));
    expect(endpoint.held).toBe(1000);
    expect(endpoint.receive(wire("cancel", { job_id: "x" }))).toMatchObject({ kind: "refused", code: 1008 });
  });

  it("a send that throws while an arrival's transition flushes the queue: the error comes out of receive, the state has moved and its timer runs", () => {
    let fail = false;
    const { endpoint, closes, clock } = server({
      send: () => {
        if (fail) throw new Error("socket closed");
      },
    });
    endpoint.emit("welcome", {});
    fail = true;
    expect(() => endpoint.receive(wire("hello", { name: "a" }))).toThrow("socket closed");
    expect(endpoint.state).toBe("greeted");
    expect(endpoint.pending).toBe(1); // not sent: first in the queue again
    clock.advance(5000);
    expect(closes).toEqual([[4409, 'relay: state "greeted" lasted longer than 5s (welcome_timeout)']]);
  });

  it("a transition the state does not have throws and leaves the timer as it was", () => {
    const { endpoint, closes, clock } = server();
    clock.advance(1000);
    expect(() => endpoint.transition("welcome")).toThrow(relay.LifecycleError);
    clock.advance(1000);
    expect(closes).toEqual([[4408, 'relay: state "connecting" lasted longer than 2s (hello_timeout)']]);
  });
});

describe("create<Name>Server: held messages, a seeded property test", () => {
  /** mulberry32: a small seeded generator, so that a failing run can be replayed. */
  function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // 400 random runs: client messages arrive early and late, the server moves on (welcome, close), onDeliver throws
  // a third of the time, and the connection ends in any state. Every start or cancel the endpoint took (held or
  // delivered) reaches the application exactly once, by onDeliver, a returned deliver, onHeldDropped or drainHeld();
  // the ones it delivers come in arrival order; a refused one never comes.
  it.each(Array.from({ length: 400 }, (_, i) => [i + 1]))("seed %i", (seed) => {
    const next = random(seed);
    const withDropped = next() < 0.5;
    const seen: number[] = [];
    const dropped: number[] = [];
    const refused = new Set<number>();
    const taken = new Set<number>();
    /** hello is delivered at once, never held: when its arrival releases held messages and onDeliver throws, it goes to onDeliver too. */
    const hellos = { taken: 0, seen: 0 };
    const job = (message: Message): number | undefined => (message.type === "start" || message.type === "cancel" ? Number(message.data.job_id) : undefined);
    const endpoint: Endpoint = relay.createRelayServer({
      send: () => undefined,
      close: () => undefined,
      clock: new FakeClock(),
      onDeliver: (message) => {
        const id = job(message);
        if (id !== undefined) seen.push(id);
        if (message.type === "hello") hellos.seen++;
        if (next() < 0.33) throw new Error("the handler failed");
      },
      ...(withDropped ? { onHeldDropped: (messages: Message[]) => dropped.push(...messages.map((m) => job(m)!)) } : {}),
    });
    let id = 0;
    for (let step = 0; step < 30; step++) {
      const roll = next();
      try {
        if (roll < 0.55) {
          const n = ++id;
          const result = endpoint.receive(wire(next() < 0.7 ? "start" : "cancel", { job_id: String(n) }));
          if (result.kind === "refused") refused.add(n);
          else taken.add(n);
          if (result.kind === "deliver") seen.push(n);
        } else if (roll < 0.7) {
          const result = endpoint.receive(wire("hello", { name: "a" }));
          if (result.kind === "deliver") hellos.seen++;
          if (result.kind !== "refused") hellos.taken++;
        } else if (roll < 0.85) endpoint.emit("welcome", {});
        else if (roll < 0.92) endpoint.transition("close");
        else if (roll < 0.95) endpoint.close();
        else endpoint.receive(wire("ping"));
      } catch {
        // The handler's error (or a refused transition); a job whose receive threw was taken: it reached onDeliver.
        if (roll < 0.55 && !refused.has(id)) taken.add(id);
        if (roll >= 0.55 && roll < 0.7) hellos.taken++;
      }
    }
    endpoint.close();
    const drained = endpoint.drainHeld().map((m) => job(m)!);
    const all = [...seen, ...dropped, ...drained].sort((a, b) => a - b);
    expect(all).toEqual([...taken].sort((a, b) => a - b));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(all.filter((n) => refused.has(n))).toEqual([]);
    expect(endpoint.held).toBe(0);
    expect(hellos.seen).toBe(hellos.taken);
  });
});

describe("create<Name>Server: timeouts", () => {
  it("closes with the state's code when the state lasts longer than its timeout", () => {
    const { endpoint, closes, clock } = server();
    clock.advance(1999);
    expect(closes).toEqual([]);
    clock.advance(1);
    expect(closes).toEqual([[4408, 'relay: state "connecting" lasted longer than 2s (hello_timeout)']]);
    expect(endpoint.receive(wire("hello", { name: "a" }))).toMatchObject({ kind: "refused", code: 4408 });
  });

  it("leaving the state in time stops its timer and starts the next state's", () => {
    const { endpoint, closes, clock } = server();
    clock.advance(1500);
    endpoint.receive(wire("hello", { name: "a" }));
    clock.advance(4999);
    expect(closes).toEqual([]);
    clock.advance(1);
    expect(closes).toEqual([[4409, 'relay: state "greeted" lasted longer than 5s (welcome_timeout)']]);
  });

  it("a state without a timeout arms none; closing stops the timer", () => {
    const { endpoint, closes, clock } = server();
    endpoint.receive(wire("hello", { name: "a" }));
    endpoint.emit("welcome", {});
    expect(endpoint.state).toBe("ready");
    expect(clock.armed).toBe(0);
    clock.advance(60_000);
    expect(closes).toEqual([]);
    const second = server();
    second.endpoint.close();
    expect(second.clock.armed).toBe(0);
    expect(second.closes).toEqual([[1000, ""]]);
  });
});

describe("create<Name>Client", () => {
  function client() {
    const sent: Message[] = [];
    const closes: [number, string][] = [];
    const clock = new FakeClock();
    const monitor = relay.createRelayRunMonitor();
    const endpoint = relay.createRelayClient({
      send: (text) => sent.push(JSON.parse(text) as Message),
      close: (code, reason) => closes.push([code, reason]),
      clock,
      monitor,
    });
    return { endpoint, sent, closes, clock, monitor };
  }

  it("its own hello's sending takes connecting -> greeted; the server's welcome arriving takes greeted -> ready", () => {
    const { endpoint, sent, monitor } = client();
    expect(endpoint.emit("hello", { name: "a" })).toBe("sent");
    expect(endpoint.state).toBe("greeted");
    expect(endpoint.emit("start", { job_id: "1" })).toBe("queued"); // allowed only in ready
    expect(endpoint.receive(wire("welcome"))).toEqual({ kind: "deliver", message: { type: "welcome", data: {} } });
    expect(endpoint.state).toBe("ready");
    expect(sent.map((m) => m.type)).toEqual(["hello", "start"]);
    expect(endpoint.receive(wire("progress", { job_id: "1", pct: 50 })).kind).toBe("deliver");
    expect(monitor.violations().map((v) => v.message)).toEqual([
      'run "1" has not completed: after start progress, expected one of "progress", "done", "cancel" (pattern: start progress* (done | cancel))',
    ]);
    expect(endpoint.receive(wire("done", { job_id: "1" })).kind).toBe("deliver");
    expect(monitor.violations()).toEqual([]);
  });

  it("refuses what only the client sends with the invalid-message code (inbound.wrongDirection is the server's), and emits only its own direction", () => {
    const { endpoint, closes } = client();
    expect(() => endpoint.emit("progress", { job_id: "1", pct: 1 })).toThrow('relay: the client cannot emit "progress": only the server sends it');
    expect(endpoint.receive(wire("hello", { name: "a" }))).toMatchObject({ kind: "refused", code: 4400, reason: 'relay: "hello" is not sent by the server' });
    expect(closes).toHaveLength(1);
  });

  it("delivers a server message in any state (the server keeps the lifecycle), and times out as the server does", () => {
    const { endpoint, closes, clock } = client();
    expect(endpoint.receive(wire("done", { job_id: "1" })).kind).toBe("deliver");
    expect(endpoint.state).toBe("connecting");
    clock.advance(2000);
    expect(closes).toEqual([[4408, 'relay: state "connecting" lasted longer than 2s (hello_timeout)']]);
  });
});

describe("an open event union (openness.events): receive ignores an event name the contract does not declare", () => {
  interface RoomModule extends GeneratedLifecycle {
    createVectorRoomServer(options: EndpointOptions): Endpoint;
    createVectorRoomClient(options: EndpointOptions): Endpoint;
  }
  // vector-room: client-to-server open, server-to-client closed; "both open" overrides the latter; "closed" declares neither.
  let rooms: Map<string, RoomModule>;
  beforeAll(async () => {
    const contract = loadContract(path.join(repo, "test/contracts/generate/vectors.contract.yaml"));
    const variants: [string, Contract][] = [
      ["one open", contract],
      ["both open", { ...contract, openness: { events: { "server-to-client": "open", "client-to-server": "open" }, enums: "closed" } }],
      ["closed", { ...contract, openness: { events: { "server-to-client": "closed", "client-to-server": "closed" }, enums: "closed" } }],
    ];
    rooms = new Map();
    for (const [name, variant] of variants) {
      rooms.set(name, (await importGeneratedLifecycles<RoomModule>([variant], `endpoints-open/${name.replace(" ", "-")}`)).get("vector-room")!);
    }
  });

  function endpoint(variant: string, role: "server" | "client", extra: Partial<EndpointOptions> = {}) {
    const closes: [number, string][] = [];
    const unknown: string[] = [];
    const observed: Message[] = [];
    const room = rooms.get(variant)!;
    const options: EndpointOptions = {
      send: () => undefined,
      close: (code, reason) => closes.push([code, reason]),
      onDeliver: () => undefined,
      onUnknownEvent: (event) => unknown.push(event),
      monitor: { observe: (message) => observed.push(message) },
      ...extra,
    };
    return { endpoint: role === "server" ? room.createVectorRoomServer(options) : room.createVectorRoomClient(options), closes, unknown, observed };
  }

  const rows: { name: string; variant: string; role: "server" | "client"; raw: string; kind: string; reason?: RegExp }[] = [
    { name: "server, open union: an unknown name is ignored", variant: "one open", role: "server", raw: wire("shout", { loud: true }), kind: "ignored" },
    {
      name: "server, open union: its payload is not looked at",
      variant: "one open",
      role: "server",
      raw: JSON.stringify({ type: "shout", data: 7, extra: 1 }),
      kind: "ignored",
    },
    { name: "server, open union: a name Object.prototype has is unknown too", variant: "one open", role: "server", raw: wire("constructor"), kind: "ignored" },
    { name: "server, open union: __proto__ as a name", variant: "one open", role: "server", raw: '{"type":"__proto__","data":{}}', kind: "ignored" },
    {
      name: "server, open union: a known event with a bad payload is refused",
      variant: "one open",
      role: "server",
      raw: wire("ping", { nonce: "x" }),
      kind: "refused",
      reason: /data\.nonce: expected number, received string/,
    },
    {
      name: "server, open union: a declared event only the server sends is refused",
      variant: "one open",
      role: "server",
      raw: wire("update", { tag: "red" }),
      kind: "refused",
      reason: /"update" is not sent by the client/,
    },
    {
      name: "server, open union: a name that is not a string is refused",
      variant: "one open",
      role: "server",
      raw: JSON.stringify({ type: 7, data: {} }),
      kind: "refused",
      reason: /invalid message: type:/,
    },
    { name: "server, open union: not JSON is refused", variant: "one open", role: "server", raw: "{nope", kind: "refused", reason: /not valid JSON/ },
    {
      name: "client, its union closed (the server's is open): refused",
      variant: "one open",
      role: "client",
      raw: wire("shout"),
      kind: "refused",
      reason: /invalid message: type: expected one of/,
    },
    { name: "client, both unions open: ignored", variant: "both open", role: "client", raw: wire("shout"), kind: "ignored" },
    { name: "server, both unions open: ignored", variant: "both open", role: "server", raw: wire("shout"), kind: "ignored" },
    {
      name: "server, closed contract: refused with the invalid-message code",
      variant: "closed",
      role: "server",
      raw: wire("shout"),
      kind: "refused",
      reason: /invalid message: type: expected one of/,
    },
    {
      name: "client, closed contract: refused with the invalid-message code",
      variant: "closed",
      role: "client",
      raw: wire("shout"),
      kind: "refused",
      reason: /invalid message: type: expected one of/,
    },
  ];
  it.each(rows)("$name", (row) => {
    const { endpoint: ep, closes, unknown, observed } = endpoint(row.variant, row.role);
    const result = ep.receive(row.raw);
    expect(result.kind).toBe(row.kind);
    if (result.kind === "ignored") {
      const event = (JSON.parse(row.raw) as { type: string }).type;
      expect(result).toEqual({ kind: "ignored", event });
      expect(unknown).toEqual([event]);
      expect(closes).toEqual([]);
      expect(ep.closed).toBeUndefined();
      expect(ep.state).toBe("connecting");
      expect(observed).toEqual([]);
    } else {
      expect(unknown).toEqual([]);
      expect(result).toMatchObject({ kind: "refused", code: 1008 }); // vector-room declares no invalidClose: 1008
      if (result.kind === "refused") expect(result.reason).toMatch(row.reason!);
      expect(closes.map(([code]) => code)).toEqual([1008]);
    }
  });

  it("the endpoint goes on after an ignored message: a held message stays held, the next one takes its transition (relay, its client union opened)", async () => {
    const contract = loadContract(path.join(repo, "test/contracts/generate/relay.contract.yaml"));
    const open: Contract = { ...contract, openness: { events: { "server-to-client": "closed", "client-to-server": "open" }, enums: "closed" } };
    const openRelay = (await importGeneratedLifecycles<RelayModule>([open], "endpoints-open/relay")).get("relay")!;
    const delivered: Message[] = [];
    const unknown: string[] = [];
    const ep = openRelay.createRelayServer({
      send: () => undefined,
      close: () => undefined,
      onDeliver: (message) => delivered.push(message),
      onUnknownEvent: (event) => unknown.push(event),
      clock: new FakeClock(),
    });
    expect(ep.receive(wire("start", { job_id: "j" })).kind).toBe("held");
    expect(ep.receive(wire("teleport"))).toEqual({ kind: "ignored", event: "teleport" });
    expect([ep.held, ep.state, ep.closed]).toEqual([1, "connecting", undefined]);
    expect(ep.receive(wire("hello", { name: "a" })).kind).toBe("deliver");
    expect(ep.state).toBe("greeted");
    expect(unknown).toEqual(["teleport"]);
  });

  it("without onUnknownEvent the message is ignored all the same", () => {
    const { endpoint: ep, closes } = endpoint("one open", "server", { onUnknownEvent: undefined });
    expect(ep.receive(wire("shout"))).toEqual({ kind: "ignored", event: "shout" });
    expect(closes).toEqual([]);
  });

  it("an exception onUnknownEvent throws comes out of receive; the endpoint stays open", () => {
    const { endpoint: ep, closes } = endpoint("one open", "server", {
      onUnknownEvent: () => {
        throw new Error("boom");
      },
    });
    expect(() => ep.receive(wire("shout"))).toThrow("boom");
    expect(closes).toEqual([]);
    expect(ep.closed).toBeUndefined();
  });

  it("after the endpoint closed, an unknown name is refused with the code it closed with (onUnknownEvent is not told)", () => {
    const { endpoint: ep, unknown } = endpoint("one open", "server");
    ep.close(4000, "bye");
    expect(ep.receive(wire("shout"))).toMatchObject({ kind: "refused", code: 4000 });
    expect(unknown).toEqual([]);
  });
});
