/**
 * `covenant diff`: every change between two versions of a contract, classified by the rule table
 * (change-kinds.ts) for the direction of the events it touches, with a witness for every breaking
 * change that has one: a wire message, a path of transitions, or a run.
 */
import type { Contract, ContractEvent, Direction } from "../model.js";
import { breakingSides, type ChangeKind, type DiffRuleId, diffRules, kindOf, type Side, sidesOf } from "./change-kinds.js";
import { diffEventStates, diffLifecycle } from "./lifecycle.js";
import { diffConnection } from "./connection.js";
import { diffUnique } from "./unique.js";
import { formatRunPattern } from "../pattern/index.js";
import { eventsOfPattern, findRunDifference, findStalledRun, isUndecided } from "../automata/run-pattern.js";
import { enumOpennessAt, enumOpennessChanges, unionOpenness, unknownEventName, unlistedValue } from "./openness.js";
import { SchemaComparer } from "./schema/compare.js";
import { SchemaContext } from "./schema/context.js";
import { versionBump, type VersionBump } from "./semver.js";
import { type ContractSide, producerOf, type Witness, WitnessFinder } from "./witness.js";
import { capitalize } from "../../common/strings.js";

export interface DiffChange {
  kind: ChangeKind;
  rule: DiffRuleId;
  /** Dotted path into the contract (`events.agent_started.payload.properties.type`). */
  path: string;
  /** What changed, and who breaks and why. */
  message: string;
  /** 1-based line in the new contract (of the nearest existing ancestor, for removals). */
  line?: number;
  witness?: Witness;
  /** A breaking change covenant.breaks.json accepts (until `expires`): it does not make the result breaking. */
  accepted?: { reason: string; owner: string; expires: string };
}

export interface DiffResult {
  breaking: boolean;
  versionBump: VersionBump;
  changes: DiffChange[];
  oldVersion: string;
  newVersion: string;
  /** `--base`: the contract exists on this side only (a new or a removed contract; nothing was compared). */
  only?: "old" | "new";
}

function joinPath(path: readonly (string | number)[]): string {
  return path.map(String).join(".");
}

function directionOfSides(sides: readonly Side[]): Direction {
  return sides.length === 2 ? "both" : sides[0]!;
}

class DiffBuilder {
  readonly changes: DiffChange[] = [];
  constructor(private readonly newContract: Contract) {}

  add(
    rule: DiffRuleId,
    path: readonly (string | number)[],
    what: string,
    options: { direction?: Direction; at?: readonly (string | number)[]; witness?: Witness } = {},
  ): void {
    const entry = diffRules[rule];
    const kind = kindOf(rule, options.direction);
    let why: string;
    if (entry.scope === "contract") why = entry.why;
    else {
      const sides = sidesOf(options.direction!);
      const side = sides.find((s) => entry.kinds[s] === kind) ?? sides[0]!;
      why = entry.why[side];
      if (options.direction === "both") why = `${side} side: ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
    }
    const line = this.newContract.locate(options.at ?? path).line;
    this.changes.push({
      kind,
      rule,
      path: joinPath(path),
      message: `${capitalize(what)}: ${why.charAt(0).toLowerCase()}${why.slice(1)}`,
      ...(line > 0 ? { line } : {}),
      ...(options.witness && kind !== "non-breaking" ? { witness: options.witness } : {}),
    });
  }
}

export function diffContracts(oldContract: Contract, newContract: Contract): DiffResult {
  const out = new DiffBuilder(newContract);
  const oldCtx = new SchemaContext(oldContract.definitions);
  const newCtx = new SchemaContext(newContract.definitions);
  const comparer = new SchemaComparer(oldCtx, newCtx);
  const witnesses = new WitnessFinder(
    { contract: oldContract, ctx: oldCtx, norm: comparer.oldNorm },
    { contract: newContract, ctx: newCtx, norm: comparer.newNorm },
  );

  if (oldContract.name !== newContract.name)
    out.add("contract-renamed", ["name"], `the contract was renamed from "${oldContract.name}" to "${newContract.name}"`);

  const envelopeChanged =
    oldContract.envelope.discriminator !== newContract.envelope.discriminator || oldContract.envelope.payloadField !== newContract.envelope.payloadField;
  const envelopeWitness = envelopeChanged ? witnesses.envelopeWitness() : undefined;
  if (oldContract.envelope.discriminator !== newContract.envelope.discriminator) {
    out.add(
      "envelope-discriminator-renamed",
      ["envelope", "discriminator"],
      `the discriminator field was renamed from "${oldContract.envelope.discriminator}" to "${newContract.envelope.discriminator}"`,
      { witness: envelopeWitness },
    );
  }
  if (oldContract.envelope.payloadField !== newContract.envelope.payloadField) {
    out.add(
      "envelope-payload-field-renamed",
      ["envelope", "payloadField"],
      `the payload field was renamed from "${oldContract.envelope.payloadField}" to "${newContract.envelope.payloadField}"`,
      { witness: envelopeWitness },
    );
  }

  for (const change of diffLifecycle(oldContract, newContract)) out.add(change.rule, change.path, change.message, { witness: change.witness });

  const oldEvents = new Map(oldContract.events.map((e) => [e.name, e]));
  const newEvents = new Map(newContract.events.map((e) => [e.name, e]));
  for (const event of newContract.events) {
    const before = oldEvents.get(event.name);
    if (before) diffEvent(out, comparer, witnesses, oldContract, newContract, before, event);
    else {
      // Old clients follow the old contract: its openness says what they do with an unknown name.
      const rule = oldContract.openness?.events["server-to-client"] === "open" ? "event-added-to-open-union" : "event-added";
      const side = breakingSides(rule, event.direction)[0];
      out.add(rule, ["events", event.name], `${event.direction} event "${event.name}" was added`, {
        direction: event.direction,
        witness: side ? witnesses.eventWitness(producerOf(side), event, side) : undefined,
      });
    }
  }
  for (const event of oldContract.events) {
    if (newEvents.has(event.name)) continue;
    const side = breakingSides("event-removed", event.direction)[0];
    out.add("event-removed", ["events", event.name], `${event.direction} event "${event.name}" was removed`, {
      direction: event.direction,
      at: ["events"],
      witness: side ? witnesses.eventWitness(producerOf(side), event, side) : undefined,
    });
  }

  diffEnvelopeFieldSchemas(out, comparer, oldContract, newContract);
  diffUnionOpenness(out, witnesses, oldContract, newContract);
  diffRuns(out, oldContract, newContract);

  for (const change of [...diffConnection(oldContract, newContract), ...diffUnique(oldContract, newContract)]) {
    out.add(change.rule, change.path, change.message, {
      ...(change.event ? { direction: change.event.direction } : {}),
      ...(change.at ? { at: change.at } : {}),
      witness: change.witness,
    });
  }

  const breaking = out.changes.some((c) => c.kind === "breaking");
  return {
    breaking,
    versionBump: versionBump(oldContract.version, newContract.version),
    changes: inFileOrder(out.changes),
    oldVersion: oldContract.version,
    newVersion: newContract.version,
  };
}

/** Changes in the order of their lines in the new contract (stable: changes on one line keep the order found; changes without a line come last). */
function inFileOrder(changes: readonly DiffChange[]): DiffChange[] {
  return changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => (a.change.line ?? Infinity) - (b.change.line ?? Infinity) || a.index - b.index)
    .map((x) => x.change);
}

function diffEvent(
  out: DiffBuilder,
  comparer: SchemaComparer,
  witnesses: WitnessFinder,
  oldContract: Contract,
  newContract: Contract,
  oldEvent: ContractEvent,
  newEvent: ContractEvent,
): void {
  const oldSides = sidesOf(oldEvent.direction);
  const newSides = sidesOf(newEvent.direction);
  const base = ["events", newEvent.name];
  for (const side of newSides.filter((s) => !oldSides.includes(s))) {
    const breaks = breakingSides("event-direction-added", side).length > 0;
    out.add("event-direction-added", [...base, "direction"], `event "${newEvent.name}" now also flows ${side} (was ${oldEvent.direction})`, {
      direction: side,
      witness: breaks ? witnesses.eventWitness(producerOf(side), newEvent, side) : undefined,
    });
  }
  for (const side of oldSides.filter((s) => !newSides.includes(s))) {
    const breaks = breakingSides("event-direction-removed", side).length > 0;
    out.add("event-direction-removed", [...base, "direction"], `event "${newEvent.name}" no longer flows ${side} (now ${newEvent.direction})`, {
      direction: side,
      witness: breaks ? witnesses.eventWitness(producerOf(side), oldEvent, side) : undefined,
    });
  }
  const common = newSides.filter((s) => oldSides.includes(s));
  if (common.length === 0) return;
  const direction = directionOfSides(common);

  for (const change of diffEventStates(oldContract, newContract, oldEvent, newEvent)) {
    out.add(change.rule, change.path, change.message, { direction, witness: change.witness });
  }

  /** The first side the rule breaks on that a message shows. */
  const envelopeWitness = (
    rule: "envelope-field-added" | "envelope-field-removed" | "payload-made-optional" | "payload-made-required",
  ): Witness | undefined => {
    const omitPayload = rule === "payload-made-optional" || rule === "payload-made-required";
    for (const side of breakingSides(rule, direction)) {
      const witness = witnesses.envelopeChangeWitness(oldEvent, newEvent, side, omitPayload);
      if (witness) return witness;
    }
    return undefined;
  };
  const oldFields = oldEvent.fields ?? [];
  const newFields = newEvent.fields ?? [];
  // One witness per event and rule: a message shows every field added (or removed) at once.
  const added = newFields.filter((f) => !oldFields.includes(f));
  const addedWitness = added.length > 0 ? envelopeWitness("envelope-field-added") : undefined;
  for (const field of added) {
    out.add("envelope-field-added", [...base, "fields"], `event "${newEvent.name}" now carries envelope field "${field}"`, {
      direction,
      witness: addedWitness,
    });
  }
  const removed = oldFields.filter((f) => !newFields.includes(f));
  const removedWitness = removed.length > 0 ? envelopeWitness("envelope-field-removed") : undefined;
  for (const field of removed) {
    out.add("envelope-field-removed", [...base, "fields"], `event "${newEvent.name}" no longer carries envelope field "${field}"`, {
      direction,
      at: newEvent.fields ? [...base, "fields"] : base,
      witness: removedWitness,
    });
  }
  if (oldEvent.payloadOptional !== newEvent.payloadOptional) {
    const optional = newEvent.payloadOptional === true;
    const rule = optional ? "payload-made-optional" : "payload-made-required";
    out.add(rule, [...base, "payloadOptional"], `the payload of event "${newEvent.name}" ${optional ? "may now be left out" : "may no longer be left out"}`, {
      direction,
      at: optional ? [...base, "payloadOptional"] : base,
      witness: breakingSides(rule, direction).length > 0 ? envelopeWitness(rule) : undefined,
    });
  }

  const payloadPath = [...base, "payload"];
  for (const change of enumOpennessChanges(oldContract, newContract, oldEvent.payload, newEvent.payload, payloadPath)) {
    const rule = change.new === "open" ? "payload-enum-opened" : "payload-enum-closed";
    const side = breakingSides(rule, direction)[0];
    const instancePath = instancePathOf(change.path);
    const unlisted = unlistedValue(change.oldValues);
    const openSide: ContractSide = change.old === "open" ? "old" : "new";
    const witness =
      side && instancePath && unlisted !== undefined && change.oldValues.length > 0
        ? witnesses.unknownValueWitness(openSide === "old" ? oldEvent : newEvent, instancePath, change.oldValues[0], unlisted, openSide, side)
        : undefined;
    out.add(
      rule,
      [...payloadPath, ...change.path],
      `${instancePath?.length ? `\`${instancePath.join(".")}\`` : "the payload"} was declared ${change.new} (was ${change.old})`,
      { direction, at: change.at, witness },
    );
  }
  const changes = comparer.compare({ schema: oldEvent.payload, at: payloadPath }, { schema: newEvent.payload, at: payloadPath });
  for (const found of changes) {
    // Old receivers follow the old contract: an open enum's new value is ignored by them.
    // (Per enum: the old enum's `x-covenant-openness`, else the old contract's `openness.enums`.)
    const openEnum =
      found.rule === "payload-enum-value-added" &&
      found.probe.oldVariant?.kind === "values" &&
      enumOpennessAt(oldContract, found.probe.oldVariant.at) === "open";
    const change = openEnum ? { ...found, rule: "payload-enum-value-added-to-open-enum" as const } : found;
    const sides = breakingSides(change.rule, direction);
    let witness: Witness | undefined;
    for (const side of sides) {
      witness = witnesses.payloadWitness(oldEvent, newEvent, change, side);
      if (witness) break;
    }
    out.add(change.rule, [...payloadPath, ...change.path], change.message, { direction, at: change.at, witness });
  }
}

/**
 * The schema of an envelope field, compared as a payload is (the payload rules), for the sides of
 * the events that carry the field in both contracts (a field added to or removed from an event is
 * reported on the event). No witness yet: the witness search builds payloads, not field values
 * that one field schema accepts and the other rejects.
 */
function diffEnvelopeFieldSchemas(out: DiffBuilder, comparer: SchemaComparer, oldContract: Contract, newContract: Contract): void {
  for (const newField of newContract.envelope.fields ?? []) {
    const oldField = oldContract.envelope.fields?.find((f) => f.name === newField.name);
    if (!oldField) continue;
    const sides = new Set<Side>();
    for (const event of newContract.events) {
      const before = oldContract.events.find((e) => e.name === event.name);
      if (!before?.fields?.includes(newField.name) || !event.fields?.includes(newField.name)) continue;
      const oldSides = sidesOf(before.direction);
      for (const side of sidesOf(event.direction)) if (oldSides.includes(side)) sides.add(side);
    }
    if (sides.size === 0) continue;
    const direction = directionOfSides([...sides].sort());
    const at = ["envelope", "fields", newField.name];
    for (const change of comparer.compare({ schema: oldField.schema, at }, { schema: newField.schema, at })) {
      // The comparer names the root "the payload"; here it is the field.
      const what = change.message.startsWith("the payload")
        ? change.message.replace("the payload", `envelope field "${newField.name}"`)
        : `envelope field "${newField.name}": ${change.message}`;
      out.add(change.rule, [...at, ...change.path], what, { direction, at: change.at });
    }
  }
}

/** A change of the declared openness of an event union, for each side both contracts have events on. */
function diffUnionOpenness(out: DiffBuilder, witnesses: WitnessFinder, oldContract: Contract, newContract: Contract): void {
  for (const side of ["server-to-client", "client-to-server"] as const) {
    const flows = (c: Contract) => c.events.some((e) => sidesOf(e.direction).includes(side));
    if (!flows(oldContract) || !flows(newContract)) continue;
    const was = unionOpenness(oldContract, side);
    const now = unionOpenness(newContract, side);
    if (was === now) continue;
    const rule = now === "open" ? "event-union-opened" : "event-union-closed";
    const open: ContractSide = was === "open" ? "old" : "new";
    const declared = newContract.openness !== undefined ? ["openness", "events", side] : ["events"];
    out.add(rule, ["openness", "events", side], `the ${side} event union was declared ${now} (was ${was})`, {
      direction: side,
      at: declared,
      witness: breakingSides(rule, side).length > 0 ? witnesses.unknownEventWitness(unknownEventName(oldContract, newContract), open, side) : undefined,
    });
  }
}

/** The place in a payload value that a schema path (through `properties`, `items`, `prefixItems` and combinators) describes, or undefined. */
function instancePathOf(schemaPath: readonly (string | number)[]): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  for (let i = 0; i < schemaPath.length; i++) {
    const segment = schemaPath[i];
    if (segment === "properties" && typeof schemaPath[i + 1] === "string") out.push(schemaPath[++i]!);
    else if (segment === "prefixItems" && typeof schemaPath[i + 1] === "number") out.push(schemaPath[++i]!);
    else if (segment === "items") out.push(0);
    else if ((segment === "allOf" || segment === "anyOf" || segment === "oneOf") && typeof schemaPath[i + 1] === "number") i++;
    else return undefined;
  }
  return out;
}

function diffRuns(out: DiffBuilder, oldContract: Contract, newContract: Contract): void {
  const oldRuns = oldContract.runs;
  const newRuns = newContract.runs;
  if (!oldRuns && !newRuns) return;
  // The direction of a run: the union of its events' directions.
  const names = new Set<string>();
  if (oldRuns) eventsOfPattern(oldRuns.ast, names);
  if (newRuns) eventsOfPattern(newRuns.ast, names);
  const sides = new Set<Side>();
  for (const name of names) {
    const event = newContract.events.find((e) => e.name === name) ?? oldContract.events.find((e) => e.name === name);
    if (event) sidesOf(event.direction).forEach((s) => sides.add(s));
  }
  const direction: Direction = sides.size === 0 ? "both" : directionOfSides([...sides]);
  const run = (events: string[], acceptedBy: ContractSide): Witness => ({ kind: "run", events, acceptedBy, rejectedBy: acceptedBy === "old" ? "new" : "old" });
  const show = (events: string[]) => (events.length ? events.join(" ") : "(an empty run)");

  if (oldRuns && !newRuns) {
    const wider = findRunDifference(undefined, oldRuns.ast);
    out.add("run-pattern-removed", ["runs"], `the run pattern "${oldRuns.pattern}" was removed`, {
      direction,
      at: [],
      witness: wider && !isUndecided(wider) ? run(wider, "new") : undefined,
    });
    return;
  }
  if (!oldRuns && newRuns) {
    const narrower = findRunDifference(undefined, newRuns.ast);
    out.add("run-pattern-added", ["runs", "pattern"], `run pattern "${newRuns.pattern}" was added`, {
      witness: narrower && !isUndecided(narrower) ? run(narrower, "old") : undefined,
    });
    return;
  }
  if (!oldRuns || !newRuns) return;
  if (oldRuns.key !== newRuns.key) out.add("run-key-changed", ["runs", "key"], `runs are now grouped by "${newRuns.key}" instead of "${oldRuns.key}"`);
  const lost = findRunDifference(oldRuns.ast, newRuns.ast);
  const patterns = `(was "${oldRuns.pattern}", now "${newRuns.pattern}")`;
  // Events the old pattern names and the new one does not are ignored by the new monitors, which
  // lets them appear anywhere: a widening only by that artefact is part of the narrowing (dropping
  // `upload_failed` from `(upload_done | upload_failed)` is one change), unless nothing narrowed.
  // Undecided either way is taken as changed both ways (breaking), as for schema patterns: never "no
  // changes". Undecided one way, the other way is not searched (a second search to its budget).
  const samePattern = formatRunPattern(oldRuns.ast) === formatRunPattern(newRuns.ast);
  const gainedRun = () => {
    const strictlyGained = findRunDifference(newRuns.ast, oldRuns.ast, { strict: true });
    return strictlyGained ?? (lost ? undefined : findRunDifference(newRuns.ast, oldRuns.ast));
  };
  const gained = isUndecided(lost) && !samePattern ? undefined : gainedRun();
  const undecided = [lost, gained].find(isUndecided);
  if (undecided && !samePattern) {
    out.add(
      "run-pattern-narrowed",
      ["runs", "pattern"],
      `could not compare the run patterns ${patterns}: ${undecided.undecided}, so the pattern is taken as changed both ways`,
    );
  } else {
    if (lost && !isUndecided(lost))
      out.add("run-pattern-narrowed", ["runs", "pattern"], `the run pattern no longer accepts ${show(lost)} ${patterns}`, { witness: run(lost, "old") });
    if (gained && !isUndecided(gained))
      out.add("run-pattern-widened", ["runs", "pattern"], `the run pattern now also accepts ${show(gained)} ${patterns}`, {
        direction,
        witness: run(gained, "new"),
      });
  }

  // Who sends each event the new pattern names, with the new server and old clients: the server
  // what the new contract lets it send, clients what the old one did. An event neither sends (a
  // server-to-client event turned client-to-server) never reaches a monitor, and runs that need it
  // stop short.
  const unsent = new Set(
    [...eventsOfPattern(newRuns.ast)].filter((name) => {
      const now = newContract.events.find((e) => e.name === name);
      const before = oldContract.events.find((e) => e.name === name);
      return now?.direction === "client-to-server" && before?.direction === "server-to-client";
    }),
  );
  if (unsent.size === 0) return;
  const stalled = findStalledRun(oldRuns.ast, newRuns.ast, unsent);
  if (!stalled) return;
  const listed = [...unsent]
    .sort()
    .map((n) => `"${n}"`)
    .join(", ");
  if (isUndecided(stalled)) {
    out.add(
      "run-cannot-complete",
      ["runs", "pattern"],
      `${listed} now flow${unsent.size === 1 ? "s" : ""} client-to-server only, and covenant could not tell whether runs of old parties still complete: ${stalled.undecided}, so they are taken as broken`,
    );
    return;
  }
  out.add(
    "run-cannot-complete",
    ["runs", "pattern"],
    `${listed} now flow${unsent.size === 1 ? "s" : ""} client-to-server only (${unsent.size === 1 ? "it was" : "they were"} server-to-client), so the run ${show(stalled.events)} of old parties arrives as ${show(stalled.produced)}, which the pattern "${newRuns.pattern}" rejects`,
    {
      witness: { kind: "run", events: stalled.events, produced: stalled.produced, acceptedBy: "old", rejectedBy: "new" },
    },
  );
}
