import path from "node:path";
import type { ContractBindingsInput } from "../../contracts/bindings/bindings.schema.js";
import type { CheckTable, InvalidCase, ValidCase } from "../utils/check-tester.js";
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
    { operation: "send", call: ["send", "sendText"], receiverType: ["PendingConnection", "AsyncUpgrade", "StarletteSocket", "Socket", "ClientSocket"], requires: "accepted" },
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

function valid(code: string, extra: Partial<ValidCase> = {}): ValidCase {
  return { code, files, settings, ...extra };
}

function invalid(code: string, errors: InvalidCase["errors"], extra: Partial<InvalidCase> = {}): InvalidCase {
  return { code, files, settings, errors, ...extra };
}

const table: CheckTable = {
  valid: [
    // Accepted first, on every path.
    valid(`function handle(conn: PendingConnection) {\n  const socket = conn.accept();\n  conn.send("welcome");\n  socket.send("ready");\n}`),
    valid(`async function handle(ws: StarletteSocket) {\n  await ws.accept();\n  await ws.sendText("hello");\n  const text = await ws.receiveText();\n  await ws.sendText(text);\n}`),
    // The seed's fix: the not-accepted path leaves early.
    valid(`async function handle(conn: PendingConnection) {\n  if (!(await authenticate(conn.userId))) {\n    conn.reject(4401, "unauthenticated");\n    return;\n  }\n  conn.accept();\n  conn.send("welcome");\n}`),
    valid(`async function handle(conn: PendingConnection) {\n  if (!conn.userId) throw new Error("anonymous");\n  conn.accept();\n  conn.send("welcome");\n}`),
    // Accepted in both branches, in every case of a switch, in a do-while's first round.
    valid(`function handle(conn: PendingConnection, fast: boolean) {\n  if (fast) {\n    conn.accept();\n  } else {\n    conn.accept();\n  }\n  conn.send("x");\n}`),
    valid(`function handle(conn: PendingConnection, kind: "a" | "b") {\n  switch (kind) {\n    case "a":\n      conn.accept();\n      break;\n    default:\n      conn.accept();\n  }\n  conn.send("x");\n}`),
    valid(`function handle(conn: PendingConnection) {\n  do {\n    conn.accept();\n    conn.send("x");\n  } while (false);\n}`),
    // A loop that only runs after accept.
    valid(`async function handle(ws: StarletteSocket) {\n  await ws.accept();\n  for (;;) {\n    const text = await ws.receiveText();\n    if (text === "bye") break;\n    await ws.sendText(text);\n  }\n}`),
    // A failed accept leaves the function.
    valid(`async function handle(ws: StarletteSocket) {\n  try {\n    await ws.accept();\n  } catch {\n    return;\n  }\n  await ws.sendText("hello");\n}`),
    // Awaited later, or together with other work.
    valid(`async function handle(conn: AsyncUpgrade) {\n  const accepting = conn.accept();\n  await warmUp();\n  await accepting;\n  conn.send("x");\n}`),
    valid(`async function handle(conn: AsyncUpgrade) {\n  await Promise.all([conn.accept(), warmUp()]);\n  conn.send("x");\n}`),
    valid(`async function handle(ws: StarletteSocket) {\n  await ws.accept().catch(() => ws.close(1011));\n  await ws.sendText("hello");\n}`),
    // Awaited through a cast, \`satisfies\`, \`!\`, either arm of ?: (the other one throws at the await).
    valid(`async function handle(ws: StarletteSocket) {\n  await (ws.accept() as Promise<void>);\n  await ws.sendText("hello");\n}`),
    valid(`async function handle(ws: StarletteSocket) {\n  await (ws.accept() satisfies Promise<void>);\n  await ws.accept()!;\n  await ws.sendText("hello");\n}`),
    valid(`async function handle(ws: StarletteSocket) {\n  await (ok ? ws.accept() : Promise.reject(new Error("not now")));\n  await ws.sendText("hello");\n}`),
    // Awaited by the call it is passed to: a timeout wrapper, Promise.race, a variable awaited later.
    valid(`async function handle(ws: StarletteSocket) {\n  await withTimeout(ws.accept(), 5000);\n  await ws.sendText("hello");\n}`),
    valid(`async function handle(conn: AsyncUpgrade) {\n  await Promise.race([conn.accept(), warmUp().then(() => Promise.reject(new Error("timeout")))]);\n  conn.send("x");\n}`),
    valid(`async function handle(conn: AsyncUpgrade) {\n  const accepting = withTimeout(conn.accept(), 5000);\n  await warmUp();\n  await accepting;\n  conn.send("x");\n}`),
    valid(`async function handle(conn: AsyncUpgrade) {\n  const accepting = conn.accept();\n  await withTimeout(accepting, 5000);\n  conn.send("x");\n}`),
    // A \`let\` never assigned again holds the Promise as a const does.
    valid(`async function handle(conn: AsyncUpgrade) {\n  let accepting = conn.accept();\n  await warmUp();\n  await accepting;\n  conn.send("x");\n}`),
    // Other connections: sockets that are already open, a socket the accept returned.
    valid(`function handle(conn: PendingConnection) {\n  for (const other of others) other.send("someone joined");\n  const socket = conn.accept();\n  socket.send("hello");\n}`),
    valid(`async function handle(conn: AsyncUpgrade) {\n  const socket = await conn.accept();\n  socket.send("hello");\n}`),
    // A method of the same name on an unrelated type.
    valid(`function handle(conn: PendingConnection) {\n  logger.send("upgrade from " + conn.userId);\n  conn.accept();\n}`),
    // Callbacks run later: registered after accept, or defined before it and registered after.
    valid(`function handle(conn: PendingConnection) {\n  conn.accept();\n  conn.on("message", (data) => conn.send(data));\n}`),
    valid(`function handle(conn: PendingConnection) {\n  const reply = (data: string) => conn.send(data);\n  conn.accept();\n  conn.on("message", reply);\n}`),
    // No accept in this function and no handler binding: the state is not known, nothing is said.
    valid(`function push(conn: PendingConnection, text: string) {\n  conn.send(text);\n}`),
    // A const alias is the same connection.
    valid(`function handle(conn: PendingConnection) {\n  const c = conn;\n  c.accept();\n  conn.send("x");\n}`),
    // Handler bindings: a bound parameter that is accepted first; a client socket after open.
    valid(`function handle(conn: PendingConnection) {\n  conn.accept();\n  conn.send("welcome");\n}`, { settings: handlerSettings }),
    valid(`const ws = new ClientSocket("ws://localhost:8080");\nws.once("open", () => ws.send("hello"));`, { settings: handlerSettings }),
    valid(`function onUpgradeRequest() {\n  markAccepted();\n  sendGreeting();\n}`, { settings: handlerSettings }),
    valid(`function run(conn: GuardedConnection) {\n  conn.transition("accept");\n  conn.transition("authenticate");\n  conn.transition("services_ready");\n  conn.transition("ready");\n  conn.flush();\n}`, { settings: handlerSettings }),
    // A handler bound by name moves its socket with a method call: that socket is the handler's connection (issue 17).
    valid(`function onUpgradeRequest(socket: LobbySocket) {\n  socket.acceptSync();\n  socket.sendJson(${JOINED});\n}`, { settings: lobbySettings }),
    valid(`class Server {\n  onUpgrade(socket: LobbySocket) {\n    socket.acceptSync();\n    socket.join("general");\n    socket.sendJson(${JOINED});\n  }\n}`, { settings: lobbySettings }),
    valid(`export const onUpgradeArrow = (socket: LobbySocket) => {\n  socket.acceptSync();\n  socket.sendJson(${JOINED});\n};`, { settings: lobbySettings }),
    valid(`class Server {\n  socket?: LobbySocket;\n  onUpgrade() {\n    if (!this.socket) return;\n    this.socket.acceptSync();\n    this.socket.sendJson(${JOINED});\n  }\n}`, { settings: lobbySettings }),
    valid(`function onUpgradeRequest(socket: LobbySocket) {\n  if (!ok) {\n    socket.reject(4401);\n    return;\n  }\n  socket.acceptSync();\n  socket.sendJson(${JOINED});\n}`, { settings: lobbySettings }),
    // A broadcast to the other sockets before this one is accepted is not this connection's business.
    valid(`function onUpgradeRequest(socket: LobbySocket, room: LobbySocket[]) {\n  for (const other of room) other.sendJson(${JOINED});\n  socket.acceptSync();\n  socket.sendJson(${JOINED});\n}`, { settings: lobbySettings }),
    valid(`class Gateway {\n  @OnUpgrade\n  join(socket: LobbySocket) {\n    socket.acceptSync();\n    socket.sendJson(${JOINED});\n  }\n}`, { settings: lobbyDecoratorSettings }),
    // A function the binding does not name starts nowhere known: the order in it is all that counts.
    valid(`function handleUpgrade(socket: LobbySocket) {\n  socket.acceptSync();\n  socket.sendJson(${JOINED});\n}`, { settings: lobbySettings }),
    // The only way out of the loop is the break after accept.
    valid(`function handle(conn: PendingConnection) {\n  while (true) {\n    if (ok) {\n      conn.accept();\n      break;\n    }\n  }\n  conn.send("x");\n}`),
    // Closing is no way into "accepted": a goodbye before close says nothing about accept.
    valid(`async function shutdown(ws: StarletteSocket) {\n  await ws.sendText("bye");\n  await ws.close(1001);\n}`),
    // The send runs in a then-callback, after the accept completed.
    valid(`function handle(conn: AsyncUpgrade) {\n  conn.accept().then(() => conn.send("welcome"));\n}`),
    valid(`function run(conn: GuardedConnection) {\n  conn.flush();\n}`, { settings: partialSettings }),
    // Without bindings the rule says nothing.
    { code: `function handle(conn: PendingConnection) {\n  conn.send("x");\n  conn.accept();\n}`, files },
  ],
  invalid: [
    // The seed: a greeting before accept.
    invalid(`async function handle(conn: PendingConnection) {\n  conn.send("connection_established");\n  if (!(await authenticate(conn.userId))) {\n    conn.reject(4401, "unauthenticated");\n    return;\n  }\n  conn.accept();\n}`, [
      { messageId: "operationBeforeTransition", line: 2, column: 3, data: { call: "conn.send(…)", transitionCall: "conn.accept()", transition: "accept", contract: "agent-websocket" } },
    ]),
    invalid(`async function handle(ws: StarletteSocket) {\n  await ws.sendText("hello");\n  await ws.accept();\n}`, [{ messageId: "operationBeforeTransition", line: 2, column: 9 }]),
    // Accepted on one path only.
    invalid(`function handle(conn: PendingConnection) {\n  if (ok) conn.accept();\n  conn.send("x");\n}`, [{ messageId: "operationBeforeTransition", line: 3, column: 3 }]),
    invalid(`function handle(conn: PendingConnection, kind: "a" | "b") {\n  switch (kind) {\n    case "a":\n      conn.accept();\n      break;\n    case "b":\n      conn.send("x");\n  }\n}`, [{ messageId: "operationBeforeTransition", line: 7, column: 7 }]),
    invalid(`function handle(conn: PendingConnection) {\n  ok && conn.accept();\n  conn.send("x");\n}`, [{ messageId: "operationBeforeTransition", line: 3, column: 3 }]),
    // A message handler registered before accept completes.
    invalid(`function handle(conn: PendingConnection) {\n  conn.on("message", (data) => route(data));\n  conn.accept();\n}`, [{ messageId: "operationBeforeTransition", line: 2, column: 3, data: { operation: "`route messages`" } }]),
    // The accept is not awaited, or awaited only after the send.
    invalid(`async function handle(ws: StarletteSocket) {\n  ws.accept();\n  await ws.sendText("hello");\n}`, [{ messageId: "transitionNotAwaited", line: 3, column: 9, data: { transitionCall: "ws.accept()" } }]),
    invalid(`async function handle(conn: AsyncUpgrade) {\n  const accepting = conn.accept();\n  conn.send("x");\n  await accepting;\n}`, [{ messageId: "operationBeforeTransition", line: 3, column: 3 }]),
    // A wrapper that is not awaited, a wrapper awaited after the send, a send that runs while Promise.all waits.
    invalid(`async function handle(ws: StarletteSocket) {\n  void withTimeout(ws.accept(), 5000);\n  await ws.sendText("hello");\n}`, [{ messageId: "transitionNotAwaited", line: 3, column: 9 }]),
    invalid(`async function handle(ws: StarletteSocket) {\n  const accepting = withTimeout(ws.accept(), 5000);\n  await ws.sendText("hello");\n  await accepting;\n}`, [{ messageId: "operationBeforeTransition", line: 3, column: 9 }]),
    invalid(`async function handle(ws: StarletteSocket) {\n  await Promise.all([ws.accept(), ws.sendText("hello")]);\n}`, [{ messageId: "operationBeforeTransition", line: 2, column: 35 }]),
    // The other arm of ?: does not accept; a \`let\` assigned again may hold another Promise.
    invalid(`async function handle(ws: StarletteSocket) {\n  await (ok ? ws.accept() : warmUp());\n  await ws.sendText("hello");\n}`, [{ messageId: "operationBeforeTransition", line: 3, column: 9 }]),
    invalid(`async function handle(conn: AsyncUpgrade) {\n  let accepting = conn.accept();\n  if (ok) accepting = Promise.reject(new Error("busy"));\n  await accepting;\n  conn.send("x");\n}`, [{ messageId: "transitionNotAwaited", line: 5, column: 3 }]),
    // Loops: the first round sends before the accept at the end of the body.
    invalid(`function handle(conns: PendingConnection[]) {\n  for (const conn of conns) {\n    conn.send("x");\n    conn.accept();\n  }\n}`, [{ messageId: "operationBeforeTransition", line: 3, column: 5 }]),
    // A catch runs from any point of its try: the accept may not have happened.
    invalid(`async function handle(ws: StarletteSocket) {\n  try {\n    await ws.accept();\n    await ws.sendText("hello");\n  } catch {\n    await ws.sendText("error");\n  }\n}`, [{ messageId: "operationBeforeTransition", line: 6, column: 11 }]),
    // An array callback runs on the spot.
    invalid(`function handle(conn: PendingConnection, lines: string[]) {\n  lines.forEach((line) => conn.send(line));\n  conn.accept();\n}`, [{ messageId: "operationBeforeTransition", line: 2, column: 27 }]),
    // A labeled break that skips the accept.
    invalid(`function handle(conn: PendingConnection) {\n  check: {\n    if (!ok) break check;\n    conn.accept();\n  }\n  conn.send("x");\n}`, [{ messageId: "operationBeforeTransition", line: 6, column: 3 }]),
    // A continue that skips the accept of this round.
    invalid(`function handle(conns: PendingConnection[], skip: (c: PendingConnection) => boolean) {\n  for (const conn of conns) {\n    if (!skip(conn)) {\n      conn.accept();\n    }\n    conn.send("x");\n  }\n}`, [{ messageId: "operationBeforeTransition", line: 6, column: 5 }]),
    // An IIFE and a Promise executor run on the spot.
    invalid(`function handle(conn: PendingConnection) {\n  (() => conn.send("x"))();\n  conn.accept();\n}`, [{ messageId: "operationBeforeTransition", line: 2, column: 10 }]),
    invalid(`async function handle(conn: PendingConnection) {\n  await new Promise<void>((resolve) => {\n    conn.send("x");\n    resolve();\n  });\n  conn.accept();\n}`, [{ messageId: "operationBeforeTransition", line: 3, column: 5 }]),
    // A finally runs also when the accept threw; an optional call may still run.
    invalid(`function handle(conn: PendingConnection) {\n  try {\n    conn.accept();\n  } finally {\n    conn.send("bye");\n  }\n}`, [{ messageId: "operationBeforeTransition", line: 5, column: 5 }]),
    invalid(`function handle(conn: PendingConnection | undefined) {\n  conn?.send("x");\n  conn?.accept();\n}`, [{ messageId: "operationBeforeTransition", line: 2, column: 3 }]),
    // A method of a class; receive requires the accept transition itself.
    invalid(`class Endpoint {\n  async onConnect(ws: StarletteSocket) {\n    const first = await ws.receiveText();\n    await ws.accept();\n    await ws.sendText(first);\n  }\n}`, [{ messageId: "operationBeforeTransition", line: 3, column: 25, data: { operation: "`receive`" } }]),
    // Handler bindings: the state is known without an accept in sight.
    invalid(`function greet(conn: PendingConnection) {\n  conn.send("hi");\n}`, [
      { messageId: "operationInState", line: 2, column: 3, data: { state: "connecting", path: "`accept`", origin: " (`conn: PendingConnection` starts in state `connecting`)" } },
    ], { settings: handlerSettings }),
    invalid(`function run(conn: GuardedConnection) {\n  conn.transition("accept");\n  conn.transition("authenticate");\n  conn.flush();\n}`, [
      { messageId: "operationInState", line: 4, column: 3, data: { state: "authenticated", path: "`services_ready` and `ready`", origin: "" } },
    ], { settings: handlerSettings }),
    invalid(`const ws = new ClientSocket("ws://localhost:8080");\nws.send("hello");`, [{ messageId: "operationInState", line: 2, column: 1, data: { state: "connecting", origin: " (`new ClientSocket(…)` starts it in state `connecting`)" } }], { settings: handlerSettings }),
    invalid(`function onUpgradeRequest() {\n  sendGreeting();\n  markAccepted();\n}`, [{ messageId: "operationInState", line: 2, column: 3, data: { origin: " (`onUpgradeRequest` runs in state `connecting`)" } }], { settings: handlerSettings }),
    // The same socket, sent to before its accept or on a path that skips it: the handler's start state counts.
    invalid(`function onUpgradeRequest(socket: LobbySocket) {\n  socket.sendJson(${JOINED});\n  socket.acceptSync();\n}`, [
      { messageId: "operationInState", line: 2, column: 3, data: { state: "connecting", connection: "`socket`", origin: " (`onUpgradeRequest` runs in state `connecting`)" } },
    ], { settings: lobbySettings }),
    invalid(`function onUpgradeRequest(socket: LobbySocket) {\n  if (ok) socket.acceptSync();\n  socket.sendJson(${JOINED});\n}`, [
      { messageId: "operationInState", line: 3, column: 3, data: { state: "connecting", path: "\`accept\`" } },
    ], { settings: lobbySettings }),
    invalid(`class Gateway {\n  @OnUpgrade\n  join(socket: LobbySocket) {\n    socket.sendJson(${JOINED});\n    socket.acceptSync();\n  }\n}`, [
      { messageId: "operationInState", line: 4, column: 5, data: { state: "connecting", origin: " (`Gateway.join` runs in state `connecting`)" } },
    ], { settings: lobbyDecoratorSettings }),
    invalid(`class Server {\n  onUpgrade(socket: LobbySocket) {\n    try {\n      socket.acceptSync();\n    } catch {\n      socket.sendJson({ type: "error" });\n    }\n  }\n}`, [
      { messageId: "operationInState", line: 6, column: 7, data: { state: "connecting", origin: " (`Server.onUpgrade` runs in state `connecting`)" } },
    ], { settings: lobbySettings }),
  ],
};

export default table;
