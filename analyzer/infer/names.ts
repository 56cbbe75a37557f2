/**
 * Names the draft must not give twice: the contract loader refuses two events whose generated
 * payload types are the same (`agent_started`, `agent-started`), and a shared schema named like an
 * event's payload type (`JoinedPayload`) or the contract's generated API (`ChatMessage` in contract
 * `chat`). The later event is left out; a shared schema is renamed (`ChatMessageDef`).
 */
import { definitionIdentifiers, eventIdentifiers, reservedIdentifiers } from "../../contracts/load/identifiers.js";
import type { InferredEvent, InferredProtocol, SourceLocation } from "./model.js";

export interface NameWarning {
  at: SourceLocation | undefined;
  text: string;
}

function renameRefs(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => renameRefs(item, renames));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      if (key === "$ref" && typeof child === "string" && child.startsWith("#/$defs/")) return [key, `#/$defs/${renames.get(child.slice(8)) ?? child.slice(8)}`];
      return [key, renameRefs(child, renames)];
    }),
  );
}

export function resolveNameCollisions(protocol: InferredProtocol, contractName: string): { protocol: InferredProtocol; warnings: NameWarning[] } {
  const warnings: NameWarning[] = [];
  const taken = new Map<string, string>(reservedIdentifiers(contractName).map((id) => [id, "a generated API name"]));
  const events: InferredEvent[] = [];
  for (const event of protocol.events) {
    const clash = eventIdentifiers(event.name).find((id) => taken.has(id));
    if (clash !== undefined) {
      warnings.push({
        at: event.sources[0]?.at,
        text: `\`${event.name}\` would generate \`${clash}\`, as ${taken.get(clash)!} does: left out. Rename one of them in the draft.`,
      });
      continue;
    }
    for (const id of eventIdentifiers(event.name)) taken.set(id, `event \`${event.name}\``);
    events.push(event);
  }
  const renames = new Map<string, string>();
  for (const key of protocol.definitions.keys()) {
    let name = key;
    for (let n = 1; definitionIdentifiers(name).some((id) => taken.has(id)); n++) name = `${key}Def${n === 1 ? "" : n}`;
    for (const id of definitionIdentifiers(name)) taken.set(id, `shared schema \`${name}\``);
    if (name !== key) renames.set(key, name);
  }
  if (renames.size === 0 && events.length === protocol.events.length) return { protocol, warnings };
  const definitions = new Map(
    [...protocol.definitions]
      .map(([key, def]) => [renames.get(key) ?? key, { ...def, schema: renameRefs(def.schema, renames) as typeof def.schema }] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  );
  const renamed = events.map((event) =>
    event.payload ? { ...event, payload: { ...event.payload, schema: renameRefs(event.payload.schema, renames) as typeof event.payload.schema } } : event,
  );
  return { protocol: { ...protocol, events: renamed, definitions }, warnings };
}
