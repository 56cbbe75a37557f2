import path from "node:path";
import type { ContractBindingsInput } from "../../contracts/bindings/bindings.schema.js";
import type { CheckTable } from "../utils/check-tester.js";
import { withBindings } from "./contract-settings.js";

// Ambient declarations every case sees (a .d.ts beside the file under test, so case lines start at 1):
// a pending upgrade that must be accepted (the seed's shape), a Starlette/FastAPI-like socket whose
// accept() is async, the accepted socket, a generated-guard-like connection and a client socket.
const ENV = `
interface Socket { readonly readyState: number; send(data: string): void; close(code?: number): void; on(event: "message" | "close", listener: (data: string) => void): void }
interface PendingConnection { readonly userId: string; accept(): Socket; reject(code: number, reason: string): void; send(data: string): void; on(event: "message" | "close", listener: (data: string) => void): void }
interface AsyncUpgrade { readonly userId: string; accept(): Promise<Socket>; send(data: string): void }
interface StarletteSocket { accept(): Promise<void>; sendText(text: string): Promise<void>; receiveText(): Promise<string>; close(code?: number): Promise<void> }
interface GuardedConnection { transition(name: "accept" | "authenticate" | "services_ready" | "ready" | "close"): void; flush(): void }
declare class ClientSocket { constructor(url: string); send(data: string): void; once(event: "open", listener: () => void): void }
declare class Logger { send(line: string): void }
declare function OnUpgrade(value: unknown, context: ClassMethodDecoratorContext): void;
interface LobbySocket { acceptSync(): void; reject(code: number): void; join(room: string): void; sendJson(message: { type: string; data?: unknown }): void }
declare function authenticate(userId: string): Promise<boolean>;
declare function warmUp(): Promise<void>;
declare function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T>;
declare function sendGreeting(): void;
declare function markAccepted(): void;
declare function route(data: string): void;
declare const logger: Logger;
declare const ok: boolean;
declare const others: Socket[];
`;

const files = { "src/env.d.ts": ENV };

/** Bindings in the shapes the docs describe: method calls by receiver type, a literal argument, a free function. */
const bindings: ContractBindingsInput = {
  transitions: [
    { transition: "accept", call: "accept", receiverType: ["PendingConnection", "AsyncUpgrade", "StarletteSocket"] },
    { transition: "reject", call: "reject", receiverType: "PendingConnection" },
    { transition: "close", call: "close", receiverType: ["Socket", "StarletteSocket"] },
    { transitionArg: 0, call: "transition", receiverType: "GuardedConnection" },
    { transition: "accept", call: "markAccepted" },
  ],
  operations: [
    {
      operation: "send",
      call: ["send", "sendText"],
      receiverType: ["PendingConnection", "AsyncUpgrade", "StarletteSocket", "Socket", "ClientSocket"],
      requires: "accepted",
    },
    { operation: "receive", call: "receiveText", receiverType: "StarletteSocket", requires: "accept" },
    { operation: "route messages", call: "on", receiverType: "PendingConnection", argument: { index: 0, value: "message" }, requires: "accepted" },
    { operation: "flush", call: "flush", receiverType: "GuardedConnection", requires: "processing_ready" },
    { operation: "greet", call: "sendGreeting", requires: "accepted" },
  ],
};

/** The same, plus handler bindings: where connections start in a known state. */
const handlerBindings: ContractBindingsInput = {
  ...bindings,
  handlers: [
    { parameterType: ["PendingConnection", "GuardedConnection"], state: "connecting" },
    { function: "onUpgrade*", state: "connecting" },
    { construct: "ClientSocket", state: "connecting" },
    { callbackOf: { call: "once", receiverType: "ClientSocket", argument: { index: 0, value: "open" } }, state: "accepted" },
  ],
};

const settings = withBindings(bindings);
const handlerSettings = withBindings(handlerBindings);
// Handlers bound by function name, sockets moved by a method call on them (issue 17): `requires` a state.
const lobbySettings = withBindings(
  {
    transitions: [
      { transition: "accept", call: "acceptSync", receiverType: "LobbySocket" },
      { transition: "reject", call: "reject", receiverType: "LobbySocket" },
      { transition: "join", call: "join", receiverType: "LobbySocket" },
    ],
    operations: [{ operation: "send", call: "sendJson", receiverType: "LobbySocket", requires: "lobby" }],
    emits: [{ call: "sendJson", receiverType: "LobbySocket", envelopeArg: 0 }],
    handlers: [{ function: "onUpgrade*", state: "connecting" }],
  },
  path.resolve(import.meta.dirname, "lifecycle-order.lobby.contract.yaml"),
);
// The same bindings with the handler named by a decorator instead of a function name.
const lobbyDecoratorSettings = withBindings(
  {
    transitions: [{ transition: "accept", call: "acceptSync", receiverType: "LobbySocket" }],
    operations: [{ operation: "send", call: "sendJson", receiverType: "LobbySocket", requires: "lobby" }],
    handlers: [{ decorator: "OnUpgrade", state: "connecting" }],
  },
  path.resolve(import.meta.dirname, "lifecycle-order.lobby.contract.yaml"),
);
const JOINED = `{ type: "user_joined", data: { name: "ada" } }`;
// No binding for authenticate, services_ready or ready: a state before them is not conclusive.
const partialSettings = withBindings({ ...handlerBindings, transitions: bindings.transitions!.slice(0, 3) });

// graphql-ws (examples/graphql-ws, issue 14): no code calls `init` or `acknowledge`; the events take them,
// `connection_init` when the server processes it, `connection_ack` when it sends it. `ping`/`pong` are `"*"`.
const GQL_ENV = `
interface GqlSocket { send(data: string): void; close(code: number): void; execute(query: string): void }
interface GqlRouter { handle(event: string, message: unknown): void }
declare const router: GqlRouter;
`;
const gqlFiles = { "src/env.d.ts": ENV + GQL_ENV };
const GQL_CONTRACT = path.resolve(import.meta.dirname, "../../examples/graphql-ws/graphql-ws.covenant.yaml");
const gqlBindings: ContractBindingsInput = {
  transitions: [{ transition: "close", call: "close", receiverType: "GqlSocket" }],
  operations: [{ operation: "execute", call: "execute", receiverType: "GqlSocket", requires: "acknowledged" }],
  emits: [{ call: "send", receiverType: "GqlSocket", envelopeArg: 0 }],
  receives: [{ call: "handle", receiverType: "GqlRouter", eventArg: 0 }],
  handlers: [{ parameterType: "GqlSocket", function: "onOpen", state: "accepted" }],
};
const gqlSettings = withBindings(gqlBindings, GQL_CONTRACT);
// No emit or receive binding: the transitions the events take are unseen, so `accepted` proves nothing.
const gqlUnseenSettings = withBindings({ ...gqlBindings, emits: [], receives: [] }, GQL_CONTRACT);
const ACK = `ws.send(JSON.stringify({ type: "connection_ack", payload: {} }))`;

const table: CheckTable = {
  valid: [
    // Transitions taken by events (issue 14): processing connection_init, then sending connection_ack.
    {
      name: "graphql-ws: execute after connection_init processed and connection_ack sent",
      code: `function onOpen(ws: GqlSocket) {
  router.handle("connection_init", {});
  ws.send(JSON.stringify({ type: "ping", payload: {} }));
  ${ACK};
  ws.execute("{ hello }");
}`,
      files: gqlFiles,
      settings: gqlSettings,
    },
    {
      name: "graphql-ws: the ack sent in a branch that returns otherwise",
      code: `function onOpen(ws: GqlSocket) {
  router.handle("connection_init", {});
  if (!ok) {
    ws.close(4403);
    return;
  }
  ${ACK};
  ws.execute("{ hello }");
}`,
      files: gqlFiles,
      settings: gqlSettings,
    },
    {
      name: "graphql-ws: the transitions events take are not seen without emit or receive bindings: nothing is conclusive",
      code: `function onOpen(ws: GqlSocket) {
  ws.execute("{ hello }");
}`,
      files: gqlFiles,
      settings: gqlUnseenSettings,
    },
    // Accepted first, on every path.
    {
      name: "const socket = conn.accept()",
      code: `function handle(conn: PendingConnection) {
  const socket = conn.accept();
  conn.send("welcome");
  socket.send("ready");
}`,
      files,
      settings,
    },
    {
      name: "await ws.accept()",
      code: `async function handle(ws: StarletteSocket) {
  await ws.accept();
  await ws.sendText("hello");
  const text = await ws.receiveText();
  await ws.sendText(text);
}`,
      files,
      settings,
    },
    // The seed's fix: the not-accepted path leaves early.
    {
      name: 'conn.reject(4401, "unauthenticated")',
      code: `async function handle(conn: PendingConnection) {
  if (!(await authenticate(conn.userId))) {
    conn.reject(4401, "unauthenticated");
    return;
  }
  conn.accept();
  conn.send("welcome");
}`,
      files,
      settings,
    },
    {
      name: 'if (!conn.userId) throw new Error("anonymous")',
      code: `async function handle(conn: PendingConnection) {
  if (!conn.userId) throw new Error("anonymous");
  conn.accept();
  conn.send("welcome");
}`,
      files,
      settings,
    },
    // Accepted in both branches, in every case of a switch, in a do-while's first round.
    {
      name: "conn.accept()",
      code: `function handle(conn: PendingConnection, fast: boolean) {
  if (fast) {
    conn.accept();
  } else {
    conn.accept();
  }
  conn.send("x");
}`,
      files,
      settings,
    },
    {
      name: "conn.accept() (2)",
      code: `function handle(conn: PendingConnection, kind: "a" | "b") {
  switch (kind) {
    case "a":
      conn.accept();
      break;
    default:
      conn.accept();
  }
  conn.send("x");
}`,
      files,
      settings,
    },
    {
      name: "do {",
      code: `function handle(conn: PendingConnection) {
  do {
    conn.accept();
    conn.send("x");
  } while (false);
}`,
      files,
      settings,
    },
    {
      name: "A loop that only runs after accept",
      code: `async function handle(ws: StarletteSocket) {
  await ws.accept();
  for (;;) {
    const text = await ws.receiveText();
    if (text === "bye") break;
    await ws.sendText(text);
  }
}`,
      files,
      settings,
    },
    {
      name: "A failed accept leaves the function",
      code: `async function handle(ws: StarletteSocket) {
  try {
    await ws.accept();
  } catch {
    return;
  }
  await ws.sendText("hello");
}`,
      files,
      settings,
    },
    // Awaited later, or together with other work.
    {
      name: "const accepting = conn.accept()",
      code: `async function handle(conn: AsyncUpgrade) {
  const accepting = conn.accept();
  await warmUp();
  await accepting;
  conn.send("x");
}`,
      files,
      settings,
    },
    {
      name: "await Promise.all([conn.accept(), warmUp()])",
      code: `async function handle(conn: AsyncUpgrade) {
  await Promise.all([conn.accept(), warmUp()]);
  conn.send("x");
}`,
      files,
      settings,
    },
    {
      name: "await ws.accept().catch(() => ws.close(1011))",
      code: `async function handle(ws: StarletteSocket) {
  await ws.accept().catch(() => ws.close(1011));
  await ws.sendText("hello");
}`,
      files,
      settings,
    },
    // Awaited through a cast, \`satisfies\`, \`!\`, either arm of ?: (the other one throws at the await).
    {
      name: "await (ws.accept() as Promise<void>)",
      code: `async function handle(ws: StarletteSocket) {
  await (ws.accept() as Promise<void>);
  await ws.sendText("hello");
}`,
      files,
      settings,
    },
    {
      name: "await (ws.accept() satisfies Promise<void>)",
      code: `async function handle(ws: StarletteSocket) {
  await (ws.accept() satisfies Promise<void>);
  await ws.accept()!;
  await ws.sendText("hello");
}`,
      files,
      settings,
    },
    {
      name: 'await (ok ? ws.accept() : Promise.reject(new Error("not now")))',
      code: `async function handle(ws: StarletteSocket) {
  await (ok ? ws.accept() : Promise.reject(new Error("not now")));
  await ws.sendText("hello");
}`,
      files,
      settings,
    },
    // Awaited by the call it is passed to: a timeout wrapper, Promise.race, a variable awaited later.
    {
      name: "await withTimeout(ws.accept(), 5000)",
      code: `async function handle(ws: StarletteSocket) {
  await withTimeout(ws.accept(), 5000);
  await ws.sendText("hello");
}`,
      files,
      settings,
    },
    {
      name: 'await Promise.race([conn.accept(), warmUp().then(() => Promise.reject(new Error("timeout")))])',
      code: `async function handle(conn: AsyncUpgrade) {
  await Promise.race([conn.accept(), warmUp().then(() => Promise.reject(new Error("timeout")))]);
  conn.send("x");
}`,
      files,
      settings,
    },
    {
      name: "const accepting = withTimeout(conn.accept(), 5000)",
      code: `async function handle(conn: AsyncUpgrade) {
  const accepting = withTimeout(conn.accept(), 5000);
  await warmUp();
  await accepting;
  conn.send("x");
}`,
      files,
      settings,
    },
    {
      name: "const accepting = conn.accept() (2)",
      code: `async function handle(conn: AsyncUpgrade) {
  const accepting = conn.accept();
  await withTimeout(accepting, 5000);
  conn.send("x");
}`,
      files,
      settings,
    },
    {
      name: "A `let` never assigned again holds the Promise as a const does",
      code: `async function handle(conn: AsyncUpgrade) {
  let accepting = conn.accept();
  await warmUp();
  await accepting;
  conn.send("x");
}`,
      files,
      settings,
    },
    // Other connections: sockets that are already open, a socket the accept returned.
    {
      name: 'for (const other of others) other.send("someone joined")',
      code: `function handle(conn: PendingConnection) {
  for (const other of others) other.send("someone joined");
  const socket = conn.accept();
  socket.send("hello");
}`,
      files,
      settings,
    },
    {
      name: "const socket = await conn.accept()",
      code: `async function handle(conn: AsyncUpgrade) {
  const socket = await conn.accept();
  socket.send("hello");
}`,
      files,
      settings,
    },
    {
      name: "A method of the same name on an unrelated type",
      code: `function handle(conn: PendingConnection) {
  logger.send("upgrade from " + conn.userId);
  conn.accept();
}`,
      files,
      settings,
    },
    // Callbacks run later: registered after accept, or defined before it and registered after.
    {
      name: "conn.accept() (3)",
      code: `function handle(conn: PendingConnection) {
  conn.accept();
  conn.on("message", (data) => conn.send(data));
}`,
      files,
      settings,
    },
    {
      name: "const reply = (data: string) => conn.send(data)",
      code: `function handle(conn: PendingConnection) {
  const reply = (data: string) => conn.send(data);
  conn.accept();
  conn.on("message", reply);
}`,
      files,
      settings,
    },
    {
      name: "No accept in this function and no handler binding: the state is not known, nothing is said",
      code: `function push(conn: PendingConnection, text: string) {
  conn.send(text);
}`,
      files,
      settings,
    },
    {
      name: "A const alias is the same connection",
      code: `function handle(conn: PendingConnection) {
  const c = conn;
  c.accept();
  conn.send("x");
}`,
      files,
      settings,
    },
    // Handler bindings: a bound parameter that is accepted first; a client socket after open.
    {
      name: "conn.accept() (4)",
      code: `function handle(conn: PendingConnection) {
  conn.accept();
  conn.send("welcome");
}`,
      files,
      settings: handlerSettings,
    },
    {
      name: 'const ws = new ClientSocket("ws://localhost:8080")',
      code: `const ws = new ClientSocket("ws://localhost:8080");
ws.once("open", () => ws.send("hello"));`,
      files,
      settings: handlerSettings,
    },
    {
      name: "markAccepted()",
      code: `function onUpgradeRequest() {
  markAccepted();
  sendGreeting();
}`,
      files,
      settings: handlerSettings,
    },
    {
      name: 'conn.transition("accept")',
      code: `function run(conn: GuardedConnection) {
  conn.transition("accept");
  conn.transition("authenticate");
  conn.transition("services_ready");
  conn.transition("ready");
  conn.flush();
}`,
      files,
      settings: handlerSettings,
    },
    {
      name: "The only way out of the loop is the break after accept",
      code: `function handle(conn: PendingConnection) {
  while (true) {
    if (ok) {
      conn.accept();
      break;
    }
  }
  conn.send("x");
}`,
      files,
      settings,
    },
    {
      name: 'Closing is no way into "accepted": a goodbye before close says nothing about accept',
      code: `async function shutdown(ws: StarletteSocket) {
  await ws.sendText("bye");
  await ws.close(1001);
}`,
      files,
      settings,
    },
    {
      name: "A handler bound by name moves its socket with a method call: that socket is the handler's connection (issue 17).",
      code: `function onUpgradeRequest(socket: LobbySocket) {
  socket.acceptSync();
  socket.sendJson(${JOINED});
}`,
      files,
      settings: lobbySettings,
    },
    {
      name: "a name-bound method moves its socket (accept, join, then send)",
      code: `class Server {
  onUpgrade(socket: LobbySocket) {
    socket.acceptSync();
    socket.join("general");
    socket.sendJson(${JOINED});
  }
}`,
      files,
      settings: lobbySettings,
    },
    {
      name: "a name-bound arrow function moves its socket",
      code: `export const onUpgradeArrow = (socket: LobbySocket) => {
  socket.acceptSync();
  socket.sendJson(${JOINED});
};`,
      files,
      settings: lobbySettings,
    },
    {
      name: "a name-bound method moves a field's socket after a guard",
      code: `class Server {
  socket?: LobbySocket;
  onUpgrade() {
    if (!this.socket) return;
    this.socket.acceptSync();
    this.socket.sendJson(${JOINED});
  }
}`,
      files,
      settings: lobbySettings,
    },
    {
      name: "a name-bound handler that rejects and returns, then accepts and sends",
      code: `function onUpgradeRequest(socket: LobbySocket) {
  if (!ok) {
    socket.reject(4401);
    return;
  }
  socket.acceptSync();
  socket.sendJson(${JOINED});
}`,
      files,
      settings: lobbySettings,
    },
    {
      name: "A broadcast to the other sockets before this one is accepted is not this connection's business.",
      code: `function onUpgradeRequest(socket: LobbySocket, room: LobbySocket[]) {
  for (const other of room) other.sendJson(${JOINED});
  socket.acceptSync();
  socket.sendJson(${JOINED});
}`,
      files,
      settings: lobbySettings,
    },
    {
      name: "a decorator-bound handler moves its socket",
      code: `class Gateway {
  @OnUpgrade
  join(socket: LobbySocket) {
    socket.acceptSync();
    socket.sendJson(${JOINED});
  }
}`,
      files,
      settings: lobbyDecoratorSettings,
    },
    {
      name: "A function the binding does not name starts nowhere known: the order in it is all that counts.",
      code: `function handleUpgrade(socket: LobbySocket) {
  socket.acceptSync();
  socket.sendJson(${JOINED});
}`,
      files,
      settings: lobbySettings,
    },
    // The send runs in a then-callback, after the accept completed.
    {
      name: 'conn.accept().then(() => conn.send("welcome"))',
      code: `function handle(conn: AsyncUpgrade) {
  conn.accept().then(() => conn.send("welcome"));
}`,
      files,
      settings,
    },
    {
      name: "conn.flush()",
      code: `function run(conn: GuardedConnection) {
  conn.flush();
}`,
      files,
      settings: partialSettings,
    },
    {
      name: "Without bindings the rule says nothing",
      code: `function handle(conn: PendingConnection) {
  conn.send("x");
  conn.accept();
}`,
      files,
    },
  ],
  invalid: [
    // The seed: a greeting before accept.
    {
      name: 'conn.send("connection_established")',
      code: `async function handle(conn: PendingConnection) {
  conn.send("connection_established");
  if (!(await authenticate(conn.userId))) {
    conn.reject(4401, "unauthenticated");
    return;
  }
  conn.accept();
}`,
      files,
      settings,
      errors: [
        {
          messageId: "operationBeforeTransition",
          line: 2,
          column: 3,
          data: { call: "conn.send(…)", transitionCall: "conn.accept()", transition: "accept", contract: "agent-websocket" },
        },
      ],
    },
    {
      name: 'await ws.sendText("hello")',
      code: `async function handle(ws: StarletteSocket) {
  await ws.sendText("hello");
  await ws.accept();
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 2, column: 9 }],
    },
    // Accepted on one path only.
    {
      name: 'conn.send("x")',
      code: `function handle(conn: PendingConnection) {
  if (ok) conn.accept();
  conn.send("x");
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 3, column: 3 }],
    },
    {
      name: 'conn.send("x") (2)',
      code: `function handle(conn: PendingConnection, kind: "a" | "b") {
  switch (kind) {
    case "a":
      conn.accept();
      break;
    case "b":
      conn.send("x");
  }
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 7, column: 7 }],
    },
    {
      name: 'conn.send("x") (3)',
      code: `function handle(conn: PendingConnection) {
  ok && conn.accept();
  conn.send("x");
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 3, column: 3 }],
    },
    {
      name: "A message handler registered before accept completes",
      code: `function handle(conn: PendingConnection) {
  conn.on("message", (data) => route(data));
  conn.accept();
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 2, column: 3, data: { operation: "`route messages`" } }],
    },
    // The accept is not awaited, or awaited only after the send.
    {
      name: 'await ws.sendText("hello") (2)',
      code: `async function handle(ws: StarletteSocket) {
  ws.accept();
  await ws.sendText("hello");
}`,
      files,
      settings,
      errors: [{ messageId: "transitionNotAwaited", line: 3, column: 9, data: { transitionCall: "ws.accept()" } }],
    },
    {
      name: 'conn.send("x") (4)',
      code: `async function handle(conn: AsyncUpgrade) {
  const accepting = conn.accept();
  conn.send("x");
  await accepting;
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 3, column: 3 }],
    },
    // A wrapper that is not awaited, a wrapper awaited after the send, a send that runs while Promise.all waits.
    {
      name: 'await ws.sendText("hello") (3)',
      code: `async function handle(ws: StarletteSocket) {
  void withTimeout(ws.accept(), 5000);
  await ws.sendText("hello");
}`,
      files,
      settings,
      errors: [{ messageId: "transitionNotAwaited", line: 3, column: 9 }],
    },
    {
      name: 'await ws.sendText("hello") (4)',
      code: `async function handle(ws: StarletteSocket) {
  const accepting = withTimeout(ws.accept(), 5000);
  await ws.sendText("hello");
  await accepting;
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 3, column: 9 }],
    },
    {
      name: 'await Promise.all([ws.accept(), ws.sendText("hello")])',
      code: `async function handle(ws: StarletteSocket) {
  await Promise.all([ws.accept(), ws.sendText("hello")]);
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 2, column: 35 }],
    },
    // The other arm of ?: does not accept; a \`let\` assigned again may hold another Promise.
    {
      name: 'await ws.sendText("hello") (5)',
      code: `async function handle(ws: StarletteSocket) {
  await (ok ? ws.accept() : warmUp());
  await ws.sendText("hello");
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 3, column: 9 }],
    },
    {
      name: 'conn.send("x") (5)',
      code: `async function handle(conn: AsyncUpgrade) {
  let accepting = conn.accept();
  if (ok) accepting = Promise.reject(new Error("busy"));
  await accepting;
  conn.send("x");
}`,
      files,
      settings,
      errors: [{ messageId: "transitionNotAwaited", line: 5, column: 3 }],
    },
    {
      name: "Loops: the first round sends before the accept at the end of the body",
      code: `function handle(conns: PendingConnection[]) {
  for (const conn of conns) {
    conn.send("x");
    conn.accept();
  }
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 3, column: 5 }],
    },
    {
      name: "A catch runs from any point of its try: the accept may not have happened",
      code: `async function handle(ws: StarletteSocket) {
  try {
    await ws.accept();
    await ws.sendText("hello");
  } catch {
    await ws.sendText("error");
  }
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 6, column: 11 }],
    },
    {
      name: "An array callback runs on the spot",
      code: `function handle(conn: PendingConnection, lines: string[]) {
  lines.forEach((line) => conn.send(line));
  conn.accept();
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 2, column: 27 }],
    },
    {
      name: "A labeled break that skips the accept",
      code: `function handle(conn: PendingConnection) {
  check: {
    if (!ok) break check;
    conn.accept();
  }
  conn.send("x");
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 6, column: 3 }],
    },
    {
      name: "A continue that skips the accept of this round",
      code: `function handle(conns: PendingConnection[], skip: (c: PendingConnection) => boolean) {
  for (const conn of conns) {
    if (!skip(conn)) {
      conn.accept();
    }
    conn.send("x");
  }
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 6, column: 5 }],
    },
    // An IIFE and a Promise executor run on the spot.
    {
      name: '(() => conn.send("x"))()',
      code: `function handle(conn: PendingConnection) {
  (() => conn.send("x"))();
  conn.accept();
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 2, column: 10 }],
    },
    {
      name: 'conn.send("x") (6)',
      code: `async function handle(conn: PendingConnection) {
  await new Promise<void>((resolve) => {
    conn.send("x");
    resolve();
  });
  conn.accept();
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 3, column: 5 }],
    },
    // A finally runs also when the accept threw; an optional call may still run.
    {
      name: 'conn.send("bye")',
      code: `function handle(conn: PendingConnection) {
  try {
    conn.accept();
  } finally {
    conn.send("bye");
  }
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 5, column: 5 }],
    },
    {
      name: 'conn?.send("x")',
      code: `function handle(conn: PendingConnection | undefined) {
  conn?.send("x");
  conn?.accept();
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 2, column: 3 }],
    },
    {
      name: "A method of a class; receive requires the accept transition itself",
      code: `class Endpoint {
  async onConnect(ws: StarletteSocket) {
    const first = await ws.receiveText();
    await ws.accept();
    await ws.sendText(first);
  }
}`,
      files,
      settings,
      errors: [{ messageId: "operationBeforeTransition", line: 3, column: 25, data: { operation: "`receive`" } }],
    },
    // Handler bindings: the state is known without an accept in sight.
    {
      name: 'conn.send("hi")',
      code: `function greet(conn: PendingConnection) {
  conn.send("hi");
}`,
      files,
      errors: [
        {
          messageId: "operationInState",
          line: 2,
          column: 3,
          data: { state: "connecting", path: "`accept`", origin: " (`conn: PendingConnection` starts in state `connecting`)" },
        },
      ],
      settings: handlerSettings,
    },
    {
      name: "conn.flush() (2)",
      code: `function run(conn: GuardedConnection) {
  conn.transition("accept");
  conn.transition("authenticate");
  conn.flush();
}`,
      files,
      errors: [{ messageId: "operationInState", line: 4, column: 3, data: { state: "authenticated", path: "`services_ready` and `ready`", origin: "" } }],
      settings: handlerSettings,
    },
    {
      name: 'ws.send("hello")',
      code: `const ws = new ClientSocket("ws://localhost:8080");
ws.send("hello");`,
      files,
      errors: [
        {
          messageId: "operationInState",
          line: 2,
          column: 1,
          data: { state: "connecting", origin: " (`new ClientSocket(…)` starts it in state `connecting`)" },
        },
      ],
      settings: handlerSettings,
    },
    {
      name: "sendGreeting()",
      code: `function onUpgradeRequest() {
  sendGreeting();
  markAccepted();
}`,
      files,
      errors: [{ messageId: "operationInState", line: 2, column: 3, data: { origin: " (`onUpgradeRequest` runs in state `connecting`)" } }],
      settings: handlerSettings,
    },
    {
      name: "The same socket, sent to before its accept or on a path that skips it: the handler's start state counts.",
      code: `function onUpgradeRequest(socket: LobbySocket) {
  socket.sendJson(${JOINED});
  socket.acceptSync();
}`,
      files,
      errors: [
        {
          messageId: "operationInState",
          line: 2,
          column: 3,
          data: { state: "connecting", connection: "`socket`", origin: " (`onUpgradeRequest` runs in state `connecting`)" },
        },
      ],
      settings: lobbySettings,
    },
    {
      name: "a name-bound handler's send on a path that skips the accept",
      code: `function onUpgradeRequest(socket: LobbySocket) {
  if (ok) socket.acceptSync();
  socket.sendJson(${JOINED});
}`,
      files,
      errors: [{ messageId: "operationInState", line: 3, column: 3, data: { state: "connecting", path: "\`accept\`" } }],
      settings: lobbySettings,
    },
    {
      name: "a decorator-bound handler sends before its accept",
      code: `class Gateway {
  @OnUpgrade
  join(socket: LobbySocket) {
    socket.sendJson(${JOINED});
    socket.acceptSync();
  }
}`,
      files,
      errors: [{ messageId: "operationInState", line: 4, column: 5, data: { state: "connecting", origin: " (`Gateway.join` runs in state `connecting`)" } }],
      settings: lobbyDecoratorSettings,
    },
    {
      name: "a name-bound method sends in the catch of a failed accept",
      code: `class Server {
  onUpgrade(socket: LobbySocket) {
    try {
      socket.acceptSync();
    } catch {
      socket.sendJson({ type: "error" });
    }
  }
}`,
      files,
      errors: [
        { messageId: "operationInState", line: 6, column: 7, data: { state: "connecting", origin: " (`Server.onUpgrade` runs in state `connecting`)" } },
      ],
      settings: lobbySettings,
    },
    // graphql-ws: the events that take `init` and `acknowledge` have not passed on some path.
    {
      name: "graphql-ws: execute after connection_init but before connection_ack is sent",
      code: `function onOpen(ws: GqlSocket) {
  router.handle("connection_init", {});
  ws.execute("{ hello }");
  ${ACK};
}`,
      files: gqlFiles,
      settings: gqlSettings,
      errors: [{ messageId: "operationInState", line: 3, column: 3, data: { state: "initialising", path: "`acknowledge`" } }],
    },
    {
      name: 'graphql-ws: a ping (states "*") takes no transition',
      code: `function onOpen(ws: GqlSocket) {
  router.handle("ping", {});
  ws.send(JSON.stringify({ type: "pong", payload: {} }));
  ws.execute("{ hello }");
}`,
      files: gqlFiles,
      settings: gqlSettings,
      errors: [{ messageId: "operationInState", line: 4, column: 3, data: { state: "accepted", path: "`init` and `acknowledge`" } }],
    },
    {
      name: "graphql-ws: the ack sent on one branch only",
      code: `function onOpen(ws: GqlSocket) {
  router.handle("connection_init", {});
  if (ok) ${ACK};
  ws.execute("{ hello }");
}`,
      files: gqlFiles,
      settings: gqlSettings,
      errors: [{ messageId: "operationInState", line: 4, column: 3, data: { state: "initialising" } }],
    },
  ],
};

export default table;
