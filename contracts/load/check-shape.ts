import type { z } from "zod";
import { ContractDocumentSchema, DEFINITION_NAME_PATTERN, EVENT_NAME_PATTERN, FIELD_NAME_PATTERN, STATE_NAME_PATTERN } from "../format/contract.schema.js";
import { describeValue, didYouMean, formatChoices, formatList, formatPath, type ProblemCollector } from "./contract-errors.js";
import { valueAt } from "../../common/json.js";
import { isPlainObject } from "./schema-checks.js";
import type { JsonPath, SourceDocument } from "./source-document.js";

type Issue = z.core.$ZodIssue;
type ZodSchema = z.core.$ZodType;

/**
 * Layer 1: the document against the zod schema of the format. Every zod issue becomes a located
 * problem: an unknown key at the key, a missing key at the key of the mapping that lacks it, a wrong
 * value at the value. Returns the name maps that hold a `__proto__` key (reported here): zod's
 * records drop it, so what zod parses from those sections is not the document.
 */
export function checkShape(source: SourceDocument, problems: ProblemCollector): JsonPath[] {
  const protoKeys = findProtoKeys(source.value);
  for (const path of protoKeys) reportProtoKey(source, problems, path);
  const result = ContractDocumentSchema.safeParse(source.value);
  for (const issue of result.error?.issues ?? []) {
    // `events` holding only `__proto__` (dropped by zod, reported above) is not empty.
    if (issue.code === "custom" && pathIs(issue.path as JsonPath, ["events"]) && protoKeys.some((p) => pathIs(p, ["events"]))) continue;
    reportIssue(source, problems, issue);
  }
  return protoKeys;
}

/** The name maps of the format: zod's records drop a `__proto__` key without a word, so they are checked here. */
const NAME_RECORDS: readonly (readonly string[])[] = [
  ["lifecycle", "states"],
  ["lifecycle", "states", "*", "on"],
  ["events"],
  ["$defs"],
  ["definitions"],
  ["closeCodes"],
  ["unique"],
];

/** Paths of the name maps that hold an own `__proto__` key (the path of the map, without the key). */
function findProtoKeys(value: unknown): JsonPath[] {
  const found: JsonPath[] = [];
  const visit = (node: unknown, pattern: readonly string[], at: (string | number)[]): void => {
    if (!isPlainObject(node)) return;
    if (pattern.length === 0) {
      if (Object.hasOwn(node, "__proto__")) found.push(at);
      return;
    }
    const [head, ...rest] = pattern;
    if (head === "*") for (const key of Object.keys(node)) visit(node[key], rest, [...at, key]);
    else if (Object.hasOwn(node, head!)) visit(node[head!], rest, [...at, head!]);
  };
  for (const pattern of NAME_RECORDS) visit(value, pattern, []);
  return found;
}

function reportProtoKey(source: SourceDocument, problems: ProblemCollector, recordPath: JsonPath): void {
  const at = source.entryPosition([...recordPath, "__proto__"]);
  if (pathIs(recordPath, ["$defs"]) || pathIs(recordPath, ["definitions"])) {
    problems.add("reserved-name", source.file, at, { what: "the name of a shared schema", why: "the generated code could not hold a schema by that name" });
    return;
  }
  // State, transition and event names must start with a letter anyway.
  problems.add("invalid-name", source.file, at, { ...nameRule(recordPath), name: "__proto__" });
}

function reportIssue(source: SourceDocument, problems: ProblemCollector, issue: Issue): void {
  const path = issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
  const raw = source.value;
  const file = source.file;
  switch (issue.code) {
    case "invalid_union": {
      // The branch the value was meant for: one that fails inside the value, not on its kind (a
      // mapping with a misspelled key is meant as `{ to, event }`, not as a state name).
      const meant = issue.errors.find(
        (branch) => branch.length > 0 && !branch.every((i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value")),
      );
      if (meant) {
        for (const inner of meant) reportIssue(source, problems, { ...inner, path: [...issue.path, ...inner.path] });
        return;
      }
      const value = valueAt(raw, path);
      problems.add("invalid-type", file, source.valuePosition(path), {
        where: formatPath(path),
        expected: unionExpected(path),
        found: describeValue(value),
        fix: typeFix(path, value),
      });
      return;
    }
    case "unrecognized_keys": {
      const allowed = allowedKeys(path);
      for (const key of issue.keys) {
        problems.add("unknown-key", file, source.entryPosition([...path, key]), {
          key,
          where: path.length === 0 ? "the contract" : formatPath(path),
          didYouMean: didYouMean(key, allowed),
          allowed: formatList(allowed),
        });
      }
      return;
    }
    case "invalid_key": {
      const { kind, rule } = nameRule(path.slice(0, -1));
      problems.add("invalid-name", file, source.entryPosition(path), { kind, name: String(path.at(-1)), rule });
      return;
    }
    case "invalid_type": {
      const parent = valueAt(raw, path.slice(0, -1));
      const key = path.at(-1);
      if (key !== undefined && isPlainObject(parent) && !Object.hasOwn(parent, String(key))) {
        const parentPath = path.slice(0, -1);
        problems.add("missing-key", file, parentPath.length === 0 ? source.rootPosition() : source.entryPosition(parentPath), {
          where: parentPath.length === 0 ? "the contract" : formatPath(parentPath),
          key: String(key),
          example: exampleFor(path),
        });
        return;
      }
      const value = valueAt(raw, path);
      if (pathIs(path, ["version"])) {
        problems.add("invalid-version", file, source.valuePosition(path), { value: source.valueSource(path) ?? String(value) });
        return;
      }
      problems.add("invalid-type", file, source.valuePosition(path), {
        where: formatPath(path),
        expected: expectedText(issue.expected),
        found: describeValue(value),
        fix: typeFix(path, value),
      });
      return;
    }
    case "invalid_value": {
      const value = valueAt(raw, path);
      if (pathIs(path, ["covenant"])) {
        problems.add("unsupported-format-version", file, source.valuePosition(path), { value: source.valueSource(path) ?? String(value) });
        return;
      }
      const allowed = issue.values.map(String);
      problems.add("invalid-value", file, source.valuePosition(path), {
        where: formatPath(path),
        value: String(value),
        allowed: `${formatChoices(allowed)}${typeof value === "string" && didYouMean(value, allowed) ? ` (${didYouMean(value, allowed).trim()})` : ""}`,
      });
      return;
    }
    case "invalid_format": {
      const value = String(valueAt(raw, path));
      if (pathIs(path, ["name"])) {
        problems.add("invalid-contract-name", file, source.valuePosition(path), { value, suggestion: toKebabCase(value) });
      } else if (pathIs(path, ["version"])) {
        problems.add("invalid-version", file, source.valuePosition(path), { value });
      } else {
        const { kind, rule } = nameRule(path);
        problems.add("invalid-name", file, source.valuePosition(path), { kind, name: value, rule });
      }
      return;
    }
    case "too_small":
    case "custom":
      problems.add("empty-value", file, source.valuePosition(path), { where: formatPath(path), fix: emptyFix(path) });
      return;
    default:
      problems.add("invalid-type", file, source.valuePosition(path), {
        where: formatPath(path),
        expected: "valid",
        found: describeValue(valueAt(raw, path)),
        fix: `${issue.message}.`,
      });
  }
}

/** What a value under a union of the format may be. */
function unionExpected(path: JsonPath): string {
  if (pathIs(path, ["events", "*", "states"])) return 'a list of states, or `"*"` for every non-final state';
  if (pathIs(path, ["events", "*", "outOfState"]) || pathIs(path, ["inbound", "outOfState"])) return "`hold` or `{ reject: <close code name> }`";
  if (pathIs(path, ["lifecycle", "states", "*", "on", "*"])) return "a state name or `{ to: <state>, event: <event> }`";
  if (pathIs(path, ["unique", "*", "from"]) || pathIs(path, ["unique", "*", "until"])) return "an event name or a list of event names";
  return "one of the forms the format allows";
}

/** `pattern` segments are keys, or "*" for any key. */
function pathIs(path: JsonPath, pattern: readonly string[]): boolean {
  return path.length === pattern.length && pattern.every((segment, i) => segment === "*" || segment === String(path[i]));
}

/** The keys a strict object at `path` allows, read from the zod schema itself. */
function allowedKeys(path: JsonPath): string[] {
  let schema: ZodSchema | undefined = ContractDocumentSchema;
  for (const _segment of path) {
    schema = unwrap(schema);
    const def = schema?._zod.def as unknown as { type: string; shape?: Record<string, ZodSchema>; valueType?: ZodSchema; element?: ZodSchema } | undefined;
    if (def?.type === "object") schema = def.shape && Object.hasOwn(def.shape, String(_segment)) ? def.shape[String(_segment)] : undefined;
    else if (def?.type === "record") schema = def.valueType;
    else if (def?.type === "array") schema = def.element;
    else return [];
  }
  const def = unwrap(schema)?._zod.def as unknown as { type: string; shape?: Record<string, ZodSchema> } | undefined;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: ZodSchema | undefined): ZodSchema | undefined {
  let current = schema;
  for (;;) {
    const def = current?._zod.def as unknown as { type: string; innerType?: ZodSchema; options?: ZodSchema[] } | undefined;
    if (def && (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault") && def.innerType) {
      current = def.innerType;
    } else if (def?.type === "union" && def.options) {
      // The format's unions have at most one mapping form (`{ to, event }`, `{ reject }`): keys are its keys.
      const object = def.options.find((option) => (unwrap(option)?._zod.def as unknown as { type: string }).type === "object");
      if (!object) return current;
      current = object;
    } else {
      return current;
    }
  }
}

function nameRule(recordPath: JsonPath): { kind: string; rule: string } {
  if (pathIs(recordPath, ["lifecycle", "states"])) {
    return { kind: "state", rule: `Start with a letter; use letters, digits, \`_\` and single \`-\` between words (${STATE_NAME_PATTERN.source}).` };
  }
  if (pathIs(recordPath, ["lifecycle", "states", "*", "on"])) {
    return { kind: "transition", rule: `Start with a letter; use letters, digits, \`_\` and single \`-\` between words (${STATE_NAME_PATTERN.source}).` };
  }
  if (pathIs(recordPath, ["events"])) {
    return {
      kind: "event",
      rule: `Start with a letter; use letters, digits and \`_\`, with single \`-\`, \`.\`, \`:\` or \`/\` between words (${EVENT_NAME_PATTERN.source}).`,
    };
  }
  if (pathIs(recordPath, ["closeCodes", "*", "name"])) {
    return { kind: "close code", rule: `Start with a letter; use letters, digits, \`_\` and single \`-\` between words (${STATE_NAME_PATTERN.source}).` };
  }
  if (pathIs(recordPath, ["closeCodes"])) {
    return {
      kind: "close code",
      rule: "A close code is a number: 4000-4999, 3000-3999 (registered with IANA), or a standard code that may be sent (1000-1003, 1007-1014).",
    };
  }
  if (pathIs(recordPath, ["unique"])) {
    return { kind: "uniqueness rule", rule: `Start with a letter; use letters, digits, \`_\` and single \`-\` between words (${STATE_NAME_PATTERN.source}).` };
  }
  if (pathIs(recordPath, ["$defs"]) || pathIs(recordPath, ["definitions"])) {
    return {
      kind: "definition",
      rule: `Start with a letter or \`_\`; use letters, digits, \`_\`, and single \`-\` or \`.\` between words (${DEFINITION_NAME_PATTERN.source}).`,
    };
  }
  return { kind: "envelope field", rule: `Use a JavaScript-like identifier (${FIELD_NAME_PATTERN.source}).` };
}

/** Paths (keys, or "*" for any key) and an example value for what is expected there. */
const EXAMPLES: readonly [readonly string[], string][] = [
  [["covenant"], "1"],
  [["name"], "my-protocol"],
  [["version"], "1.0.0"],
  [["lifecycle"], "{ initial: <state>, states: { ... } }"],
  [["lifecycle", "initial"], "<the first state>"],
  [["lifecycle", "states"], "{ <state>: { on: { <transition>: <state> } } }"],
  [["events"], "{ <event>: { direction: ..., states: [...], payload: {...} } }"],
  [["events", "*", "direction"], "server-to-client"],
  [["events", "*", "states"], "[<state>, ...]"],
  [["runs", "key"], "<payload field that identifies a run>"],
  [["lifecycle", "states", "*", "timeout", "after"], "3s"],
  [["lifecycle", "states", "*", "timeout", "close"], "<close code name>"],
  [["lifecycle", "states", "*", "on", "*", "to"], "<state>"],
  [["lifecycle", "states", "*", "on", "*", "event"], "<event>"],
  [["closeCodes", "*", "name"], "<name>"],
  [["events", "*", "outOfState", "reject"], "<close code name>"],
  [["inbound", "outOfState", "reject"], "<close code name>"],
  [["inbound", "invalid"], "<close code name>"],
  [["inbound", "wrongDirection"], "<close code name>"],
  [["runs", "pattern"], '"start (step)* end"'],
  [["unique", "*", "field"], "id"],
  [["unique", "*", "from"], "<event>"],
  [["unique", "*", "until"], "[<event>, ...]"],
  [["unique", "*", "close"], "<close code name>"],
];

function exampleFor(path: JsonPath): string {
  return EXAMPLES.find(([pattern]) => pathIs(path, pattern))?.[1] ?? "...";
}

function expectedText(expected: string): string {
  switch (expected) {
    case "object":
    case "record":
      return "a mapping";
    case "array":
      return "a list";
    case "string":
      return "a string";
    case "boolean":
      return "`true` or `false`";
    case "number":
      return "a number";
    default:
      return expected;
  }
}

function typeFix(path: JsonPath, value: unknown): string {
  if (pathIs(path, ["lifecycle", "states", "*"])) return "Write `{ on: { <transition>: <state> } }`, or `{ final: true }` for a final state.";
  if (pathIs(path, ["events", "*", "states"]) && typeof value === "string") return `Write a list: \`[${value}]\`.`;
  if (pathIs(path, ["events", "*"])) return "Write `{ direction: server-to-client, states: [<state>], payload: { ... } }`.";
  if (pathIs(path, ["lifecycle"])) return "Write `{ initial: <state>, states: { ... } }`.";
  if (pathIs(path, ["events", "*", "payload"]) || pathIs(path, ["$defs", "*"]) || pathIs(path, ["definitions", "*"])) {
    return "Write a JSON Schema mapping, such as `{ type: object, properties: { ... } }`.";
  }
  if (pathIs(path, ["lifecycle", "states", "*", "on", "*"]))
    return "A transition maps its name to the name of the target state, or to `{ to: <state>, event: <event> }` when an event's arrival takes it.";
  if (pathIs(path, ["events", "*", "outOfState"]) || pathIs(path, ["inbound", "outOfState"]))
    return "Write `outOfState: hold`, or `outOfState: { reject: <close code name> }`.";
  if (pathIs(path, ["lifecycle", "states", "*", "timeout", "after"])) return "Write a whole number and a unit, such as `after: 3s`.";
  if (typeof value === "number" || typeof value === "boolean") return "Quote the value if it is meant as text.";
  return "Fix the value.";
}

function emptyFix(path: JsonPath): string {
  if (pathIs(path, ["events"])) return "Declare at least one event.";
  if (pathIs(path, ["events", "*", "states"])) return "List at least one lifecycle state in which the event may be sent.";
  if (pathIs(path, ["runs", "key"])) return "Name the payload field that identifies a run, such as `run_id`.";
  if (pathIs(path, ["runs", "pattern"])) return "Write the order of events in a run, such as `started (progress)* completed`.";
  if (pathIs(path, ["unique", "*", "from"])) return "Name the event (or events) that open an id.";
  if (pathIs(path, ["unique", "*", "until"])) return "Name the events that end an id, or remove `until` (an id then stays taken until the connection ends).";
  return "Give it a value.";
}

/** `AgentWebSocket v2` -> `agent-web-socket-v2`. */
export function toKebabCase(text: string): string {
  const kebab = text
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
  return /^[a-z]/.test(kebab) ? kebab : `contract-${kebab || "name"}`;
}
