/**
 * Lifecycle changes: states, transitions, the initial state, finality, and the states each event is
 * allowed in. Witnesses are shortest paths of transitions from the initial state, found by a
 * breadth-first search over the product of the two state machines (driven by the side whose
 * behaviour the other no longer allows).
 */
import type { DiffRuleId } from "./change-kinds.js";
import type { Contract, ContractEvent, ContractState } from "../model.js";
import type { ContractSide, TransitionsWitness } from "./witness.js";
import { reachable } from "../../common/graph.js";

export interface LifecycleChange {
  rule: DiffRuleId;
  path: (string | number)[];
  message: string;
  witness?: TransitionsWitness;
  /** For event-state rules: the event, whose direction decides the kind. */
  event?: string;
}

type Lifecycle = Contract["lifecycle"];

function stateMap(lifecycle: Lifecycle): Map<string, ContractState> {
  return new Map(lifecycle.states.map((s) => [s.name, s]));
}

/** Where a path of transitions leads (null when the lifecycle has no such path). */
export function followTransitions(lifecycle: Lifecycle, transitions: readonly string[]): string | null {
  const states = stateMap(lifecycle);
  let current: string | undefined = lifecycle.initial;
  for (const t of transitions) {
    const state: ContractState | undefined = states.get(current);
    if (!state || state.final) return null;
    current = state.on[t];
    if (current === undefined) return null;
  }
  return current;
}

interface ProductNode {
  driver: string;
  other: string | null;
  path: string[];
}

/**
 * A shortest path of transitions the `driver` lifecycle allows, tracking where the other lifecycle
 * goes on the same transitions (null once it has no such transition), until `goal` holds.
 */
function searchProduct(driver: Lifecycle, other: Lifecycle, goal: (node: ProductNode) => boolean): ProductNode | undefined {
  const driverStates = stateMap(driver);
  const otherStates = stateMap(other);
  const start: ProductNode = { driver: driver.initial, other: otherStates.has(other.initial) ? other.initial : null, path: [] };
  const seen = new Set<string>([`${start.driver}\u0000${String(start.other)}`]);
  let frontier = [start];
  while (frontier.length) {
    const next: ProductNode[] = [];
    for (const node of frontier) {
      if (goal(node)) return node;
      const state = driverStates.get(node.driver);
      if (!state || state.final) continue;
      for (const [t, target] of Object.entries(state.on)) {
        const otherState = node.other === null ? undefined : otherStates.get(node.other);
        const otherTarget = otherState && !otherState.final ? (otherState.on[t] ?? null) : null;
        const key = `${target}\u0000${String(otherTarget)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        next.push({ driver: target, other: otherTarget, path: [...node.path, t] });
      }
    }
    frontier = next;
  }
  return undefined;
}

/**
 * When both lifecycles follow `path` but end in different states, the shortest continuation the
 * old lifecycle allows and the new one does not (so the witness shows a rejection); else `path`.
 */
function extendToRejection(oldLc: Lifecycle, newLc: Lifecycle, path: string[]): string[] {
  const from = followTransitions(oldLc, path);
  const to = followTransitions(newLc, path);
  if (from === null || to === null || from === to) return path;
  const shifted = { ...oldLc, initial: from };
  const hit = searchProduct(shifted, { ...newLc, initial: to }, (n) => {
    const s = stateMap(oldLc).get(n.driver);
    const o = n.other === null ? undefined : stateMap(newLc).get(n.other);
    return n.other !== null && !!s && !s.final && Object.keys(s.on).some((t) => !o || o.final || o.on[t] === undefined);
  });
  if (hit?.other == null) return path;
  const s = stateMap(oldLc).get(hit.driver)!;
  const o = stateMap(newLc).get(hit.other);
  const t = Object.keys(s.on).find((x) => !o || o.final || o.on[x] === undefined)!;
  return [...path, ...hit.path, t];
}

function witnessOf(
  oldLc: Lifecycle,
  newLc: Lifecycle,
  transitions: string[],
  acceptedBy: ContractSide,
  event?: { name: string; oldStates: string[]; newStates: string[] },
): TransitionsWitness {
  if (acceptedBy === "old" && !event) transitions = extendToRejection(oldLc, newLc, transitions);
  const oldState = followTransitions(oldLc, transitions);
  const newState = followTransitions(newLc, transitions);
  const allowed = (state: string | null, states: string[] | undefined) => state !== null && (states === undefined || states.includes(state));
  const oldOk = allowed(oldState, event?.oldStates);
  const newOk = allowed(newState, event?.newStates);
  const rejectedBy: ContractSide | undefined = acceptedBy === "old" ? (newOk ? undefined : "new") : oldOk ? undefined : "old";
  return { kind: "transitions", transitions, ...(event ? { event: event.name } : {}), oldState, newState, acceptedBy, ...(rejectedBy ? { rejectedBy } : {}) };
}

function describePath(transitions: readonly string[]): string {
  return transitions.length ? transitions.join(" -> ") : "(no transition)";
}

export function diffLifecycle(oldContract: Contract, newContract: Contract): LifecycleChange[] {
  const oldLc = oldContract.lifecycle;
  const newLc = newContract.lifecycle;
  const oldStates = stateMap(oldLc);
  const newStates = stateMap(newLc);
  const changes: LifecycleChange[] = [];
  const pathTo = (state: string) => searchProduct(oldLc, newLc, (n) => n.driver === state)?.path;

  if (oldLc.initial !== newLc.initial) {
    // A shortest path the old lifecycle allows and the new one does not.
    const hit = searchProduct(oldLc, newLc, (n) => {
      const s = oldStates.get(n.driver)!;
      if (n.other === null) return true;
      const o = newStates.get(n.other);
      return !s.final && Object.keys(s.on).some((t) => !o || o.final || o.on[t] === undefined);
    });
    let transitions: string[] = [];
    if (hit) {
      transitions = [...hit.path];
      if (hit.other !== null) {
        const s = oldStates.get(hit.driver)!;
        const o = newStates.get(hit.other);
        transitions.push(Object.keys(s.on).find((t) => !o || o.final || o.on[t] === undefined)!);
      }
    }
    changes.push({
      rule: "initial-state-changed",
      path: ["lifecycle", "initial"],
      message: `the initial state changed from "${oldLc.initial}" to "${newLc.initial}"`,
      witness: witnessOf(oldLc, newLc, transitions, "old"),
    });
  }

  for (const state of oldLc.states) {
    if (newStates.has(state.name)) continue;
    const path = pathTo(state.name) ?? [];
    changes.push({
      rule: "state-removed",
      path: ["lifecycle", "states", state.name],
      message: `state "${state.name}" was removed`,
      witness: witnessOf(oldLc, newLc, path, "old"),
    });
  }

  for (const state of newLc.states) {
    if (oldStates.has(state.name)) continue;
    const behind = statesBehind(newLc, state.name).filter((s) => oldStates.has(s) && s !== state.name);
    // It only matters when an old path to a state behind it no longer gets there (rejected, or
    // ending elsewhere): a renamed state (a -go-> b -stop-> z  becoming  a -go-> c -stop-> z) stands
    // on every path to z, yet every old path still leads where it did (the rename is reported as
    // state-removed and transition-target-changed).
    const cut = behind.length ? searchProduct(oldLc, newLc, (n) => behind.includes(n.driver) && n.other !== n.driver) : undefined;
    if (cut) {
      const now = cut.other === null ? "is rejected" : `now ends in "${cut.other}"`;
      changes.push({
        rule: "mandatory-state-inserted",
        path: ["lifecycle", "states", state.name],
        message: `new state "${state.name}" now lies on every path to ${behind.map((s) => `"${s}"`).join(", ")} (the old path ${describePath(cut.path)} to "${cut.driver}" ${now})`,
        witness: witnessOf(oldLc, newLc, cut.path, "old"),
      });
    } else {
      changes.push({ rule: "state-added", path: ["lifecycle", "states", state.name], message: `state "${state.name}" was added` });
    }
  }

  for (const state of oldLc.states) {
    const now = newStates.get(state.name);
    if (!now) continue;
    const base = ["lifecycle", "states", state.name];
    if (!state.final && now.final) {
      const hit =
        searchProduct(oldLc, newLc, (n) => n.driver === state.name && n.other === state.name) ?? searchProduct(oldLc, newLc, (n) => n.driver === state.name);
      const first = Object.keys(state.on)[0];
      const path = hit ? [...hit.path, ...(first ? [first] : [])] : [];
      changes.push({
        rule: "state-made-final",
        path: [...base, "final"],
        message: `state "${state.name}" is now final`,
        witness: witnessOf(oldLc, newLc, path, "old"),
      });
    } else if (state.final && !now.final) {
      changes.push({ rule: "state-made-non-final", path: [...base, "final"], message: `state "${state.name}" is no longer final` });
    }
    for (const [t, target] of Object.entries(state.on)) {
      const newTarget = now.on[t];
      if (newTarget === undefined) {
        const hit =
          searchProduct(oldLc, newLc, (n) => n.driver === state.name && n.other !== null && newStates.get(n.other)?.on[t] === undefined) ??
          searchProduct(oldLc, newLc, (n) => n.driver === state.name);
        changes.push({
          rule: "transition-removed",
          path: [...base, "on", t],
          message: `transition "${t}" from "${state.name}" (to "${target}") was removed`,
          witness: witnessOf(oldLc, newLc, [...(hit?.path ?? []), t], "old"),
        });
      } else if (newTarget !== target) {
        const hit =
          searchProduct(oldLc, newLc, (n) => n.driver === state.name && n.other === state.name) ?? searchProduct(oldLc, newLc, (n) => n.driver === state.name);
        changes.push({
          rule: "transition-target-changed",
          path: [...base, "on", t],
          message: `transition "${t}" from "${state.name}" now leads to "${newTarget}" instead of "${target}"`,
          witness: witnessOf(oldLc, newLc, [...(hit?.path ?? []), t], "old"),
        });
      }
    }
    for (const t of Object.keys(now.on)) {
      if (state.on[t] === undefined) {
        changes.push({ rule: "transition-added", path: [...base, "on", t], message: `transition "${t}" from "${state.name}" to "${now.on[t]!}" was added` });
      }
    }
  }
  return changes;
}

/** States that become unreachable from the initial state when `state` is taken out. */
function statesBehind(lifecycle: Lifecycle, state: string): string[] {
  if (lifecycle.initial === state) return [];
  const states = stateMap(lifecycle);
  const reach = (skip?: string) => reachable([lifecycle.initial], (from) => Object.values(states.get(from)?.on ?? {}).filter((target) => target !== skip));
  const all = reach();
  const without = reach(state);
  return lifecycle.states.map((s) => s.name).filter((s) => all.has(s) && !without.has(s));
}

/** Changes to the states an event may be sent in (states present in both lifecycles only). */
export function diffEventStates(oldContract: Contract, newContract: Contract, oldEvent: ContractEvent, newEvent: ContractEvent): LifecycleChange[] {
  const oldLc = oldContract.lifecycle;
  const newLc = newContract.lifecycle;
  const inBoth = (s: string) => oldLc.states.some((x) => x.name === s) && newLc.states.some((x) => x.name === s);
  const removed = oldEvent.states.filter((s) => !newEvent.states.includes(s) && inBoth(s));
  const added = newEvent.states.filter((s) => !oldEvent.states.includes(s) && inBoth(s));
  const event = { name: newEvent.name, oldStates: oldEvent.states, newStates: newEvent.states };
  const changes: LifecycleChange[] = [];
  const path = ["events", newEvent.name, "states"];
  if (removed.length) {
    const hit =
      searchProduct(oldLc, newLc, (n) => oldEvent.states.includes(n.driver) && n.other !== null && !newEvent.states.includes(n.other)) ??
      searchProduct(oldLc, newLc, (n) => removed.includes(n.driver));
    changes.push({
      rule: "event-states-narrowed",
      path,
      event: newEvent.name,
      message: `event "${newEvent.name}" may no longer be sent in ${removed.map((s) => `"${s}"`).join(", ")}`,
      ...(hit ? { witness: witnessOf(oldLc, newLc, hit.path, "old", event) } : {}),
    });
  }
  if (added.length) {
    const hit =
      searchProduct(newLc, oldLc, (n) => newEvent.states.includes(n.driver) && n.other !== null && !oldEvent.states.includes(n.other)) ??
      searchProduct(newLc, oldLc, (n) => added.includes(n.driver));
    changes.push({
      rule: "event-states-widened",
      path,
      event: newEvent.name,
      message: `event "${newEvent.name}" may now also be sent in ${added.map((s) => `"${s}"`).join(", ")}`,
      ...(hit ? { witness: witnessOf(oldLc, newLc, hit.path, "new", event) } : {}),
    });
  }
  return changes;
}

export { describePath };
