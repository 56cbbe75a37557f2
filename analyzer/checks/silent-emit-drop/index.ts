import { ts } from "../typescript.js";
import { defineCheck, noOptions } from "../define-check.js";
import { describeCall, getEmissionCall, getEmissionSymbol, isValueDiscarded } from "../shared/emissions.js";
import { describeNode } from "../shared/text.js";
import { skipParentheses } from "../shared/nodes.js";
import { findNarrowingGuard, findOptionalReceiver, isOptionalCallback } from "./emission-guards.js";
import { isNullableType } from "../shared/promises.js";
import { isAssertedPresentBefore, isEmitOnEventSourceItself } from "./event-sources.js";
import { isKeptByReceiver } from "./receiver-only.js";
import { isRetriedOnArrival } from "./retried-emissions.js";

/**
 * silent-emit-drop: an emission call (`emit*`, `notify*`, `send*`, `publish*`, `dispatch*`) on a
 * receiver that may be null/undefined, kept from running only by `?.`, an `if`/`&&`/`?:` with no
 * else, or a bare `if (!x) return;`, with its value thrown away: when the receiver is missing the
 * event disappears and nothing says so. Not reported: `emit` on a local or parameter that is itself
 * the event source (its type takes listeners: nobody can listen to a missing source), a `?.`
 * on a receiver the same function already asserted present with `!`, an emission the class runs
 * again once the receiver is assigned (deferred, not dropped), and an argument-free notification
 * whose visible implementation reaches nobody but the receiver.
 */
export default defineCheck({
  id: "silent-emit-drop",
  meta: {
    description: "Reports emission calls on a possibly missing receiver that are skipped without a trace (`?.`, an `if` with no else).",
    defaultSeverity: "warn",
  },
  messages: {
    optionalReceiver:
      "`{call}` does nothing when `{receiver}` is null or undefined, so the event is dropped without a trace. Handle the missing `{receiver}` explicitly: throw, log, or queue the event until it exists.",
    ifWithoutElse:
      "`{call}` only runs when a check of `{receiver}` passes, and nothing happens otherwise, so the event is dropped without a trace when `{receiver}` is missing. Add an else branch that throws, logs or queues the event, or make `{receiver}` required.",
    earlyReturn:
      "A bare `return`/`continue`/`break` skips `{call}` when `{receiver}` is missing, so the event is dropped without a trace. Throw or log before leaving, or queue the event until `{receiver}` exists.",
  },
  options: noOptions,
  check({ sourceFile, program, checker, report }) {
    const visit = (node: ts.Node): void => {
      const emission = getEmissionCall(node);
      if (emission && isValueDiscarded(emission.call) && !isOptionalCallback(emission.call, emission.callee, checker)) {
        const optional = findOptionalReceiver(emission.callee, checker);
        const receiver = optional ?? emission.receiver;
        const messageId = optional ? "optionalReceiver" : getSilentGuard(emission.receiver, emission.call, checker);
        const dropsNothing =
          messageId !== undefined &&
          (isEmitOnEventSourceItself(emission.method, skipParentheses(receiver), checker) ||
            (optional !== undefined && isAssertedPresentBefore(optional, emission.call)) ||
            isRetriedOnArrival(receiver, emission.call, checker) ||
            isKeptByReceiver(emission, program, checker));
        if (messageId && !dropsNothing) {
          const symbol = getEmissionSymbol(emission, checker);
          report({
            node: emission.call,
            messageId,
            data: { call: describeCall(emission, sourceFile), receiver: describeNode(receiver, 60, sourceFile) },
            ...(symbol ? { symbol } : {}),
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  },
});

/** A plain `recv.emit()` whose receiver was narrowed from nullable by a guard that has no else. */
function getSilentGuard(receiver: ts.Expression, call: ts.CallExpression, checker: ts.TypeChecker): "ifWithoutElse" | "earlyReturn" | undefined {
  if (isNullableType(checker.getTypeAtLocation(receiver))) return undefined;
  const guard = findNarrowingGuard(call, receiver, checker);
  return guard === "handled" ? undefined : guard;
}
