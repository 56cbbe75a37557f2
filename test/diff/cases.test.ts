import { diffContracts, type DiffChange, type DiffResult } from "../../contracts/diff/index.js";
import type { Side } from "../../contracts/diff/change-kinds.js";
import type { Contract } from "../../contracts/model.js";
import { type DiffCase, type ExpectedChange, type GeneratedSide, generateSide, listCases, loadCase } from "./case-harness.js";

const cases = listCases();

function summarize(change: { rule: string; kind: string; path: string; witness?: unknown }, withPath: boolean): string {
  return `${change.kind} ${change.rule}${withPath ? ` @ ${change.path}` : ""}${change.witness ? " +witness" : ""}`;
}

/** Matches actual changes to expected ones (a path in the expectation must match too); both lists must be used up. */
function compareChanges(actual: DiffChange[], expected: ExpectedChange[]): { missing: string[]; unexpected: string[] } {
  const rest = [...actual];
  const missing: string[] = [];
  for (const e of expected) {
    const i = rest.findIndex((a) => a.rule === e.rule && a.kind === e.kind && Boolean(a.witness) === e.witness && (e.path === undefined || a.path === e.path));
    if (i >= 0) rest.splice(i, 1);
    else missing.push(summarize({ ...e, path: e.path ?? "", witness: e.witness }, e.path !== undefined));
  }
  return { missing, unexpected: rest.map((a) => summarize(a, true)) };
}

function eventSides(contract: Contract, name: unknown): Side[] {
  const event = contract.events.find((e) => e.name === name);
  if (!event) return [];
  return event.direction === "both" ? ["server-to-client", "client-to-server"] : [event.direction];
}

/** Checks a witness with the generated code of both sides; returns a problem or undefined. */
function checkWitness(change: DiffChange, sides: Record<"old" | "new", GeneratedSide>): string | undefined {
  const w = change.witness!;
  if (w.kind === "connection") return checkConnectionWitness(w, sides);
  const accepting = sides[w.acceptedBy];
  if (w.kind === "message" && w.ignored) {
    // A change of openness: the name or value is unknown to both contracts; the side that declares
    // it open is the accepting one (its receivers ignore it), the closed one rejects it.
    for (const side of ["old", "new"] as const) {
      if (sides[side].parseMessage(w.message).success) return `the ${side} validators accept the witness, so nothing in it is unknown`;
    }
    const opened = change.rule.endsWith("-opened") ? "new" : change.rule.endsWith("-closed") ? "old" : undefined;
    if (w.acceptedBy !== opened)
      return `the witness is accepted (ignored) by the ${w.acceptedBy} contract, but ${change.rule} makes the ${opened ?? "neither"} one open`;
    const union = /^openness\.events\.(server-to-client|client-to-server)$/.exec(change.path)?.[1] as Side | undefined;
    if (union && accepting.contract.openness?.events[union] !== "open") return `the ${w.acceptedBy} contract does not declare the ${union} union open`;
    return undefined;
  }
  if (w.kind === "message") {
    const rejecting = sides[w.rejectedBy];
    const ok = accepting.parseMessage(w.message);
    if (!ok.success) return `the ${w.acceptedBy} validators reject the witness: ${ok.error?.message}`;
    const bad = rejecting.parseMessage(w.message);
    if (!bad.success) return undefined;
    // Validators do not know directions: a direction change is shown by the event's sides.
    const event = w.message[accepting.contract.envelope.discriminator];
    const gained = eventSides(accepting.contract, event).filter((s) => !eventSides(rejecting.contract, event).includes(s));
    return gained.length > 0 ? undefined : `the ${w.rejectedBy} validators accept the witness too`;
  }
  if (w.kind === "transitions") {
    const oldState = sides.old.follow(w.transitions);
    const newState = sides.new.follow(w.transitions);
    if (oldState !== w.oldState || newState !== w.newState)
      return `states differ: guard says old=${oldState} new=${newState}, witness says old=${w.oldState} new=${w.newState}`;
    const allowed = (side: GeneratedSide, state: string | null) =>
      state !== null && (w.event === undefined || side.contract.events.find((e) => e.name === w.event)!.states.includes(state));
    if (!allowed(accepting, w.acceptedBy === "old" ? oldState : newState)) return `the ${w.acceptedBy} contract does not allow the path`;
    if (w.rejectedBy !== undefined && allowed(sides[w.rejectedBy], w.rejectedBy === "old" ? oldState : newState))
      return `the ${w.rejectedBy} contract allows the path`;
    if (w.rejectedBy === undefined && oldState === newState) return "the path leads to the same state on both sides";
    return undefined;
  }
  if (!accepting.acceptsRun(w.events)) return `the ${w.acceptedBy} run monitor rejects ${w.events.join(" ")}`;
  // A run that stops short: what the new server and old clients still send of it, by the events' directions.
  if (w.produced) {
    const sent = (event: string) =>
      eventSides(sides.new.contract, event).includes("server-to-client") || eventSides(sides.old.contract, event).includes("client-to-server");
    const expected = w.events.filter(sent);
    if (expected.join(" ") !== w.produced.join(" ")) return `the new server and old clients send ${expected.join(" ")}, not ${w.produced.join(" ")}`;
  }
  const seen = w.produced ?? w.events;
  if (sides[w.rejectedBy].acceptsRun(seen)) return `the ${w.rejectedBy} run monitor accepts ${seen.join(" ")}`;
  return undefined;
}

/**
 * A connection witness: the generated guard of each side follows the path to the state; there each
 * contract's server answers as the witness says (its out-of-state policy for the event, which neither
 * contract allows there, or its timeout for the time stayed), and the answers differ.
 */
function checkConnectionWitness(
  w: Extract<DiffChange["witness"], { kind: "connection" }> & object,
  sides: Record<"old" | "new", GeneratedSide>,
): string | undefined {
  for (const label of ["old", "new"] as const) {
    const reached = sides[label].follow(w.transitions);
    if (reached !== w.state) return `the ${label} guard reaches ${reached}, not ${w.state}`;
  }
  // Per-id uniqueness: each side's generated endpoint answers the messages itself.
  const answer = (label: "old" | "new"): unknown => {
    if (w.ids !== undefined) return sides[label].answerIds(w.transitions, w.ids);
    const contract = sides[label].contract;
    if (w.event !== undefined) {
      const event = contract.events.find((e) => e.name === w.event);
      // A valid message of an event only the server sends, from a client: the wrong-direction code, in any state.
      if (event?.direction === "server-to-client") {
        const close = contract.wrongDirectionClose ?? contract.invalidClose ?? { code: 1008, name: "policy_violation" };
        return { outcome: "closed", code: close.code, name: close.name };
      }
      if (!event || event.states.includes(w.state)) return "allowed";
      const policy = event.outOfState;
      if (!policy) return "no policy";
      return policy.action === "hold" ? { outcome: "held" } : { outcome: "closed", code: policy.close.code, name: policy.close.name };
    }
    const timeout = contract.lifecycle.states.find((s) => s.name === w.state)?.timeout;
    return timeout && w.stayMs! >= timeout.ms ? { outcome: "closed", code: timeout.close.code, name: timeout.close.name } : { outcome: "open" };
  };
  for (const label of ["old", "new"] as const) {
    if (JSON.stringify(answer(label)) !== JSON.stringify(w[label]))
      return `the ${label} contract answers ${JSON.stringify(answer(label))}, the witness says ${JSON.stringify(w[label])}`;
  }
  if (JSON.stringify(w.old) === JSON.stringify(w.new)) return "both servers answer the same";
  return undefined;
}

describe("diff cases", () => {
  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(cases.map((c) => [c.name, c] as [string, DiffCase]))("%s", (name, diffCase) => {
    let result: DiffResult;
    let sides: Record<"old" | "new", GeneratedSide>;

    beforeAll(async () => {
      const contracts = loadCase(diffCase);
      result = diffContracts(contracts.old, contracts.new);
      if (result.changes.some((c) => c.witness)) {
        // A message witness is checked with the validators alone; every other kind with the lifecycle guard too.
        const lifecycle = result.changes.some((c) => c.witness !== undefined && c.witness.kind !== "message");
        sides = { old: await generateSide(contracts.old, `${name}/old`, lifecycle), new: await generateSide(contracts.new, `${name}/new`, lifecycle) };
      }
    });

    it("reports the expected rules and kinds", () => {
      const { missing, unexpected } = compareChanges(result.changes, diffCase.expected.changes);
      expect({ missing, unexpected }, diffCase.expected.description).toEqual({ missing: [], unexpected: [] });
      expect(result.breaking).toBe(diffCase.expected.breaking);
    });

    it("has witnesses the generated code of both sides confirms", () => {
      for (const change of result.changes.filter((c) => c.witness)) {
        expect(checkWitness(change, sides), `${change.rule} at ${change.path}: ${JSON.stringify(change.witness)}`).toBeUndefined();
      }
    });
  });
});
