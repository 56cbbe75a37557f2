import type { Check } from "./define-check.js";
import contractEvent from "./contract-event/index.js";
import dualInterface from "./dual-interface/index.js";
import lifecycleOrder from "./lifecycle-order/index.js";
import liskovOverride from "./liskov-override/index.js";
import permissiveMock from "./permissive-mock/index.js";
import type { RuleId } from "./rule-ids.js";
import silentEmitDrop from "./silent-emit-drop/index.js";
import unawaitedFactory from "./unawaited-factory/index.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const checks: Record<RuleId, Check<string, any>> = {
  "dual-interface": dualInterface,
  "liskov-override": liskovOverride,
  "unawaited-factory": unawaitedFactory,
  "silent-emit-drop": silentEmitDrop,
  "permissive-mock": permissiveMock,
  "lifecycle-order": lifecycleOrder,
  "contract-event": contractEvent,
};
