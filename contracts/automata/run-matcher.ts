import type { RunPattern } from "../model.js";
import { findShortestDifference, MAX_WITNESS_LENGTH } from "./nfa.js";
import { alphabetOf, eventsOfPattern, runPatternNfa } from "./run-pattern.js";

/**
 * Matching of event sequences against a run pattern, one event at a time, through the pattern's
 * automaton (run-pattern.ts) determinized as it goes: no backtracking, linear in the number of
 * events, and a state is plain data (a number), so a monitor can keep one per run.
 */

/** A state of the matcher's automaton; `initial` is the start (before any event). */
export type RunMatchState = number;

export interface RunMatcher {
  readonly initial: RunMatchState;
  /** The state after `event`, or `undefined` when the pattern does not allow `event` here. */
  step(state: RunMatchState, event: string): RunMatchState | undefined;
  /** Whether the events seen so far form a complete run. */
  accepts(state: RunMatchState): boolean;
  /** The event names allowed next, sorted. */
  expected(state: RunMatchState): string[];
  /** The event names the pattern mentions, sorted. */
  readonly alphabet: readonly string[];
}

export interface RunMatchResult {
  /** `broken`: an event the pattern does not allow; `incomplete`: the run may still go on but is not finished. */
  status: "complete" | "incomplete" | "broken";
  /** Index of the first event that broke the pattern. */
  brokenAt?: number;
  /** Event names allowed at the point of failure (or next, for an incomplete run). */
  expected: string[];
}

export function compileRunPattern(pattern: RunPattern): RunMatcher {
  const alphabet = [...eventsOfPattern(pattern)].sort();
  const symbols = new Map(alphabet.map((name, i) => [name, i]));
  const nfa = runPatternNfa(pattern, alphabet, undefined, { strict: true });
  const step = (state: RunMatchState, event: string): RunMatchState | undefined => {
    const symbol = symbols.get(event);
    if (symbol === undefined) return undefined;
    const next = nfa.dfaStep(state, symbol);
    return nfa.dfaSize(next) > 0 ? next : undefined;
  };
  return {
    initial: nfa.dfaInitial(),
    alphabet,
    step,
    accepts: (state) => nfa.dfaAccepts(state, false),
    expected: (state) => alphabet.filter((event) => step(state, event) !== undefined),
  };
}

/** Matches a whole sequence of event names. */
export function matchRun(matcher: RunMatcher, events: readonly string[]): RunMatchResult {
  let state = matcher.initial;
  for (let i = 0; i < events.length; i++) {
    const after = matcher.step(state, events[i]!);
    if (after === undefined) return { status: "broken", brokenAt: i, expected: matcher.expected(state) };
    state = after;
  }
  return matcher.accepts(state) ? { status: "complete", expected: matcher.expected(state) } : { status: "incomplete", expected: matcher.expected(state) };
}

/**
 * A shortest complete run that `a` accepts and `b` does not, or `undefined` when every run `a` accepts is
 * also accepted by `b` (the language of `a` is included in that of `b`). Both patterns refuse the events
 * they do not name; the empty run counts. Ties are broken by event name order.
 */
export function findRunPatternCounterexample(a: RunPattern, b: RunPattern): string[] | undefined {
  const alphabet = alphabetOf(a, b);
  const result = findShortestDifference({
    accept: [runPatternNfa(a, alphabet, undefined, { strict: true })],
    reject: [runPatternNfa(b, alphabet, undefined, { strict: true })],
    symbols: alphabet.map((_, i) => i),
    // No budget: the product of the two automata is finite, so the search ends with the answer.
    maxStates: Infinity,
    maxWork: Infinity,
    maxLength: Infinity,
  });
  if (!result.found) return undefined;
  if (result.word === undefined) throw new Error(`the shortest counterexample has ${result.length} events, more than ${MAX_WITNESS_LENGTH} spelled out`);
  return result.word.map((symbol) => alphabet[symbol]!);
}
