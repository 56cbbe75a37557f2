export { checks } from "./analyzer/checks/index.js";
export { RULE_IDS, type RuleId } from "./analyzer/checks/rule-ids.js";
export type { Finding, Location, Severity } from "./analyzer/engine/finding.js";
export { runCheck, type RunCheckOptions } from "./analyzer/engine/run-check.js";
export type { Report, RuleInfo, Summary } from "./analyzer/engine/report.js";
export { reporters, type FormatName } from "./analyzer/report/index.js";
