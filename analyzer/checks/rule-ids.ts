import { repositoryFileUrl } from "../../common/package.js";

/** Every rule id covenant knows, in the order PRODUCT.md lists them. */
export const RULE_IDS = [
  "dual-interface",
  "liskov-override",
  "unawaited-factory",
  "silent-emit-drop",
  "permissive-mock",
  "lifecycle-order",
  "contract-event",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** A finding's severity; a rule's setting may also be "off". */
export type Severity = "error" | "warn";

/** Ids of findings the engine itself reports (not checks). */
export const ENGINE_RULE_IDS = ["internal-error", "invalid-suppression", "unused-suppression"] as const;
export type EngineRuleId = (typeof ENGINE_RULE_IDS)[number];

/** The rule docs, in the repository package.json names. */
export const DOCS_BASE_URL = repositoryFileUrl("docs/rules/");

export function getDocsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}
