import path from "node:path";
import { CovenantError } from "../../common/errors.js";
import { EnvelopeSchema, EventSchema, LifecycleSchema, OpennessSchema, RunsSchema } from "../format/contract.schema.js";
import type { Contract, ContractEnvelope, ContractEvent, ContractState, EnvelopeField, JsonSchema, RunPattern, SourcePosition, UniqueRule } from "../model.js";
import { checkShape } from "./check-shape.js";
import { checkExamples, type ExampleSet } from "./check-examples.js";
import { checkEventStates, checkLifecycle, type LifecycleDocument, readLifecycleOutline, transitionTarget } from "./check-lifecycle.js";
import { checkInbound, type InboundRules } from "./check-inbound.js";
import { checkNameCollisions } from "./check-names.js";
import { checkRuns } from "./check-runs.js";
import { checkUnique, type UniqueEventInfo } from "./check-unique.js";
import { describeValue, didYouMean, ProblemCollector } from "./contract-errors.js";
import { SchemaBundler } from "./schema-bundle.js";
import { readSourceFile, SourceReadError } from "./read-source.js";
import { createAjv, isPlainObject, type SchemaObject } from "./schema-checks.js";
import { SourceDocument, type JsonPath } from "./source-document.js";

export interface LoadContractOptions {
  /**
   * The folder no `$ref` may leave (absolute, or relative to the working directory). Default: the
   * folder that holds the contract. A config's project root goes here.
   */
  root?: string;
  /** Reads a file as UTF-8 text; default `readSourceFile` (regular files only, strict UTF-8). For tests and in-memory sources. */
  readFile?: (file: string) => string;
}

/** The payload of an event that declares none: an empty object. */
export const EMPTY_PAYLOAD: JsonSchema = Object.freeze({ type: "object", additionalProperties: false });

/**
 * Reads, validates and resolves a contract file (YAML or JSON). Throws a `CovenantError` listing every
 * problem found, each with file, 1-based line and column, and a message saying what to do.
 */
export function loadContract(file: string, options: LoadContractOptions = {}): Contract {
  const absolute = path.resolve(file);
  const readFile = options.readFile ?? readSourceFile;
  let text: string;
  try {
    text = readFile(absolute);
  } catch (error) {
    const problems = new ProblemCollector();
    reportReadError(problems, absolute, error);
    throw new CovenantError(problems.list());
  }
  return loadContractFromText(text, absolute, options);
}

/** Like `loadContract`, with the text given; `file` names it in errors and anchors relative `$ref`s. */
export function loadContractFromText(text: string, file: string, options: LoadContractOptions = {}): Contract {
  const absolute = path.resolve(file);
  const root = path.resolve(options.root ?? path.dirname(absolute));
  const readFile = options.readFile ?? readSourceFile;
  const problems = new ProblemCollector();
  const source = new SourceDocument(absolute, text);

  // Layer 0: YAML.
  // Any YAML error (a repeated key included) makes the data ambiguous: stop before reading meaning into it.
  reportSyntaxErrors(source, problems);
  problems.throwIfAny();
  const raw = source.value;
  if (!isPlainObject(raw)) {
    problems.add("not-a-mapping", absolute, source.rootPosition(), {
      what: "a contract",
      found: describeValue(raw),
      fix: "Start from `covenant: 1`, `name`, `version`, `lifecycle` and `events` (see docs/contract-format.md).",
    });
    problems.throwIfAny();
  }
  const doc = raw as SchemaObject;

  // Layer 1: shape.
  const protoKeys = checkShape(source, problems);
  // zod's records drop a `__proto__` key (reported by checkShape): such a lifecycle is not sound.
  const lifecycleSound = !protoKeys.some((at) => at[0] === "lifecycle");

  // Layer 2: meaning, on every part that can be read, so that every independent mistake is reported in
  // one run; only what an earlier problem makes meaningless is held back (an example against a broken
  // schema, the ways out of a malformed state).
  const lifecycle = LifecycleSchema.safeParse(doc.lifecycle);
  const outline = lifecycleSound ? readLifecycleOutline(doc.lifecycle) : undefined;
  if (outline) checkLifecycle(source, problems, outline);
  const stateNames = outline ? [...outline.states.keys()] : undefined;
  /** `states: "*"`: every non-final state, in lifecycle order. */
  const nonFinal = outline ? [...outline.states].filter(([, s]) => !s.final).map(([name]) => name) : undefined;
  const envelope = EnvelopeSchema.safeParse(doc.envelope ?? {});
  if (envelope.success && envelope.data.discriminator === envelope.data.payloadField) {
    problems.add("envelope-field-collision", absolute, source.valuePosition(["envelope", "payloadField"]), { field: envelope.data.payloadField });
  }
  if (envelope.success) {
    for (const field of ["discriminator", "payloadField"] as const) {
      if (envelope.data[field] !== "__proto__") continue;
      problems.add("reserved-name", absolute, source.valuePosition(["envelope", field]), {
        what: `\`envelope.${field}\``,
        why: "the generated validators (zod) could not read that field of a message",
      });
    }
  }

  const documents = new Map<string, SourceDocument | { error: string; reported: boolean }>();
  const reportedDocs = new Set<SourceDocument>();
  const ajv = createAjv();
  const displayFile = (f: string) => path.relative(path.dirname(absolute), f).split(path.sep).join("/") || path.basename(f);
  const bundler = new SchemaBundler({
    contract: source,
    problems,
    ajv,
    displayFile,
    root,
    readDocument: (f) => {
      let loaded = documents.get(f);
      if (!loaded) {
        try {
          loaded = new SourceDocument(f, readFile(f));
        } catch (error) {
          // Bytes that are not UTF-8 are reported where they are; the `$ref` then just fails.
          const at = error instanceof SourceReadError ? error.position : undefined;
          if (at) problems.add("file-not-utf8", f, at, { detail: (error as SourceReadError).reason });
          loaded = { error: readErrorReason(error), reported: at !== undefined };
        }
        documents.set(f, loaded);
      }
      return loaded;
    },
    reportSyntaxErrors: (d) => {
      if (reportedDocs.has(d)) return;
      reportedDocs.add(d);
      reportSyntaxErrors(d, problems);
      if (d.syntaxErrors.length === 0 && d.value === undefined) {
        problems.add("not-a-mapping", d.file, d.rootPosition(), { what: "a referenced schema file", found: "empty", fix: "Write a JSON Schema in it." });
      }
    },
  });

  bundler.addContractDefinitions();
  const envelopeFields = readEnvelopeFields(source, problems, doc.envelope, envelope.success ? envelope.data : undefined, bundler);
  const rawEvents = isPlainObject(doc.events) ? doc.events : {};
  const events: ContractEvent[] = [];
  const payloads = new Map<string, JsonSchema | undefined>();
  const exampleSets: ExampleSet[] = [];
  const eventInfo = new Map<string, { direction: unknown; states: readonly string[] | undefined }>();
  for (const name of Object.keys(rawEvents)) {
    const rawEvent = rawEvents[name];
    const parsed = EventSchema.safeParse(rawEvent);
    const rawPayload = isPlainObject(rawEvent) ? rawEvent.payload : undefined;
    const payloadPath: JsonPath = ["events", name, "payload"];
    const before = problems.size;
    const payload = isPlainObject(rawPayload) ? bundler.preparePayload(payloadPath, rawPayload) : rawPayload === undefined ? EMPTY_PAYLOAD : undefined;
    // A payload with a problem of its own, or reaching a broken shared schema, is not checked against.
    const sound = payload !== undefined && problems.size === before && bundler.reachesOnlySound(payload);
    payloads.set(name, sound ? payload : undefined);
    if (isPlainObject(rawEvent) && Array.isArray(rawEvent.states)) checkEventStates(source, problems, name, rawEvent.states, stateNames);
    const rawStates = isPlainObject(rawEvent) ? rawEvent.states : undefined;
    const allStates = rawStates === "*" || (Array.isArray(rawStates) && rawStates.length === 1 && rawStates[0] === "*");
    const allowedIn = allStates ? nonFinal : Array.isArray(rawStates) ? rawStates.filter((s): s is string => typeof s === "string") : undefined;
    eventInfo.set(name, { direction: isPlainObject(rawEvent) ? rawEvent.direction : undefined, states: allowedIn });
    const lists = [
      { path: ["events", name, "examples"], items: isPlainObject(rawEvent) && Array.isArray(rawEvent.examples) ? (rawEvent.examples as unknown[]) : [] },
      { path: [...payloadPath, "examples"], items: isPlainObject(rawPayload) && Array.isArray(rawPayload.examples) ? (rawPayload.examples as unknown[]) : [] },
    ].filter((list) => list.items.length > 0);
    if (sound) exampleSets.push({ event: name, payload, lists, payloadPath });
    const carried = isPlainObject(rawEvent) ? checkEventFields(source, problems, name, rawEvent.fields, envelopeFields) : undefined;
    if (!parsed.success || payload === undefined) continue;
    events.push({
      name,
      direction: parsed.data.direction,
      // Not all states: then `states` is the list ("*" alone is allStates).
      states: allStates ? [...(nonFinal ?? [])] : [...(parsed.data.states as readonly string[])],
      ...(allStates ? { allStates: true as const } : {}),
      ...(parsed.data.description !== undefined ? { description: parsed.data.description } : {}),
      payload,
      ...(parsed.data.payloadOptional === true ? { payloadOptional: true as const } : {}),
      ...(carried !== undefined && carried.length > 0 ? { fields: carried } : {}),
      examples: lists.flatMap((list) => list.items),
    });
  }
  const definitions = bundler.sortedDefinitions();
  const soundDefinitions = Object.fromEntries(Object.entries(definitions).filter(([name]) => !bundler.broken.has(name)));
  checkExamples({ contract: source, problems, ajv, displayFile }, exampleSets, soundDefinitions, bundler.definitions);

  checkNameCollisions(source, problems, {
    contractName: typeof doc.name === "string" ? doc.name : undefined,
    states: stateNames ?? [],
    events: Object.keys(rawEvents),
    definitions: bundler.definitions,
  });

  let runs: Contract["runs"];
  const rawRuns = RunsSchema.safeParse(doc.runs);
  // The pattern is checked when it is a string, also when `key` is missing or malformed (then the key is not checked).
  if (isPlainObject(doc.runs) && typeof doc.runs.pattern === "string" && doc.runs.pattern !== "") {
    const key = typeof doc.runs.key === "string" && doc.runs.key !== "" ? doc.runs.key : undefined;
    const ast = checkRuns(source, problems, { key, pattern: doc.runs.pattern }, isPlainObject(doc.events) ? payloads : undefined, definitions);
    if (ast && rawRuns.success) runs = { key: rawRuns.data.key, pattern: rawRuns.data.pattern, ast };
  }

  const openness = readOpenness(source, problems, doc.openness, events);
  const inbound = checkInbound(source, problems, doc, eventInfo);
  const uniqueEvents = new Map<string, UniqueEventInfo>();
  for (const [name, info] of eventInfo) {
    const rawEvent = rawEvents[name];
    const rawFields = isPlainObject(rawEvent) ? rawEvent.fields : undefined;
    uniqueEvents.set(name, {
      direction: info.direction,
      fields: Array.isArray(rawFields) ? rawFields.filter((f): f is string => typeof f === "string") : [],
      payload: payloads.get(name),
    });
  }
  const unique = checkUnique(source, problems, doc.unique, uniqueEvents, definitions, inbound.resolveClose);
  problems.throwIfAny();
  for (const event of events) {
    const policy = inbound.policies.get(event.name);
    if (policy) Object.assign(event, { outOfState: policy.policy, ...(policy.declared ? { outOfStateDeclared: true } : {}) });
  }
  const { discriminator, payloadField } = envelope.data!;
  const contractEnvelope: ContractEnvelope = {
    discriminator,
    payloadField,
    ...(envelopeFields && envelopeFields.length > 0 ? { fields: envelopeFields } : {}),
  };
  return buildContract(source, doc, lifecycle.data!, contractEnvelope, events, definitions, runs, bundler, openness, inbound, unique);
}

/**
 * `envelope.fields`: each field's schema prepared as a payload's (`$ref`s resolved), in document
 * order; a field named as the discriminator or the payload field, or `__proto__`, is reported.
 * Undefined when `envelope` is malformed (reported by the shape check).
 */
function readEnvelopeFields(
  source: SourceDocument,
  problems: ProblemCollector,
  raw: unknown,
  envelope: { discriminator: string; payloadField: string } | undefined,
  bundler: SchemaBundler,
): EnvelopeField[] | undefined {
  if (envelope === undefined || !isPlainObject(raw) || !isPlainObject(raw.fields)) return envelope === undefined ? undefined : [];
  const fields: EnvelopeField[] = [];
  for (const [name, schema] of Object.entries(raw.fields)) {
    const at = source.entryPosition(["envelope", "fields", name]);
    if (name === "__proto__") {
      problems.add("reserved-name", source.file, at, {
        what: "an envelope field",
        why: "the generated validators (zod) could not read that field of a message",
      });
      continue;
    }
    const other = name === envelope.discriminator ? "discriminator" : name === envelope.payloadField ? "payloadField" : undefined;
    if (other !== undefined) {
      problems.add("envelope-field-taken", source.file, at, { field: name, other });
      continue;
    }
    if (!isPlainObject(schema)) continue; // the shape check reports it
    fields.push({ name, schema: bundler.preparePayload(["envelope", "fields", name], schema) });
  }
  return fields;
}

/** An event's `fields`: each a declared envelope field, none twice. The names when all are sound. */
function checkEventFields(
  source: SourceDocument,
  problems: ProblemCollector,
  event: string,
  raw: unknown,
  declared: readonly EnvelopeField[] | undefined,
): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const names = (declared ?? []).map((f) => f.name);
  const seen = new Set<string>();
  let sound = true;
  for (const [index, field] of raw.entries()) {
    if (typeof field !== "string") continue; // the shape check reports it
    const at = source.valuePosition(["events", event, "fields", index]);
    if (seen.has(field)) {
      problems.add("duplicate-envelope-field", source.file, at, { field, event });
      sound = false;
    } else if (declared !== undefined && !names.includes(field)) {
      problems.add("unknown-envelope-field", source.file, at, { field, event, didYouMean: didYouMean(field, names) });
      sound = false;
    }
    seen.add(field);
  }
  return sound ? raw.filter((f): f is string => typeof f === "string") : undefined;
}

function buildContract(
  source: SourceDocument,
  doc: SchemaObject,
  lifecycle: LifecycleDocument,
  envelope: ContractEnvelope,
  events: ContractEvent[],
  definitions: Record<string, JsonSchema>,
  runs: { key: string; pattern: string; ast: RunPattern } | undefined,
  bundler: SchemaBundler,
  openness: Contract["openness"],
  inbound: InboundRules,
  unique: UniqueRule[],
): Contract {
  const states: ContractState[] = Object.entries(lifecycle.states).map(([name, state]) => {
    const rules = inbound.states.get(name) ?? {};
    return {
      name,
      final: state.final === true,
      on: Object.fromEntries(Object.entries(state.on ?? {}).map(([t, value]) => [t, transitionTarget(value)!])),
      ...(rules.onEvent ? { onEvent: rules.onEvent } : {}),
      ...(rules.timeout ? { timeout: rules.timeout } : {}),
      ...(state.description !== undefined ? { description: state.description } : {}),
    };
  });
  const locate = (at: readonly (string | number)[]): SourcePosition => {
    if (at[0] === "definitions" && typeof at[1] === "string") {
      const definition = bundler.definitions.get(at[1]);
      if (definition?.origin.doc === source) return source.entryPosition([...definition.origin.path, ...at.slice(2)]);
      // A schema from another file: the `$ref` in this contract that first brought it in.
      let ref = definition?.firstRef;
      const seen = new Set<string>();
      while (ref && ref.doc !== source && !seen.has(ref.doc.file)) {
        seen.add(ref.doc.file);
        ref = [...bundler.definitions.values()].find((d) => d.origin.doc === ref!.doc && d.firstRef)?.firstRef;
      }
      if (ref?.doc === source) return source.entryPosition(ref.path);
    }
    return source.entryPosition(at);
  };
  return {
    file: source.file,
    formatVersion: 1,
    name: doc.name as string,
    version: doc.version as string,
    ...(typeof doc.description === "string" ? { description: doc.description } : {}),
    lifecycle: { initial: lifecycle.initial, states },
    envelope,
    events,
    definitions,
    ...(runs ? { runs } : {}),
    openness,
    closeCodes: inbound.closeCodes,
    invalidClose: inbound.invalidClose,
    ...(unique.length > 0 ? { unique } : {}),
    ...(inbound.wrongDirectionClose ? { wrongDirectionClose: inbound.wrongDirectionClose } : {}),
    locate,
  };
}

/** The declared openness, closed where not declared; a per-direction key for a direction no event flows in is an error. */
function readOpenness(source: SourceDocument, problems: ProblemCollector, raw: unknown, events: readonly ContractEvent[]): Contract["openness"] {
  const parsed = OpennessSchema.safeParse(raw);
  const value = raw !== undefined && parsed.success ? parsed.data : {};
  const sides = ["server-to-client", "client-to-server"] as const;
  const declared = value.events;
  const result: Contract["openness"] = { events: { "server-to-client": "closed", "client-to-server": "closed" }, enums: value.enums ?? "closed" };
  for (const side of sides) {
    const given = typeof declared === "string" ? declared : declared?.[side];
    if (given !== undefined) result.events[side] = given;
    if (typeof declared === "object" && declared[side] !== undefined && !events.some((e) => e.direction === side || e.direction === "both")) {
      problems.add("openness-no-union", source.file, source.entryPosition(["openness", "events", side]), { direction: side });
    }
  }
  return result;
}

function reportSyntaxErrors(source: SourceDocument, problems: ProblemCollector): void {
  for (const error of source.syntaxErrors) {
    if (error.kind === "duplicate-key") problems.add("duplicate-key", source.file, error.position, { key: error.detail });
    else if (error.kind === "multiple-documents") problems.add("multiple-documents", source.file, error.position);
    else if (error.kind === "non-json-value") problems.add("non-json-value", source.file, error.position, { value: error.detail });
    else problems.add("yaml-syntax", source.file, error.position, { detail: error.detail.replace(/\.$/, "") });
  }
}

function reportReadError(problems: ProblemCollector, file: string, error: unknown): void {
  const at = error instanceof SourceReadError ? error.position : undefined;
  if (at) problems.add("file-not-utf8", file, at, { detail: (error as SourceReadError).reason });
  else problems.add("file-unreadable", file, undefined, { file: displayPath(file), reason: readErrorReason(error) });
}

function readErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a folder";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}

function displayPath(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join("/") || file;
}
