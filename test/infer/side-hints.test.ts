// Which side sends a message, from names and comments: the documented heuristics, with the names
// and comments that must say nothing.
import { MESSAGE_NAME } from "../../analyzer/infer/find-unions.js";
import { getSideFromName, getSidesFromComment } from "../../analyzer/infer/side-hints.js";

describe("getSideFromName", () => {
  const CASES: [string, "server" | "client" | undefined][] = [
    ["ServerMessage", "server"],
    ["ClientMessage", "client"],
    ["ServerToClientEvent", "server"],
    ["ClientToServerEvent", "client"],
    ["MessageToClient", "server"],
    ["FromServerMessage", "server"],
    ["toServer", "client"],
    ["src/server/handlers.ts broadcast", "server"],
    ["src/client/socket.ts say", "client"],
    ["BackendEvent", "server"],
    ["FrontendEvent", "client"],
    ["s2c_message", "server"],
    ["c2s_message", "client"],
    // Nothing, or both without a direction: no hint.
    ["Message", undefined],
    ["AgentWebsocketMessage", undefined],
    ["ClientServerMessage", undefined],
    ["src/session.ts AgentSession refuse", undefined],
    ["ObserverEvent", undefined],
    ["ClientIdMessage", "client"],
    ["WSServerMessage", "server"],
  ];
  it.each(CASES)("%s → %s", (name, side) => {
    expect(getSideFromName(name)).toBe(side);
  });
});

describe("getSidesFromComment", () => {
  const CASES: [string, string[]][] = [
    ["// Client -> Server", ["client"]],
    ["// Server -> Client", ["server"]],
    ["/// bidirectional", ["server", "client"]],
    ["/** Sent by the server when a run starts. */", ["server"]],
    ["/** Sent by the client to log in. */", ["client"]],
    ["// browser → backend", ["client"]],
    ["/** Either side may send it. */", ["server", "client"]],
    // Comments that mention a side without saying who sends: nothing.
    ["/** The client's id, as the server knows it. */", []],
    ["// TODO: server restart", []],
    ["", []],
  ];
  it.each(CASES)("%j → %j", (comment, sides) => {
    expect(getSidesFromComment(comment)).toEqual(sides);
  });
});

describe("MESSAGE_NAME: the union names taken for message unions without --type", () => {
  const CASES: [string, boolean][] = [
    ["ServerMessage", true],
    ["ClientMessages", true],
    ["Message", true],
    ["AgentWebsocketMessage", true],
    ["ServerEvent", true],
    ["WsCommandUnion", true],
    ["RpcRequest", true],
    ["OutgoingMsg", true],
    ["ActionType", true],
    ["EventSource", false],
    ["PayloadValue", false],
    ["ClientMessageResult", false],
    ["Shape", false],
    ["MessageHandler", false],
  ];
  it.each(CASES)("%s → %s", (name, taken) => {
    expect(MESSAGE_NAME.test(name)).toBe(taken);
  });
});
