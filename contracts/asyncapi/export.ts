/**
 * A contract as an AsyncAPI 3.0 document, from the server's side: one channel (the WebSocket), one
 * message per event whose payload is the whole wire message (`{ <discriminator>: <event>,
 * <payloadField>: <payload> }`), a `send` operation per server-to-client event and a `receive`
 * operation per client-to-server one (both for `both`). What AsyncAPI has no word for (the lifecycle,
 * the states of each event, the envelope, the run pattern) travels in `x-covenant-*` extensions, so
 * `covenant import asyncapi` gives the same contract back.
 */
import { stringify } from "yaml";
import type { Contract, ContractEvent, JsonSchema, OutOfStatePolicy } from "../model.js";

export const ASYNCAPI_VERSION = "3.0.0";

/** `#/$defs/X` (how the loader rewrites every reference) -> `#/components/schemas/X`. */
function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/$defs/")) out[key] = `#/components/schemas/${value.slice("#/$defs/".length)}`;
    else if (key === "const" || key === "enum" || key === "default" || key === "examples") out[key] = value;
    else out[key] = rewriteRefs(value);
  }
  return out;
}

/** JSON Schema `true`/`false` as objects (AsyncAPI schema objects must be objects). */
function asObject(schema: JsonSchema): Record<string, unknown> {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  return rewriteRefs(schema) as Record<string, unknown>;
}

function wireSchema(contract: Contract, event: ContractEvent): Record<string, unknown> {
  const { discriminator, payloadField } = contract.envelope;
  const fields = (event.fields ?? []).map((name) => [name, asObject(contract.envelope.fields?.find((f) => f.name === name)?.schema ?? {})] as const);
  return {
    type: "object",
    required: [discriminator, ...(event.payloadOptional ? [] : [payloadField]), ...fields.map(([name]) => name)],
    properties: { [discriminator]: { const: event.name }, [payloadField]: asObject(event.payload), ...Object.fromEntries(fields) },
  };
}

/** An AsyncAPI operation id for an event and action (`[A-Za-z0-9_-]+`). */
export function operationId(action: "send" | "receive", event: string): string {
  return `${action}-${event}`.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** `x-covenant-openness`: what is declared open (closed is the default), for directions some event flows in. */
function opennessExtension(contract: Contract): Record<string, unknown> {
  const openness = contract.openness;
  if (!openness) return {};
  const sides = (["server-to-client", "client-to-server"] as const).filter(
    (side) => openness.events[side] === "open" && contract.events.some((e) => e.direction === side || e.direction === "both"),
  );
  const value = {
    ...(sides.length ? { events: Object.fromEntries(sides.map((side) => [side, "open"])) } : {}),
    ...(openness.enums === "open" ? { enums: "open" } : {}),
  };
  return Object.keys(value).length ? { "x-covenant-openness": value } : {};
}

/** The AsyncAPI 3.0 document of a contract, as plain data (keys in a fixed order). */
export function contractToAsyncApi(contract: Contract): Record<string, unknown> {
  const channel = contract.name;
  const messages: Record<string, unknown> = {};
  const channelMessages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const event of contract.events) {
    const { discriminator, payloadField } = contract.envelope;
    messages[event.name] = {
      name: event.name,
      ...(event.description ? { description: event.description } : {}),
      contentType: "application/json",
      payload: wireSchema(contract, event),
      ...(event.examples.length ? { examples: event.examples.map((example) => ({ payload: { [discriminator]: event.name, [payloadField]: example } })) } : {}),
      "x-covenant-direction": event.direction,
      "x-covenant-states": event.allStates ? "*" : event.states,
      ...(event.fields ? { "x-covenant-fields": event.fields } : {}),
      ...(event.payloadOptional ? { "x-covenant-payload-optional": true } : {}),
      ...(event.outOfState && event.outOfStateDeclared ? { "x-covenant-out-of-state": policyValue(event.outOfState) } : {}),
    };
    channelMessages[event.name] = { $ref: `#/components/messages/${event.name}` };
  }
  for (const action of ["send", "receive"] as const) {
    const direction = action === "send" ? "server-to-client" : "client-to-server";
    for (const event of contract.events.filter((e) => e.direction === direction || e.direction === "both")) {
      operations[operationId(action, event.name)] = {
        action,
        channel: { $ref: `#/channels/${channel}` },
        summary: `The server ${action === "send" ? "sends" : "receives"} ${event.name}.`,
        messages: [{ $ref: `#/channels/${channel}/messages/${event.name}` }],
      };
    }
  }
  const lifecycle = {
    initial: contract.lifecycle.initial,
    states: Object.fromEntries(
      contract.lifecycle.states.map((s) => [
        s.name,
        {
          ...(s.final ? { final: true } : {}),
          ...(Object.keys(s.on).length
            ? { on: Object.fromEntries(Object.entries(s.on).map(([t, to]) => [t, s.onEvent?.[t] !== undefined ? { to, event: s.onEvent[t] } : to])) }
            : {}),
          ...(s.timeout ? { timeout: { after: s.timeout.after, close: s.timeout.close.name } } : {}),
          ...(s.description ? { description: s.description } : {}),
        },
      ]),
    ),
  };
  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: contract.name,
      version: contract.version,
      ...(contract.description ? { description: contract.description } : {}),
    },
    defaultContentType: "application/json",
    channels: {
      [channel]: {
        address: null,
        title: `The ${contract.name} WebSocket`,
        messages: channelMessages,
      },
    },
    operations,
    components: {
      ...(Object.keys(contract.definitions).length
        ? { schemas: Object.fromEntries(Object.entries(contract.definitions).map(([name, schema]) => [name, asObject(schema)])) }
        : {}),
      messages,
    },
    "x-covenant-name": contract.name,
    "x-covenant-envelope": {
      discriminator: contract.envelope.discriminator,
      payloadField: contract.envelope.payloadField,
      ...(contract.envelope.fields ? { fields: Object.fromEntries(contract.envelope.fields.map((f) => [f.name, asObject(f.schema)])) } : {}),
    },
    "x-covenant-lifecycle": lifecycle,
    ...(contract.runs ? { "x-covenant-runs": { key: contract.runs.key, pattern: contract.runs.pattern } } : {}),
    ...opennessExtension(contract),
    ...closeExtensions(contract),
    ...(contract.unique
      ? {
          "x-covenant-unique": Object.fromEntries(
            contract.unique.map((rule) => [
              rule.name,
              {
                field: rule.field,
                from: rule.from,
                ...(rule.until.length > 0 ? { until: rule.until } : {}),
                close: rule.close.name,
                ...(rule.description !== undefined ? { description: rule.description } : {}),
              },
            ]),
          ),
        }
      : {}),
  };
}

function policyValue(policy: OutOfStatePolicy): unknown {
  return policy.action === "hold" ? "hold" : { reject: policy.close.name };
}

/**
 * `x-covenant-close-codes` and `x-covenant-inbound`: the declared close codes, the contract-wide
 * out-of-state policy (the one events without their own follow) and the invalid-message code, where
 * they are not the implicit 1008, and the wrong-direction code where declared.
 */
function closeExtensions(contract: Contract): Record<string, unknown> {
  const codes = contract.closeCodes ?? [];
  const declared = (name: string) => codes.some((c) => c.name === name);
  const fallback = contract.events.find((e) => e.outOfState !== undefined && !e.outOfStateDeclared)?.outOfState;
  const inbound = {
    ...(fallback && (fallback.action === "hold" || declared(fallback.close.name)) ? { outOfState: policyValue(fallback) } : {}),
    ...(contract.invalidClose && declared(contract.invalidClose.name) ? { invalid: contract.invalidClose.name } : {}),
    ...(contract.wrongDirectionClose ? { wrongDirection: contract.wrongDirectionClose.name } : {}),
  };
  return {
    ...(codes.length
      ? {
          "x-covenant-close-codes": Object.fromEntries(
            codes.map((c) => [String(c.code), { name: c.name, ...(c.description !== undefined ? { description: c.description } : {}) }]),
          ),
        }
      : {}),
    ...(Object.keys(inbound).length ? { "x-covenant-inbound": inbound } : {}),
  };
}

/** The document as YAML text (deterministic: same contract, same bytes). */
export function formatAsyncApiYaml(contract: Contract, source: string): string {
  const header = `# AsyncAPI ${ASYNCAPI_VERSION} document of the covenant contract ${source}.\n# Written by \`covenant export asyncapi\`; x-covenant-* carry what AsyncAPI has no word for (docs/asyncapi.md).\n`;
  return header + stringify(contractToAsyncApi(contract), { lineWidth: 0, aliasDuplicateObjects: false });
}
