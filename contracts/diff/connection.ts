/**
 * Changes to how a connection ends and who moves it: close codes, out-of-state policies, the
 * invalid-message code, state timeouts, transitions an event takes, and `states: "*"`. Witnesses
 * are a shortest path of transitions to a state both lifecycles reach, and what the client does
 * there (sends the event, stays), with each server's answer.
 */
import type { DiffRuleId } from "./change-kinds.js";
import type { CloseCode, CloseCodeRef, Contract, ContractEvent, ContractState, OutOfStatePolicy } from "../model.js";
import { followTransitions } from "./lifecycle.js";
import type { ConnectionOutcome, ConnectionWitness } from "./witness.js";

export interface ConnectionChange {
  rule: DiffRuleId;
  path: (string | number)[];
  message: string;
  /** For event rules: the event, whose direction decides the kind. */
  event?: ContractEvent;
  /** Where to locate it when `path` does not exist in the new contract. */
  at?: (string | number)[];
  witness?: ConnectionWitness;
}

/** The default an undeclared policy or invalid code stands for (see check-inbound.ts). */
const DEFAULT_CLOSE: CloseCodeRef = { code: 1008, name: "policy_violation" };

function closeText(close: CloseCodeRef): string {
  return `${close.code} "${close.name}"`;
}

function outcomeOf(policy: OutOfStatePolicy): ConnectionOutcome {
  return policy.action === "hold" ? { outcome: "held" } : { outcome: "closed", code: policy.close.code, name: policy.close.name };
}

/**
 * A shortest path of transitions (by the new lifecycle) to a state that both lifecycles reach on the
 * same path and that satisfies `goal` there.
 */
export function pathToState(
  oldContract: Contract,
  newContract: Contract,
  goal: (state: ContractState) => boolean,
): { transitions: string[]; state: string } | undefined {
  const states = new Map(newContract.lifecycle.states.map((s) => [s.name, s]));
  const start = newContract.lifecycle.initial;
  const seen = new Set([start]);
  let frontier: { state: string; transitions: string[] }[] = [{ state: start, transitions: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const node of frontier) {
      const state = states.get(node.state);
      if (!state) continue;
      if (goal(state) && followTransitions(oldContract.lifecycle, node.transitions) === node.state) return node;
      if (state.final) continue;
      for (const [transition, target] of Object.entries(state.on)) {
        if (seen.has(target)) continue;
        seen.add(target);
        next.push({ state: target, transitions: [...node.transitions, transition] });
      }
    }
    frontier = next;
  }
  return undefined;
}

export function diffConnection(oldContract: Contract, newContract: Contract): ConnectionChange[] {
  const changes: ConnectionChange[] = [];
  diffCloseCodes(oldContract.closeCodes ?? [], newContract.closeCodes ?? [], changes);

  const oldInvalid = oldContract.invalidClose ?? DEFAULT_CLOSE;
  const newInvalid = newContract.invalidClose ?? DEFAULT_CLOSE;
  if (oldInvalid.code !== newInvalid.code) {
    changes.push({
      rule: "invalid-close-code-changed",
      path: ["inbound", "invalid"],
      at: ["inbound"],
      message: `a client message that is not valid now closes the connection with ${closeText(newInvalid)} instead of ${closeText(oldInvalid)}`,
    });
  }

  // Reported where a contract declares it; a code that follows `inbound.invalid` in both is reported above.
  const oldWrong = oldContract.wrongDirectionClose ?? oldInvalid;
  const newWrong = newContract.wrongDirectionClose ?? newInvalid;
  if (oldWrong.code !== newWrong.code && (oldContract.wrongDirectionClose || newContract.wrongDirectionClose)) {
    // Witness: in the initial state (both lifecycles start somewhere), the client sends a valid
    // message of an event only the server sends in both contracts.
    const event = newContract.events.find(
      (e) => e.direction === "server-to-client" && oldContract.events.some((o) => o.name === e.name && o.direction === "server-to-client"),
    );
    const start = event && pathToState(oldContract, newContract, () => true);
    changes.push({
      rule: "wrong-direction-close-code-changed",
      path: ["inbound", "wrongDirection"],
      at: newContract.wrongDirectionClose ? ["inbound", "wrongDirection"] : ["inbound"],
      message: `a client message of an event only the server sends now closes the connection with ${closeText(newWrong)} instead of ${closeText(oldWrong)}`,
      ...(event && start
        ? {
            witness: {
              kind: "connection",
              transitions: start.transitions,
              state: start.state,
              event: event.name,
              old: { outcome: "closed", code: oldWrong.code, name: oldWrong.name },
              new: { outcome: "closed", code: newWrong.code, name: newWrong.name },
            },
          }
        : {}),
    });
  }

  const oldStates = new Map(oldContract.lifecycle.states.map((s) => [s.name, s]));
  for (const state of newContract.lifecycle.states) {
    const before = oldStates.get(state.name);
    if (!before) continue;
    diffTimeout(oldContract, newContract, before, state, changes);
    for (const transition of Object.keys(state.on)) {
      if (before.on[transition] === undefined) continue;
      const was = before.onEvent?.[transition];
      const now = state.onEvent?.[transition];
      if (was === now) continue;
      const what =
        was === undefined
          ? `is now taken when "${String(now)}" passes`
          : now === undefined
            ? `is no longer taken when "${was}" passes`
            : `is now taken when "${now}" passes instead of "${was}"`;
      changes.push({
        rule: "transition-event-changed",
        path: ["lifecycle", "states", state.name, "on", transition],
        message: `transition "${transition}" from "${state.name}" ${what}`,
      });
    }
  }

  const oldEvents = new Map(oldContract.events.map((e) => [e.name, e]));
  for (const event of newContract.events) {
    const before = oldEvents.get(event.name);
    if (!before) continue;
    const path = ["events", event.name];
    if (!before.allStates && event.allStates) {
      changes.push({
        rule: "event-states-to-wildcard",
        path: [...path, "states"],
        event,
        message: `event "${event.name}" is now allowed in every non-final state ("*")`,
      });
    } else if (before.allStates && !event.allStates) {
      changes.push({
        rule: "event-states-from-wildcard",
        path: [...path, "states"],
        event,
        message: `event "${event.name}" now lists its states instead of "*"`,
      });
    }
    diffPolicy(oldContract, newContract, before, event, changes);
  }
  return changes;
}

function diffCloseCodes(oldCodes: readonly CloseCode[], newCodes: readonly CloseCode[], changes: ConnectionChange[]): void {
  const newByName = new Map(newCodes.map((c) => [c.name, c]));
  const oldByName = new Map(oldCodes.map((c) => [c.name, c]));
  const newByCode = new Map(newCodes.map((c) => [c.code, c]));
  const matched = new Set<CloseCode>();
  for (const code of oldCodes) {
    const sameName = newByName.get(code.name);
    if (sameName) {
      matched.add(sameName);
      if (sameName.code !== code.code) {
        changes.push({
          rule: "close-code-renumbered",
          path: ["closeCodes", String(sameName.code), "name"],
          message: `close code "${code.name}" is now ${sameName.code} (was ${code.code})`,
        });
      }
      continue;
    }
    const sameCode = newByCode.get(code.code);
    if (sameCode && !oldByName.has(sameCode.name)) {
      matched.add(sameCode);
      changes.push({
        rule: "close-code-renamed",
        path: ["closeCodes", String(code.code), "name"],
        message: `close code ${code.code} is now named "${sameCode.name}" (was "${code.name}")`,
      });
      continue;
    }
    changes.push({
      rule: "close-code-removed",
      path: ["closeCodes", String(code.code)],
      at: ["closeCodes"],
      message: `close code ${closeText(code)} was removed`,
    });
  }
  for (const code of newCodes) {
    if (!matched.has(code))
      changes.push({ rule: "close-code-added", path: ["closeCodes", String(code.code)], message: `close code ${closeText(code)} was added` });
  }
}

function diffTimeout(oldContract: Contract, newContract: Contract, before: ContractState, state: ContractState, changes: ConnectionChange[]): void {
  const was = before.timeout;
  const now = state.timeout;
  const path = ["lifecycle", "states", state.name, "timeout"];
  const witness = (stayMs: number, oldOutcome: ConnectionOutcome, newOutcome: ConnectionOutcome): ConnectionWitness | undefined => {
    const found = pathToState(oldContract, newContract, (s) => s.name === state.name);
    return found && { kind: "connection", transitions: found.transitions, state: state.name, stayMs, old: oldOutcome, new: newOutcome };
  };
  const closed = (close: CloseCodeRef): ConnectionOutcome => ({ outcome: "closed", code: close.code, name: close.name });
  if (!was && now) {
    changes.push({
      rule: "timeout-added",
      path,
      message: `state "${state.name}" now times out after ${now.after} (closing with ${closeText(now.close)})`,
      witness: witness(now.ms, { outcome: "open" }, closed(now.close)),
    });
    return;
  }
  if (was && !now) {
    changes.push({
      rule: "timeout-removed",
      path,
      at: ["lifecycle", "states", state.name],
      message: `state "${state.name}" no longer times out (was ${was.after})`,
    });
    return;
  }
  if (!was || !now) return;
  if (now.ms < was.ms) {
    changes.push({
      rule: "timeout-shortened",
      path: [...path, "after"],
      message: `state "${state.name}" now times out after ${now.after} (was ${was.after})`,
      witness: witness(now.ms, { outcome: "open" }, closed(now.close)),
    });
  } else if (now.ms > was.ms) {
    changes.push({
      rule: "timeout-lengthened",
      path: [...path, "after"],
      message: `state "${state.name}" now times out after ${now.after} (was ${was.after})`,
    });
  }
  if (now.close.code !== was.close.code) {
    const stay = Math.max(now.ms, was.ms);
    changes.push({
      rule: "timeout-close-code-changed",
      path: [...path, "close"],
      message: `the timeout of state "${state.name}" now closes with ${closeText(now.close)} instead of ${closeText(was.close)}`,
      witness: witness(stay, closed(was.close), closed(now.close)),
    });
  }
}

function diffPolicy(oldContract: Contract, newContract: Contract, before: ContractEvent, event: ContractEvent, changes: ConnectionChange[]): void {
  const was = before.outOfState;
  const now = event.outOfState;
  if (!was || !now) return; // the event is not sent by clients on one side: the direction rules report it
  const path = ["events", event.name, "outOfState"];
  const at = event.outOfStateDeclared ? path : ["events", event.name];
  // A state both lifecycles reach on one path, where neither contract allows the event: there the policies answer.
  const witness = (): ConnectionWitness | undefined => {
    const found = pathToState(oldContract, newContract, (s) => !s.final && !event.states.includes(s.name) && !before.states.includes(s.name));
    return found && { kind: "connection", transitions: found.transitions, state: found.state, event: event.name, old: outcomeOf(was), new: outcomeOf(now) };
  };
  const own = (declared: boolean | undefined) => (declared ? "" : " (the contract's default)");
  if (was.action === "hold" && now.action === "reject") {
    changes.push({
      rule: "out-of-state-hold-to-reject",
      path,
      at,
      event,
      message: `event "${event.name}" out of state is now rejected with ${closeText(now.close)}${own(event.outOfStateDeclared)} (was held)`,
      witness: witness(),
    });
  } else if (was.action === "reject" && now.action === "hold") {
    changes.push({
      rule: "out-of-state-reject-to-hold",
      path,
      at,
      event,
      message: `event "${event.name}" out of state is now held${own(event.outOfStateDeclared)} (was rejected with ${closeText(was.close)})`,
    });
  } else if (was.action === "reject" && now.action === "reject" && was.close.code !== now.close.code) {
    changes.push({
      rule: "out-of-state-close-code-changed",
      path,
      at,
      event,
      message: `event "${event.name}" out of state is now rejected with ${closeText(now.close)}${own(event.outOfStateDeclared)} (was ${closeText(was.close)})`,
      witness: witness(),
    });
  }
}
