import * as tsParser from "@typescript-eslint/parser";
import type { ESLint, Linter } from "eslint";
import { checks } from "../analyzer/checks/index.js";
import { PACKAGE } from "../common/package.js";
import { RULE_IDS } from "../analyzer/checks/rule-ids.js";
import { type CovenantRuleModule, toEslintRule } from "./to-eslint-rule.js";

/**
 * The rules the plugin registers: every check of the registry. `lifecycle-order` and `contract-event`
 * need contracts and their bindings, named in `settings.covenant` (`contracts`, `bindings`: the keys of
 * covenant.config.json); without them they report nothing.
 */
export const ESLINT_RULE_IDS = RULE_IDS;

export type EslintRuleId = (typeof ESLINT_RULE_IDS)[number];

const rules = Object.fromEntries(ESLINT_RULE_IDS.map((id) => [id, toEslintRule(checks[id])])) as CovenantPlugin["rules"];

/**
 * Typed with ESLint's own types, so `defineConfig([covenant.configs.recommended])` and
 * `plugins: { covenant }` type-check in an `eslint.config.ts`; the rules keep typescript-eslint's
 * richer RuleModule type.
 */
export interface CovenantPlugin extends ESLint.Plugin {
  meta: { name: string; version: string };
  rules: Record<EslintRuleId, CovenantRuleModule & NonNullable<ESLint.Plugin["rules"]>[string]>;
  configs: { recommended: Linter.Config };
}

const plugin: CovenantPlugin = {
  meta: { name: `${PACKAGE.name}/eslint-plugin`, version: PACKAGE.version },
  rules,
  configs: {} as CovenantPlugin["configs"],
};

/**
 * Every rule at its PRODUCT.md default severity, for TypeScript files, with typed linting through
 * typescript-eslint's project service. Set `parserOptions.tsconfigRootDir` in your own config when
 * ESLint runs from another directory than the one that holds your tsconfig.json.
 */
plugin.configs.recommended = {
  name: "covenant/recommended",
  files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
  plugins: { covenant: plugin },
  languageOptions: {
    parser: tsParser,
    parserOptions: { projectService: true },
  },
  rules: Object.fromEntries(ESLINT_RULE_IDS.map((id) => [`covenant/${id}`, checks[id].meta.defaultSeverity])),
};

export default plugin;
