export { checks } from "./analyzer/checks/index.js";
export { RULE_IDS, type RuleId } from "./analyzer/checks/rule-ids.js";
export type { Finding, Location, Severity } from "./analyzer/engine/finding.js";
