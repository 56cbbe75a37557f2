import type { Check } from "./define-check.js";
import contractEvent from "./contract-event/index.js";
import dualInterface from "./dual-interface/index.js";
import lifecycleOrder from "./lifecycle-order/index.js";
import liskovOverride from "./liskov-override/index.js";
import permissiveMock from "./permissive-mock/index.js";
import type { RuleId } from "./rule-ids.js";
import silentEmitDrop from "./silent-emit-drop/index.js";
import unawaitedFactory from "./unawaited-factory/index.js";

/**
 * The registry: every check, keyed by its rule id. RULE_IDS (rule-ids.ts) is the one list of ids; this
 * object must hold exactly those keys, each with the check whose `id` is that key, or the build fails.
 * The CLI, the ESLint plugin, SARIF's rule descriptors and the docs meta-test all read it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check's options type is its own zod schema's
type Registry = { [Id in RuleId]: Check<string, any, Id> };

export const checks: Registry = {
  "dual-interface": dualInterface,
  "liskov-override": liskovOverride,
  "unawaited-factory": unawaitedFactory,
  "silent-emit-drop": silentEmitDrop,
  "permissive-mock": permissiveMock,
  "lifecycle-order": lifecycleOrder,
  "contract-event": contractEvent,
};
