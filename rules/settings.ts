import path from "node:path";
import picomatch from "picomatch";
import { z } from "zod";
import type { CheckSettings } from "../analyzer/checks/define-check.js";

/** The default `tests` globs (PRODUCT.md / issue 4): which files permissive-mock treats as tests. */
export const DEFAULT_TEST_GLOBS = ["**/*.test.ts", "**/*.spec.ts", "test/**", "**/__tests__/**"] as const;

/**
 * ESLint shared settings under `settings.covenant`: the part of `covenant.config.json` that the
 * no-config rules read. Same keys and meaning as the config file.
 */
export const eslintSettingsSchema = z.strictObject({
  tests: z
    .array(z.string().min(1))
    .optional()
    .describe("Globs (relative to ESLint's cwd) of test files, for permissive-mock. Default: **/*.test.ts, **/*.spec.ts, test/**, **/__tests__/**."),
  migrations: z
    .array(z.strictObject({ from: z.string().min(1), to: z.string().min(1) }))
    .optional()
    .describe("API migrations in progress: any use of `from` is reported by dual-interface."),
});

export type EslintSettings = z.infer<typeof eslintSettingsSchema>;

const cache = new WeakMap<object, EslintSettings>();

/** Validates `settings.covenant`; throws an Error that names the bad key and says what to write. */
export function parseEslintSettings(raw: unknown): EslintSettings {
  if (raw === undefined) return {};
  if (raw !== null && typeof raw === "object") {
    const hit = cache.get(raw);
    if (hit) return hit;
  }
  const result = eslintSettingsSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => {
      const at = ["settings", "covenant", ...i.path.map(String)].join(".");
      return `  ✖ ${i.message}\n    → at ${at}`;
    });
    throw new Error(
      `covenant: invalid ESLint settings.covenant:\n${issues.join("\n")}\n` +
        `Expected { tests?: string[], migrations?: { from: string, to: string }[] } (the same keys as covenant.config.json).`,
    );
  }
  if (raw !== null && typeof raw === "object") cache.set(raw, result.data);
  return result.data;
}

/**
 * Builds the CheckSettings a check sees from ESLint's settings. Test globs match the file's path
 * relative to ESLint's cwd; a file outside the cwd is matched relative to `fallbackRoot` (the
 * directory of the tsconfig that owns it).
 */
export function toCheckSettings(settings: EslintSettings, cwd: string, fallbackRoot: string | undefined): CheckSettings {
  const isMatch = picomatch([...(settings.tests ?? DEFAULT_TEST_GLOBS)], { dot: true });
  return {
    isTestFile(fileName) {
      let rel = toPosix(path.relative(cwd, fileName));
      if ((rel.startsWith("../") || path.isAbsolute(rel)) && fallbackRoot) rel = toPosix(path.relative(fallbackRoot, fileName));
      return isMatch(rel);
    },
    migrations: settings.migrations ?? [],
    contracts: [],
  };
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
