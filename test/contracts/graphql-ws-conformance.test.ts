import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
// The file Node loads for graphql-ws's own `import "graphql"` (graphql 16 has no exports map, so
// Node takes `main`); the bare specifier would give vite's `module` build, a second copy of graphql
// whose schema graphql-ws refuses ("from another module or realm").
import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql/index.js";
import { createClient } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocket, WebSocketServer } from "ws";
import { loadContract } from "../../contracts/index.js";
import { importGeneratedLifecycles, type GeneratedLifecycle } from "../utils/generated-lifecycle.js";

/**
 * examples/graphql-ws/graphql-ws.covenant.yaml checked against code nobody here wrote, on 127.0.0.1:
 * - conformant traffic from the real graphql-ws 6.x client (`createClient`) to the real server
 *   (`useServer` with a `graphql` schema), tapped frame by frame on both sockets, passes the
 *   generated validators and the generated endpoints in both directions: a server endpoint that
 *   receives what the client sent and emits what the server sent, and a client endpoint the other
 *   way round;
 * - the same breaching traffic, from a raw `ws` client, goes to the real server and to a server
 *   built on the generated server endpoint, and the close codes are compared; so does traffic that
 *   keeps the rules (an operation id reused once it completed), which neither server closes for.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Message {
  type: string;
  payload?: unknown;
  id?: string;
}
type Received = { kind: "deliver"; message: Message } | { kind: "held" } | { kind: "refused"; code: number; reason: string };
interface Endpoint {
  emit(event: string, payload: unknown, fields?: { id?: string }): "sent" | "queued";
  receive(raw: string): Received;
  close(code?: number, reason?: string): void;
}
interface EndpointOptions {
  send: (text: string) => void;
  close: (code: number, reason: string) => void;
  onDeliver: (message: Message) => void;
}
interface GraphqlWsModule extends GeneratedLifecycle {
  createGraphqlWsServer(options: EndpointOptions): Endpoint;
  createGraphqlWsClient(options: EndpointOptions): Endpoint;
}
interface GraphqlWsValidators {
  parseGraphqlWsMessage(raw: unknown): { success: boolean; error?: { message: string } };
}

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: "Query", fields: { hello: { type: GraphQLString, resolve: () => "world" } } }),
  subscription: new GraphQLObjectType({
    name: "Subscription",
    fields: {
      greetings: {
        type: GraphQLString,
        // A subscription that stays live until it is completed (for the duplicate id).
        subscribe: async function* () {
          for (;;) {
            yield { greetings: "hi" };
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        },
      },
      // A subscription the server completes.
      count: {
        type: GraphQLInt,
        args: { to: { type: GraphQLInt } },
        // eslint-disable-next-line @typescript-eslint/require-await -- graphql takes an async iterator; this one has nothing to wait for
        subscribe: async function* (_: unknown, args: { to: number }) {
          for (let i = 1; i <= args.to; i++) yield { count: i };
        },
      },
    },
  }),
});

const servers: WebSocketServer[] = [];
let realUrl: string;
let covenantUrl: string;
let generated: GraphqlWsModule;
let validators: GraphqlWsValidators;
/** Taps the real server's sockets (set by the conformance test while it runs). */
let serverTap: ((socket: WebSocket) => void) | undefined;

async function listen(): Promise<{ wss: WebSocketServer; url: string }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  servers.push(wss);
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  const contract = loadContract(path.join(repo, "examples/graphql-ws/graphql-ws.covenant.yaml"));
  generated = (await importGeneratedLifecycles<GraphqlWsModule>([contract], "graphql-ws-conformance")).get("graphql-ws")!;
  validators = (await import(
    pathToFileURL(path.join(repo, "test/__generated__/graphql-ws-conformance/graphql-ws/graphql-ws.validators.ts")).href
  )) as GraphqlWsValidators;
  const real = await listen();
  // Before useServer's: the tap sees a client frame before graphql-ws answers it.
  real.wss.on("connection", (socket) => serverTap?.(socket));
  useServer({ schema }, real.wss);
  realUrl = real.url;
  const covenant = await listen();
  covenant.wss.on("connection", (socket) => {
    // The application behind the generated endpoint: it acknowledges, answers pings, and runs the
    // query `{ hello }` (one Next, then Complete); other operations stay live until completed.
    const handle = (message: Message): void => {
      if (message.type === "connection_init") server.emit("connection_ack", null);
      if (message.type === "ping") server.emit("pong", message.payload ?? null);
      if (message.type === "subscribe" && (message.payload as { query?: unknown }).query === "{ hello }") {
        server.emit("next", { data: { hello: "world" } }, { id: message.id });
        server.emit("complete", undefined, { id: message.id });
      }
    };
    const server = generated.createGraphqlWsServer({
      send: (text) => socket.send(text),
      close: (code, reason) => socket.close(code, reason),
      onDeliver: handle,
    });
    socket.on("message", (data, isBinary) => {
      const result = server.receive(isBinary ? "" : String(data));
      if (result.kind === "deliver") handle(result.message);
    });
    socket.on("close", () => server.close());
  });
  covenantUrl = covenant.url;
});

afterAll(async () => {
  for (const wss of servers) {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
});

/** A frame to send, or the type of a message to wait for before sending the next. */
type Step = string | { until: string };

/** Runs the steps on a raw client (subprotocol graphql-transport-ws); the close code and reason the server sent. */
function session(url: string, steps: readonly Step[]): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, "graphql-transport-ws");
    let next = 0;
    const advance = (): void => {
      while (next < steps.length && typeof steps[next] === "string") socket.send(steps[next++] as string);
    };
    socket.on("open", advance);
    socket.on("message", (data) => {
      const step = steps[next];
      if (typeof step === "object" && (JSON.parse(String(data)) as Message).type === step.until) {
        next++;
        advance();
      }
    });
    socket.on("close", (code, reason) => resolve({ code, reason: String(reason) }));
    socket.on("error", reject);
  });
}

const init = JSON.stringify({ type: "connection_init", payload: {} });
const subscribeWithId = JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { greetings }" } });
const subscribe = (id: string, query = "subscription { greetings }"): string => JSON.stringify({ id, type: "subscribe", payload: { query } });
const complete = (id: string): string => JSON.stringify({ id, type: "complete" });
const subscribeWithoutId = JSON.stringify({ type: "subscribe", payload: { query: "subscription { greetings }" } });

const rows: { name: string; steps: Step[]; real: number; covenant?: number }[] = [
  { name: "not JSON", steps: ["{"], real: 4400 },
  { name: "an unknown message type", steps: [JSON.stringify({ type: "nope", payload: {} })], real: 4400 },
  { name: "a second ConnectionInit before the ack", steps: [init, init], real: 4429 },
  { name: "a second ConnectionInit after the ack", steps: [init, { until: "connection_ack" }, init], real: 4429 },
  { name: "no ConnectionInit within the 3 s timeout", steps: [], real: 4408 },
  { name: "Subscribe before ConnectionAck", steps: [subscribeWithId], real: 4401 },
  { name: "Subscribe after the ack without its id", steps: [init, { until: "connection_ack" }, subscribeWithoutId], real: 4400 },
  { name: "Subscribe before the ack without its id (invalid before out of state)", steps: [subscribeWithoutId], real: 4400 },
  {
    name: "Subscribe with an empty id",
    steps: [init, { until: "connection_ack" }, JSON.stringify({ id: "", type: "subscribe", payload: { query: "{ hello }" } })],
    real: 4400,
  },
  // A well-formed message of the server's from the client: graphql-ws validates its shape, then
  // throws on the type and closes with 4500 (the contract's `inbound.wrongDirection`), in any state;
  // a malformed one is invalid (4400).
  { name: "ConnectionAck sent by the client", steps: [init, { until: "connection_ack" }, JSON.stringify({ type: "connection_ack" })], real: 4500 },
  { name: "ConnectionAck sent by the client before ConnectionInit", steps: [JSON.stringify({ type: "connection_ack", payload: null })], real: 4500 },
  {
    name: "ConnectionAck sent by the client, with a payload that is not an object",
    steps: [init, JSON.stringify({ type: "connection_ack", payload: 5 })],
    real: 4400,
  },
  {
    name: "Next sent by the client",
    steps: [init, { until: "connection_ack" }, JSON.stringify({ id: "1", type: "next", payload: { data: { greetings: "hi" } } })],
    real: 4500,
  },
  {
    name: "Next sent by the client before the ack (wrong direction before out of state)",
    steps: [JSON.stringify({ id: "1", type: "next", payload: {} })],
    real: 4500,
  },
  { name: "Next sent by the client without its id", steps: [init, { until: "connection_ack" }, JSON.stringify({ type: "next", payload: {} })], real: 4400 },
  { name: "Next sent by the client without its payload", steps: [init, { until: "connection_ack" }, JSON.stringify({ id: "1", type: "next" })], real: 4400 },
  {
    name: "Error sent by the client",
    steps: [init, { until: "connection_ack" }, JSON.stringify({ id: "1", type: "error", payload: [{ message: "no" }] })],
    real: 4500,
  },
  {
    name: "Error sent by the client with no errors",
    steps: [init, { until: "connection_ack" }, JSON.stringify({ id: "1", type: "error", payload: [] })],
    real: 4400,
  },
  { name: "Complete without its id", steps: [init, { until: "connection_ack" }, JSON.stringify({ type: "complete" })], real: 4400 },
  { name: "a duplicate subscription id", steps: [init, { until: "connection_ack" }, subscribeWithId, subscribeWithId], real: 4409 },
  {
    name: "a duplicate id among live operations, after another one completed",
    steps: [init, { until: "connection_ack" }, subscribe("1"), subscribe("2"), complete("1"), subscribe("2")],
    real: 4409,
  },
  // Traffic that keeps the rule: neither server closes for it, so a second ConnectionInit ends each session (4429).
  {
    name: "an id reused after the server's Complete (a query), then a second ConnectionInit",
    steps: [init, { until: "connection_ack" }, subscribe("1", "{ hello }"), { until: "complete" }, subscribe("1", "{ hello }"), { until: "complete" }, init],
    real: 4429,
  },
  {
    name: "an id reused after the client's Complete, then a second ConnectionInit",
    steps: [init, { until: "connection_ack" }, subscribe("1"), complete("1"), subscribe("1"), init],
    real: 4429,
  },
  {
    name: "a Complete for an id that is not live (ignored), then a second ConnectionInit",
    steps: [init, { until: "connection_ack" }, complete("7"), subscribe("7"), init],
    real: 4429,
  },
];

describe("graphql-ws 6.x server and the generated server endpoint, the same breaching traffic", () => {
  it("the real server runs a subscription (the schema is one graphql-ws accepts)", async () => {
    const received = await new Promise<Message[]>((resolve, reject) => {
      const socket = new WebSocket(realUrl, "graphql-transport-ws");
      const got: Message[] = [];
      socket.on("open", () => socket.send(init));
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as Message;
        got.push(message);
        if (message.type === "connection_ack") socket.send(subscribeWithId);
        if (message.type === "next") socket.close(1000);
      });
      socket.on("close", () => resolve(got));
      socket.on("error", reject);
    });
    expect(received).toEqual([{ type: "connection_ack" }, { id: "1", type: "next", payload: { data: { greetings: "hi" } } }]);
  });

  it.each(rows)(
    "$name",
    async (row) => {
      const [real, covenant] = await Promise.all([session(realUrl, row.steps), session(covenantUrl, row.steps)]);
      expect(real.code).toBe(row.real);
      expect(covenant.code).toBe(row.covenant ?? real.code);
    },
    15_000,
  );
});

type Direction = "client-to-server" | "server-to-client";

/**
 * One side of the wire mirrored by its generated endpoint: the frames that side sends are emitted
 * through the endpoint (whose own text must say the same), the frames it receives go through its
 * `receive`, and every frame through the generated validators. Each breach is a violation.
 */
class Mirror {
  readonly violations: string[] = [];
  private readonly endpoint: Endpoint;
  private lastSent: string | undefined;
  private closing = false;

  constructor(
    private readonly role: "server" | "client",
    private readonly seen: (direction: Direction, message: Message) => void,
  ) {
    const options: EndpointOptions = {
      send: (text) => (this.lastSent = text),
      close: (code, reason) => {
        if (!this.closing) this.violations.push(`${role} endpoint closed with ${code}: ${reason}`);
      },
      onDeliver: () => undefined,
    };
    this.endpoint = role === "server" ? generated.createGraphqlWsServer(options) : generated.createGraphqlWsClient(options);
  }

  private check(direction: Direction, text: string): Message | undefined {
    const parsed = validators.parseGraphqlWsMessage(text);
    if (!parsed.success) {
      this.violations.push(`${this.role}: validators refuse ${direction} ${text}: ${parsed.error?.message ?? "?"}`);
      return undefined;
    }
    const message = JSON.parse(text) as Message;
    this.seen(direction, message);
    return message;
  }

  /** A frame this side sent. */
  sent(text: string): void {
    const message = this.check(this.role === "server" ? "server-to-client" : "client-to-server", text);
    if (message === undefined) return;
    this.lastSent = undefined;
    try {
      const { type, payload, id } = message;
      const outcome = id === undefined ? this.endpoint.emit(type, payload) : this.endpoint.emit(type, payload, { id });
      if (outcome !== "sent") this.violations.push(`${this.role}: emit(${type}) was ${outcome}`);
      else if (
        JSON.stringify(JSON.parse(this.lastSent ?? "null")) !==
        JSON.stringify({ type, ...("payload" in message ? { payload } : {}), ...(id === undefined ? {} : { id }) })
      ) {
        this.violations.push(`${this.role}: emitted ${this.lastSent ?? "nothing"} for ${text}`);
      }
    } catch (error) {
      this.violations.push(`${this.role}: emit refused ${text}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A frame this side received. */
  received(text: string): void {
    if (this.check(this.role === "server" ? "client-to-server" : "server-to-client", text) === undefined) return;
    const result = this.endpoint.receive(text);
    if (result.kind !== "deliver") this.violations.push(`${this.role}: receive(${text}) was ${JSON.stringify(result)}`);
  }

  close(): void {
    this.closing = true;
    this.endpoint.close();
  }
}

describe("conformant traffic between the real graphql-ws client and server", () => {
  it("passes the generated validators and both endpoints in both directions, with zero violations", async () => {
    const kinds = new Set<string>();
    const waiters: { test: () => boolean; resolve: () => void }[] = [];
    const note = (direction: Direction, message: Message): void => {
      kinds.add(`${direction} ${message.type}`);
      for (const waiter of waiters.splice(0)) {
        if (waiter.test()) waiter.resolve();
        else waiters.push(waiter);
      }
    };
    const until = (kind: string): Promise<void> =>
      new Promise((resolve) => {
        if (kinds.has(kind)) resolve();
        else waiters.push({ test: () => kinds.has(kind), resolve });
      });
    // The server's frames as its socket sends and receives them; the client's as its socket does.
    const server = new Mirror("server", note);
    const client = new Mirror("client", () => undefined);
    let serverSocket: WebSocket | undefined;
    const serverClosed = new Promise<void>((resolve) => {
      serverTap = (socket) => {
        serverSocket = socket;
        socket.on("message", (data) => server.received(String(data)));
        const send = socket.send.bind(socket) as (data: string, cb?: (error?: Error) => void) => void;
        socket.send = ((data: string, cb?: (error?: Error) => void) => {
          server.sent(data);
          send(data, cb);
        }) as typeof socket.send;
        socket.on("close", () => resolve());
      };
    });
    class TappedWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols);
        this.on("message", (data) => client.received(String(data)));
      }
      override send(data: unknown, ...rest: unknown[]): void {
        client.sent(String(data));
        (super.send as (...args: unknown[]) => void)(data, ...rest);
      }
    }
    let pongReceived: () => void = () => undefined;
    const gotPong = new Promise<void>((resolve) => (pongReceived = resolve));
    const graphqlClient = createClient({
      url: realUrl,
      webSocketImpl: TappedWebSocket,
      lazy: false,
      retryAttempts: 0,
      keepAlive: 20,
      on: { pong: () => pongReceived() },
    });

    const collect = (query: string, stopAfter?: number): Promise<{ results: unknown[]; error?: unknown }> =>
      new Promise((resolve) => {
        const results: unknown[] = [];
        const stop = graphqlClient.subscribe(
          { query },
          {
            next: (value) => {
              results.push(value);
              if (results.length === stopAfter) {
                stop(); // the client completes the operation
                resolve({ results });
              }
            },
            error: (error) => resolve({ results, error }),
            complete: () => resolve({ results }),
          },
        );
      });

    await until("server-to-client connection_ack");
    // A Ping from the server; the real client answers with Pong.
    serverSocket!.send(JSON.stringify({ type: "ping" }));
    await until("client-to-server pong");
    await gotPong; // the client's keep-alive Ping was answered
    const [counted, hello, failed, greeted] = await Promise.all([
      collect("subscription { count(to: 3) }"),
      collect("{ hello }"),
      collect("subscription { nope }"),
      collect("subscription { greetings }", 2),
    ]);
    await until("client-to-server complete");
    await graphqlClient.dispose();
    await serverClosed;
    server.close();
    client.close();

    expect(counted.results).toEqual([{ data: { count: 1 } }, { data: { count: 2 } }, { data: { count: 3 } }]);
    expect(hello.results).toEqual([{ data: { hello: "world" } }]);
    expect(failed.error).toBeDefined();
    expect(greeted.results).toHaveLength(2);
    expect([...server.violations, ...client.violations]).toEqual([]);
    expect([...kinds].sort()).toEqual(
      [
        "client-to-server connection_init",
        "server-to-client connection_ack",
        "client-to-server ping",
        "server-to-client pong",
        "server-to-client ping",
        "client-to-server pong",
        "client-to-server subscribe",
        "server-to-client next",
        "server-to-client error",
        "server-to-client complete",
        "client-to-server complete",
      ].sort(),
    );
  }, 20_000);
});
