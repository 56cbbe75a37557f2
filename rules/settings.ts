import path from "node:path";
import picomatch from "picomatch";
import { z } from "zod";
import type { CheckSettings } from "../analyzer/checks/define-check.js";
import { configSchema } from "../analyzer/config/config.schema.js";

/**
 * ESLint shared settings under `settings.covenant`: the part of `covenant.config.json` that the
 * no-config rules read, with the config file's own schemas (so the keys mean the same in both).
 * `tests` globs (default: the config's DEFAULT_TEST_GLOBS) are relative to ESLint's cwd here (to the
 * config file's folder in the CLI).
 */
export const eslintSettingsSchema = z.strictObject({
  tests: configSchema.shape.tests,
  migrations: configSchema.shape.migrations,
});

export type EslintSettings = z.infer<typeof eslintSettingsSchema>;

const cache = new WeakMap<object, EslintSettings>();

/** Validates `settings.covenant`; throws an Error that names the bad key and says what to write. */
export function parseEslintSettings(raw: unknown): EslintSettings {
  if (raw === undefined) return eslintSettingsSchema.parse({});
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
  const isMatch = settings.tests.length ? picomatch(settings.tests, { dot: true }) : () => false;
  return {
    isTestFile(fileName) {
      let rel = toPosix(path.relative(cwd, fileName));
      if ((rel.startsWith("../") || path.isAbsolute(rel)) && fallbackRoot) rel = toPosix(path.relative(fallbackRoot, fileName));
      return isMatch(rel);
    },
    migrations: settings.migrations,
    contracts: [],
  };
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
