import { buildContract } from "../contracts/build-contract.js";
import { importGeneratedLifecycles, type GeneratedConnection } from "../utils/generated-lifecycle.js";

/**
 * A property test of the generated guard (`create<Name>Connection`), compiled from a real contract:
 * random emits, transitions and drains, with `send` and `onUndelivered` that throw at random and
 * call back into the connection (as does a payload's `toJSON`). Whatever they do, every message
 * ends sent, handed to `onUndelivered`, drained or still queued, exactly once, and in order.
 */

const contract = buildContract({
  name: "guard-property",
  initial: "idle",
  states: {
    idle: { on: { open: "live", end: "closed" } },
    live: { on: { pause: "held", end: "closed", finish: "done" } },
    held: { on: { resume: "live", end: "closed", finish: "done" } },
    closed: { final: true }, // allows no event
    done: { final: true }, // allows `note` and `bye`
  },
  events: {
    hello: { states: ["idle", "live"], payload: { $ref: "#/$defs/Numbered" } },
    note: { states: ["live", "done"], payload: { $ref: "#/$defs/Numbered" } },
    tick: { states: ["live", "held"], payload: { $ref: "#/$defs/Numbered" } },
    bye: { states: ["done"], payload: { $ref: "#/$defs/Numbered" } },
  },
  definitions: {
    Numbered: { type: "object", properties: { n: { type: "integer" } }, required: ["n"], additionalProperties: false },
  },
});

const EVENTS = ["hello", "note", "tick", "bye"];
/** Transitions that stay in the lifecycle (and one it does not have); the ways out are picked less often, so runs last. */
const TRANSITIONS = ["open", "pause", "resume", "bogus"];
const ENDINGS = ["end", "finish"];
const FINAL = new Set(["closed", "done"]);

interface Message {
  type: string;
  data: { n: number };
}
type Connection = GeneratedConnection<Message>;
interface GuardModule {
  LifecycleError: new (...args: never[]) => Error;
  ContractError: new (...args: never[]) => Error;
  createGuardPropertyConnection(options: { send: (text: string) => void; onUndelivered?: (messages: Message[]) => void }): Connection;
}

class SendError extends Error {}
class HandOffError extends Error {}

/** mulberry32: a small seeded PRNG, so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let guard: GuardModule;

beforeAll(async () => {
  guard = (await importGeneratedLifecycles<GuardModule>([contract], "guard-property")).get("guard-property")!;
});

interface Outcome {
  /** What happened to a message, and when (a tick of the world's clock). */
  readonly kind: "sent" | "handed" | "drained";
  readonly at: number;
}

interface Stats {
  sent: number;
  sendFailures: number;
  handed: number;
  handOffFailures: number;
  drained: number;
  reentries: number;
  toJson: number;
  finalStates: number;
}

/** One random run; returns the problems found (empty when every property holds) and what happened. */
function runSeed(seed: number, operations: number): { problems: string[]; stats: Stats } {
  const random = prng(seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const config = {
    undelivered: chance(0.75),
    sendThrows: pick([0, 0.15, 0.5]),
    handOffThrows: pick([0, 0.3]),
    reenter: pick([0, 0.2, 0.4]),
    toJson: pick([0, 0.3]),
  };
  const problems: string[] = [];
  const stats: Stats = { sent: 0, sendFailures: 0, handed: 0, handOffFailures: 0, drained: 0, reentries: 0, toJson: 0, finalStates: 0 };
  let clock = 0;
  let nextId = 1;
  let inToJson = 0;
  const outcomes = new Map<number, Outcome[]>();
  const accepted = new Set<number>();
  /** Send calls that returned, in order: [id, called at]. */
  const sends: [number, number][] = [];
  const handedOrder: number[] = [];
  const record = (id: number, kind: Outcome["kind"], at: number) => outcomes.set(id, [...(outcomes.get(id) ?? []), { kind, at }]);
  const idOf = (text: string) => (JSON.parse(text) as Message).data.n;

  const connection = guard.createGuardPropertyConnection({
    send: (text) => {
      const calledAt = ++clock;
      const id = idOf(text);
      if (chance(config.reenter)) reenter();
      if (chance(config.sendThrows)) {
        stats.sendFailures += 1;
        throw new SendError(`send ${id} failed`);
      }
      stats.sent += 1;
      sends.push([id, calledAt]);
      record(id, "sent", ++clock);
    },
    ...(config.undelivered
      ? {
          onUndelivered: (messages: Message[]) => {
            const at = ++clock;
            const ids = messages.map((m) => m.data.n);
            if (ids.length === 0) problems.push("onUndelivered was called with no message");
            for (const id of ids) record(id, "handed", at);
            handedOrder.push(...ids);
            stats.handed += ids.length;
            if (chance(config.reenter)) reenter();
            if (chance(config.handOffThrows)) {
              stats.handOffFailures += 1;
              throw new HandOffError("onUndelivered failed");
            }
          },
        }
      : {}),
  });

  const swallow = (action: () => void) => {
    try {
      action();
    } catch {
      // a re-entrant operation's own outcome is checked through the records
    }
  };

  /** A nested operation (bounded, so a run ends). */
  let depth = 0;
  const reenter = () => {
    if (depth >= 3) return;
    stats.reentries += 1;
    depth += 1;
    try {
      swallow(() => operate(depth));
    } finally {
      depth -= 1;
    }
  };

  /** One random operation; re-entrant ones (depth > 0) come from send, onUndelivered or a toJSON. */
  const operate = (level: number): void => {
    const roll = random();
    if (roll < 0.55 && inToJson === 0) {
      // Emit order is id order: no emit from inside a toJSON (that message would enter the queue first).
      const id = nextId++;
      const event = pick(EVENTS);
      const payload =
        level < 3 && chance(config.toJson)
          ? {
              toJSON: () => {
                stats.toJson += 1;
                inToJson += 1;
                try {
                  reenter();
                } finally {
                  inToJson -= 1;
                }
                return { n: id };
              },
            }
          : { n: id };
      try {
        const result = connection.emit(event, payload);
        accepted.add(id);
        const sent = (outcomes.get(id) ?? []).some((o) => o.kind === "sent");
        if ((result === "sent") !== sent) problems.push(`emit ${id} returned ${result}, but it was ${sent ? "" : "not "}sent`);
      } catch (error) {
        if (error instanceof SendError || error instanceof HandOffError) accepted.add(id);
        else if (!(error instanceof guard.LifecycleError)) throw error;
      }
    } else if (roll < 0.9) {
      try {
        connection.transition(chance(0.06) ? pick(ENDINGS) : pick(TRANSITIONS));
      } catch (error) {
        if (!(error instanceof SendError || error instanceof HandOffError || error instanceof guard.LifecycleError)) throw error;
      }
    } else {
      const at = ++clock;
      for (const message of connection.drain()) {
        stats.drained += 1;
        record(message.data.n, "drained", at);
      }
    }
  };

  const checkAtRest = (step: string) => {
    const done = [...accepted].filter((id) => (outcomes.get(id) ?? []).length > 0).length;
    if (connection.pending !== accepted.size - done)
      problems.push(`${step}: pending is ${connection.pending}, but ${accepted.size - done} accepted messages are neither sent, handed nor drained`);
    if (config.undelivered && FINAL.has(connection.state) && connection.pending > 0)
      problems.push(`${step}: ${connection.pending} messages still queued in final state ${connection.state}`);
  };

  for (let step = 0; step < operations; step++) {
    try {
      operate(0);
    } catch (error) {
      problems.push(`step ${step}: unexpected ${String(error)}`);
      break;
    }
    checkAtRest(`step ${step}`);
    if (FINAL.has(connection.state)) stats.finalStates += 1;
  }
  const finalAt = ++clock;
  for (const message of connection.drain()) record(message.data.n, "drained", finalAt);

  // Every accepted message ends exactly once; a refused one never appears.
  for (let id = 1; id < nextId; id++) {
    const ends = outcomes.get(id) ?? [];
    if (accepted.has(id) && ends.length !== 1) problems.push(`message ${id}: ${ends.length === 0 ? "lost" : `ended ${ends.map((e) => e.kind).join(" and ")}`}`);
    if (!accepted.has(id) && ends.length > 0) problems.push(`message ${id} was refused, yet ${ends.map((e) => e.kind).join(" and ")}`);
  }
  // In order: sends by id, hand-offs by id, and no send overtakes an older message still waiting.
  const increasing = (ids: readonly number[]) => ids.every((id, i) => i === 0 || ids[i - 1]! < id);
  if (!increasing(sends.map(([id]) => id))) problems.push(`sent out of order: ${sends.map(([id]) => id).join(" ")}`);
  if (!increasing(handedOrder)) problems.push(`handed to onUndelivered out of order: ${handedOrder.join(" ")}`);
  for (const [id, calledAt] of sends) {
    for (const older of accepted) {
      if (older >= id) continue;
      const end = outcomes.get(older)?.[0];
      if (end === undefined || end.at > calledAt) problems.push(`message ${id} was sent while older message ${older} was still waiting`);
    }
  }
  return { problems: problems.map((problem) => `seed ${seed} ${JSON.stringify(config)}: ${problem}`), stats };
}

describe("create<Name>Connection: every message ends sent, queued or handed off, in order, whatever send does", () => {
  const SEEDS = 800;
  const OPERATIONS = 60;
  const problems: string[] = [];
  const totals: Stats = { sent: 0, sendFailures: 0, handed: 0, handOffFailures: 0, drained: 0, reentries: 0, toJson: 0, finalStates: 0 };
  beforeAll(() => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const run = runSeed(seed, OPERATIONS);
      problems.push(...run.problems);
      for (const key of Object.keys(totals) as (keyof Stats)[]) totals[key] += run.stats[key];
    }
  });

  it(`holds for ${SEEDS} random runs of ${OPERATIONS} operations (send and onUndelivered throwing, re-entrant calls, toJSON)`, () => {
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it("is not vacuous: the runs send, fail sends, hand off, drain, re-enter and reach final states", () => {
    for (const [key, count] of Object.entries(totals)) expect(count, key).toBeGreaterThan(100);
  });
});
