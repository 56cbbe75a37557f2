import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
// The file Node loads for graphql-ws's own `import "graphql"` (graphql 16 has no exports map, so
// Node takes `main`); the bare specifier would give vite's `module` build, a second copy of graphql
// whose schema graphql-ws refuses ("from another module or realm").
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql/index.js";
import { useServer } from "graphql-ws/use/ws";
import { WebSocket, WebSocketServer } from "ws";
import { loadContract } from "../../contracts/index.js";
import { importGeneratedLifecycles, type GeneratedLifecycle } from "../utils/generated-lifecycle.js";

/**
 * examples/graphql-ws/graphql-ws.covenant.yaml checked against code nobody here wrote: the same
 * breaching traffic, from a raw `ws` client, goes to the real graphql-ws 6.x server (`useServer`
 * with a `graphql` schema) and to a server built on the contract's generated server endpoint, both
 * on 127.0.0.1; the test compares the close codes. Where they differ, the row names the gap in the
 * format that causes it (the envelope's `id`, per-id uniqueness; examples/graphql-ws/README.md).
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Message {
  type: string;
  payload?: unknown;
}
type Received = { kind: "deliver"; message: Message } | { kind: "held" } | { kind: "refused"; code: number; reason: string };
interface Server {
  emit(event: string, payload: unknown): "sent" | "queued";
  receive(raw: string): Received;
  close(code?: number, reason?: string): void;
}
interface GraphqlWsModule extends GeneratedLifecycle {
  createGraphqlWsServer(options: {
    send: (text: string) => void;
    close: (code: number, reason: string) => void;
    onDeliver: (message: Message) => void;
  }): Server;
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
    },
  }),
});

const servers: WebSocketServer[] = [];
let realUrl: string;
let covenantUrl: string;

async function listen(): Promise<{ wss: WebSocketServer; url: string }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  servers.push(wss);
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  const contract = loadContract(path.join(repo, "examples/graphql-ws/graphql-ws.covenant.yaml"));
  const generated = (await importGeneratedLifecycles<GraphqlWsModule>([contract], "graphql-ws-conformance")).get("graphql-ws")!;
  const real = await listen();
  useServer({ schema }, real.wss);
  realUrl = real.url;
  const covenant = await listen();
  covenant.wss.on("connection", (socket) => {
    const handle = (message: Message): void => {
      if (message.type === "connection_init") server.emit("connection_ack", null);
      if (message.type === "ping") server.emit("pong", message.payload ?? null);
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
const subscribeInEnvelope = JSON.stringify({ type: "subscribe", payload: { query: "subscription { greetings }" } });

const rows: { name: string; steps: Step[]; real: number; covenant?: number; gap?: string }[] = [
  { name: "not JSON", steps: ["{"], real: 4400 },
  { name: "an unknown message type", steps: [JSON.stringify({ type: "nope", payload: {} })], real: 4400 },
  { name: "a second ConnectionInit before the ack", steps: [init, init], real: 4429 },
  { name: "a second ConnectionInit after the ack", steps: [init, { until: "connection_ack" }, init], real: 4429 },
  { name: "no ConnectionInit within the 3 s timeout", steps: [], real: 4408 },
  {
    name: "Subscribe before ConnectionAck (graphql-ws's wire form, with an id)",
    steps: [subscribeWithId],
    real: 4401,
    covenant: 4400,
    gap: "the operation id sits beside payload; covenant's envelope is { type, payload }, so the generated validators refuse it as an unexpected field",
  },
  {
    name: "Subscribe before ConnectionAck (covenant's envelope, no id)",
    steps: [subscribeInEnvelope],
    real: 4400,
    covenant: 4401,
    gap: "without the id graphql-ws refuses the message as invalid before it looks at the state",
  },
  {
    name: "a duplicate subscription id",
    steps: [init, { until: "connection_ack" }, subscribeWithId, subscribeWithId],
    real: 4409,
    covenant: 4400,
    gap: "per-id uniqueness is not in the format (docs/contract-format.md), and the id is outside the envelope",
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
      if (row.gap === undefined) expect(covenant.code).toBe(real.code);
      else expect(covenant.code).toBe(row.covenant);
    },
    15_000,
  );
});
