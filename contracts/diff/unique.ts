/**
 * Changes to per-id uniqueness (`unique`), rule by rule (matched by name). A rule refuses more when
 * it is added, when an event starts opening ids (`from`) or stops ending them (`until`); less when
 * it is removed, or the other way round. Who breaks follows who opens the ids: when clients open
 * them, the new server refusing more breaks old clients that reuse ids; when the server opens them,
 * the new server refusing (and so checking) less may reuse an id old clients still count live.
 * Witnesses are a path to a state that allows the events, then the messages that pass there with
 * one id, and what each contract's receiver does with the last one.
 */
import type { CloseCodeRef, Contract, ContractEvent, JsonSchema, UniqueRule } from "../model.js";
import { pathToState, type ConnectionChange } from "./connection.js";
import type { ConnectionOutcome, ConnectionWitness } from "./witness.js";

type Sender = "client" | "server";

function closeText(close: CloseCodeRef): string {
  return `${close.code} "${close.name}"`;
}

function list(events: readonly string[]): string {
  return events.map((e) => `"${e}"`).join(", ");
}

export function diffUnique(oldContract: Contract, newContract: Contract): ConnectionChange[] {
  const changes: ConnectionChange[] = [];
  const oldRules = new Map((oldContract.unique ?? []).map((r) => [r.name, r]));
  const newRules = new Map((newContract.unique ?? []).map((r) => [r.name, r]));
  const witnesses = new UniqueWitnesses(oldContract, newContract);
  // A rule renamed and otherwise the same (field, side, events) is the same rule.
  const renamed = new Map<string, UniqueRule>();
  for (const [name, before] of oldRules) {
    if (newRules.has(name)) continue;
    const now = [...newRules.values()].find((r) => !oldRules.has(r.name) && ![...renamed.values()].includes(r) && sameRule(before, r));
    if (now !== undefined) renamed.set(name, now);
  }
  for (const [name, before] of oldRules) {
    const now = newRules.get(name) ?? renamed.get(name);
    // Another field or another side opening the ids: a different rule under the same name.
    if (now?.field === before.field && now.opener === before.opener) {
      diffRule(before, now, witnesses, changes);
      continue;
    }
    changes.push({
      rule: "unique-rule-removed",
      path: ["unique", name],
      at: ["unique"],
      event: eventOf(oldContract, before.from[0]!),
      message: `uniqueness rule "${name}" (one live "${before.field}" at a time, opened by ${list(before.from)}) was removed`,
      witness: witnesses.repeat(before, before.from[0]!, [], "old"),
    });
  }
  for (const [name, now] of newRules) {
    const before = oldRules.get(name);
    if ([...renamed.values()].includes(now)) continue;
    if (before?.field === now.field && before.opener === now.opener) continue;
    changes.push({
      rule: "unique-rule-added",
      path: ["unique", name],
      event: eventOf(newContract, now.from[0]!),
      message: `uniqueness rule "${name}" was added: a ${list(now.from)} whose "${now.field}" is live closes the connection with ${closeText(now.close)}`,
      witness: witnesses.repeat(now, now.from[0]!, [], "new"),
    });
  }
  return changes;
}

function diffRule(before: UniqueRule, now: UniqueRule, witnesses: UniqueWitnesses, changes: ConnectionChange[]): void {
  const path = ["unique", now.name];
  const added = (a: readonly string[], b: readonly string[]) => b.filter((e) => !a.includes(e));
  const opener = (rule: UniqueRule, contract: "old" | "new") => eventOf(witnesses.contract(contract), rule.from[0]!);
  for (const event of added(before.from, now.from)) {
    changes.push({
      rule: "unique-rule-tightened",
      path: [...path, "from"],
      event: opener(now, "new"),
      message: `"${event}" now opens ids of uniqueness rule "${now.name}": one whose "${now.field}" is live closes the connection`,
      witness: witnesses.repeat(now, event, [], "new"),
    });
  }
  for (const event of added(now.until, before.until)) {
    changes.push({
      rule: "unique-rule-tightened",
      path: [...path, "until"],
      at: path,
      event: opener(now, "new"),
      message: `"${event}" no longer ends an id of uniqueness rule "${now.name}": reusing its "${now.field}" after it closes the connection`,
      witness: witnesses.repeat(now, now.from[0]!, [event], "new"),
    });
  }
  for (const event of added(now.from, before.from)) {
    changes.push({
      rule: "unique-rule-loosened",
      path: [...path, "from"],
      event: opener(before, "old"),
      message: `"${event}" no longer opens ids of uniqueness rule "${now.name}"`,
      witness: witnesses.repeat(before, event, [], "old"),
    });
  }
  for (const event of added(before.until, now.until)) {
    changes.push({
      rule: "unique-rule-loosened",
      path: [...path, "until"],
      event: opener(before, "old"),
      message: `"${event}" now ends an id of uniqueness rule "${now.name}": its "${now.field}" may be reused after it`,
      witness: witnesses.repeat(before, before.from[0]!, [event], "old"),
    });
  }
  if (before.close.code !== now.close.code) {
    changes.push({
      rule: "unique-close-code-changed",
      path: [...path, "close"],
      message: `a live "${now.field}" reused under uniqueness rule "${now.name}" now closes the connection with ${closeText(now.close)} instead of ${closeText(before.close)}`,
      witness: witnesses.repeat(now, now.from[0]!, [], "new"),
    });
  }
}

function sameRule(a: UniqueRule, b: UniqueRule): boolean {
  const set = (events: readonly string[]) => JSON.stringify([...events].sort());
  return a.field === b.field && a.opener === b.opener && set(a.from) === set(b.from) && set(a.until) === set(b.until);
}

function eventOf(contract: Contract, name: string): ContractEvent {
  return contract.events.find((e) => e.name === name)!;
}

class UniqueWitnesses {
  constructor(
    private readonly oldContract: Contract,
    private readonly newContract: Contract,
  ) {}

  contract(which: "old" | "new"): Contract {
    return which === "old" ? this.oldContract : this.newContract;
  }

  /**
   * `opens` with an id, then each of `between` with it, then `opens` again: where the rule of
   * `which` contract and the other's differ on the last message. Undefined when no state both
   * lifecycles reach allows every one of these events on both sides, sent by the same side.
   */
  repeat(rule: UniqueRule, opens: string, between: readonly string[], which: "old" | "new"): ConnectionWitness | undefined {
    const ruled = this.contract(which);
    const opener: Sender = rule.opener === "client-to-server" ? "client" : "server";
    const receiver: Sender = opener === "client" ? "server" : "client";
    const senders = new Map<string, Sender>([[opens, opener]]);
    for (const event of between) {
      const direction = eventOf(ruled, event).direction;
      senders.set(event, direction === "both" ? opener : direction === "client-to-server" ? "client" : "server");
    }
    const sends = (contract: Contract, event: string, by: Sender): ContractEvent | undefined => {
      const found = contract.events.find((e) => e.name === event);
      const direction = by === "client" ? "client-to-server" : "server-to-client";
      return found && (found.direction === direction || found.direction === "both") ? found : undefined;
    };
    const events = [...senders];
    if (events.some(([event, by]) => !sends(this.oldContract, event, by) || !sends(this.newContract, event, by))) return undefined;
    const allowedIn = (contract: Contract, state: string) => events.every(([event, by]) => sends(contract, event, by)!.states.includes(state));
    const found = pathToState(
      this.oldContract,
      this.newContract,
      (s) => !s.final && allowedIn(this.oldContract, s.name) && allowedIn(this.newContract, s.name),
    );
    if (found === undefined) return undefined;
    const messages = [opens, ...between, opens].map((event) => ({ event, by: senders.get(event)! }));
    const id = idFor(ruled, rule, opens);
    const answers = { old: outcome(this.oldContract, messages, id), new: outcome(this.newContract, messages, id) };
    // Another rule (say, the same one under a new name) may answer the same on both sides: nothing differs then.
    if (JSON.stringify(answers.old) === JSON.stringify(answers.new)) return undefined;
    return {
      kind: "connection",
      transitions: found.transitions,
      state: found.state,
      ids: { field: rule.field, id, messages, receiver },
      ...answers,
    };
  }
}

/** What a contract's rules do with the messages (all with one id): the receiver's answer to the last. */
function outcome(contract: Contract, messages: readonly { event: string }[], id: string | number): ConnectionOutcome {
  const key = JSON.stringify(id);
  const live = new Map<string, Set<string>>();
  for (const [index, { event }] of messages.entries()) {
    for (const rule of contract.unique ?? []) {
      const ids = live.get(rule.name) ?? new Set<string>();
      live.set(rule.name, ids);
      if (rule.from.includes(event)) {
        if (ids.has(key) && index === messages.length - 1) return { outcome: "closed", code: rule.close.code, name: rule.close.name };
        ids.add(key);
      } else if (rule.until.includes(event)) ids.delete(key);
    }
  }
  return { outcome: "open" };
}

/** An id the field's schema takes: 1 where it is a number, else "1" (through `$ref`s into `$defs`). */
function idFor(contract: Contract, rule: UniqueRule, event: string): string | number {
  const resolve = (schema: JsonSchema | undefined): JsonSchema | undefined => {
    for (let seen = 0; typeof schema === "object" && typeof schema.$ref === "string" && seen < 32; seen++) {
      const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
      schema = name === undefined ? undefined : contract.definitions[name];
    }
    return schema;
  };
  let schema: JsonSchema | undefined;
  if (rule.carriedIn[event] === "envelope") schema = contract.envelope.fields?.find((f) => f.name === rule.field)?.schema;
  else {
    const payload = resolve(eventOf(contract, event).payload);
    const properties = typeof payload === "object" ? payload.properties : undefined;
    schema = typeof properties === "object" && properties !== null ? (properties as Record<string, JsonSchema>)[rule.field] : undefined;
  }
  schema = resolve(schema);
  const type = typeof schema === "object" ? schema.type : undefined;
  return type === "integer" || type === "number" ? 1 : "1";
}
