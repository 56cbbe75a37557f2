import type { JsonSchema, RunPattern } from "../model.js";
import { parseRunPattern } from "../pattern/parse-run-pattern.js";
import { didYouMean, formatChoices, formatList, type ProblemCollector } from "./contract-errors.js";
import { isPlainObject, type SchemaObject } from "./schema-checks.js";
import type { SourceDocument } from "./source-document.js";

export interface RunsDocument {
  /** Undefined when `runs.key` is missing or malformed (reported by the shape check): only the pattern is checked. */
  key: string | undefined;
  pattern: string;
}

/**
 * Layer 2 for `runs`: the pattern parses, names only declared events, and `runs.key` is a required
 * property of the payload of every event the pattern names, so a monitor can group every message.
 * (A property counts as declared when the payload, after `$ref` and `allOf`, lists it under
 * `properties`, or every branch of a `oneOf`/`anyOf` does; required likewise with `required`.)
 */
export function checkRuns(
  source: SourceDocument,
  problems: ProblemCollector,
  runs: RunsDocument,
  events: ReadonlyMap<string, JsonSchema | undefined> | undefined,
  definitions: Readonly<Record<string, JsonSchema>>,
): RunPattern | undefined {
  const parsed = parseRunPattern(runs.pattern);
  if (!parsed.ok) {
    problems.add("pattern-syntax", source.file, source.stringCharPosition(["runs", "pattern"], parsed.error.offset), {
      detail: parsed.error.message,
      hint: parsed.error.hint,
    });
    return undefined;
  }
  if (!events) return parsed.ast;
  const declared = [...events.keys()];
  const reported = new Set<string>();
  for (const ref of parsed.events) {
    if (events.has(ref.name)) continue;
    if (reported.has(ref.name)) continue;
    reported.add(ref.name);
    problems.add("pattern-unknown-event", source.file, source.stringCharPosition(["runs", "pattern"], ref.offset), {
      event: ref.name,
      didYouMean: didYouMean(ref.name, declared),
      events: formatChoices(declared),
    });
  }
  // An unknown name is reported above; the key is still checked on the events the pattern names that exist.
  if (runs.key === undefined) return parsed.ast;
  const key = runs.key;

  const missing: string[] = [];
  const optional: string[] = [];
  for (const name of [...new Set(parsed.events.map((ref) => ref.name))]) {
    const payload = events.get(name);
    if (payload === undefined) continue; // not declared, or its schema has a problem: reported
    const info = propertyInfo(payload, key, definitions, new Set());
    if (!info.declared) missing.push(name);
    else if (!info.required) optional.push(name);
  }
  const at = source.valuePosition(["runs", "key"]);
  if (missing.length > 0) problems.add("run-key-missing", source.file, at, { key, events: formatList(missing) });
  if (optional.length > 0) problems.add("run-key-optional", source.file, at, { key, events: formatList(optional) });
  return parsed.ast;
}

export interface PropertyInfo {
  declared: boolean;
  required: boolean;
}

/** Whether a payload schema declares (and requires) a top-level property, through `$ref`, `allOf`, and every branch of a `oneOf`/`anyOf`. */
export function propertyInfo(schema: unknown, key: string, definitions: Readonly<Record<string, JsonSchema>>, visiting: Set<string>): PropertyInfo {
  if (!isPlainObject(schema)) return { declared: false, required: false };
  const node: SchemaObject = schema;
  const info: PropertyInfo = {
    declared: isPlainObject(node.properties) && Object.hasOwn(node.properties, key),
    required: Array.isArray(node.required) && node.required.includes(key),
  };
  const merge = (other: PropertyInfo) => {
    info.declared ||= other.declared;
    info.required ||= other.required;
  };
  if (typeof node.$ref === "string") {
    const name = /^#\/\$defs\/(.+)$/.exec(node.$ref)?.[1];
    if (name !== undefined && !visiting.has(name) && Object.hasOwn(definitions, name)) {
      visiting.add(name);
      merge(propertyInfo(definitions[name], key, definitions, visiting));
      visiting.delete(name);
    }
  }
  if (Array.isArray(node.allOf)) for (const part of node.allOf) merge(propertyInfo(part, key, definitions, visiting));
  for (const keyword of ["oneOf", "anyOf"] as const) {
    const branches = node[keyword];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    const infos = branches.map((branch) => propertyInfo(branch, key, definitions, visiting));
    merge({ declared: infos.every((i) => i.declared), required: infos.every((i) => i.required) });
  }
  return info;
}
