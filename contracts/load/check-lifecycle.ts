import type { z } from "zod";
import type { LifecycleSchema } from "../format/contract.schema.js";
import { closest } from "../../common/strings.js";
import { didYouMean, formatChoices, formatList, type ProblemCollector } from "./contract-errors.js";
import { isPlainObject } from "./schema-checks.js";
import type { SourceDocument } from "./source-document.js";
import { reachable } from "../../common/graph.js";

export type LifecycleDocument = z.output<typeof LifecycleSchema>;

/**
 * The state machine as far as it can be read, whatever else is wrong with its shape (a misspelled key
 * in one state does not hide an unknown target in another). What a malformed state leaves unknown is
 * not guessed: its ways out when `on` is malformed or an unknown key holds a mapping (`transitions:`,
 * a misspelled `on`), whether it is final when `final` is malformed or an unknown key holds a boolean
 * (`fnal: true`).
 */
export interface LifecycleOutline {
  /** Undefined when `initial` is missing or not a string (reported by the shape check). */
  initial: string | undefined;
  states: Map<string, StateOutline>;
}

export interface StateOutline {
  on: [string, string][];
  final: boolean;
  edgesKnown: boolean;
  finalKnown: boolean;
}

const STATE_KEYS = new Set(["on", "final", "timeout", "description"]);

/** The target of a transition as written: `target` or `{ to: target, event }` (undefined when neither). */
export function transitionTarget(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return isPlainObject(value) && typeof value.to === "string" ? value.to : undefined;
}

/** Reads the outline of `lifecycle`; undefined when it has no `states` mapping to read. */
export function readLifecycleOutline(raw: unknown): LifecycleOutline | undefined {
  if (!isPlainObject(raw) || !isPlainObject(raw.states)) return undefined;
  const states: LifecycleOutline["states"] = new Map();
  for (const [name, value] of Object.entries(raw.states)) {
    if (!isPlainObject(value)) {
      states.set(name, { on: [], final: false, edgesKnown: false, finalKnown: false });
      continue;
    }
    const unknown = Object.entries(value).filter(([key]) => !STATE_KEYS.has(key));
    const on = value.on === undefined ? [] : isPlainObject(value.on) ? Object.entries(value.on) : undefined;
    const targets = (on ?? []).flatMap(([t, v]): [string, string][] => {
      const target = transitionTarget(v);
      return target === undefined ? [] : [[t, target]];
    });
    states.set(name, {
      on: targets,
      final: value.final === true,
      edgesKnown: targets.length === on?.length && !unknown.some(([, v]) => isPlainObject(v)),
      finalKnown: (value.final === undefined || typeof value.final === "boolean") && !unknown.some(([, v]) => typeof v === "boolean"),
    });
  }
  return { initial: typeof raw.initial === "string" ? raw.initial : undefined, states };
}

/**
 * Layer 2 for the state machine: the initial state and every transition target exist, every state is
 * reachable from `initial`, a non-final state has a way out, a final state has none, and (when the
 * contract has final states) every reachable state can still reach one. A state whose ways out are
 * not known may lead anywhere; one whose finality is not known may be final.
 */
export function checkLifecycle(source: SourceDocument, problems: ProblemCollector, lifecycle: LifecycleOutline): void {
  const file = source.file;
  const states = lifecycle.states;
  const names = [...states.keys()];
  const base = ["lifecycle", "states"];

  const initialKnown = lifecycle.initial !== undefined && states.has(lifecycle.initial);
  if (lifecycle.initial !== undefined && !initialKnown) {
    problems.add("unknown-initial-state", file, source.valuePosition(["lifecycle", "initial"]), {
      state: lifecycle.initial,
      didYouMean: didYouMean(lifecycle.initial, names),
      states: formatChoices(names),
    });
  }

  // An unknown target counts as an edge to the state it most likely means (the "did you mean"), so
  // a typo does not also report that state unreachable. One that resembles no state could be meant
  // for any of them: its state is not reported as unable to finish, and if it is reachable, no state
  // is reported unreachable.
  const edges = new Map<string, string[]>();
  /** States that may lead anywhere (a target like no state, ways out not known), and those that may be final. */
  const anywhere = new Set<string>();
  const mayFinish = new Set<string>();
  for (const [name, state] of states) {
    const targets: string[] = [];
    if (!state.edgesKnown) anywhere.add(name);
    if (!state.edgesKnown || !state.finalKnown) mayFinish.add(name);
    for (const [transition, target] of state.on) {
      if (states.has(target)) {
        targets.push(target);
        continue;
      }
      const guess = closest(target, names);
      if (guess !== undefined) targets.push(guess);
      else {
        anywhere.add(name);
        mayFinish.add(name);
      }
      const written = source.has([...base, name, "on", transition, "to"]) ? ["to"] : [];
      problems.add("unknown-target-state", file, source.valuePosition([...base, name, "on", transition, ...written]), {
        transition,
        state: name,
        target,
        didYouMean: didYouMean(target, names),
        states: formatChoices(names),
      });
    }
    edges.set(name, targets);
    if (!state.edgesKnown || !state.finalKnown) continue;
    if (state.final && state.on.length > 0) {
      problems.add("final-state-with-transitions", file, source.entryPosition([...base, name, "on"]), { state: name });
    } else if (!state.final && state.on.length === 0) {
      problems.add("dead-end-state", file, source.entryPosition([...base, name]), { state: name });
    }
  }

  const start = initialKnown ? lifecycle.initial : lifecycle.initial === undefined ? undefined : closest(lifecycle.initial, names);
  // Without a start there is nothing to be reachable from.
  if (start === undefined) return;
  const reached = reachable([start], (state) => edges.get(state) ?? []);
  const unknownWayOut = [...anywhere].some((name) => reached.has(name));
  for (const name of names) {
    if (!reached.has(name) && !unknownWayOut) {
      problems.add("unreachable-state", file, source.entryPosition([...base, name]), { state: name, initial: start });
    }
  }

  const finals = names.filter((name) => states.get(name)!.final);
  if (finals.length === 0) return;
  const reverse = new Map<string, string[]>();
  for (const [from, targets] of edges) for (const to of targets) reverse.set(to, [...(reverse.get(to) ?? []), from]);
  const canFinish = reachable([...finals, ...mayFinish], (state) => reverse.get(state) ?? []);
  for (const name of names) {
    const state = states.get(name)!;
    if (reached.has(name) && state.on.length > 0 && !state.final && !canFinish.has(name)) {
      problems.add("no-path-to-final", file, source.entryPosition([...base, name]), { state: name, finals: formatList(finals) });
    }
  }
}

/**
 * Layer 2 for one event: the states it names exist and are not repeated. `states` is the list as
 * written (entries that are not strings are the shape check's).
 */
export function checkEventStates(
  source: SourceDocument,
  problems: ProblemCollector,
  eventName: string,
  states: readonly unknown[],
  stateNames: readonly string[] | undefined,
): void {
  const seen = new Set<string>();
  states.forEach((state, index) => {
    if (typeof state !== "string") return;
    const at = source.valuePosition(["events", eventName, "states", index]);
    if (state === "*") {
      if (states.length > 1) problems.add("wildcard-state-mixed", source.file, at, { event: eventName });
      return;
    }
    if (seen.has(state)) {
      problems.add("duplicate-event-state", source.file, at, { state, event: eventName });
      return;
    }
    seen.add(state);
    if (stateNames && !stateNames.includes(state)) {
      problems.add("unknown-event-state", source.file, at, {
        event: eventName,
        state,
        didYouMean: didYouMean(state, stateNames),
        states: formatChoices(stateNames),
      });
    }
  });
}
