/**
 * The diff rule table: every change covenant diff reports has one of these ids, and its kind
 * (breaking / warning / non-breaking, as oasdiff's ERR / WARN / INFO) is read from this table,
 * never decided ad hoc. `warning`: breaks only a party that does not follow what the contract
 * declares, or cannot be decided from the contract.
 *
 * Who breaks is worked out from who validates what:
 * - server-to-client: the new server produces, old clients consume (validate, switch, monitor).
 *   A change breaks when the new contract lets the server send something old clients reject.
 * - client-to-server: old clients produce, the new server consumes. A change breaks when old
 *   clients may still send something the new contract rejects.
 * - both: the union.
 * Contract-wide rules (lifecycle, envelope, runs) have one kind: both peers share them.
 */
import type { Direction } from "../model.js";

export type ChangeKind = "breaking" | "warning" | "non-breaking";

/** Kinds from most to least severe. */
export const changeKinds: readonly ChangeKind[] = ["breaking", "warning", "non-breaking"];

/** The more severe of two kinds. */
export function worstKind(a: ChangeKind, b: ChangeKind): ChangeKind {
  return changeKinds.indexOf(a) <= changeKinds.indexOf(b) ? a : b;
}
/** The side an event-scoped rule is looked up for (`both` is the union of the two). */
export type Side = "server-to-client" | "client-to-server";

interface EventRule {
  scope: "event";
  /** Kind when the affected event flows server-to-client / client-to-server. */
  kinds: Record<Side, ChangeKind>;
  summary: string;
  /** Who breaks and why, per side (docs). */
  why: Record<Side, string>;
}

interface ContractRule {
  scope: "contract";
  kind: ChangeKind;
  summary: string;
  why: string;
}

export type DiffRule = EventRule | ContractRule;

const B = "breaking";
const N = "non-breaking";
const W = "warning";

function event(s2c: ChangeKind, c2s: ChangeKind, summary: string, why: Record<Side, string>): EventRule {
  return { scope: "event", kinds: { "server-to-client": s2c, "client-to-server": c2s }, summary, why };
}

function contract(kind: ChangeKind, summary: string, why: string): ContractRule {
  return { scope: "contract", kind, summary, why };
}

export const diffRules = {
  // Events
  "event-added": event(B, N, "An event was added.", {
    "server-to-client":
      "Old clients receive an event name they do not know; clients that switch on the event name exhaustively (or validate the message union) reject it.",
    "client-to-server": "Old clients never send it; the new server only gains a handler.",
  }),
  "event-added-to-open-union": event(W, N, "An event was added to a union the old contract declares open (`openness.events`).", {
    "server-to-client":
      "Old clients that follow the contract ignore an event name they do not know; only clients that reject it anyway (an exhaustive switch, a closed validator) break.",
    "client-to-server": "Old clients never send it; the new server only gains a handler.",
  }),
  "event-union-opened": event(
    W,
    N,
    "The event union of a direction was declared open (`openness.events`: closed -> open): receivers are to ignore event names they do not know.",
    {
      "server-to-client":
        "Old clients were written to the closed contract and may reject names they do not know. Nothing they receive changes yet, but events added later are rated against the open declaration (a warning, not a major bump) and such clients break on them; whether they ignore unknown names cannot be decided from the contract.",
      "client-to-server": "The new server ignores event names it used to reject; everything old clients send is still handled.",
    },
  ),
  "event-union-closed": event(
    N,
    B,
    "The event union of a direction was declared closed (`openness.events`: open -> closed): receivers reject event names they do not know.",
    {
      "server-to-client": "The new server sends only events it declares, and old clients ignored unknown names anyway.",
      "client-to-server":
        "The old contract told clients that the server ignores event names it does not know (what a client newer than the server relies on); the new server rejects them.",
    },
  ),
  "event-removed": event(N, B, "An event was removed.", {
    "server-to-client": "The server stops sending it; clients simply never receive it.",
    "client-to-server": "Old clients still send it and the new server rejects the unknown event.",
  }),
  "event-direction-added": event(B, N, "An event now also flows in a direction it did not (looked up for the added direction).", {
    "server-to-client": "The server now sends an event old clients do not expect from it.",
    "client-to-server": "Clients may now send it; old clients do not, so nothing breaks.",
  }),
  "event-direction-removed": event(N, B, "An event no longer flows in one of its directions (looked up for the removed direction).", {
    "server-to-client": "The server stops sending it; clients never receive it.",
    "client-to-server": "Old clients still send it and the new server rejects it.",
  }),
  "event-states-narrowed": event(B, B, "An event is allowed in fewer lifecycle states.", {
    "server-to-client": "Server code that emits it in a removed state now has it queued or rejected by the lifecycle guard (senders break).",
    "client-to-server": "Old clients still send it in the removed state and the new server rejects it (senders break).",
  }),
  "event-states-widened": event(B, N, "An event is allowed in more lifecycle states.", {
    "server-to-client": "The server may now send it in a state old clients do not expect it in; their lifecycle guards and run monitors may not be ready.",
    "client-to-server": "The server accepts it in more states; old clients keep sending it where they did.",
  }),
  // Payload types and values
  "payload-field-type-changed": event(B, B, "A value's type changed to an unrelated one (neither includes the other).", {
    "server-to-client": "Old clients parse the old type and reject or misread the new one.",
    "client-to-server": "Old clients send the old type and the new server rejects it.",
  }),
  "payload-field-type-widened": event(B, N, "A value accepts more types or a larger set (integer -> number, enum -> string, added null).", {
    "server-to-client": "The server may send values old clients' validators and code do not handle.",
    "client-to-server": "Everything old clients send is still accepted.",
  }),
  "payload-field-type-narrowed": event(N, B, "A value accepts fewer types or a smaller set (number -> integer, string -> enum, removed null).", {
    "server-to-client": "The server sends a subset of what old clients accept.",
    "client-to-server": "Old clients may send values the new server rejects.",
  }),
  "payload-enum-value-added": event(B, N, "An enum (or const) accepts a new value.", {
    "server-to-client": "Old clients that switch on the value exhaustively, or validate it, reject the new value.",
    "client-to-server": "Old clients never send it; the server accepts everything it did.",
  }),
  "payload-enum-value-added-to-open-enum": event(
    W,
    N,
    "An enum (or const) accepts a new value, and the old contract declares that enum open (its `x-covenant-openness`, else `openness.enums`).",
    {
      "server-to-client":
        "Old clients that follow the contract ignore a value they do not know; only clients that switch on it exhaustively or validate it strictly break.",
      "client-to-server": "Old clients never send it; the server accepts everything it did.",
    },
  ),
  "payload-enum-opened": event(
    W,
    N,
    "An enum (or const) was declared open (`x-covenant-openness` or `openness.enums`: closed -> open): receivers are to ignore values they do not know.",
    {
      "server-to-client":
        "Old clients were written to the closed enum and may reject values they do not know. Nothing they receive changes yet, but values added later are rated against the open declaration (a warning) and such clients break on them; whether they ignore unknown values cannot be decided from the contract.",
      "client-to-server": "The new server ignores values it used to reject; everything old clients send is still handled.",
    },
  ),
  "payload-enum-closed": event(
    N,
    B,
    "An enum (or const) was declared closed (`x-covenant-openness` or `openness.enums`: open -> closed): receivers reject values they do not know.",
    {
      "server-to-client": "The new server sends only values it declares, and old clients ignored unknown values anyway.",
      "client-to-server":
        "The old contract told clients that the server ignores values it does not know (what a client newer than the server relies on); the new server rejects them.",
    },
  ),
  "payload-enum-value-removed": event(N, B, "An enum value was removed.", {
    "server-to-client": "The server stops sending the value; clients still accept the rest.",
    "client-to-server": "Old clients still send the removed value and the new server rejects it.",
  }),
  "payload-constraint-tightened": event(
    N,
    B,
    "A constraint accepts less (minimum, maximum, minLength, maxLength, pattern, format, multipleOf, minItems, maxItems, uniqueItems, minProperties, maxProperties, additionalProperties: false), or a condition keyword (not, if/then/else, contains, propertyNames, dependentRequired, ...) was added.",
    {
      "server-to-client": "The server sends a subset of what old clients accept.",
      "client-to-server": "Old clients may send values within the old constraint that the new server rejects.",
    },
  ),
  "payload-constraint-widened": event(
    B,
    N,
    "A constraint accepts more (a bound relaxed or dropped, a pattern or format removed, additional properties allowed), or a condition keyword was removed.",
    {
      "server-to-client": "The server may send values outside the old constraint that old clients reject.",
      "client-to-server": "Everything old clients send is still accepted.",
    },
  ),
  "payload-constraint-changed": event(
    B,
    B,
    "A constraint was replaced by one that neither includes nor is included in the old one (a different pattern, format or multipleOf).",
    {
      "server-to-client": "The server may send values old clients reject.",
      "client-to-server": "Old clients may send values the new server rejects.",
    },
  ),
  "payload-schema-changed": event(
    B,
    B,
    "A keyword covenant does not decompose (not, if/then/else, patternProperties, propertyNames, dependentRequired, contains) was rewritten, or patternProperties added or removed: compared as a whole.",
    {
      "server-to-client": "What the server may send changed in a way covenant cannot prove compatible.",
      "client-to-server": "What the server accepts changed in a way covenant cannot prove compatible.",
    },
  ),
  "payload-variant-added": event(B, N, "A union (anyOf/oneOf) gained a variant.", {
    "server-to-client": "The server may send the new variant, which old clients reject.",
    "client-to-server": "Old clients never send it.",
  }),
  "payload-variant-removed": event(N, B, "A union (anyOf/oneOf) lost a variant.", {
    "server-to-client": "The server stops sending that variant.",
    "client-to-server": "Old clients still send the removed variant and the new server rejects it.",
  }),
  // Payload fields
  "payload-field-added": event(
    N,
    W,
    "An optional field was added to an object that allows additional properties (a field that accepts any value is no change).",
    {
      "server-to-client": "Old clients accept the name as an additional property, with any value.",
      "client-to-server":
        "The old object accepted any value under that name, so old clients may have sent one the new field's schema rejects; whether any did cannot be decided from the contract.",
    },
  ),
  "payload-required-field-added": event(N, B, "A required field was added to an object that allows additional properties.", {
    "server-to-client": "The server always sends it; old clients accept and ignore unknown fields.",
    "client-to-server": "Old clients do not send it and the new server requires it.",
  }),
  "payload-field-added-to-closed-object": event(B, N, "An optional field was added to an object that was closed (additionalProperties: false).", {
    "server-to-client": "Old clients validate the object as closed and reject messages that carry the new field.",
    "client-to-server": "Old clients do not send it and it is optional.",
  }),
  "payload-required-field-added-to-closed-object": event(B, B, "A required field was added to an object that was closed (additionalProperties: false).", {
    "server-to-client": "The server always sends it and old clients, validating the object as closed, reject every such message.",
    "client-to-server": "Old clients do not send it and the new server requires it.",
  }),
  "payload-field-removed": event(B, N, "A required field was removed from an object that allows additional properties.", {
    "server-to-client": "Old clients require and read the field; messages without it fail their validation or code.",
    "client-to-server": "Old clients still send it; the new server accepts and ignores the unknown field.",
  }),
  "payload-optional-field-removed": event(
    W,
    N,
    "An optional field was removed from an object that allows additional properties (a field that accepted any value is no change).",
    {
      "server-to-client":
        "The new object accepts any value under that name, so the server may send one old clients, validating it against the removed field's schema, reject; whether the new server sends that name at all cannot be decided from the contract.",
      "client-to-server": "Old clients that still send it are accepted as an additional property.",
    },
  ),
  "payload-field-removed-from-closed-object": event(B, B, "A required field was removed from an object that is closed (additionalProperties: false).", {
    "server-to-client": "Old clients require and read the field; messages without it fail.",
    "client-to-server": "Old clients still send it and the new, closed object rejects it.",
  }),
  "payload-optional-field-removed-from-closed-object": event(
    N,
    B,
    "An optional field was removed from an object that is closed (additionalProperties: false).",
    {
      "server-to-client": "Old clients already handle its absence.",
      "client-to-server": "Old clients that send it are rejected by the new, closed object.",
    },
  ),
  "payload-field-made-required": event(N, B, "An optional field became required.", {
    "server-to-client": "The server now always sends it; old clients accept that.",
    "client-to-server": "Old clients that omit it are rejected.",
  }),
  "payload-field-made-optional": event(B, N, "A required field became optional.", {
    "server-to-client": "The server may now omit it; old clients require and read it.",
    "client-to-server": "Old clients always send it, which is still accepted.",
  }),
  // Envelope fields and optional payloads (the envelope is closed: a message carries exactly its event's fields)
  "envelope-field-added": event(B, B, "An event's messages now carry an envelope field (its `fields` lists one more, which is required there).", {
    "server-to-client": "The server now always sends the field, and old clients' validators refuse a top-level field the event does not list.",
    "client-to-server": "Old clients do not send the field and the new server requires it.",
  }),
  "envelope-field-removed": event(B, B, "An event's messages no longer carry an envelope field (its `fields` lists one fewer).", {
    "server-to-client": "The server stops sending the field, which old clients require.",
    "client-to-server": "Old clients still send the field and the new server refuses a top-level field the event does not list.",
  }),
  "payload-made-optional": event(B, N, "An event's payload may be left out (`payloadOptional`: absent -> true).", {
    "server-to-client": "The server may now send the message without its payload; old clients require it.",
    "client-to-server": "Old clients always send the payload, which is still accepted.",
  }),
  "payload-made-required": event(N, B, "An event's payload may no longer be left out (`payloadOptional`: true -> absent).", {
    "server-to-client": "The server now always sends the payload; old clients accept it.",
    "client-to-server": "Old clients that leave the payload out are rejected.",
  }),
  // Lifecycle
  "state-added": contract(N, "A lifecycle state was added, and every old path to an existing state still leads there.", "Existing paths are unchanged."),
  "state-removed": contract(B, "A lifecycle state was removed.", "Peers and bindings that enter or test the state break; the old paths into it are gone."),
  "mandatory-state-inserted": contract(
    B,
    "A new state now lies on every path from the initial state to an existing state, and an old path to that state no longer leads there.",
    "Peers following the old path (which skipped it) are rejected by the new lifecycle guard, or end up in another state than they believe.",
  ),
  "transition-added": contract(N, "A transition was added.", "Existing paths are unchanged."),
  "transition-removed": contract(B, "A transition was removed.", "Peers that take it are rejected by the lifecycle guard (LifecycleError)."),
  "transition-target-changed": contract(
    B,
    "A transition leads to a different state.",
    "Peers disagree on the state after it, so later transitions and event states no longer line up.",
  ),
  "initial-state-changed": contract(B, "The initial state changed.", "Every connection starts somewhere else; the old first transitions may not exist there."),
  "state-made-final": contract(
    B,
    "A state became final.",
    "The connection ends there: its transitions are gone, queued messages go to onUndelivered and emitting throws.",
  ),
  "state-made-non-final": contract(
    N,
    "A final state is no longer final.",
    "Connections that end there under the old contract still end there; the new one only allows more.",
  ),
  // Close codes, out-of-state policies, timeouts, event-taken transitions, `states: "*"`
  "out-of-state-hold-to-reject": event(
    N,
    B,
    "An event clients send, arriving in a state that does not allow it, was held and is now rejected (`outOfState: hold` -> `{ reject }`, own or the default).",
    {
      "server-to-client": "Out-of-state policies govern only what clients send.",
      "client-to-server": "Old clients that send it early, counting on the server to hold it until a state allows it, now have the connection closed.",
    },
  ),
  "out-of-state-reject-to-hold": event(N, N, "An event clients send, arriving in a state that does not allow it, was rejected and is now held.", {
    "server-to-client": "Out-of-state policies govern only what clients send.",
    "client-to-server": "A message that closed the connection is now kept and delivered once a state allows it; old clients never relied on being closed.",
  }),
  "out-of-state-close-code-changed": event(N, W, "An event clients send is still rejected out of state, with another close code.", {
    "server-to-client": "Out-of-state policies govern only what clients send.",
    "client-to-server":
      "The connection still closes; old clients that act on the code (re-authenticate, back off, report) see a code they do not expect for it.",
  }),
  "event-states-to-wildcard": event(
    N,
    N,
    'An event is now allowed in every non-final state (`states: "*"`), where it listed states; a change in the states it stands for today is reported as event-states-widened or -narrowed.',
    {
      "server-to-client": "The states it stands for now are compared on their own; `*` only means that states a later version adds allow it too.",
      "client-to-server": "The states it stands for now are compared on their own; `*` only means that states a later version adds allow it too.",
    },
  ),
  "event-states-from-wildcard": event(
    N,
    N,
    'An event allowed in every non-final state (`states: "*"`) now lists its states; a change in the states it is allowed in is reported as event-states-widened or -narrowed.',
    {
      "server-to-client": "The states it is allowed in today are compared on their own; states a later version adds no longer allow it by themselves.",
      "client-to-server": "The states it is allowed in today are compared on their own; states a later version adds no longer allow it by themselves.",
    },
  ),
  "close-code-added": contract(N, "A close code was declared.", "Nothing was closed with it before."),
  "close-code-removed": contract(
    W,
    "A close code is no longer declared (neither its name nor its number remains).",
    "The new contract no longer closes with it; peers that still send it send a code the contract does not define, and whatever a receiver does with an unknown code is its own choice.",
  ),
  "close-code-renumbered": contract(
    B,
    "A close code kept its name and got another number.",
    "On the wire the number is all there is: old peers that act on the old number (reconnect, re-authenticate) miss the new one, and read the old meaning into the number if another code takes it.",
  ),
  "close-code-renamed": contract(
    N,
    "A close code kept its number and got another name.",
    "The number on the wire is unchanged; only the contract's name for it changed.",
  ),
  "invalid-close-code-changed": contract(
    W,
    "A client message that is not valid now closes the connection with another code (`inbound.invalid`).",
    "The connection still closes; old clients that act on the code see a code they do not expect for it.",
  ),
  "wrong-direction-close-code-changed": contract(
    W,
    "A valid client message of an event only the server sends now closes the connection with another code (`inbound.wrongDirection`, else the invalid-message code).",
    "The connection still closes; old clients that act on the code see a code they do not expect for it.",
  ),
  "timeout-added": contract(B, "A state got a timeout.", "Connections that stayed in the state longer (a client slow to send what leaves it) are now closed."),
  "timeout-shortened": contract(B, "A state's timeout is shorter.", "Connections that left the state between the new and the old limit are now closed."),
  "timeout-lengthened": contract(N, "A state's timeout is longer.", "Every connection that left in time still does."),
  "timeout-removed": contract(N, "A state no longer has a timeout.", "Connections are no longer closed for staying; those that left in time are unaffected."),
  "timeout-close-code-changed": contract(
    W,
    "A state's timeout closes the connection with another code.",
    "The connection still closes when it stays too long; old clients that act on the code see a code they do not expect for it.",
  ),
  // Per-id uniqueness (`unique`): looked up for the direction of the events that open the ids.
  "unique-rule-added": event(N, B, "A per-id uniqueness rule was added (or one under the same name now reads another field, or is opened by the other side).", {
    "server-to-client": "The server opens the ids: the new server no longer reuses a live one, which old clients never refused.",
    "client-to-server": "Old clients that open an id while it is live (a second request under the same id) now have the connection closed.",
  }),
  "unique-rule-removed": event(
    B,
    N,
    "A per-id uniqueness rule was removed (or one under the same name now reads another field, or is opened by the other side).",
    {
      "server-to-client": "The new server may open an id that is still live; old clients refuse it and close the connection.",
      "client-to-server": "The server no longer closes for a live id reused; old clients that kept their ids unique are unaffected.",
    },
  ),
  "unique-rule-tightened": event(N, B, "A per-id uniqueness rule refuses more: another event opens ids (`from`), or an event no longer ends them (`until`).", {
    "server-to-client": "The server opens the ids and must now wait longer before reusing one; old clients refuse no more than before.",
    "client-to-server":
      "Old clients that reuse an id where the old rule let them (after the event that no longer ends it, or with the event that now opens ids) have the connection closed.",
  }),
  "unique-rule-loosened": event(B, N, "A per-id uniqueness rule refuses less: an event no longer opens ids (`from`), or another event ends them (`until`).", {
    "server-to-client": "The new server may reuse an id where old clients still count it live, and they close the connection.",
    "client-to-server": "The server refuses less; old clients that follow the old rule are still accepted.",
  }),
  "unique-close-code-changed": contract(
    W,
    "A per-id uniqueness rule closes the connection with another code.",
    "The connection still closes for a live id reused; peers that act on the code see a code they do not expect for it.",
  ),
  "transition-event-changed": contract(
    W,
    "The event whose arrival takes a transition changed, was added (`on: { t: { to, event } }`) or removed.",
    "The lifecycle is the same, but who moves it is not: generated endpoints take the transition themselves when the event passes, so application code that also takes it (or waits for the endpoint to) disagrees with the new contract about who does.",
  ),
  // Envelope, runs, identity
  "envelope-discriminator-renamed": contract(
    B,
    "The envelope's discriminator field was renamed.",
    "Every message of every event changes shape; old peers cannot tell events apart.",
  ),
  "envelope-payload-field-renamed": contract(
    B,
    "The envelope's payload field was renamed.",
    "Every message of every event carries its payload under another key; old peers find no payload.",
  ),
  "run-pattern-narrowed": contract(
    B,
    "The run pattern accepts fewer runs.",
    "A run the old pattern accepts is now reported as broken; producers following the old order break.",
  ),
  "run-pattern-added": contract(
    B,
    "A run pattern was added where there was none.",
    "Runs were unconstrained; orders the pattern does not accept are now reported as broken.",
  ),
  "run-cannot-complete": contract(
    B,
    "An event the run pattern needs is no longer sent by anyone when the new server meets old clients (it turned from server-to-client to client-to-server).",
    "The new server no longer sends it and old clients never did, so runs old parties produce stop short of it: run monitors report them incomplete or broken.",
  ),
  "run-key-changed": contract(
    B,
    "The payload field that groups a run changed.",
    "Run monitors group events by another field; old producers do not set it, so runs fall apart.",
  ),
  "contract-added": contract(N, "A contract file is new (`--base`).", "Nothing existed to break."),
  "contract-removed": contract(B, "A contract file was removed (`--base`).", "Every peer that speaks the protocol loses it."),
  "contract-renamed": contract(
    B,
    "The contract's name changed.",
    "Generated identifiers (types, parse<Name>Message, create<Name>Connection) change and the config's bindings no longer apply.",
  ),
  "run-pattern-widened": event(B, N, "The run pattern accepts more runs (looked up for the directions of the pattern's events).", {
    "server-to-client": "The server may now produce runs old clients' run monitors report as broken.",
    "client-to-server": "Everything old clients produce is still accepted.",
  }),
  "run-pattern-removed": event(B, N, "The run pattern was removed (looked up for the directions of the pattern's events).", {
    "server-to-client": "The server is no longer bound to the order old clients' run monitors check.",
    "client-to-server": "Runs are no longer checked; old clients' runs are still accepted.",
  }),
} as const satisfies Record<string, DiffRule>;

export type DiffRuleId = keyof typeof diffRules;

export const diffRuleIds = Object.keys(diffRules) as DiffRuleId[];

/** The sides a direction covers. */
export function sidesOf(direction: Direction): Side[] {
  return direction === "both" ? ["server-to-client", "client-to-server"] : [direction];
}

/** A rule's kind for a direction (`both` = the more severe of the two sides); contract rules ignore the direction. */
export function kindOf(ruleId: DiffRuleId, direction?: Direction): ChangeKind {
  const rule: DiffRule = diffRules[ruleId];
  if (rule.scope === "contract") return rule.kind;
  if (!direction) throw new Error(`diff rule ${ruleId} needs a direction`);
  return sidesOf(direction)
    .map((side) => rule.kinds[side])
    .reduce(worstKind, "non-breaking");
}

/** The sides on which a rule breaks or warns, for a direction, most severe first (empty when it breaks nobody). */
export function breakingSides(ruleId: DiffRuleId, direction: Direction): Side[] {
  const rule: DiffRule = diffRules[ruleId];
  if (rule.scope === "contract") return rule.kind === "non-breaking" ? [] : sidesOf(direction);
  return sidesOf(direction)
    .filter((side) => rule.kinds[side] !== "non-breaking")
    .sort((a, b) => changeKinds.indexOf(rule.kinds[a]) - changeKinds.indexOf(rule.kinds[b]));
}
