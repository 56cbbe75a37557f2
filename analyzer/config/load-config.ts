import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { closest } from "../../common/strings.js";
import { joinPath, valueAt } from "../../common/json.js";
import { CovenantError, type Problem } from "../../common/errors.js";
import { MAX_INPUT_FILE_BYTES, readRegularFile, UnsafeFileError } from "../../common/safe-fs.js";
import { findUp } from "../../common/user-files.js";
import type { Check } from "../checks/define-check.js";
import { checks as registry } from "../checks/index.js";
import { CONFIG_FILE_NAME, createConfigSchema, DEFAULT_TEST_GLOBS, type RuleSetting } from "./config.schema.js";
import { type JsonSource, parseJsonSource } from "./json-source.js";

/** The validated config with defaults applied; `dir` is what its globs are relative to. */
export interface LoadedConfig {
  /** Absolute path of the config file, or undefined when none was found (defaults). */
  file?: string;
  dir: string;
  contracts: string[];
  generate: { outDir?: string; slowPatterns?: "warning" | "error" };
  rules: Record<string, RuleSetting>;
  tests: string[];
  migrations: { from: string; to: string }[];
  bindings: Record<string, Record<string, unknown>>;
  /** Which TypeScript analyzes the project (`engine`; `--engine` overrides it). */
  engine?: "auto" | "ts6" | "ts7";
}

export function getDefaultConfig(dir: string): LoadedConfig {
  return { dir, contracts: [], generate: {}, rules: {}, tests: [...DEFAULT_TEST_GLOBS], migrations: [], bindings: {} };
}

/** Finds covenant.config.json in `startDir` or the nearest folder above it. */
export function findConfigFile(startDir: string): string | undefined {
  return findUp(startDir, CONFIG_FILE_NAME);
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return JSON.stringify(value);
}

/** ` Did you mean "x"?` (names in double quotes, as the config's JSON has them) for the nearest of `known`, else "". */
export function didYouMean(key: string, known: readonly string[]): string {
  const best = closest(key, known);
  return best === undefined ? "" : ` Did you mean "${best}"?`;
}

type SchemaNode =
  | {
      def?: {
        innerType?: SchemaNode;
        element?: SchemaNode;
        items?: SchemaNode[];
        options?: SchemaNode[];
        shape?: Record<string, SchemaNode>;
        valueType?: SchemaNode;
      };
    }
  | undefined;

function unwrap(node: SchemaNode): SchemaNode {
  while (node?.def?.innerType) node = node.def.innerType;
  return node;
}

/** The schemas a value at `key` of `node` may have: a union's branches each, a tuple's item, an array's element, an object's property. */
function childSchemas(node: SchemaNode, key: PropertyKey): SchemaNode[] {
  const def = unwrap(node)?.def;
  if (def?.options) return def.options.flatMap((option) => childSchemas(option, key));
  const child = typeof key === "number" ? (def?.items ? def.items[key] : def?.element) : (def?.shape?.[String(key)] ?? def?.valueType);
  return child ? [child] : [];
}

/** The keys an object schema at `keys` accepts (through optional/default wrappers, unions such as `severity | [severity, options]`, tuples and arrays). */
function knownKeys(schema: z.ZodType, keys: readonly PropertyKey[]): string[] {
  let nodes: SchemaNode[] = [schema as unknown as SchemaNode];
  for (const key of keys) nodes = nodes.flatMap((node) => childSchemas(node, key));
  const expanded = nodes.flatMap(function objects(node): SchemaNode[] {
    const def = unwrap(node)?.def;
    return def?.options ? def.options.flatMap(objects) : [node];
  });
  return [...new Set(expanded.flatMap((node) => Object.keys(unwrap(node)?.def?.shape ?? {})))];
}

/** `array` → "an array", `int` → "an integer". */
function describeExpectedType(expected: string): string {
  if (expected === "int") return "an integer";
  return `${/^[aeiou]/.test(expected) ? "an" : "a"} ${expected}`;
}

/** A number's lower bound (`must be ≥ 0`), or a string's or a list's (`must not be empty`, `must have at least 2 items`). */
function describeMinimum(issue: z.core.$ZodIssueTooSmall): string {
  const minimum = Number(issue.minimum);
  if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") return `must be ${issue.inclusive === false ? ">" : "≥"} ${minimum}`;
  const least = issue.inclusive === false ? minimum + 1 : minimum;
  if (least <= 1) return "must not be empty";
  return `must have at least ${least} ${issue.origin === "string" ? "characters" : "items"}`;
}

function issueToProblems(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], source: JsonSource, schema: z.ZodType): Problem[] {
  const keys = [...prefix, ...issue.path];
  const where = keys.length ? `"${joinPath(keys)}"` : "The config";
  const actual = valueAt(source.value, keys);
  const at = (k: readonly PropertyKey[], which: "key" | "value" = "value") => ({ file: source.file, ...source.locate(k, which) });
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(schema, keys);
      return issue.keys.map((key) => {
        const location = at([...keys, key], "key");
        if (keys.length === 1 && keys[0] === "rules")
          return {
            code: "config-unknown-key",
            ...location,
            message: `"${key}" is not a covenant rule id.${didYouMean(key, known)} Remove it or use one of: ${known.join(", ")}.`,
          };
        const what = `Unknown key "${key}" in ${keys.length ? where : "the config"}`;
        const fix = known.length === 0 ? ", which takes no keys. Remove it." : `.${didYouMean(key, known)} Remove it or use one of: ${known.join(", ")}.`;
        return { code: "config-unknown-key", ...location, message: `${what}${fix}` };
      });
    }
    case "invalid_union": {
      // Report the branch that matches the value's kind (e.g. the tuple branch for an array).
      const branch = issue.errors.find((errs) => !errs.some((e) => e.code === "invalid_type" && e.path.length === 0)) ?? issue.errors[0] ?? [];
      const nested = branch.some((e) => e.path.length > 0) || Array.isArray(actual);
      if (nested) return branch.flatMap((e) => issueToProblems(e, keys, source, schema));
      const values = issue.errors.flat().flatMap((e) => (e.code === "invalid_value" ? e.values.map((v) => JSON.stringify(v)) : []));
      return [
        {
          code: "config-invalid-value",
          ...at(keys),
          message: `${where} must be one of ${values.join(", ")}, or [severity, options] (found ${describeValue(actual)}).`,
        },
      ];
    }
    case "invalid_value":
      return [
        {
          code: "config-invalid-value",
          ...at(keys),
          message: `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")} (found ${describeValue(actual)}).`,
        },
      ];
    case "invalid_type":
      return [
        { code: "config-invalid-type", ...at(keys), message: `${where} must be ${describeExpectedType(issue.expected)} (found ${describeValue(actual)}).` },
      ];
    case "too_small":
      return [
        {
          code: "config-invalid-value",
          ...at(keys),
          message: `${where} ${describeMinimum(issue)} (found ${Array.isArray(actual) ? (actual.length === 0 ? "an empty array" : `${actual.length} ${actual.length === 1 ? "item" : "items"}`) : describeValue(actual)}).`,
        },
      ];
    default:
      return [{ code: "config-invalid-value", ...at(keys), message: `${where}: ${issue.message}.` }];
  }
}

/** Validates parsed config JSON; every problem names the key and its line/column. */
export function validateConfig(source: JsonSource, checks: Readonly<Record<string, Check>> = registry): LoadedConfig {
  const schema = createConfigSchema(checks);
  const result = schema.safeParse(source.value);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) => issueToProblems(issue, [], source, schema));
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new CovenantError(problems);
  }
  const data = result.data as Omit<LoadedConfig, "file" | "dir">;
  const dir = path.dirname(source.file);
  const escape = data.generate.outDir === undefined ? undefined : findEscape(dir, data.generate.outDir);
  if (escape) {
    throw new CovenantError({
      code: "config-outdir-outside",
      file: source.file,
      ...source.locate(["generate", "outDir"], "value"),
      message: `"generate.outDir" must stay inside the folder of this config (${escape}). Use a path below it, or pass --out-dir on the command line to write elsewhere.`,
    });
  }
  return { ...data, rules: data.rules, file: source.file, dir };
}

/**
 * Why `target` (relative to `root`, or absolute) is not inside `root`, or undefined when it is: by
 * its path, and by its real path (the nearest part of it that exists, links resolved), as `$ref`s
 * are confined to the contract's folder.
 */
export function findEscape(root: string, target: string): string | undefined {
  const resolved = path.resolve(root, target);
  const isInside = (base: string, file: string) => {
    const rel = path.relative(base, file);
    return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
  };
  if (!isInside(root, resolved)) return `${JSON.stringify(target)} is ${path.isAbsolute(target) ? "an absolute path outside it" : "outside it"}`;
  let existing = resolved;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    const real = fs.realpathSync.native(existing);
    if (!isInside(fs.realpathSync.native(root), real))
      return `${JSON.stringify(target)} leads to ${path.join(real, path.relative(existing, resolved))} through a symbolic link`;
  } catch {
    // unreadable: writing there fails with its own error
  }
  return undefined;
}

export interface LoadConfigOptions {
  /** Explicit config file (`-c`); must exist. */
  configFile?: string;
  /** Where to start the upward search when no file is given (the project's folder). */
  searchFrom: string;
  checks?: Readonly<Record<string, Check>>;
}

/** Loads `-c <file>` or the nearest covenant.config.json above `searchFrom`; defaults when there is none. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const file = options.configFile ? path.resolve(options.configFile) : findConfigFile(options.searchFrom);
  if (!file) return getDefaultConfig(path.resolve(options.searchFrom));
  let text: string;
  try {
    text = readRegularFile(file, MAX_INPUT_FILE_BYTES);
  } catch (error) {
    if (error instanceof UnsafeFileError)
      throw new CovenantError({ code: "config-unreadable", file, line: 0, column: 0, message: `Cannot read the config file: ${error.message}. ${error.fix}` });
    throw new CovenantError({
      code: "config-not-found",
      file,
      line: 0,
      column: 0,
      message: `Cannot read the config file. Check the path given to -c/--config, or run \`covenant init\`.`,
    });
  }
  return validateConfig(parseJsonSource(file, text, "config"), options.checks);
}
