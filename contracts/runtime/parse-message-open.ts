/**
 * `parseProtocolMessage` for a contract whose event union is open in some direction
 * (`openness.events`, docs/contract-format.md#openness): an event name that union does not declare
 * is its own result, `{ success: false, unknown: { event } }`, not a validation failure. The
 * generator inlines the region into `<name>.validators.ts` in place of validators.ts's
 * `parse-message` region (a closed contract keeps that one, unchanged), after the contract's
 * `DISCRIMINATOR` and `OPEN_UNIONS`.
 */
import { DISCRIMINATOR, OPEN_UNIONS, ProtocolPayloadSchemas } from "./stand-in.js";
import { parseWireMessage, type ProtocolParseResult } from "./validators.js";

// #region parse-message
/**
 * Validates a wire message given as JSON text or as an already parsed value (own fields only, as
 * `JSON.stringify` sends them). Objects and arrays nested deeper than 64 levels fail. `direction`
 * is the direction of the message (what the caller receives: `"server-to-client"` in a client); an
 * event name the contract does not declare, where that direction's union is open, gives
 * `{ success: false, unknown: { event } }`: not a validation failure (`error` is absent), a message
 * to drop. Without a direction, a name is unknown only when every union is open.
 */
export function parseProtocolMessage(
  raw: unknown,
  direction?: "server-to-client" | "client-to-server",
):
  | (ProtocolParseResult & { readonly unknown?: undefined })
  | {
      readonly success: false;
      readonly unknown: { readonly event: string };
      readonly data?: undefined;
      readonly error?: undefined;
    } {
  let unknownEvent: string | undefined;
  // An unknown event is set aside before validation and answered here: not a validation failure.
  const result = parseWireMessage(raw, (value) => (unknownEvent = unknownEventOf(value, direction)) !== undefined);
  return unknownEvent === undefined ? result : { success: false, unknown: { event: unknownEvent } };
}

/**
 * The event name of a message (an object with its own string discriminator) whose name the
 * contract does not declare, when the union of the message's direction is open; else undefined.
 */
function unknownEventOf(
  value: unknown,
  direction: "server-to-client" | "client-to-server" | undefined,
): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(value, DISCRIMINATOR)) return undefined;
  const event: unknown = (value as { readonly [field: string]: unknown })[DISCRIMINATOR];
  if (typeof event !== "string" || Object.prototype.hasOwnProperty.call(ProtocolPayloadSchemas, event))
    return undefined;
  const open =
    direction === undefined
      ? OPEN_UNIONS["server-to-client"] && OPEN_UNIONS["client-to-server"]
      : OPEN_UNIONS[direction] === true;
  return open ? event : undefined;
}
// #endregion parse-message
