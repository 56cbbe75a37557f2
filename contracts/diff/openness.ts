/**
 * Declared openness as the diff reads it: the openness of the event union per side and of each enum
 * (its `x-covenant-openness`, else the contract's `openness.enums`), and the changes of openness
 * itself between two contracts (docs/contract-format.md#openness, docs/diff-rules.md).
 */
import { type Contract, type JsonSchema, type Openness, OPENNESS_KEYWORD } from "../model.js";
import type { Side } from "./change-kinds.js";
import { isObject, type JsonObject } from "./schema/json.js";

type Path = (string | number)[];

/** The raw schema at a path of the contract model (`["events", e, "payload", ...]` or `["definitions", name, ...]`). */
export function schemaAt(contract: Contract, at: readonly (string | number)[]): unknown {
  let node: unknown;
  let rest: readonly (string | number)[];
  if (at[0] === "definitions" && typeof at[1] === "string") {
    node = Object.hasOwn(contract.definitions, at[1]) ? contract.definitions[at[1]] : undefined;
    rest = at.slice(2);
  } else if (at[0] === "events" && at[2] === "payload") {
    node = contract.events.find((e) => e.name === at[1])?.payload;
    rest = at.slice(3);
  } else return undefined;
  for (const segment of rest) {
    if (Array.isArray(node) && typeof segment === "number") node = node[segment];
    else if (isObject(node) && typeof segment === "string" && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** Whether a schema lists its values: `enum`, `const`, or a `oneOf`/`anyOf` whose every branch does (as the loader checks it). */
export function listsValues(node: unknown): node is JsonObject {
  if (!isObject(node)) return false;
  if ("enum" in node || "const" in node) return true;
  return (["oneOf", "anyOf"] as const).some((key) => {
    const branches = node[key];
    return Array.isArray(branches) && branches.length > 0 && branches.every((b) => isObject(b) && ("enum" in b || "const" in b));
  });
}

/** The contract-wide default for enums. */
export function defaultEnumOpenness(contract: Contract): Openness {
  return contract.openness?.enums ?? "closed";
}

/** The openness of the event union a side receives (closed where not declared). */
export function unionOpenness(contract: Contract, side: Side): Openness {
  return contract.openness?.events[side] ?? "closed";
}

/**
 * The openness of the enum whose values are written at `at` (a normalized variant's place): the
 * `x-covenant-openness` of the schema there or of the `oneOf`/`anyOf` holding it, else the default.
 */
export function enumOpennessAt(contract: Contract, at: readonly (string | number)[]): Openness {
  for (let path = [...at]; ; path = path.slice(0, -2)) {
    const node = schemaAt(contract, path);
    const declared = isObject(node) ? node[OPENNESS_KEYWORD] : undefined;
    if (declared === "open" || declared === "closed") return declared;
    const [keyword, index] = path.slice(-2);
    if (!((keyword === "oneOf" || keyword === "anyOf") && typeof index === "number")) return defaultEnumOpenness(contract);
  }
}

/** The openness of an enum schema node itself (its keyword, else the default). */
function nodeOpenness(contract: Contract, node: JsonObject): Openness {
  const declared = node[OPENNESS_KEYWORD];
  return declared === "open" || declared === "closed" ? declared : defaultEnumOpenness(contract);
}

export interface EnumOpennessChange {
  /** Logical path below the payload (through `$ref`s as if inlined). */
  path: Path;
  /** Where the new enum is written (for its line). */
  at: Path;
  old: Openness;
  new: Openness;
  /** The values the old enum lists (to pick one it does not for a witness). */
  oldValues: unknown[];
}

const SINGLE = ["items", "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else"];
const LISTS = ["prefixItems", "allOf", "anyOf", "oneOf"];
const MAPS = ["properties", "patternProperties", "dependentSchemas"];

function refName(schema: JsonObject): string | undefined {
  const ref = schema.$ref;
  return typeof ref === "string" && ref.startsWith("#/$defs/") ? ref.slice("#/$defs/".length) : undefined;
}

/**
 * Every enum that sits at the same place of an event's payload in both contracts and whose openness
 * changed, walking both payloads side by side (through `$ref`s, each shared schema pair once).
 */
export function enumOpennessChanges(
  oldContract: Contract,
  newContract: Contract,
  oldPayload: JsonSchema,
  newPayload: JsonSchema,
  payloadAt: Path,
): EnumOpennessChange[] {
  const out: EnumOpennessChange[] = [];
  const seen = new Set<string>();
  const walk = (o: unknown, n: unknown, path: Path, oldAt: Path, newAt: Path): void => {
    if (!isObject(o) || !isObject(n)) return;
    const oRef = refName(o);
    const nRef = refName(n);
    if (oRef !== undefined || nRef !== undefined) {
      const key = `${oRef ?? oldAt.join("/")}\u0000${nRef ?? newAt.join("/")}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (oRef !== undefined) return walk(oldContract.definitions[oRef], n, path, ["definitions", oRef], newAt);
      return walk(o, newContract.definitions[nRef!], path, oldAt, ["definitions", nRef!]);
    }
    if (listsValues(o) && listsValues(n)) {
      const was = nodeOpenness(oldContract, o);
      const now = nodeOpenness(newContract, n);
      if (was !== now) out.push({ path, at: newAt, old: was, new: now, oldValues: valuesOf(o) });
    }
    for (const key of SINGLE) walk(o[key], n[key], [...path, key], [...oldAt, key], [...newAt, key]);
    for (const key of LISTS) {
      const ol = o[key];
      const nl = n[key];
      if (!Array.isArray(ol) || !Array.isArray(nl)) continue;
      for (let i = 0; i < Math.min(ol.length, nl.length); i++) walk(ol[i], nl[i], [...path, key, i], [...oldAt, key, i], [...newAt, key, i]);
    }
    for (const key of MAPS) {
      const om = o[key];
      const nm = n[key];
      if (!isObject(om) || !isObject(nm)) continue;
      for (const name of Object.keys(nm))
        if (Object.hasOwn(om, name)) walk(om[name], nm[name], [...path, key, name], [...oldAt, key, name], [...newAt, key, name]);
    }
  };
  walk(oldPayload, newPayload, [], payloadAt, payloadAt);
  return out;
}

function valuesOf(node: JsonObject): unknown[] {
  const own = [...(Array.isArray(node.enum) ? (node.enum as unknown[]) : []), ...("const" in node ? [node.const] : [])];
  for (const key of ["oneOf", "anyOf"]) {
    const branches = node[key];
    if (Array.isArray(branches)) for (const b of branches) if (isObject(b)) own.push(...valuesOf(b));
  }
  return own;
}

/** A value of the enum's JSON type that it does not list (for a witness). */
export function unlistedValue(values: readonly unknown[]): unknown {
  const listed = new Set(values.map((v) => JSON.stringify(v)));
  const kind = typeof values[0];
  const tries: unknown[] =
    kind === "number" ? [-1, 0, 1, 2, 3, 1000001] : kind === "boolean" ? [true, false] : ["unknown-value", "unknown-value-1", "unknown-value-2"];
  return tries.find((v) => !listed.has(JSON.stringify(v)));
}

/** An event name no event of either contract has (for a witness). */
export function unknownEventName(oldContract: Contract, newContract: Contract): string {
  const taken = new Set([...oldContract.events, ...newContract.events].map((e) => e.name));
  for (let i = 0; ; i++) {
    const name = i === 0 ? "unknown_event" : `unknown_event_${i}`;
    if (!taken.has(name)) return name;
  }
}
