import type { RunPattern } from "../model.js";
import type { Nfa } from "./nfa.js";
import { eventsOfPattern, runPatternNfa } from "./run-pattern.js";

/**
 * The generated run monitor's table: a deterministic automaton for a run pattern, the subset
 * construction of its Nfa (run-pattern.ts), minimized. State 0 is the start; a missing transition means
 * the run is broken. States are numbered in breadth-first order and minimal, so the table is
 * the same for equivalent patterns and stable from run to run.
 */
export interface RunAutomaton {
  /** Event names in the order they first appear in the pattern. */
  alphabet: string[];
  /** `next` maps event names to states; it has no prototype, so any event name (`toString`, `__proto__`) is a plain key. */
  states: { accepting: boolean; next: Record<string, number> }[];
}

/** A transition table with no inherited keys. */
function table(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

export function buildRunDfa(pattern: RunPattern): RunAutomaton {
  const alphabet = [...eventsOfPattern(pattern)];
  // strict: the table holds only the pattern's own events (the monitor ignores the others before it looks).
  const nfa = runPatternNfa(pattern, alphabet, undefined, { strict: true });
  return minimize(determinize(nfa, alphabet), alphabet);
}

/**
 * The most states the generated monitor's table may have. Real run patterns need tens; a pattern
 * such as `(a | b)* a (a | b) (a | b) …` needs 2^n (14 trailing groups: 32,768 states, a 1 MB file),
 * which no reviewer can read and no build wants.
 */
export const MAX_RUN_DFA_STATES = 1024;
/** The most NFA states the subset construction may visit in all (a bound on its time). */
const MAX_RUN_DFA_WORK = 5_000_000;

/** A run pattern whose automaton exceeds `MAX_RUN_DFA_STATES` (or its work budget). */
export class RunPatternTooComplex extends Error {
  constructor(readonly limit: number) {
    super(`the run pattern needs an automaton of more than ${limit} states`);
    this.name = "RunPatternTooComplex";
  }
}

function determinize(nfa: Nfa, alphabet: string[]): RunAutomaton {
  const sorted = (states: Iterable<number>): number[] => [...states].sort((a, b) => a - b);
  const first = sorted(nfa.initial());
  const index = new Map<string, number>([[first.join(","), 0]]);
  const sets = [first];
  const states: RunAutomaton["states"] = [];
  let work = 0;
  for (let i = 0; i < sets.length; i++) {
    const set = sets[i]!;
    const next = table();
    // The targets of every symbol, in one pass over the set's edges (a run pattern's symbol sets
    // are a few event indices wide).
    const bySymbol = new Map<number, number[]>();
    for (const n of set) {
      for (const edge of nfa.edges[n]!) {
        if (edge.kind !== "sym") continue;
        for (const [lo, hi] of edge.set) {
          for (let symbol = lo; symbol <= hi; symbol++) {
            const list = bySymbol.get(symbol);
            if (list) list.push(edge.to);
            else bySymbol.set(symbol, [edge.to]);
          }
        }
      }
    }
    for (let symbol = 0; symbol < alphabet.length; symbol++) {
      const targets = bySymbol.get(symbol);
      if (targets === undefined) continue;
      const target = sorted(nfa.closure(targets, false, false));
      work += target.length;
      if (work > MAX_RUN_DFA_WORK) throw new RunPatternTooComplex(MAX_RUN_DFA_STATES);
      const id = target.join(",");
      if (!index.has(id)) {
        if (sets.length >= MAX_RUN_DFA_STATES) throw new RunPatternTooComplex(MAX_RUN_DFA_STATES);
        index.set(id, sets.length);
        sets.push(target);
      }
      next[alphabet[symbol]!] = index.get(id)!;
    }
    states.push({ accepting: set.includes(nfa.accept), next });
  }
  return { alphabet, states };
}

/** Moore partition refinement, then renumbering in breadth-first order from the start. */
function minimize(dfa: RunAutomaton, alphabet: string[]): RunAutomaton {
  let block: number[] = dfa.states.map((s) => (s.accepting ? 1 : 0));
  for (;;) {
    const signatures = dfa.states.map((s, i) => JSON.stringify([block[i], alphabet.map((a) => (Object.hasOwn(s.next, a) ? block[s.next[a]!] : -1))]));
    const ids = new Map<string, number>();
    const refined = signatures.map((sig) => {
      if (!ids.has(sig)) ids.set(sig, ids.size);
      return ids.get(sig)!;
    });
    const changed = new Set(refined).size !== new Set(block).size;
    block = refined;
    if (!changed) break;
  }
  const order = new Map<number, number>();
  const queue = [block[0]!];
  order.set(block[0]!, 0);
  const representative = new Map<number, number>();
  dfa.states.forEach((_, i) => {
    if (!representative.has(block[i]!)) representative.set(block[i]!, i);
  });
  const states: RunAutomaton["states"] = [];
  for (let q = 0; q < queue.length; q++) {
    const original = dfa.states[representative.get(queue[q]!)!]!;
    const next = table();
    for (const symbol of alphabet) {
      const to = Object.hasOwn(original.next, symbol) ? original.next[symbol] : undefined;
      if (to === undefined) continue;
      const b = block[to]!;
      if (!order.has(b)) {
        order.set(b, order.size);
        queue.push(b);
      }
      next[symbol] = order.get(b)!;
    }
    states.push({ accepting: original.accepting, next });
  }
  return { alphabet, states };
}
