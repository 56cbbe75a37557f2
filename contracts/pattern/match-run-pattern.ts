import type { RunPattern } from "../model.js";

/**
 * Matching of event sequences against a run pattern, by a Glushkov automaton: each occurrence of an
 * event name in the pattern is a position; a match state is the set of positions the events seen so far
 * may have ended at. No backtracking, linear in the number of events, and a state is plain data (a
 * sorted array of numbers), so a runtime monitor can keep one per run.
 */

/** Sorted positions; `[0]` is the start (before any event). */
export type RunMatchState = readonly number[];

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

interface Glushkov {
  nullable: boolean;
  first: number[];
  last: number[];
}

export function compileRunPattern(pattern: RunPattern): RunMatcher {
  const names: string[] = [""]; // position 0 is the start
  const follow = new Map<number, Set<number>>();
  const addFollow = (from: readonly number[], to: readonly number[]) => {
    for (const p of from) {
      let set = follow.get(p);
      if (!set) follow.set(p, (set = new Set()));
      for (const q of to) set.add(q);
    }
  };

  const build = (node: RunPattern): Glushkov => {
    switch (node.kind) {
      case "event": {
        const position = names.length;
        names.push(node.name);
        return { nullable: false, first: [position], last: [position] };
      }
      case "alt": {
        const parts = node.options.map(build);
        return { nullable: parts.some((p) => p.nullable), first: parts.flatMap((p) => p.first), last: parts.flatMap((p) => p.last) };
      }
      case "repeat": {
        const inner = build(node.item);
        if (node.max === "many") addFollow(inner.last, inner.first);
        return { nullable: node.min === 0 || inner.nullable, first: inner.first, last: inner.last };
      }
      case "seq": {
        const parts = node.items.map(build);
        let first: number[] = [];
        for (const part of parts) {
          first = first.concat(part.first);
          if (!part.nullable) break;
        }
        let last: number[] = [];
        for (let i = parts.length - 1; i >= 0; i--) {
          last = last.concat(parts[i]!.last);
          if (!parts[i]!.nullable) break;
        }
        for (let i = 0; i < parts.length - 1; i++) {
          for (let j = i + 1; j < parts.length; j++) {
            addFollow(parts[i]!.last, parts[j]!.first);
            if (!parts[j]!.nullable) break;
          }
        }
        return { nullable: parts.every((p) => p.nullable), first, last };
      }
    }
  };

  const root = build(pattern);
  addFollow([0], root.first);
  const accepting = new Set(root.last);
  if (root.nullable) accepting.add(0);
  const alphabet = [...new Set(names.slice(1))].sort();

  const next = (state: RunMatchState): number[] => {
    const out = new Set<number>();
    for (const p of state) for (const q of follow.get(p) ?? []) out.add(q);
    return [...out];
  };

  return {
    initial: [0],
    alphabet,
    step(state, event) {
      const result = next(state)
        .filter((q) => names[q] === event)
        .sort((a, b) => a - b);
      return result.length > 0 ? result : undefined;
    },
    accepts: (state) => state.some((p) => accepting.has(p)),
    expected: (state) => [...new Set(next(state).map((q) => names[q]!))].sort(),
  };
}

/** Matches a whole sequence of event names. */
export function matchRun(matcher: RunMatcher, events: readonly string[]): RunMatchResult {
  let state = matcher.initial;
  for (let i = 0; i < events.length; i++) {
    const after = matcher.step(state, events[i]!);
    if (!after) return { status: "broken", brokenAt: i, expected: matcher.expected(state) };
    state = after;
  }
  return matcher.accepts(state) ? { status: "complete", expected: matcher.expected(state) } : { status: "incomplete", expected: matcher.expected(state) };
}

/**
 * A shortest complete run that `a` accepts and `b` does not, or `undefined` when every run `a` accepts is
 * also accepted by `b` (the language of `a` is included in that of `b`). Ties are broken by event name order.
 */
export function findRunPatternCounterexample(a: RunPattern, b: RunPattern): string[] | undefined {
  const ma = compileRunPattern(a);
  const mb = compileRunPattern(b);
  interface Pair {
    sa: RunMatchState;
    sb: RunMatchState | undefined;
    path: string[];
  }
  const key = (p: Pair) => `${p.sa.join(",")}|${p.sb ? p.sb.join(",") : "x"}`;
  const queue: Pair[] = [{ sa: ma.initial, sb: mb.initial, path: [] }];
  const seen = new Set([key(queue[0]!)]);
  for (let head = 0; head < queue.length; head++) {
    const pair = queue[head]!;
    if (ma.accepts(pair.sa) && !(pair.sb && mb.accepts(pair.sb))) return pair.path;
    for (const event of ma.alphabet) {
      const sa = ma.step(pair.sa, event);
      if (!sa) continue;
      const sb = pair.sb ? mb.step(pair.sb, event) : undefined;
      const nextPair = { sa, sb, path: [...pair.path, event] };
      const k = key(nextPair);
      if (seen.has(k)) continue;
      seen.add(k);
      queue.push(nextPair);
    }
  }
  return undefined;
}
