/**
 * Which side sends a message, from names (a documented heuristic): `ServerMessage`,
 * `ServerToClientEvent`, `OutgoingToClient` and a file `server/handlers.ts` say the server sends;
 * `ClientMessage`, `ToServer`, `client/socket.ts` say the client does. A name with both words and
 * no direction (`ClientServerMessage`) says nothing.
 */
import type { DirectionHint } from "./model.js";

const SERVER = "(server|backend)";
const CLIENT = "(client|frontend|browser)";
const SERVER_SENDS = new RegExp(`\\b${SERVER} to ${CLIENT}\\b|\\bto ${CLIENT}\\b|\\bfrom ${SERVER}\\b|\\bs2c\\b`);
const CLIENT_SENDS = new RegExp(`\\b${CLIENT} to ${SERVER}\\b|\\bto ${SERVER}\\b|\\bfrom ${CLIENT}\\b|\\bc2s\\b`);
const SERVER_WORD = new RegExp(`\\b${SERVER}\\b`);
const CLIENT_WORD = new RegExp(`\\b${CLIENT}\\b`);

/** `ServerToClientEvent` → `server to client event`; `src/ws-server/x.ts` → `src ws server x ts`. */
function toWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join(" ");
}

/** The side a name says sends, or undefined. Whole words only: `Observer` says nothing. */
export function getSideFromName(name: string): DirectionHint["side"] | undefined {
  const words = toWords(name);
  const serverSends = SERVER_SENDS.test(words);
  const clientSends = CLIENT_SENDS.test(words);
  if (serverSends !== clientSends) return serverSends ? "server" : "client";
  if (serverSends) return undefined;
  const server = SERVER_WORD.test(words);
  const client = CLIENT_WORD.test(words);
  return server === client ? undefined : server ? "server" : "client";
}

const COMMENT_CLIENT_SENDS =
  /\b(client|frontend|browser)\s*(->|→|=>|to)\s*(server|backend)\b|\bsent by the (client|frontend|browser)\b|\b(client|browser) sends\b/i;
const COMMENT_SERVER_SENDS = /\b(server|backend)\s*(->|→|=>|to)\s*(client|frontend|browser)\b|\bsent by the (server|backend)\b|\bserver sends\b/i;
const COMMENT_BOTH = /\bbidirectional\b|\bboth (ways|directions|sides)\b|\beither side\b/i;

/**
 * The sides a comment says send a message: `// Client -> Server` (graphql-ws's enum), `Sent by the
 * server when ...`, `bidirectional`. Empty when it says nothing about it.
 */
export function getSidesFromComment(text: string): DirectionHint["side"][] {
  if (COMMENT_BOTH.test(text)) return ["server", "client"];
  const client = COMMENT_CLIENT_SENDS.test(text);
  const server = COMMENT_SERVER_SENDS.test(text);
  return [...(server ? (["server"] as const) : []), ...(client ? (["client"] as const) : [])];
}
