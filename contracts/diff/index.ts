/** `covenant diff`: direction-aware breaking-change detection between two versions of a contract. */
export { diffContracts, type DiffChange, type DiffResult } from "./diff-contracts.js";
export { diffRuleIds, diffRules, kindOf } from "./change-kinds.js";
export { formatDiffMarkdown } from "./format.js";
