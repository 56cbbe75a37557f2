import path from "node:path";
import picomatch from "picomatch";
import { z } from "zod";
import type { CheckSettings } from "../analyzer/checks/define-check.js";
import { configSchema } from "../analyzer/config/config.schema.js";
import { type ContractSetting, loadContractSettings } from "../analyzer/config/contract-settings.js";
import { CovenantError, formatProblem } from "../common/errors.js";
import { toPosix } from "../common/strings.js";

/**
 * ESLint shared settings under `settings.covenant`: the part of `covenant.config.json` that the
 * rules read (`contracts` and `bindings` for lifecycle-order and contract-event), with the config
 * file's own schemas (so the keys mean the same in both).
 * `tests` globs (default: the config's DEFAULT_TEST_GLOBS) are relative to ESLint's cwd here (to the
 * config file's folder in the CLI).
 */
export const eslintSettingsSchema = z.strictObject({
  tests: configSchema.shape.tests,
  migrations: configSchema.shape.migrations,
  // lifecycle-order and contract-event: contract globs relative to ESLint's cwd (absolute paths work too).
  contracts: configSchema.shape.contracts,
  bindings: configSchema.shape.bindings,
});

export type EslintSettings = z.infer<typeof eslintSettingsSchema>;

const cache = new WeakMap<object, EslintSettings>();
let defaultSettings: EslintSettings | undefined;

/** Validates `settings.covenant`; throws an Error that names the bad key and says what to write. */
export function parseEslintSettings(raw: unknown): EslintSettings {
  // Every rule on every file asks: the defaults are parsed once, as a given settings object is.
  if (raw === undefined) return (defaultSettings ??= eslintSettingsSchema.parse({}));
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
        `Expected { tests?: string[], migrations?: { from: string, to: string }[], contracts?: string[], bindings?: { <contract>: { transitions?, operations?, emits?, handlers? } } } (the same keys as covenant.config.json).`,
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
  // Built once per settings object, cwd and tsconfig folder, not per rule and file: compiling the test globs
  // (picomatch) for each of them was most of the adapter's own time in a lint run.
  let byRoot = checkSettingsCache.get(settings);
  if (!byRoot) checkSettingsCache.set(settings, (byRoot = new Map<string, CheckSettings>()));
  const key = `${cwd}\0${fallbackRoot ?? ""}`;
  let built = byRoot.get(key);
  if (!built) byRoot.set(key, (built = buildCheckSettings(settings, cwd, fallbackRoot)));
  return built;
}

const checkSettingsCache = new WeakMap<EslintSettings, Map<string, CheckSettings>>();

function buildCheckSettings(settings: EslintSettings, cwd: string, fallbackRoot: string | undefined): CheckSettings {
  const isMatch = settings.tests.length ? picomatch(settings.tests, { dot: true }) : () => false;
  return {
    isTestFile(fileName) {
      let rel = toPosix(path.relative(cwd, fileName));
      if ((rel.startsWith("../") || path.isAbsolute(rel)) && fallbackRoot) rel = toPosix(path.relative(fallbackRoot, fileName));
      return isMatch(rel);
    },
    migrations: settings.migrations,
    contracts: getContractSettings(settings, cwd),
  };
}

const contractCache = new WeakMap<EslintSettings, Map<string, ContractSetting[]>>();

/**
 * The contracts `settings.covenant.contracts` names, loaded and checked against their bindings once
 * per settings object and cwd. An invalid contract or binding throws an Error naming the file, line
 * and column, as `covenant check` reports it.
 */
export function getContractSettings(settings: EslintSettings, cwd: string): ContractSetting[] {
  if (settings.contracts.length === 0 && Object.keys(settings.bindings).length === 0) return [];
  let byCwd = contractCache.get(settings);
  if (!byCwd) {
    byCwd = new Map();
    contractCache.set(settings, byCwd);
  }
  let loaded = byCwd.get(cwd);
  if (!loaded) {
    try {
      loaded = loadContractSettings({ dir: cwd, contracts: settings.contracts, bindings: settings.bindings });
    } catch (error) {
      if (!(error instanceof CovenantError)) throw error;
      throw new Error(
        `covenant: settings.covenant names contracts or bindings covenant cannot use:\n${error.problems.map((p) => `  ${formatProblem(p, cwd)}`).join("\n")}`,
      );
    }
    byCwd.set(cwd, loaded);
  }
  return loaded;
}
