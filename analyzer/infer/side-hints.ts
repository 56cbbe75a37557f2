/**
 * Which side sends a message, from names (a documented heuristic): `ServerMessage`,
 * `ServerToClientEvent`, `OutgoingToClient` and a file `server/handlers.ts` say the server sends;
 * `ClientMessage`, `ToServer`, `client/socket.ts` say the client does. A name with both words and
 * no direction (`ClientServerMessage`) says nothing.
 */
import type { DirectionHint } from "./model.js";

const SERVER_SENDS = /(server|backend)_?to_?(client|frontend)|to_?(client|frontend)|from_?(server|backend)|(^|[^a-z])s2c([^a-z]|$)/i;
const CLIENT_SENDS = /(client|frontend)_?to_?(server|backend)|to_?(server|backend)|from_?(client|frontend)|(^|[^a-z])c2s([^a-z]|$)/i;
const SERVER = /server|backend/i;
const CLIENT = /client|frontend|browser/i;

/** The side a name says sends, or undefined. */
export function getSideFromName(name: string): DirectionHint["side"] | undefined {
  const serverSends = SERVER_SENDS.test(name);
  const clientSends = CLIENT_SENDS.test(name);
  if (serverSends !== clientSends) return serverSends ? "server" : "client";
  if (serverSends) return undefined;
  const server = SERVER.test(name);
  const client = CLIENT.test(name);
  return server === client ? undefined : server ? "server" : "client";
}
