/**
 * Run patterns (regular expressions over event names) as automata: the one construction every user of
 * a pattern's language starts from (Thompson's, into an Nfa whose symbols are indices into an
 * alphabet of event names). The diff compares two patterns by the runs they accept (below); the
 * generator's run monitor is its minimal DFA (run-dfa.ts); the run matcher steps through it
 * (run-matcher.ts).
 */
import type { RunPattern } from "../model.js";
import { findShortestDifference, Nfa, normalizeSet } from "./nfa.js";

function build(nfa: Nfa, node: RunPattern, index: ReadonlyMap<string, number>, from: number, to: number, erased?: ReadonlySet<string>): void {
  switch (node.kind) {
    case "event": {
      // An erased event never reaches the monitor: a path that needs it cannot be taken.
      if (erased?.has(node.name)) return;
      const symbol = index.get(node.name)!;
      nfa.addEdge(from, { kind: "sym", set: [[symbol, symbol]], to });
      return;
    }
    case "seq":
      nfa.addSequence(node.items, from, to, (item, start, end) => build(nfa, item, index, start, end, erased));
      return;
    case "alt":
      for (const option of node.options) build(nfa, option, index, from, to, erased);
      return;
    case "repeat": {
      const entry = nfa.addState();
      const exit = nfa.addState();
      nfa.addEdge(from, { kind: "eps", to: entry });
      build(nfa, node.item, index, entry, exit, erased);
      nfa.addEdge(exit, { kind: "eps", to });
      if (node.min === 0) nfa.addEdge(from, { kind: "eps", to });
      if (node.max === "many") nfa.addEdge(exit, { kind: "eps", to: entry });
      return;
    }
  }
}

export function eventsOfPattern(node: RunPattern, into = new Set<string>()): Set<string> {
  if (node.kind === "event") into.add(node.name);
  else if (node.kind === "seq") node.items.forEach((item) => eventsOfPattern(item, into));
  else if (node.kind === "alt") node.options.forEach((option) => eventsOfPattern(option, into));
  else eventsOfPattern(node.item, into);
  return into;
}

/**
 * The pattern as an Nfa whose symbols are indices into `alphabet`. Events of the alphabet the
 * pattern does not name are ignored, as run monitors ignore them: every state loops on them.
 */
export function runPatternNfa(pattern: RunPattern, alphabet: readonly string[], erased?: ReadonlySet<string>, options: { strict?: boolean } = {}): Nfa {
  const index = new Map(alphabet.map((name, i) => [name, i]));
  const nfa = new Nfa();
  nfa.start = nfa.addState();
  nfa.accept = nfa.addState();
  build(nfa, pattern, index, nfa.start, nfa.accept, erased);
  const named = eventsOfPattern(pattern);
  // Ignored (not named) and erased (never delivered) events leave the monitor where it is.
  const ignored = alphabet.map((name, i) => [name, i] as const).filter(([name]) => !named.has(name) || erased?.has(name));
  // strict: events it does not name are refused (what the pattern says, not what a monitor tolerates).
  if (ignored.length && !options.strict) {
    const set = normalizeSet(ignored.map(([, i]) => [i, i] as const));
    for (let state = 0; state < nfa.edges.length; state++) nfa.addEdge(state, { kind: "sym", set, to: state });
  }
  return nfa;
}

/** An Nfa that accepts every run over the alphabet (a contract without a pattern constrains nothing). */
export function anyRun(alphabet: readonly string[]): Nfa {
  const nfa = new Nfa();
  nfa.start = nfa.addState();
  nfa.accept = nfa.start;
  if (alphabet.length) nfa.addEdge(nfa.start, { kind: "sym", set: [[0, alphabet.length - 1]], to: nfa.start });
  return nfa;
}

/** The events the patterns name, sorted: the alphabet both sides of a comparison are compiled over. */
export function alphabetOf(...patterns: (RunPattern | undefined)[]): string[] {
  const names = new Set<string>();
  for (const pattern of patterns) if (pattern) eventsOfPattern(pattern, names);
  return [...names].sort();
}

/** The search gave up (its budget of product states, or the longest run it tries): there may be a difference. */
export interface Undecided {
  undecided: string;
}

export function isUndecided(result: unknown): result is Undecided {
  return typeof result === "object" && result !== null && "undecided" in result;
}

/** The product states a run comparison may explore: a pattern such as `(a | b)* a (a | b){20}` needs 2^20. */
const MAX_RUN_STATES = 100_000;
const MAX_RUN_LENGTH = 1000;

/** A shortest run `a` accepts and `r` rejects, as event names; undefined when there is none. */
function findShortestRun(a: Nfa, r: Nfa, alphabet: readonly string[]): string[] | undefined | Undecided {
  // A run has at least one event: monitors never see an empty one.
  const result = findShortestDifference({
    accept: [a],
    reject: [r],
    acceptLength: { min: 1, max: Infinity },
    symbols: alphabet.map((_, i) => i),
    maxStates: MAX_RUN_STATES,
    maxWork: Infinity,
    maxLength: MAX_RUN_LENGTH,
  });
  if (result.found) return result.word ? result.word.map((i) => alphabet[i]!) : { undecided: `a difference is a run of ${result.length} events` };
  return result.exhausted
    ? undefined
    : { undecided: `the comparison needs more than covenant's budget of ${MAX_RUN_STATES} automaton states or runs of ${MAX_RUN_LENGTH} events` };
}

/**
 * A shortest run (list of event names) that `accepting` accepts and `rejecting` does not; undefined
 * when every run of the first is a run of the second. Patterns absent on a side accept every run.
 * `strict`: the accepting pattern refuses the events it does not name instead of ignoring them.
 */
export function findRunDifference(
  accepting: RunPattern | undefined,
  rejecting: RunPattern | undefined,
  options: { strict?: boolean } = {},
): string[] | undefined | Undecided {
  const alphabet = alphabetOf(accepting, rejecting);
  const a = accepting ? runPatternNfa(accepting, alphabet, undefined, options) : anyRun(alphabet);
  const r = rejecting ? runPatternNfa(rejecting, alphabet) : anyRun(alphabet);
  return findShortestRun(a, r, alphabet);
}

/**
 * A shortest run the `before` pattern accepts whose events, once the `lost` ones are dropped (no
 * party sends them any more), the `after` pattern rejects: a run the old parties would produce that
 * can no longer complete. Undefined when every such run still completes.
 */
export function findStalledRun(
  before: RunPattern,
  after: RunPattern,
  lost: ReadonlySet<string>,
): { events: string[]; produced: string[] } | undefined | Undecided {
  const alphabet = alphabetOf(before, after);
  const events = findShortestRun(runPatternNfa(before, alphabet), runPatternNfa(after, alphabet, lost), alphabet);
  return events === undefined || isUndecided(events) ? events : { events, produced: events.filter((e) => !lost.has(e)) };
}
