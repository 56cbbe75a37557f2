import type { z } from "zod";
import type { EventSchema, LifecycleSchema } from "../format/contract.schema.js";
import { closest } from "../../common/strings.js";
import { didYouMean, formatChoices, formatList, type ProblemCollector } from "./contract-errors.js";
import type { SourceDocument } from "./source-document.js";

export type LifecycleDocument = z.output<typeof LifecycleSchema>;
export type EventDocument = z.output<typeof EventSchema>;

/**
 * Layer 2 for the state machine: the initial state and every transition target exist, every state is
 * reachable from `initial`, a non-final state has a way out, a final state has none, and (when the
 * contract has final states) every reachable state can still reach one.
 */
export function checkLifecycle(source: SourceDocument, problems: ProblemCollector, lifecycle: LifecycleDocument): void {
  const file = source.file;
  const states = new Map(Object.entries(lifecycle.states));
  const names = [...states.keys()];
  const base = ["lifecycle", "states"];

  const initialKnown = states.has(lifecycle.initial);
  if (!initialKnown) {
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
  const mayFinish = new Set<string>();
  for (const [name, state] of states) {
    const targets: string[] = [];
    const on = Object.entries(state.on ?? {});
    for (const [transition, target] of on) {
      if (states.has(target)) {
        targets.push(target);
        continue;
      }
      const guess = closest(target, names);
      if (guess !== undefined) targets.push(guess);
      else mayFinish.add(name);
      problems.add("unknown-target-state", file, source.valuePosition([...base, name, "on", transition]), {
        transition,
        state: name,
        target,
        didYouMean: didYouMean(target, names),
        states: formatChoices(names),
      });
    }
    edges.set(name, targets);
    if (state.final === true && on.length > 0) {
      problems.add("final-state-with-transitions", file, source.entryPosition([...base, name, "on"]), { state: name });
    } else if (state.final !== true && on.length === 0) {
      problems.add("dead-end-state", file, source.entryPosition([...base, name]), { state: name });
    }
  }

  const start = initialKnown ? lifecycle.initial : closest(lifecycle.initial, names);
  // Without a start there is nothing to be reachable from.
  if (start === undefined) return;
  const reachable = closure([start], (state) => edges.get(state) ?? []);
  const unknownWayOut = [...mayFinish].some((name) => reachable.has(name));
  for (const name of names) {
    if (!reachable.has(name) && !unknownWayOut) {
      problems.add("unreachable-state", file, source.entryPosition([...base, name]), { state: name, initial: start });
    }
  }

  const finals = names.filter((name) => states.get(name)!.final === true);
  if (finals.length === 0) return;
  const reverse = new Map<string, string[]>();
  for (const [from, targets] of edges) for (const to of targets) reverse.set(to, [...(reverse.get(to) ?? []), from]);
  const canFinish = closure([...finals, ...mayFinish], (state) => reverse.get(state) ?? []);
  for (const name of names) {
    const state = states.get(name)!;
    const hasWayOut = Object.keys(state.on ?? {}).length > 0;
    if (reachable.has(name) && hasWayOut && state.final !== true && !canFinish.has(name)) {
      problems.add("no-path-to-final", file, source.entryPosition([...base, name]), { state: name, finals: formatList(finals) });
    }
  }
}

function closure(start: readonly string[], next: (state: string) => readonly string[]): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length > 0) {
    for (const target of next(queue.shift()!)) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}

/** Layer 2 for one event: the states it names exist and are not repeated. */
export function checkEventStates(
  source: SourceDocument,
  problems: ProblemCollector,
  eventName: string,
  event: EventDocument,
  stateNames: readonly string[] | undefined,
): void {
  const seen = new Set<string>();
  event.states.forEach((state, index) => {
    const at = source.valuePosition(["events", eventName, "states", index]);
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
