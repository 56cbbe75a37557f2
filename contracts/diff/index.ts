/** `covenant diff`: direction-aware breaking-change detection between two versions of a contract. */
export { diffContracts, type DiffChange, type DiffResult } from "./diff-contracts.js";
export { breakingSides, type ChangeKind, diffRuleIds, diffRules, type DiffRule, type DiffRuleId, kindOf, type Side, sidesOf } from "./change-kinds.js";
export { assessVersion, versionBump, type VersionBump, type VersionVerdict } from "./semver.js";
export { describeWitness, type DiffMarkdownOptions, type DiffReportEntry, formatDiffJson, formatDiffMarkdown, formatDiffMarkdownReport, formatDiffStylish, formatVersionVerdicts, toDiffJson } from "./format.js";
export { type MessageWitness, type RunWitness, type TransitionsWitness, type Witness, wireSchema } from "./witness.js";
