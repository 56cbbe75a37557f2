/**
 * An AsyncAPI 3.x document as a covenant contract: its messages become events (direction from the
 * operations: the document is read as the server's, so `send` is server-to-client and `receive`
 * client-to-server; `x-covenant-direction` wins when present), their payloads the event payloads,
 * `components.schemas` the contract's `$defs`. The lifecycle, event states, envelope and run pattern
 * come from the `x-covenant-*` extensions `covenant export asyncapi` writes; without them the
 * contract gets a one-state lifecycle and comments saying what to fill in.
 */
import { Document, isMap } from "yaml";
import { CovenantError, type Problem } from "../../common/errors.js";
import { SourceDocument, type JsonPath } from "../load/source-document.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

interface ImportedEvent {
  name: string;
  direction: "server-to-client" | "client-to-server" | "both";
  states: string[] | "*";
  outOfState?: unknown;
  fields?: unknown[];
  payloadOptional?: true;
  description?: string;
  payload: unknown;
  examples: unknown[];
}

export interface ImportResult {
  /** The contract's name (kebab-case). */
  name: string;
  /** The contract as YAML text. */
  text: string;
  /** What the user still has to fill in (also written as comments into the contract). */
  todo: string[];
}

/** `Chat Service API` -> `chat-service-api`. */
function kebab(text: string): string {
  const name = text
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return /^[a-z]/.test(name) ? name : `api-${name || "contract"}`;
}

class Importer {
  readonly problems: Problem[] = [];
  constructor(
    private readonly source: SourceDocument,
    private readonly root: Json,
  ) {}

  error(path: JsonPath, message: string, code = "asyncapi-invalid"): void {
    this.problems.push({ code, file: this.source.file, ...this.source.valuePosition(path), message });
  }

  /** Follows a local `$ref` (`#/a/b`); an external one is an error. Returns the target and its path. */
  deref(value: unknown, at: JsonPath): { value: unknown; path: JsonPath } | undefined {
    let current = value;
    let path = at;
    for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
      const ref = current.$ref;
      if (!ref.startsWith("#/") || hops > 20) {
        this.error(
          [...path, "$ref"],
          `Cannot follow "${ref}": only references inside the document (#/...) are read, nothing is fetched. Inline the referenced part.`,
          "asyncapi-external-ref",
        );
        return undefined;
      }
      const keys = ref
        .slice(2)
        .split("/")
        .map((k) => decodeURIComponent(k).replace(/~1/g, "/").replace(/~0/g, "~"));
      let target: unknown = this.root;
      for (const key of keys) target = isObject(target) ? target[key] : Array.isArray(target) ? target[Number(key)] : undefined;
      if (target === undefined) {
        this.error([...path, "$ref"], `"${ref}" points to nothing in the document. Fix the reference.`, "asyncapi-broken-ref");
        return undefined;
      }
      current = target;
      path = keys;
    }
    return { value: current, path };
  }

  /** Payload schema references into components.schemas -> `#/$defs/`; any other reference is an error. */
  schema(value: unknown, at: JsonPath): unknown {
    if (Array.isArray(value)) return value.map((v, i) => this.schema(v, [...at, i]));
    if (!isObject(value)) return value;
    const out: Json = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") {
        const match = /^#\/components\/schemas\/([^/]+)$/.exec(child);
        if (match) out.$ref = `#/$defs/${match[1] ?? ""}`;
        else
          this.error(
            [...at, key],
            `Cannot import the reference "${child}": payload schemas may reference only #/components/schemas/<Name>. Inline it or move it there.`,
            "asyncapi-unsupported-ref",
          );
      } else if (key === "const" || key === "enum" || key === "default" || key === "examples") out[key] = child;
      else out[key] = this.schema(child, [...at, key]);
    }
    return out;
  }
}

/**
 * Reads an AsyncAPI 3.x document (YAML or JSON). Errors (not 3.x, not parseable, references it
 * cannot follow) throw one located CovenantError.
 */
export function importAsyncApi(file: string, text: string): ImportResult {
  const source = new SourceDocument(file, text);
  const syntax = source.syntaxErrors[0];
  if (syntax)
    throw new CovenantError({
      code: "asyncapi-syntax",
      file,
      ...syntax.position,
      message: `The document does not parse: ${syntax.detail}. Fix the YAML/JSON at this position.`,
    });
  const root = source.value;
  if (!isObject(root))
    throw new CovenantError({
      code: "asyncapi-invalid",
      file,
      ...source.rootPosition(),
      message: "An AsyncAPI document is a mapping with an `asyncapi` key. Give an AsyncAPI 3.x document.",
    });
  const version = root.asyncapi;
  if (typeof version !== "string" || !/^3\.\d+\.\d+$/.test(version)) {
    const what = version === undefined ? "has no `asyncapi` version" : `is AsyncAPI ${JSON.stringify(version)}`;
    throw new CovenantError({
      code: "asyncapi-version",
      file,
      ...(version === undefined ? source.rootPosition() : source.valuePosition(["asyncapi"])),
      message: `The document ${what}; covenant imports AsyncAPI 3.x only. Convert it first (e.g. with the AsyncAPI CLI's \`asyncapi convert\`).`,
    });
  }
  const im = new Importer(source, root);
  const todo: string[] = [];
  const info = isObject(root.info) ? root.info : {};
  const name = typeof root["x-covenant-name"] === "string" ? root["x-covenant-name"] : kebab(typeof info.title === "string" ? info.title : "imported");
  const contractVersion = typeof info.version === "string" && /^\d+\.\d+\.\d+/.test(info.version) ? info.version : "0.1.0";
  if (contractVersion !== info.version)
    todo.push(`version: info.version ${JSON.stringify(info.version)} is not a semantic version; set the protocol's version.`);

  // Envelope and lifecycle from the extensions, else defaults and a note.
  const envelopeExt = isObject(root["x-covenant-envelope"]) ? root["x-covenant-envelope"] : undefined;
  const envelope = {
    discriminator: typeof envelopeExt?.discriminator === "string" ? envelopeExt.discriminator : "type",
    payloadField: typeof envelopeExt?.payloadField === "string" ? envelopeExt.payloadField : "data",
    // Envelope fields beside the payload (graphql-ws's operation id).
    ...(isObject(envelopeExt?.fields)
      ? {
          fields: Object.fromEntries(Object.entries(envelopeExt.fields).map(([key, value]) => [key, im.schema(value, ["x-covenant-envelope", "fields", key])])),
        }
      : {}),
  };
  const lifecycleExt = isObject(root["x-covenant-lifecycle"]) ? root["x-covenant-lifecycle"] : undefined;
  const lifecycle = lifecycleExt ?? { initial: "open", states: { open: { on: { close: "closed" } }, closed: { final: true } } };
  if (!lifecycleExt)
    todo.push(
      "lifecycle: AsyncAPI has no connection lifecycle, so this contract has one working state, `open` (every event is allowed in it), and the final `closed`. Describe the real states (connecting, authenticated, closed, ...), their transitions, and the states each event is allowed in.",
    );
  if (!envelopeExt)
    todo.push(
      "envelope: each message payload was taken as the event's payload, sent as { type: <event>, data: <payload> }. If the wire messages carry the event name elsewhere, set envelope.discriminator and envelope.payloadField and strip that field from the payloads.",
    );
  const lifecycleStates = isObject(lifecycle.states) ? lifecycle.states : {};
  const openStates = Object.entries(lifecycleStates)
    .filter(([, s]) => !(isObject(s) && s.final === true))
    .map(([n]) => n);

  // Directions from the operations.
  const sides = new Map<string, Set<"send" | "receive">>();
  const operations = isObject(root.operations) ? root.operations : {};
  for (const [opName, opValue] of Object.entries(operations)) {
    const op = im.deref(opValue, ["operations", opName]);
    if (!op || !isObject(op.value)) continue;
    const action = op.value.action;
    if (action !== "send" && action !== "receive") continue;
    const refs = Array.isArray(op.value.messages) ? op.value.messages : [];
    refs.forEach((ref, i) => {
      const target = isObject(ref) && typeof ref.$ref === "string" ? ref.$ref : undefined;
      if (!target) return;
      const resolved = im.deref(ref, [...op.path, "messages", i]);
      if (!resolved) return;
      const key = resolved.path.join("/");
      if (!sides.has(key)) sides.set(key, new Set());
      sides.get(key)!.add(action);
    });
  }

  // Messages: those of the channels, in document order.
  const events: ImportedEvent[] = [];
  const seen = new Set<string>();
  const channels = isObject(root.channels) ? root.channels : {};
  if (Object.keys(channels).length > 1)
    todo.push(
      `channels: the document has ${Object.keys(channels).length} channels (${Object.keys(channels).join(", ")}); a covenant contract describes one WebSocket, so their messages were merged. Split the contract if they are separate connections.`,
    );
  for (const [channelName, channelValue] of Object.entries(channels)) {
    const channel = im.deref(channelValue, ["channels", channelName]);
    if (!channel || !isObject(channel.value)) continue;
    const messages = isObject(channel.value.messages) ? channel.value.messages : {};
    for (const [messageKey, messageValue] of Object.entries(messages)) {
      const at = [...channel.path, "messages", messageKey];
      const message = im.deref(messageValue, at);
      if (!message || !isObject(message.value)) continue;
      const m = message.value;
      const eventName = typeof m.name === "string" ? m.name : messageKey;
      if (seen.has(eventName)) continue;
      seen.add(eventName);
      // Operations may point at the channel's entry or (after following it) at the component.
      const actions = new Set([...(sides.get(at.join("/")) ?? []), ...(sides.get(message.path.join("/")) ?? [])]);
      const declared = m["x-covenant-direction"];
      let direction: ImportedEvent["direction"];
      if (declared === "server-to-client" || declared === "client-to-server" || declared === "both") direction = declared;
      else if (actions.size === 2) direction = "both";
      else if (actions.has("send")) direction = "server-to-client";
      else if (actions.has("receive")) direction = "client-to-server";
      else {
        direction = "both";
        todo.push(`events.${eventName}: no operation sends or receives this message, so its direction is "both". Set the real one.`);
      }
      const states =
        m["x-covenant-states"] === "*"
          ? "*"
          : Array.isArray(m["x-covenant-states"]) && m["x-covenant-states"].every((s) => typeof s === "string")
            ? m["x-covenant-states"]
            : openStates;
      let payload: unknown = m.payload === undefined ? {} : m.payload;
      const payloadAt = [...message.path, "payload"];
      // AsyncAPI's multi-format schema: { schemaFormat, schema }.
      if (isObject(payload) && "schemaFormat" in payload && "schema" in payload) payload = payload.schema;
      // A reference to a shared schema stays one (it becomes `#/$defs/<Name>`); others are followed.
      const shared = isObject(payload) && typeof payload.$ref === "string" && /^#\/components\/schemas\/[^/]+$/.test(payload.$ref);
      const resolvedPayload = shared ? { value: payload, path: payloadAt } : im.deref(payload, payloadAt);
      payload = resolvedPayload?.value;
      // Unwrap covenant's wire schema: { properties: { <discriminator>: { const: name }, <payloadField>: payload } }.
      if (envelopeExt && isObject(payload) && isObject(payload.properties) && envelope.payloadField in payload.properties)
        payload = payload.properties[envelope.payloadField];
      const examples = Array.isArray(m.examples)
        ? m.examples.flatMap((example) => {
            if (!isObject(example) || !("payload" in example)) return [];
            const wire = example.payload;
            return [envelopeExt && isObject(wire) && envelope.payloadField in wire ? wire[envelope.payloadField] : wire];
          })
        : [];
      events.push({
        name: eventName,
        direction,
        states: states.length ? states : openStates,
        ...(m["x-covenant-out-of-state"] !== undefined ? { outOfState: m["x-covenant-out-of-state"] } : {}),
        ...(Array.isArray(m["x-covenant-fields"]) ? { fields: m["x-covenant-fields"] } : {}),
        ...(m["x-covenant-payload-optional"] === true ? { payloadOptional: true as const } : {}),
        ...(typeof m.description === "string" ? { description: m.description } : typeof m.summary === "string" ? { description: m.summary } : {}),
        payload: im.schema(payload, resolvedPayload?.path ?? payloadAt),
        examples,
      });
    }
  }
  if (events.length === 0)
    im.error(["channels"], "The document's channels have no messages: there is no event to import. Add messages to a channel.", "asyncapi-no-messages");

  const components = isObject(root.components) ? root.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const defs = Object.fromEntries(Object.entries(schemas).map(([key, value]) => [key, im.schema(value, ["components", "schemas", key])]));
  if (im.problems.length) throw new CovenantError(im.problems);

  const runs = isObject(root["x-covenant-runs"]) ? root["x-covenant-runs"] : undefined;
  const openness = isObject(root["x-covenant-openness"]) ? root["x-covenant-openness"] : undefined;
  const contract: Json = {
    covenant: 1,
    name,
    version: contractVersion,
    ...(typeof info.description === "string" ? { description: info.description } : {}),
    lifecycle,
    envelope,
    events: Object.fromEntries(
      events.map((e) => [
        e.name,
        {
          direction: e.direction,
          states: e.states,
          ...(e.outOfState !== undefined ? { outOfState: e.outOfState } : {}),
          ...(e.fields !== undefined ? { fields: e.fields } : {}),
          ...(e.payloadOptional ? { payloadOptional: true } : {}),
          ...(e.description ? { description: e.description } : {}),
          payload: e.payload,
          ...(e.examples.length ? { examples: e.examples } : {}),
        },
      ]),
    ),
    ...(runs ? { runs } : {}),
    ...(openness ? { openness } : {}),
    ...(isObject(root["x-covenant-close-codes"]) ? { closeCodes: root["x-covenant-close-codes"] } : {}),
    ...(isObject(root["x-covenant-inbound"]) ? { inbound: root["x-covenant-inbound"] } : {}),
    ...(isObject(root["x-covenant-unique"]) ? { unique: root["x-covenant-unique"] } : {}),
    ...(Object.keys(defs).length ? { $defs: defs } : {}),
  };
  const doc = new Document(contract, { aliasDuplicateObjects: false });
  const header = [`Imported from ${file.split(/[\\/]/).pop() ?? file} (AsyncAPI ${version}) by \`covenant import asyncapi\`.`];
  if (todo.length) header.push("", "To fill in:", ...todo.map((t) => `- ${t}`));
  doc.commentBefore = header.map((l) => (l ? ` ${l}` : "")).join("\n");
  if (!lifecycleExt && isMap(doc.contents)) {
    const node = doc.contents.get("lifecycle", true);
    if (node) node.commentBefore = " TODO: one working state only; describe the connection's real lifecycle (see the header).";
  }
  return { name, text: doc.toString({ lineWidth: 0 }), todo };
}
