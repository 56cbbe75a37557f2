import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket, WebSocketServer } from "ws";
import { loadContract } from "../../contracts/index.js";
import { importGeneratedLifecycles, type GeneratedLifecycle } from "../utils/generated-lifecycle.js";

/**
 * The generated server and client endpoints of relay.contract.yaml talking over real `ws` sockets
 * on 127.0.0.1: the server endpoint validates, holds and refuses what a client sends and closes
 * the socket with the contract's codes; a raw client sends what the client endpoint never would.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Message {
  type: string;
  data: Record<string, unknown>;
}
type Received = { kind: "deliver"; message: Message } | { kind: "held" } | { kind: "refused"; code: number; reason: string };
interface Endpoint {
  readonly state: string;
  close(code?: number, reason?: string): void;
  emit(event: string, payload: unknown): "sent" | "queued";
  receive(raw: string): Received;
  transition(name: string): string;
}
interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
interface EndpointOptions {
  send: (text: string) => void;
  close: (code: number, reason: string) => void;
  onDeliver?: (message: Message) => void;
  onHeldDropped?: (messages: Message[]) => void;
  clock?: Clock;
  monitor?: { observe(message: Message): void };
}
interface RunMonitor {
  observe(message: Message): void;
  violations(): { message: string }[];
}
interface RelayModule extends GeneratedLifecycle {
  createRelayServer(options: EndpointOptions): Endpoint;
  createRelayClient(options: EndpointOptions): Endpoint;
  createRelayRunMonitor(): RunMonitor;
}

let relay: RelayModule;
let wss: WebSocketServer;
let url: string;
/** One run monitor per server connection, in the order they opened. */
const serverMonitors: RunMonitor[] = [];
/** Timeouts run 100 times faster than the contract says: the server's clock in the timeout rows (the others use the host's). */
const fastClock: Clock = { setTimeout: (callback, ms) => setTimeout(callback, ms / 100), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) };
let serverClock: Clock | undefined;

beforeAll(async () => {
  const contract = loadContract(path.join(repo, "test/contracts/generate/relay.contract.yaml"));
  relay = (await importGeneratedLifecycles<RelayModule>([contract], "endpoints-ws")).get("relay")!;
  wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on("connection", (socket) => {
    const monitor = relay.createRelayRunMonitor();
    serverMonitors.push(monitor);
    const handle = (message: Message): void => {
      if (message.type === "hello") server.emit("welcome", {});
      if (message.type === "start") {
        const job_id = String(message.data.job_id);
        for (const pct of [25, 50, 75]) server.emit("progress", { job_id, pct });
        server.emit("done", { job_id });
      }
    };
    const server = relay.createRelayServer({
      send: (text) => socket.send(text),
      close: (code, reason) => socket.close(code, reason),
      onDeliver: handle,
      ...(serverClock === undefined ? {} : { clock: serverClock }),
      monitor,
    });
    socket.on("message", (data, isBinary) => {
      const result = server.receive(isBinary ? (data as unknown as string) : String(data));
      if (result.kind === "deliver") handle(result.message);
    });
    // The peer closed (or the endpoint did): stop the endpoint's timer, hand off what is queued.
    socket.on("close", () => server.close());
  });
});

afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

/** Opens a raw socket, sends `frames` once open, and collects what comes back until the socket closes (the client closes it once `enough`). */
function rawSession(frames: (string | Buffer)[], enough?: (received: Message[]) => boolean): Promise<{ code: number; reason: string; received: Message[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const received: Message[] = [];
    socket.on("open", () => {
      for (const frame of frames) socket.send(frame);
    });
    socket.on("message", (data) => {
      received.push(JSON.parse(String(data)) as Message);
      if (enough?.(received) === true) socket.close(1000);
    });
    socket.on("close", (code, reason) => resolve({ code, reason: String(reason), received }));
    socket.on("error", reject);
  });
}

const wire = (type: string, data: unknown = {}): string => JSON.stringify({ type, data });

describe("generated endpoints over ws on 127.0.0.1", () => {
  it("a client endpoint and a server endpoint run 20 jobs: every message delivered, in order, no run violations on either side", async () => {
    const jobs = Array.from({ length: 20 }, (_, i) => `job-${i}`);
    const clientMonitor = relay.createRelayRunMonitor();
    const before = serverMonitors.length;
    const received = await new Promise<Message[]>((resolve, reject) => {
      const socket = new WebSocket(url);
      const got: Message[] = [];
      let done = 0;
      socket.on("open", () => {
        const client = relay.createRelayClient({
          send: (text) => socket.send(text),
          close: (code, reason) => socket.close(code, reason),
          monitor: clientMonitor,
        });
        socket.on("message", (data) => {
          const result = client.receive(String(data));
          if (result.kind !== "deliver") return reject(new Error(`client: ${JSON.stringify(result)}`));
          got.push(result.message);
          if (result.message.type === "done" && ++done === jobs.length) {
            client.transition("close");
            socket.close(1000);
          }
        });
        client.emit("hello", { name: "c" });
        // Not allowed before ready: the client endpoint queues them until welcome arrives.
        for (const job_id of jobs) expect(client.emit("start", { job_id })).toBe("queued");
      });
      socket.on("close", (code, reason) => (code === 1000 ? resolve(got) : reject(new Error(`closed with ${code}: ${String(reason)}`))));
      socket.on("error", reject);
    });
    expect(received[0]).toEqual({ type: "welcome", data: {} });
    const expected = jobs.flatMap((job_id) => [25, 50, 75].map((pct) => `progress ${job_id} ${pct}`).concat(`done ${job_id}`));
    expect(received.slice(1).map((m) => `${m.type} ${String(m.data.job_id)}${m.type === "progress" ? ` ${String(m.data.pct)}` : ""}`)).toEqual(expected);
    expect(clientMonitor.violations()).toEqual([]);
    expect(serverMonitors[before]!.violations()).toEqual([]);
  });

  it("a raw client that starts jobs before hello: the server holds them and runs them after welcome, in order", async () => {
    const frames = [wire("start", { job_id: "a" }), wire("start", { job_id: "b" }), wire("hello", { name: "r" })];
    const session = await rawSession(frames, (received) => received.filter((m) => m.type === "done").length === 2);
    expect(session.received.map((m) => `${m.type}${m.data.job_id === undefined ? "" : ` ${String(m.data.job_id)}`}`)).toEqual([
      "welcome",
      "progress a",
      "progress a",
      "progress a",
      "done a",
      "progress b",
      "progress b",
      "progress b",
      "done b",
    ]);
    expect(session.code).toBe(1000);
  }, 10_000);

  const breaches: { name: string; frames: (string | Buffer)[]; code: number; reason: RegExp; fast?: true }[] = [
    {
      name: "a second hello",
      frames: [wire("hello", { name: "a" }), wire("hello", { name: "b" })],
      code: 4429,
      reason: /"hello" is not allowed in state "ready" \(hello_again\)/,
    },
    { name: "report before ready", frames: [wire("report")], code: 4401, reason: /\(too_early\)/ },
    { name: "not JSON", frames: ["{"], code: 4400, reason: /invalid message/ },
    {
      name: "an event only the server sends (inbound.wrongDirection)",
      frames: [wire("done", { job_id: "x" })],
      code: 4500,
      reason: /"done" is not sent by the client/,
    },
    { name: "an event only the server sends, invalid", frames: [wire("done", {})], code: 4400, reason: /data\.job_id: missing required field/ },
    { name: "a payload its schema rejects", frames: [wire("hello", {})], code: 4400, reason: /data\.name: missing required field/ },
    { name: "a binary frame", frames: [Buffer.from(wire("hello", { name: "a" }))], code: 4400, reason: /not a text message/ },
    { name: "no hello within 2 s (the clock runs 100 times faster)", frames: [], code: 4408, reason: /state "connecting" lasted longer than 2s/, fast: true },
    { name: "a ping but no hello", frames: [wire("ping")], code: 4408, reason: /hello_timeout/, fast: true },
  ];
  it.each(breaches)(
    "$name: the server endpoint closes the socket with $code",
    async (row) => {
      serverClock = row.fast === true ? fastClock : undefined;
      const session = await rawSession(row.frames).finally(() => (serverClock = undefined));
      expect(session.code).toBe(row.code);
      expect(session.reason).toMatch(row.reason);
    },
    10_000,
  );
});

/**
 * A server whose handler throws for one job, and which records what its endpoint drops: the
 * runtime's guarantees for held messages when the application fails or the peer goes away, over
 * real sockets.
 */
describe("held messages over ws when the handler throws or the connection ends", () => {
  let failing: WebSocketServer;
  let failingUrl: string;
  const errors: string[] = [];
  const dropped: string[][] = [];
  let serverClosed: () => void = () => undefined;

  beforeAll(async () => {
    failing = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => failing.once("listening", () => resolve()));
    failingUrl = `ws://127.0.0.1:${(failing.address() as AddressInfo).port}`;
    failing.on("connection", (socket) => {
      const handle = (message: Message): void => {
        if (message.type === "hello") server.emit("welcome", {});
        if (message.type === "start") {
          const job_id = String(message.data.job_id);
          if (job_id === "boom") throw new Error("the handler failed on boom");
          server.emit("done", { job_id });
        }
      };
      const server = relay.createRelayServer({
        send: (text) => socket.send(text),
        close: (code, reason) => socket.close(code, reason),
        onDeliver: handle,
        onHeldDropped: (messages) => dropped.push(messages.map((m) => `${m.type} ${String(m.data.job_id)}`)),
      });
      socket.on("message", (data) => {
        try {
          const result = server.receive(String(data));
          if (result.kind === "deliver") handle(result.message);
        } catch (error) {
          errors.push((error as Error).message);
        }
      });
      socket.on("close", () => {
        server.close();
        serverClosed();
      });
    });
  });

  afterAll(async () => {
    for (const client of failing.clients) client.terminate();
    await new Promise<void>((resolve) => failing.close(() => resolve()));
  });

  it("the handler throws on the first released job: the jobs held behind it still run, in order, and the error reaches the server", async () => {
    errors.length = 0;
    const frames = ["a", "boom", "b", "c"].map((job_id) => wire("start", { job_id })).concat(wire("hello", { name: "r" }));
    const session = await new Promise<{ received: string[] }>((resolve, reject) => {
      const socket = new WebSocket(failingUrl);
      const received: string[] = [];
      socket.on("open", () => frames.forEach((frame) => socket.send(frame)));
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as Message;
        received.push(`${message.type}${message.data.job_id === undefined ? "" : ` ${String(message.data.job_id)}`}`);
        if (received.length === 4) socket.close(1000);
      });
      socket.on("close", () => resolve({ received }));
      socket.on("error", reject);
    });
    expect(session.received).toEqual(["welcome", "done a", "done b", "done c"]);
    expect(errors).toEqual(["the handler failed on boom"]);
  }, 10_000);

  it("the client goes away while jobs are held: the server endpoint hands them to onHeldDropped, in order", async () => {
    dropped.length = 0;
    const closed = new Promise<void>((resolve) => (serverClosed = resolve));
    await new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(failingUrl);
      socket.on("open", () => {
        for (const job_id of ["x", "y"]) socket.send(wire("start", { job_id }));
        socket.send(wire("ping"), () => socket.close(1000)); // after the starts, in order on the wire
      });
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    await closed;
    expect(dropped).toEqual([["start x", "start y"]]);
  }, 10_000);
});
