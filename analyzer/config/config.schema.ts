import { z } from "zod";
import type { Check } from "../checks/define-check.js";
import { checks as registry } from "../checks/index.js";
import { bindingsSchema } from "../../contracts/bindings/bindings.schema.js";

export const CONFIG_FILE_NAME = "covenant.config.json";

/** Test files, relative to the config file's folder (or the tsconfig's when there is no config). */
export const DEFAULT_TEST_GLOBS = ["**/*.{test,spec}.{ts,tsx,mts,cts}", "**/test/**", "**/tests/**", "**/__tests__/**"];

export const severitySchema = z.enum(["off", "warn", "error"]).describe("off: do not run; warn: report without failing; error: report and exit 1.");

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check's options type is its own zod schema's (a check's `check` takes its options contravariantly)
type AnyCheck = Check<string, any>;

function ruleSettingSchema(check: AnyCheck) {
  return z
    .union([severitySchema, z.tuple([severitySchema, check.options])])
    .optional()
    .describe(`${check.meta.description} Default: "${check.meta.defaultSeverity}". A severity, or [severity, options]. Docs: ${check.meta.docsUrl}`);
}

/** The config schema for a set of checks (the registry by default; tests pass their own). */
export function createConfigSchema(checks: Readonly<Record<string, AnyCheck>> = registry) {
  const rules = Object.fromEntries(
    Object.values(checks)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((check) => [check.id, ruleSettingSchema(check)]),
  );
  return z
    .strictObject({
      $schema: z.string().optional().describe("Path or URL of this JSON Schema, for editor completion."),
      contracts: z.array(z.string().min(1)).default([]).describe("Globs of contract files (*.contract.yaml / *.contract.json), relative to this file."),
      generate: z
        .strictObject({
          outDir: z.string().min(1).optional().describe("Folder generated files are written to, relative to this file. Default: beside each contract."),
          slowPatterns: z
            .enum(["warning", "error"])
            .optional()
            .describe(
              "A `pattern` that can backtrack super-linearly (the generated validators run it on network input): `warning` (default) prints it, `error` fails `covenant generate` (exit 2).",
            ),
        })
        .default({})
        .describe("Settings of `covenant generate`."),
      rules: z.strictObject(rules).default({}).describe("Severity per rule id (off | warn | error), optionally with rule options: [severity, options]."),
      tests: z
        .array(z.string().min(1))
        .default(DEFAULT_TEST_GLOBS)
        .describe("Globs of test files (relative to this file); permissive-mock reports only in these."),
      migrations: z
        .array(
          z.strictObject({
            from: z.string().min(1).describe("The API being migrated away from (a type or member name); any use is reported by dual-interface."),
            to: z.string().min(1).describe("The API that replaces it."),
          }),
        )
        .default([])
        .describe("API migrations in progress: every use of `from` is reported until it is gone."),
      bindings: bindingsSchema.default({}).describe(bindingsSchema.description ?? ""),
      engine: z
        .enum(["auto", "ts6", "ts7"])
        .optional()
        .describe(
          "Which TypeScript `covenant check` analyzes with: `ts6` covenant's TypeScript 6 in process, `ts7` TypeScript 7's native compiler (its JS API), `auto` (default) picks. `--engine` overrides it.",
        ),
    })
    .describe("covenant configuration (covenant.config.json).");
}

export const configSchema = createConfigSchema();

export type RuleSetting = "off" | "warn" | "error" | ["off" | "warn" | "error", unknown];

/** The published JSON Schema of covenant.config.json (schema/config.schema.json), from the zod source. */
export function createConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
}
