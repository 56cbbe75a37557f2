import type { Contract, SourcePosition } from "../model.js";
import { walkContractSchemas } from "./schema-walk.js";
import { isEnforcedFormat, isEnforcedKeyword } from "./zod-source.js";

/** Something the generated validators do not check although the contract says it. */
export interface GenerationWarning {
  /** The contract file. */
  file: string;
  /** Where in the contract (for a shared schema from another file: the `$ref` that brought it in). */
  position: SourcePosition;
  message: string;
}

const FIXES: Record<string, string> = {
  unevaluatedProperties: "List the properties and use `additionalProperties` in the same schema instead",
  unevaluatedItems: "Use `prefixItems` with `items` in the same schema instead",
};

/**
 * Keywords and formats in the contract's schemas that the generated zod validators cannot enforce
 * (the JSON Schema bundle still checks them): the two would disagree on some messages, so
 * `generate` says so, at the keyword.
 */
export function findUnenforced(contract: Contract): GenerationWarning[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  walkContractSchemas(contract, (schema, at) => {
    for (const [key, value] of Object.entries(schema)) {
      if (!isEnforcedKeyword(key)) {
        found.push({
          path: [...at, key],
          message: `\`${key}\` is not enforced by the generated validators (zod), only by the JSON Schema bundle, so they accept messages it rejects. ${FIXES[key] ?? "Express the rule with other keywords"}, or validate with the bundle.`,
        });
      }
      if (key === "format" && typeof value === "string" && !isEnforcedFormat(value)) {
        found.push({
          path: [...at, key],
          message: `format \`${value}\` is not checked by the generated validators (zod), only by the JSON Schema bundle. Add a \`pattern\` for it, or validate with the bundle.`,
        });
      }
    }
  });
  const warnings = found.map(({ path, message }) => ({ file: contract.file, position: contract.locate(path), message }));
  return warnings.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
}
