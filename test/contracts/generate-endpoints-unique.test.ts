import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadContract } from "../../contracts/index.js";
import { importGeneratedLifecycles, type GeneratedLifecycle } from "../utils/generated-lifecycle.js";

/**
 * Per-id uniqueness (`unique`) in the generated role endpoints of test/contracts/generate/jobs.contract.yaml,
 * imported for real from the generated `jobs.lifecycle.ts`: a message that opens a live id is refused
 * with the rule's code on the receiving side and throws on the sending side; ids end with the
 * `until` events in either direction; held messages and queued emits count in their order.
 * (The envelope-field variant runs against the real graphql-ws server in graphql-ws-conformance.test.ts.)
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Message {
  type: string;
  data: Record<string, unknown>;
}
type Received = { kind: "deliver"; message: Message } | { kind: "held" } | { kind: "refused"; code: number; reason: string };
interface Endpoint {
  readonly state: string;
  readonly pending: number;
  readonly held: number;
  readonly closed: { code: number; reason: string } | undefined;
  emit(event: string, payload: unknown): "sent" | "queued";
  receive(raw: string): Received;
  drainHeld(): Message[];
}
interface EndpointOptions {
  send: (text: string) => void;
  close: (code: number, reason: string) => void;
  onDeliver?: (message: Message) => void;
}
interface JobsModule extends GeneratedLifecycle {
  createJobsServer(options: EndpointOptions): Endpoint;
  createJobsClient(options: EndpointOptions): Endpoint;
}

let jobs: JobsModule;

beforeAll(async () => {
  const contract = loadContract(path.join(repo, "test/contracts/generate/jobs.contract.yaml"));
  jobs = (await importGeneratedLifecycles<JobsModule>([contract], "endpoints-unique")).get("jobs")!;
});

const wire = (type: string, data: unknown = {}): string => JSON.stringify({ type, data });
const hello = wire("hello");
const start = (id: string): string => wire("start", { job_id: id });
const cancel = (id: string): string => wire("cancel", { job_id: id });
const ticket = (n: number): string => wire("ticket", { n });

function endpoint(role: "server" | "client") {
  const sent: Message[] = [];
  const closes: [number, string][] = [];
  const delivered: Message[] = [];
  const options: EndpointOptions = {
    send: (text) => sent.push(JSON.parse(text) as Message),
    close: (code, reason) => closes.push([code, reason]),
    onDeliver: (message) => delivered.push(message),
  };
  return { endpoint: role === "server" ? jobs.createJobsServer(options) : jobs.createJobsClient(options), sent, closes, delivered };
}

/** A step: a message the other side sends (received), or one this side emits. */
type Step = string | { emit: string; payload: Record<string, unknown> };

describe("the receiving side: a message that opens a live id is refused with the rule's code", () => {
  // Each row: the steps before, then the message whose receive is checked.
  const rows: { name: string; role?: "server" | "client"; before: Step[]; raw: string; kind: "deliver" | "refused"; code?: number }[] = [
    { name: "two jobs with different ids", before: [hello, start("1")], raw: start("2"), kind: "deliver" },
    { name: "a second start with a live job id", before: [hello, start("1")], raw: start("1"), kind: "refused", code: 4409 },
    { name: "a live id among others", before: [hello, start("1"), start("2"), start("3"), cancel("2")], raw: start("3"), kind: "refused", code: 4409 },
    { name: "reused after the client's cancel", before: [hello, start("1"), cancel("1")], raw: start("1"), kind: "deliver" },
    { name: "reused after the server's done", before: [hello, start("1"), { emit: "done", payload: { job_id: "1" } }], raw: start("1"), kind: "deliver" },
    { name: "a cancel of an id never opened ends nothing and is delivered", before: [hello], raw: cancel("9"), kind: "deliver" },
    { name: "a cancel of an id never opened does not make it live", before: [hello, cancel("9")], raw: start("9"), kind: "deliver" },
    { name: "a second cancel after the id ended", before: [hello, start("1"), cancel("1")], raw: cancel("1"), kind: "deliver" },
    {
      name: "a done for another id ends nothing",
      before: [hello, start("1"), { emit: "done", payload: { job_id: "2" } }],
      raw: start("1"),
      kind: "refused",
      code: 4409,
    },
    { name: "rules are independent: a ticket with a live job id's text", before: [hello, start("1")], raw: ticket(1), kind: "deliver" },
    { name: "a rule without until: a ticket number is never reused", before: [hello, ticket(1), ticket(2)], raw: ticket(1), kind: "refused", code: 4410 },
    { name: "ticket numbers compare as JSON: 1 and 10 differ", before: [hello, ticket(1)], raw: ticket(10), kind: "deliver" },
    {
      name: "the client refuses a push with a live push id",
      role: "client",
      before: [wire("push", { push_id: "p" })],
      raw: wire("push", { push_id: "p" }),
      kind: "refused",
      code: 4411,
    },
    {
      name: "the client: a push id is free again after its own ack",
      role: "client",
      before: [wire("push", { push_id: "p" }), { emit: "ack", payload: { push_id: "p" } }],
      raw: wire("push", { push_id: "p" }),
      kind: "deliver",
    },
    {
      name: "the server: the client's start never opens a push id",
      before: [hello, wire("ack", { push_id: "p" })],
      raw: wire("start", { job_id: "p" }),
      kind: "deliver",
    },
  ];
  it.each(rows)("$name", (row) => {
    const { endpoint: e, closes } = endpoint(row.role ?? "server");
    for (const step of row.before) {
      if (typeof step === "string") expect(e.receive(step).kind).toBe("deliver");
      else e.emit(step.emit, step.payload);
    }
    const result = e.receive(row.raw);
    expect(result.kind).toBe(row.kind);
    if (result.kind === "refused") {
      expect(result.code).toBe(row.code);
      expect(result.reason).toMatch(/while one with that \w+ is live \((job_exists|ticket_reused|push_exists)\)/);
      expect(closes.map(([code]) => code)).toEqual([row.code]);
      // Closed: what follows is refused with the same code, without a second close.
      expect(e.receive(hello)).toMatchObject({ kind: "refused", code: row.code });
      expect(closes).toHaveLength(1);
    } else {
      expect(closes).toEqual([]);
    }
  });

  it("the reason names the event, the field and the id, and the rule's code name", () => {
    const { endpoint: e } = endpoint("server");
    e.receive(hello);
    e.receive(start("a b"));
    expect(e.receive(start("a b"))).toEqual({
      kind: "refused",
      code: 4409,
      reason: 'jobs: "start" with job_id "a b" while one with that job_id is live (job_exists)',
    });
  });
});

describe("held messages: the id is checked when the message is delivered", () => {
  it("two held starts with one id: the first is delivered at the hello, the second closes the endpoint with the rule's code", () => {
    const { endpoint: e, closes, delivered } = endpoint("server");
    expect(e.receive(start("1")).kind).toBe("held");
    expect(e.receive(start("1")).kind).toBe("held"); // not refused yet: something may end the id before it is delivered
    expect(e.receive(ticket(5)).kind).toBe("held");
    expect(e.receive(hello).kind).toBe("deliver");
    expect(delivered).toEqual([JSON.parse(start("1"))]);
    expect(closes.map(([code]) => code)).toEqual([4409]);
    expect(e.closed?.code).toBe(4409);
    // The ticket behind it will never be delivered: without onHeldDropped it stays for drainHeld().
    expect(e.held).toBe(1);
    expect(e.drainHeld()).toEqual([JSON.parse(ticket(5))]);
    expect(e.held).toBe(0);
  });

  it("a cancel held between them ends the id: all three are delivered, in order", () => {
    const { endpoint: e, closes, delivered } = endpoint("server");
    for (const raw of [start("1"), cancel("1"), start("1")]) expect(e.receive(raw).kind).toBe("held");
    expect(e.receive(hello).kind).toBe("deliver");
    expect(delivered.map((m) => `${m.type} ${String(m.data.job_id)}`)).toEqual(["start 1", "cancel 1", "start 1"]);
    expect(closes).toEqual([]);
  });

  it("a held start whose id an immediately delivered start took: refused when released", () => {
    const { endpoint: e, closes } = endpoint("server");
    expect(e.receive(start("1")).kind).toBe("held");
    expect(e.receive(hello).kind).toBe("deliver");
    expect(e.receive(start("2")).kind).toBe("deliver");
    expect(e.receive(start("2")).kind).toBe("refused");
    expect(closes.map(([code]) => code)).toEqual([4409]);
  });
});

describe("the sending side: emitting a message that opens a live id throws, and nothing is sent", () => {
  const rows: { name: string; role?: "server" | "client"; before: Step[]; emit: string; payload: Record<string, unknown>; throws: boolean }[] = [
    { name: "a second start with a live id", before: [{ emit: "start", payload: { job_id: "1" } }], emit: "start", payload: { job_id: "1" }, throws: true },
    { name: "another id", before: [{ emit: "start", payload: { job_id: "1" } }], emit: "start", payload: { job_id: "2" }, throws: false },
    {
      name: "after its own cancel",
      before: [
        { emit: "start", payload: { job_id: "1" } },
        { emit: "cancel", payload: { job_id: "1" } },
      ],
      emit: "start",
      payload: { job_id: "1" },
      throws: false,
    },
    {
      name: "after the server's done",
      before: [{ emit: "start", payload: { job_id: "1" } }, wire("done", { job_id: "1" })],
      emit: "start",
      payload: { job_id: "1" },
      throws: false,
    },
    {
      name: "a start whose payload emit refused opened nothing",
      before: [{ emit: "start", payload: { job_id: "1", extra: true } }],
      emit: "start",
      payload: { job_id: "1" },
      throws: false,
    },
    { name: "a ticket number used before", before: [{ emit: "ticket", payload: { n: 3 } }], emit: "ticket", payload: { n: 3 }, throws: true },
    {
      name: "the server: a second push with a live id",
      role: "server",
      before: [hello, { emit: "push", payload: { push_id: "p" } }],
      emit: "push",
      payload: { push_id: "p" },
      throws: true,
    },
    {
      name: "the server: a push id the client acked",
      role: "server",
      before: [hello, { emit: "push", payload: { push_id: "p" } }, wire("ack", { push_id: "p" })],
      emit: "push",
      payload: { push_id: "p" },
      throws: false,
    },
  ];
  it.each(rows)("$name", (row) => {
    const { endpoint: e, sent } = endpoint(row.role ?? "client");
    for (const step of row.before) {
      if (typeof step === "string") expect(e.receive(step).kind).toBe("deliver");
      else {
        try {
          e.emit(step.emit, step.payload);
        } catch (error) {
          expect(error).toBeInstanceOf(jobs.ContractError); // the invalid payload of one row
        }
      }
    }
    const count = sent.length + e.pending;
    if (row.throws) {
      expect(() => e.emit(row.emit, row.payload)).toThrow(jobs.ContractError);
      expect(() => e.emit(row.emit, row.payload)).toThrow(/while one with that \w+ is live \(\w+\): end it first/);
      expect(sent.length + e.pending).toBe(count);
      expect(e.closed).toBeUndefined(); // the sender refuses to send; the connection stays
    } else {
      e.emit(row.emit, row.payload);
      expect(sent.length + e.pending).toBe(count + 1);
    }
  });

  it("messages queued before the hello count in their order: push, a second push throws; after the ack's arrival the id is free", () => {
    const { endpoint: e, sent } = endpoint("server");
    expect(e.emit("push", { push_id: "p" })).toBe("queued"); // push is allowed only in ready
    expect(() => e.emit("push", { push_id: "p" })).toThrow(/"push" with push_id "p" while one with that push_id is live/);
    expect(e.emit("push", { push_id: "q" })).toBe("queued");
    expect(e.pending).toBe(2);
    expect(e.receive(hello).kind).toBe("deliver"); // ready: the queue goes out
    expect(sent.map((m) => String(m.data.push_id))).toEqual(["p", "q"]);
    expect(e.receive(wire("ack", { push_id: "p" })).kind).toBe("deliver");
    expect(e.emit("push", { push_id: "p" })).toBe("sent");
  });
});
