import type { CloseCodeRef, Contract, ContractEvent, JsonSchema, OutOfStatePolicy } from "../model.js";
import { ExampleMaker } from "./examples.js";
import { buildGenerationModel, headerLine, type GenerationModel, type GenerationOptions } from "./names.js";
import { formatRunPattern } from "../pattern/index.js";
import { isSchemaObject, refTarget, schemaTypes, type SchemaObject } from "./schema-walk.js";

/** A change since a previous version of the contract (from `covenant diff`), for the docs. */
export interface DocsChange {
  kind: "breaking" | "warning" | "non-breaking";
  path: string;
  message: string;
}

export interface DocsOptions extends GenerationOptions {
  /**
   * Hook for `generate --base <git-ref>`: the changes since that version. When given, the docs
   * gain a "Changes since <base>" section.
   */
  changes?: { base: string; changes: readonly DocsChange[] };
}

/**
 * `<name>.md`: reviewer docs. The lifecycle as a Mermaid state diagram and a table of what each
 * state allows, the events with their payload fields, an example message per event, the run
 * pattern and the shared definitions.
 */
export function emitDocs(contract: Contract, options: DocsOptions): string {
  const model = buildGenerationModel(contract, options);
  const examples = new ExampleMaker(contract.definitions);
  const out: string[] = [`<!-- ${headerLine(model.source)} -->`, "", `# ${contract.name} ${contract.version}`, ""];
  if (contract.description !== undefined) out.push(contract.description.trim(), "");
  out.push(`Wire messages are JSON objects \`{ "${contract.envelope.discriminator}": <event>, "${contract.envelope.payloadField}": <payload> }\`.`, "");
  if (contract.envelope.fields !== undefined) {
    out.push(`Beside the payload, an event's messages carry the envelope fields it lists:`, "");
    for (const field of contract.envelope.fields) out.push(`- \`${field.name}\`: \`${JSON.stringify(field.schema)}\``);
    out.push("");
  }
  // Appended in loops: spreading a section of a contract with 10,000 events into push() overflows the stack.
  if (options.changes !== undefined) append(out, changesSection(options.changes));
  append(out, lifecycleSection(model));
  append(out, inboundSection(model));
  append(out, uniqueSection(model));
  append(out, closeCodesSection(model));
  append(out, eventsSection(model, examples));
  append(out, runsSection(model));
  append(out, definitionsSection(model));
  return `${out.join("\n").trimEnd()}\n`;
}

function changesSection(changes: NonNullable<DocsOptions["changes"]>): string[] {
  const out = [`## Changes since ${changes.base}`, ""];
  if (changes.changes.length === 0) return [...out, "No changes.", ""];
  out.push("| Kind | Where | Change |", "| --- | --- | --- |");
  for (const change of changes.changes) out.push(`| ${change.kind} | \`${cell(change.path)}\` | ${cell(change.message)} |`);
  return [...out, ""];
}

const MERMAID_RESERVED = new Set(["state", "note", "end", "direction", "classDef", "class", "style", "as", "fork", "join", "choice", "click"]);

function lifecycleSection(model: GenerationModel): string[] {
  const { contract } = model;
  const ids = new Map<string, string>();
  const declarations: string[] = [];
  const isPlain = (name: string) => /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !MERMAID_RESERVED.has(name);
  // A state's own name is its id when Mermaid can take it; the others get `s<index>`, never one
  // that another state already has (states `s1` and `note`: `note` must not become `s1`).
  const taken = new Set(contract.lifecycle.states.map((state) => state.name).filter(isPlain));
  contract.lifecycle.states.forEach((state, i) => {
    const plain = isPlain(state.name);
    let id = plain ? state.name : `s${i}`;
    for (let n = 2; !plain && taken.has(id); n++) id = `s${i}_${n}`;
    taken.add(id);
    ids.set(state.name, id);
    if (!plain) declarations.push(`  state "${mermaidText(state.name)}" as ${id}`);
  });
  const lines = ["```mermaid", "stateDiagram-v2", ...declarations, `  [*] --> ${ids.get(contract.lifecycle.initial) ?? "s0"}`];
  for (const state of contract.lifecycle.states) {
    for (const [transition, target] of Object.entries(state.on)) {
      const event = state.onEvent?.[transition];
      const label = event === undefined ? transition : `${transition} (on ${event})`;
      lines.push(`  ${ids.get(state.name) ?? state.name} --> ${ids.get(target) ?? target}: ${mermaidText(label)}`);
    }
  }
  for (const state of contract.lifecycle.states) if (state.final) lines.push(`  ${ids.get(state.name) ?? state.name} --> [*]`);
  // What closes or waits in a state is a note on it, not an edge (it leads to no declared state): its
  // timeout, the client messages the server holds there and those it rejects, with the close code.
  const policies = new Map(contract.lifecycle.states.map((state) => [state.name, statePolicies(contract, state)]));
  for (const state of contract.lifecycle.states) {
    const { held, rejected } = policies.get(state.name)!;
    const notes = [
      ...(state.timeout ? [`timeout ${state.timeout.after}, then close ${state.timeout.close.code} ${state.timeout.close.name}`] : []),
      ...(held.length > 0 ? [`holds ${someNames(held)} (until a state allows it)`] : []),
      ...rejected.map(({ close, events }) => `rejects ${someNames(events)} (close ${close.code} ${close.name})`),
    ].map(mermaidText);
    const id = ids.get(state.name) ?? state.name;
    if (notes.length === 1) lines.push(`  note right of ${id}: ${notes[0]!}`);
    else if (notes.length > 1) lines.push(`  note right of ${id}`, ...notes.map((note) => `    ${note}`), "  end note");
  }
  lines.push("```");

  // The timeout and out-of-state columns only when a state has one, so other contracts keep their table.
  const timeouts = contract.lifecycle.states.some((state) => state.timeout !== undefined);
  const outOfState = [...policies.values()].some(({ held, rejected }) => held.length > 0 || rejected.length > 0);
  const headings = [
    "State",
    "Transitions",
    "Allowed events",
    ...(timeouts ? ["Timeout"] : []),
    ...(outOfState ? ["Client messages out of state"] : []),
    "Description",
  ];
  const table = [`| ${headings.join(" | ")} |`, `| ${headings.map(() => "---").join(" | ")} |`];
  for (const state of contract.lifecycle.states) {
    const marks = [state.name === contract.lifecycle.initial ? "initial" : "", state.final ? "final" : ""].filter(Boolean);
    const name = `\`${cell(state.name)}\`${marks.length > 0 ? ` (${marks.join(", ")})` : ""}`;
    const transitions = Object.entries(state.on).map(([t, target]) => {
      const event = state.onEvent?.[t];
      return `\`${cell(t)}\` → \`${cell(target)}\`${event === undefined ? "" : ` (when \`${cell(event)}\` passes)`}`;
    });
    const allowed = model.events.filter((e) => e.event.states.includes(state.name)).map((e) => `\`${cell(e.event.name)}\``);
    const timeout = timeouts ? ` ${state.timeout ? `${cell(state.timeout.after)}, then close ${cell(closeText(state.timeout.close))}` : "—"} |` : "";
    const { held, rejected } = policies.get(state.name)!;
    const policyCell = [
      ...(held.length > 0 ? [`hold ${held.map((e) => `\`${cell(e)}\``).join(", ")}`] : []),
      ...rejected.map(({ close, events }) => `reject ${events.map((e) => `\`${cell(e)}\``).join(", ")}: close ${cell(closeText(close))}`),
    ];
    const policy = outOfState ? ` ${policyCell.join("<br>") || "—"} |` : "";
    table.push(`| ${name} | ${transitions.join("<br>") || "—"} | ${allowed.join(", ") || "—"} |${timeout}${policy} ${cell(state.description?.trim() ?? "")} |`);
  }
  return [
    "## Lifecycle",
    "",
    ...lines,
    "",
    "An event emitted in a state that does not allow it waits, in order, until a transition reaches a state that does.",
    ...(contract.lifecycle.states.some((state) => state.onEvent !== undefined)
      ? ["A transition marked with an event is taken when that event passes: by its sender when it sends it, by its receiver when it accepts it."]
      : []),
    ...(timeouts ? ["A state with a timeout must be left within that time, or the connection is closed with its code."] : []),
    ...(outOfState
      ? [
          "A client message that arrives in a state that does not allow it is held there (delivered, in order, once a state allows it) or rejected (the server closes with the code shown).",
        ]
      : []),
    "",
    ...table,
    "",
  ];
}

function eventsSection(model: GenerationModel, examples: ExampleMaker): string[] {
  const { contract } = model;
  const out = ["## Events", "", "| Event | Direction | Allowed in | Description |", "| --- | --- | --- | --- |"];
  for (const { event } of model.events) {
    const states = allowedText(event, cell) || "—";
    out.push(`| [\`${cell(event.name)}\`](#${anchor(event.name)}) | ${event.direction} | ${states} | ${cell(event.description ?? "")} |`);
  }
  out.push("");
  for (const names of model.events) {
    const { event } = names;
    out.push(`### ${event.name}`, "");
    if (event.description !== undefined) out.push(event.description.trim(), "");
    const carries = event.fields === undefined ? "" : ` Envelope fields: ${event.fields.map((f) => `\`${f}\``).join(", ")}.`;
    const optional = event.payloadOptional ? " The payload may be left out." : "";
    out.push(`${event.direction}; allowed in ${allowedText(event, (s) => s) || "no state"}. Payload type: \`${names.typeName}\`.${optional}${carries}`, "");
    if (event.outOfState !== undefined && contract.lifecycle.states.some((state) => !state.final && !event.states.includes(state.name)))
      out.push(
        `Out of state (sent by a client in another state): ${policyText(event.outOfState)}${event.outOfStateDeclared ? "" : " (the contract's default)"}.`,
        "",
      );
    append(out, fieldsTable(event.payload, model));
    const example = examples.exampleFor(event.payload, event.examples);
    const carried = (event.fields ?? []).flatMap((f) => {
      const schema = contract.envelope.fields?.find((d) => d.name === f)?.schema;
      const value = schema === undefined ? undefined : examples.exampleFor(schema, []);
      return value === undefined ? [] : [[f, value.value] as const];
    });
    if (example === undefined && event.payloadOptional === true) {
      const message = Object.fromEntries([[contract.envelope.discriminator, event.name], ...carried]);
      out.push("Example (generated from the schema):", "", "```json", JSON.stringify(message, null, 2), "```", "");
    } else if (example === undefined) {
      out.push("_No example: add `examples` to this event in the contract._", "");
    } else {
      const message = Object.fromEntries([[contract.envelope.discriminator, event.name], [contract.envelope.payloadField, example.value], ...carried]);
      out.push(event.examples.length > 0 ? "Example:" : "Example (generated from the schema):", "", "```json", JSON.stringify(message, null, 2), "```", "");
    }
  }
  return out;
}

/**
 * The client messages the server holds in a non-final state, and those it rejects there grouped by
 * close code (in the order of the events), by their out-of-state policies.
 */
function statePolicies(
  contract: Contract,
  state: Contract["lifecycle"]["states"][number],
): { held: string[]; rejected: { close: CloseCodeRef; events: string[] }[] } {
  const held: string[] = [];
  const rejected: { close: CloseCodeRef; events: string[] }[] = [];
  if (state.final) return { held, rejected };
  for (const event of contract.events) {
    const policy = event.outOfState;
    if (policy === undefined || event.states.includes(state.name)) continue;
    if (policy.action === "hold") held.push(event.name);
    else {
      const group = rejected.find((r) => r.close.code === policy.close.code);
      if (group) group.events.push(event.name);
      else rejected.push({ close: policy.close, events: [event.name] });
    }
  }
  return { held, rejected };
}

/** At most six event names, then how many more (the diagram stays readable; the table lists them all). */
function someNames(names: readonly string[]): string {
  return names.length <= 6 ? names.join(", ") : `${names.slice(0, 6).join(", ")} and ${names.length - 6} more`;
}

/** `4401 \`unauthorized\``: a close code as the docs show it. */
function closeText(close: CloseCodeRef): string {
  return `${close.code} \`${close.name}\``;
}

function policyText(policy: OutOfStatePolicy): string {
  return policy.action === "hold"
    ? "held, in order, until a state allows it, then delivered"
    : `rejected: the server closes the connection with ${closeText(policy.close)}`;
}

function allowedText(event: ContractEvent, quote: (text: string) => string): string {
  const states = event.states.map((s) => `\`${quote(s)}\``).join(", ");
  return event.allStates ? `every non-final state (\`*\`${states === "" ? "" : `: ${states}`})` : states;
}

/** What the server does with client messages that arrive out of state or invalid; only for contracts where clients send. */
function inboundSection(model: GenerationModel): string[] {
  const { contract } = model;
  const inbound = model.events.map((e) => e.event).filter((event) => event.outOfState !== undefined);
  const everywhere = (event: ContractEvent) => contract.lifecycle.states.every((state) => state.final || event.states.includes(state.name));
  if (inbound.length === 0) return [];
  const out = [
    "## Inbound messages",
    "",
    "What the server does with a client message that arrives in a state its event does not allow (too early or too late).",
    "",
    "| Event | Allowed in | Out of state |",
    "| --- | --- | --- |",
  ];
  for (const event of inbound) {
    const policy = everywhere(event)
      ? "— (allowed in every non-final state)"
      : event.outOfState!.action === "hold"
        ? "hold"
        : `reject: close ${cell(closeText((event.outOfState as { close: CloseCodeRef }).close))}`;
    out.push(
      `| \`${cell(event.name)}\` | ${allowedText(event, cell) || "—"} | ${policy}${event.outOfStateDeclared || everywhere(event) ? "" : " (default)"} |`,
    );
  }
  out.push("");
  const invalid = contract.invalidClose ?? { code: 1008, name: "policy_violation" };
  out.push(
    `A client message that is not valid (not JSON, an unknown event, a payload its schema rejects) closes the connection with ${closeText(invalid)}.`,
    "",
  );
  if (contract.wrongDirectionClose !== undefined)
    out.push(`A valid client message of an event only the server sends closes the connection with ${closeText(contract.wrongDirectionClose)}.`, "");
  return out;
}

/** Per-id uniqueness (`unique`): per rule, who opens ids with what, what ends them, and the close code. */
function uniqueSection(model: GenerationModel): string[] {
  const rules = model.contract.unique ?? [];
  if (rules.length === 0) return [];
  const names = (events: readonly string[]) => events.map((e) => `\`${cell(e)}\``).join(", ");
  const sender = new Map(
    model.contract.events.map((e) => [e.name, e.direction === "both" ? "either side" : e.direction === "client-to-server" ? "the client" : "the server"]),
  );
  const ends = (events: readonly string[]) => events.map((e) => `\`${cell(e)}\` (${sender.get(e) ?? "?"})`).join(", ");
  const out = [
    "## Unique ids",
    "",
    "One live id at a time: a message of an opening event opens the id it carries, and a message of an ending event with that id ends it, whoever sends it. " +
      "An opening message whose id is live closes the connection with the rule's code; the side that opens ids must not send one.",
    "",
    "| Rule | Id field | Opened by | Ended by | Live id reused | Description |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const rule of rules) {
    const opener = rule.opener === "client-to-server" ? "the client" : "the server";
    const carried = (events: readonly string[]) =>
      events.some((e) => rule.carriedIn[e] === "payload") ? (events.every((e) => rule.carriedIn[e] === "payload") ? " (payload)" : "") : " (envelope)";
    out.push(
      `| \`${cell(rule.name)}\` | \`${cell(rule.field)}\`${carried([...rule.from, ...rule.until])} | ${opener}: ${names(rule.from)} | ${rule.until.length === 0 ? "— (never reused on a connection)" : ends(rule.until)} | close ${cell(closeText(rule.close))} | ${cell(rule.description?.trim() ?? "")} |`,
    );
  }
  return [...out, ""];
}

function closeCodesSection(model: GenerationModel): string[] {
  const { contract } = model;
  const codes = contract.closeCodes ?? [];
  if (codes.length === 0) return [];
  const out = ["## Close codes", "", "| Code | Name | Used for | Description |", "| --- | --- | --- | --- |"];
  for (const code of codes) {
    const uses: string[] = [];
    for (const state of contract.lifecycle.states) if (state.timeout?.close.code === code.code) uses.push(`timeout in \`${cell(state.name)}\``);
    for (const event of contract.events) {
      const everywhere = contract.lifecycle.states.every((state) => state.final || event.states.includes(state.name));
      if (!everywhere && event.outOfState?.action === "reject" && event.outOfState.close.code === code.code) uses.push(`\`${cell(event.name)}\` out of state`);
    }
    if (contract.invalidClose?.code === code.code) uses.push("invalid message");
    for (const rule of contract.unique ?? []) if (rule.close.code === code.code) uses.push(`\`${cell(rule.field)}\` live (rule \`${cell(rule.name)}\`)`);
    if (contract.wrongDirectionClose?.code === code.code) uses.push("a server event from a client");
    out.push(`| ${code.code} | \`${cell(code.name)}\` | ${uses.join("<br>") || "—"} | ${cell(code.description?.trim() ?? "")} |`);
  }
  return [...out, ""];
}

function runsSection(model: GenerationModel): string[] {
  const runs = model.contract.runs;
  if (runs === undefined) return [];
  return [
    "## Runs",
    "",
    `Events that share a \`${runs.key}\` form one run, and a run follows this pattern (\`|\` or, \`*\` any number, \`+\` one or more, \`?\` optional):`,
    "",
    "```",
    formatRunPattern(runs.ast),
    "```",
    "",
  ];
}

function definitionsSection(model: GenerationModel): string[] {
  if (model.definitions.length === 0) return [];
  const out = ["## Definitions", ""];
  for (const def of model.definitions) {
    out.push(`### ${def.typeName}`, "");
    if (isSchemaObject(def.schema) && typeof def.schema.description === "string") out.push(def.schema.description.trim(), "");
    append(out, fieldsTable(def.schema, model));
  }
  return out;
}

interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  constraints: string;
  description: string;
}

function fieldsTable(schema: JsonSchema, model: GenerationModel): string[] {
  const rows: FieldRow[] = [];
  collectFields(schema, "", rows, model, 0);
  if (rows.length === 0) {
    const limits = constraints(schema);
    return [`Type: \`${typeText(schema, model)}\`${limits === "" ? "" : ` (${limits})`}.`, ""];
  }
  const out = ["| Field | Type | Required | Constraints | Description |", "| --- | --- | --- | --- | --- |"];
  for (const row of rows) {
    out.push(`| \`${cell(row.path)}\` | \`${cell(row.type)}\` | ${row.required ? "yes" : "no"} | ${cell(row.constraints)} | ${cell(row.description)} |`);
  }
  return [...out, ""];
}

function collectFields(schema: JsonSchema, prefix: string, rows: FieldRow[], model: GenerationModel, depth: number): void {
  if (!isSchemaObject(schema) || !isSchemaObject(schema.properties) || depth > 4) return;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  for (const [name, sub] of Object.entries(schema.properties)) {
    const path = prefix === "" ? name : `${prefix}.${name}`;
    const description = isSchemaObject(sub) && typeof sub.description === "string" ? sub.description.trim() : "";
    rows.push({ path, type: typeText(sub as JsonSchema, model), required: required.has(name), constraints: constraints(sub as JsonSchema), description });
    if (!isSchemaObject(sub)) continue;
    if (isSchemaObject(sub.properties)) collectFields(sub, path, rows, model, depth + 1);
    else if (isSchemaObject(sub.items) && isSchemaObject(sub.items.properties)) collectFields(sub.items, `${path}[]`, rows, model, depth + 1);
  }
}

/** A short TypeScript-like type for a schema, naming shared definitions by their type name. */
export function typeText(schema: JsonSchema, model: GenerationModel, depth = 0): string {
  if (schema === true) return "any";
  if (schema === false || !isSchemaObject(schema)) return "never";
  if (depth > 3) return "…";
  const sub = (s: unknown): string => typeText(s as JsonSchema, model, depth + 1);
  const target = refTarget(schema.$ref);
  if (target !== undefined) return model.definitions.find((d) => d.key === target)?.typeName ?? target;
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (Array.isArray(schema.oneOf)) return schema.oneOf.map(sub).join(" | ");
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map(sub).join(" | ");
  if (Array.isArray(schema.allOf)) return schema.allOf.map(sub).join(" & ");
  const types = schemaTypes(schema) ?? (isSchemaObject(schema.properties) ? ["object"] : schema.items !== undefined ? ["array"] : []);
  if (types.length === 0) return "any";
  return types
    .map((type) => {
      if (type === "array") {
        const item = schema.items === undefined ? "any" : sub(schema.items);
        return /[ |&]/.test(item) ? `(${item})[]` : `${item}[]`;
      }
      if (type === "string" && typeof schema.format === "string") return `string (${schema.format})`;
      return type;
    })
    .join(" | ");
}

function constraints(schema: JsonSchema): string {
  if (!isSchemaObject(schema)) return "";
  const parts: string[] = [];
  const s: SchemaObject = schema;
  const bound = (key: string, text: string): void => {
    if (typeof s[key] === "number" || typeof s[key] === "string") parts.push(`${text} ${String(s[key])}`);
  };
  bound("minimum", "≥");
  bound("exclusiveMinimum", ">");
  bound("maximum", "≤");
  bound("exclusiveMaximum", "<");
  bound("multipleOf", "multiple of");
  bound("minLength", "min length");
  bound("maxLength", "max length");
  bound("minItems", "min items");
  bound("maxItems", "max items");
  if (typeof s.pattern === "string") parts.push(`pattern \`${s.pattern}\``);
  if (s.uniqueItems === true) parts.push("unique items");
  if (s.additionalProperties === false && isSchemaObject(s.properties)) parts.push("no other fields");
  return parts.join(", ");
}

function append(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** Text safe in a Mermaid label: entity codes for the characters Mermaid gives meaning to. */
function mermaidText(text: string): string {
  return text.replace(/[;:#"<>{}[\]|]/g, (ch) => `#${ch.charCodeAt(0)};`);
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}
