/**
 * Properties the diff must have on any contract, checked on every valid contract in the repository:
 * a semantically equivalent rewrite reports nothing, and between any two contracts every witness
 * is confirmed by an independent check (ajv on a wire schema built here, a state walk, a RegExp).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { diffContracts, type DiffChange } from "../../contracts/diff/index.js";
import { loadContract } from "../../contracts/index.js";
import type { Contract, JsonSchema, RunPattern } from "../../contracts/model.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FILES = [
  "contracts/agent-websocket.contract.yaml",
  "test/contracts/generate/device-hub.contract.yaml",
  "test/contracts/generate/lobby.contract.yaml",
  "test/contracts/valid/chat.contract.yaml",
  "test/contracts/valid/chat.contract.json",
  "test/contracts/valid/recursive.contract.yaml",
  "test/contracts/valid/external/orders.contract.yaml",
  "test/diff/cases/c2s-variant-removed/old.contract.yaml",
  "test/diff/cases/recursive-def-field-required/new.contract.yaml",
  "test/diff/cases/c2s-nested-array-item-constraint/new.contract.yaml",
  "examples/graphql-ws/graphql-ws.covenant.yaml",
];
const contracts = FILES.filter((f) => fs.existsSync(path.join(repo, f))).map((f) => ({ file: f, contract: loadContract(path.join(repo, f)) }));

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The same schema, written differently: keys reversed, refs inlined (once), annotations added, spellings swapped. */
function rewrite(schema: unknown, defs: Record<string, JsonSchema>, inlined = new Set<string>()): unknown {
  if (Array.isArray(schema)) return schema.map((s) => rewrite(s, defs, inlined));
  if (!isObj(schema)) return schema;
  if (typeof schema.$ref === "string" && Object.keys(schema).length === 1) {
    const name = schema.$ref.replace("#/$defs/", "");
    if (!inlined.has(name) && defs[name] !== undefined) return rewrite(defs[name], defs, new Set([...inlined, name]));
    return schema;
  }
  const out: Obj = {};
  for (const key of Object.keys(schema).reverse()) {
    const value = schema[key];
    if (key === "enum" || key === "const" || key === "examples" || key === "default") out[key] = value;
    else if (key === "properties" && isObj(value))
      out[key] = Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, rewrite(v, defs, inlined)]),
      );
    else if (key === "required" && Array.isArray(value)) out[key] = [...value].reverse();
    else if (key === "type" && typeof value === "string") out[key] = [value];
    else out[key] = rewrite(value, defs, inlined);
  }
  if (Array.isArray(out.enum) && out.enum.length === 1 && out.const === undefined) {
    out.const = out.enum[0];
    delete out.enum;
  }
  out.description = "rewritten";
  return out;
}

function rewriteContract(c: Contract): Contract {
  return {
    ...c,
    events: [...c.events].reverse().map((e) => ({ ...e, description: "changed", examples: [], payload: { allOf: [rewrite(e.payload, c.definitions)] } })),
    lifecycle: {
      initial: c.lifecycle.initial,
      states: [...c.lifecycle.states].reverse().map((s) => ({ ...s, on: Object.fromEntries(Object.entries(s.on).reverse()) })),
    },
    definitions: Object.fromEntries(Object.entries(c.definitions).map(([k, v]) => [k, rewrite(v, c.definitions, new Set([k])) as JsonSchema])),
  };
}

describe("an equivalent rewrite of a contract reports nothing", () => {
  it.each(contracts.map((c) => [c.file, c.contract] as const))("%s", (_, contract) => {
    const result = diffContracts(contract, rewriteContract(contract));
    expect(result.changes.map((c) => `${c.rule} ${c.path}: ${c.message}`)).toEqual([]);
    expect(diffContracts(rewriteContract(contract), contract).changes).toEqual([]);
  });
});

/** One Ajv for the file: the validators it compiles are pure functions of their schemas. */
const ajv = addFormats(new Ajv2020({ strict: false, logger: false }));

/**
 * The wire validator of a contract's side, compiled once per contract and side: a witness is checked
 * against both contracts of its pair, and every contract is in 20 pairs (recompiling the same schema
 * for each witness was most of this file's time).
 */
const wireValidators = new WeakMap<Contract, Map<string, (message: unknown) => boolean>>();

function wireValidator(contract: Contract, side: string): (message: unknown) => boolean {
  let bySide = wireValidators.get(contract);
  if (!bySide) wireValidators.set(contract, (bySide = new Map()));
  let validate = bySide.get(side);
  if (!validate) bySide.set(side, (validate = compileWireValidator(contract, side)));
  return validate;
}

function compileWireValidator(contract: Contract, side: string): (message: unknown) => boolean {
  const { discriminator, payloadField } = contract.envelope;
  const events = contract.events.filter((e) => e.direction === side || e.direction === "both" || side === "any");
  if (events.length === 0) return () => false;
  // The whole message as the generated validators take it: the envelope is closed, the fields an
  // event lists are required, and its payload unless `payloadOptional`.
  const fieldSchema = (name: string) => contract.envelope.fields?.find((f) => f.name === name)?.schema ?? {};
  return ajv.compile({
    $defs: contract.definitions,
    anyOf: events.map((e) => ({
      type: "object",
      required: [discriminator, ...(e.payloadOptional ? [] : [payloadField]), ...(e.fields ?? [])],
      properties: {
        [discriminator]: { const: e.name },
        [payloadField]: e.payload,
        ...Object.fromEntries((e.fields ?? []).map((f) => [f, fieldSchema(f)])),
      },
      additionalProperties: false,
    })),
  });
}

function walk(contract: Contract, transitions: readonly string[]): string | null {
  let state: string = contract.lifecycle.initial;
  for (const t of transitions) {
    const next = contract.lifecycle.states.find((s) => s.name === state)?.on[t];
    if (next === undefined) return null;
    state = next;
  }
  return state;
}

/** The run pattern as a JavaScript RegExp over `<event>` tokens; events it does not name are dropped first. */
function runAccepted(contract: Contract, events: readonly string[]): boolean {
  if (!contract.runs) return true;
  const names = new Set<string>();
  const toSource = (p: RunPattern): string => {
    if (p.kind === "event") {
      names.add(p.name);
      return `<${p.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}>`;
    }
    if (p.kind === "seq") return p.items.map(toSource).join("");
    if (p.kind === "alt") return `(?:${p.options.map(toSource).join("|")})`;
    return `(?:${toSource(p.item)})${p.min === 0 ? (p.max === 1 ? "?" : "*") : p.max === 1 ? "" : "+"}`;
  };
  const regex = new RegExp(`^${toSource(contract.runs.ast)}$`);
  return regex.test(
    events
      .filter((e) => names.has(e))
      .map((e) => `<${e}>`)
      .join(""),
  );
}

function checkWitness(change: DiffChange, sides: Record<"old" | "new", Contract>): string | undefined {
  const w = change.witness!;
  if (w.kind === "message") {
    const event = w.message[sides[w.acceptedBy].envelope.discriminator];
    const acceptingEvent = sides[w.acceptedBy].events.find((e) => e.name === event);
    if (!acceptingEvent) return "the accepting contract has no such event";
    const sidesToTry = acceptingEvent.direction === "both" ? ["server-to-client", "client-to-server"] : [acceptingEvent.direction];
    const ok = sidesToTry.some((side) => wireValidator(sides[w.acceptedBy], side)(w.message) && !wireValidator(sides[w.rejectedBy], side)(w.message));
    return ok ? undefined : `not accepted by ${w.acceptedBy} and rejected by ${w.rejectedBy} on any direction`;
  }
  if (w.kind === "transitions") {
    if (walk(sides.old, w.transitions) !== w.oldState || walk(sides.new, w.transitions) !== w.newState)
      return "the states do not match a walk of the lifecycle";
    return undefined;
  }
  if (w.kind === "connection") {
    if (walk(sides.old, w.transitions) !== w.state || walk(sides.new, w.transitions) !== w.state) return "the state does not match a walk of either lifecycle";
    return JSON.stringify(w.old) === JSON.stringify(w.new) ? "both servers answer the same" : undefined;
  }
  if (!runAccepted(sides[w.acceptedBy], w.events) || runAccepted(sides[w.rejectedBy], w.produced ?? w.events))
    return "the run is not accepted/rejected as claimed";
  return undefined;
}

describe("between any two contracts, the diff completes and every witness holds", () => {
  const pairs = contracts.flatMap((a) => contracts.filter((b) => b !== a).map((b) => [`${a.file} -> ${b.file}`, a.contract, b.contract] as const));
  it.each(pairs)("%s", (_, oldContract, newContract) => {
    const result = diffContracts(oldContract, newContract);
    const problems = result.changes
      .filter((c) => c.witness)
      .map((c) => ({ change: `${c.rule} ${c.path}`, problem: checkWitness(c, { old: oldContract, new: newContract }) }));
    expect(problems.filter((p) => p.problem)).toEqual([]);
    expect(result.breaking).toBe(result.changes.some((c) => c.kind === "breaking"));
  });
});
