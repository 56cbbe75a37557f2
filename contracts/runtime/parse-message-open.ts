/**
 * `parseProtocolMessage` for a contract whose event union is open in some direction
 * (`openness.events`, docs/contract-format.md#openness): an event name that union does not declare
 * is its own result, `{ success: false, unknown: { event } }`, not a validation failure. The
 * generator inlines the region into `<name>.validators.ts` in place of validators.ts's
 * `parse-message` region (a closed contract keeps that one, unchanged), after the contract's
 * `DISCRIMINATOR` and `OPEN_UNIONS`.
 */
import type { ProtocolMessage } from "./stand-in.js";
import { DISCRIMINATOR, OPEN_UNIONS, ProtocolMessageSchema, ProtocolPayloadSchemas } from "./stand-in.js";
import { zodInput } from "./field-names-own.js";
import {
  describeIssues,
  failure,
  INHERITS,
  inspect,
  PLAIN,
  TOO_DEEP,
  textTooDeep,
  tooDeep,
  withStackGuard,
  type ProtocolParseResult,
} from "./validators.js";

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
  const result = withStackGuard([], (): ProtocolParseResult => {
    let value: unknown = raw;
    let found = PLAIN;
    if (typeof raw === "string") {
      if (textTooDeep(raw)) return failure(tooDeep([]));
      try {
        value = JSON.parse(raw);
      } catch (error) {
        return failure([
          { path: [], message: `message: not valid JSON (${error instanceof Error ? error.message : String(error)})` },
        ]);
      }
    } else {
      found = inspect(value, 1);
      if (found === TOO_DEEP) return failure(tooDeep([]));
    }
    unknownEvent = unknownEventOf(value, direction);
    if (unknownEvent !== undefined) return failure([]); // answered below: not a validation failure
    // Not `{ reportInput: true }`: it makes zod's parse of a valid message several times slower, and
    // describeIssues needs no reported input (it reads the offending values from `value` by path).
    // The schemas transform nothing: a valid message is returned as it came (zod's copy would lack a `__proto__` field).
    const result = ProtocolMessageSchema.safeParse(zodInput(value, found === INHERITS));
    if (result.success) return { success: true, data: value as ProtocolMessage };
    return failure(describeIssues(result.error.issues, [], value));
  });
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
