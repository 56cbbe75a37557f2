/**
 * Layer 2 for `unique` (per-id uniqueness): every event a rule names is declared, carries the
 * rule's field (an envelope field in its `fields`, or a required property of its payload, never
 * both), the `from` events are sent by one side, no event both opens and ends an id, and `close`
 * names a declared close code.
 */
import type { CloseCodeRef, JsonSchema, UniqueRule } from "../model.js";
import { propertyInfo } from "./check-runs.js";
import { didYouMean, formatChoices, type ProblemCollector } from "./contract-errors.js";
import { isPlainObject } from "./schema-checks.js";
import type { JsonPath, SourceDocument } from "./source-document.js";

export interface UniqueEventInfo {
  direction: unknown;
  /** The envelope fields the event lists in `fields` (as written). */
  fields: readonly string[];
  /** The payload schema, undefined when it has problems of its own (then only the envelope is read). */
  payload: JsonSchema | undefined;
}

/** The rules as the model holds them (meaningful only when no problem was added). */
export function checkUnique(
  source: SourceDocument,
  problems: ProblemCollector,
  raw: unknown,
  events: ReadonlyMap<string, UniqueEventInfo>,
  definitions: Readonly<Record<string, JsonSchema>>,
  resolveClose: (at: JsonPath, value: unknown) => CloseCodeRef | undefined,
): UniqueRule[] {
  const rules: UniqueRule[] = [];
  if (!isPlainObject(raw)) return rules;
  const file = source.file;
  const eventNames = [...events.keys()];
  for (const [name, rule] of Object.entries(raw)) {
    if (!isPlainObject(rule)) continue; // the shape check reports it
    const base: JsonPath = ["unique", name];
    const field = typeof rule.field === "string" ? rule.field : undefined;
    const lists = { from: eventList(rule.from, [...base, "from"]), until: eventList(rule.until, [...base, "until"]) };
    const carriedIn: UniqueRule["carriedIn"] = {};
    const named = { from: [] as string[], until: [] as string[] };
    for (const key of ["from", "until"] as const) {
      for (const { event, at } of lists[key]) {
        const position = source.valuePosition(at);
        const info = events.get(event);
        if (info === undefined) {
          problems.add("unique-unknown-event", file, position, {
            rule: name,
            key,
            event,
            didYouMean: didYouMean(event, eventNames),
            events: formatChoices(eventNames),
          });
          continue;
        }
        if (named[key].includes(event)) {
          problems.add("unique-duplicate-event", file, position, { rule: name, key, event });
          continue;
        }
        named[key].push(event);
        if (key === "until" && named.from.includes(event)) {
          problems.add("unique-event-opens-and-ends", file, position, { rule: name, event });
          continue;
        }
        if (field === undefined) continue;
        const inEnvelope = info.fields.includes(field);
        const inPayload = info.payload === undefined ? undefined : propertyInfo(info.payload, field, definitions, new Set());
        if (inEnvelope && inPayload?.declared === true) {
          problems.add("unique-field-ambiguous", file, position, { rule: name, event, field });
        } else if (inEnvelope) {
          carriedIn[event] = "envelope";
        } else if (inPayload?.required === true && inPayload.declared) {
          carriedIn[event] = "payload";
        } else if (inPayload !== undefined) {
          problems.add("unique-field-not-carried", file, position, {
            rule: name,
            key,
            event,
            field,
            detail: inPayload.declared
              ? `\`${field}\` is an optional property of its payload, so a message may come without an id`
              : "it is neither an envelope field the event carries nor a property of its payload",
          });
        }
      }
    }
    const opener = checkOpener(source, problems, name, lists.from, events);
    const close = resolveClose([...base, "close"], rule.close);
    if (field === undefined || opener === undefined || close === undefined) continue;
    rules.push({
      name,
      field,
      from: named.from,
      until: named.until,
      opener,
      close,
      carriedIn,
      ...(typeof rule.description === "string" ? { description: rule.description } : {}),
    });
  }
  return rules;
}

/** `from` or `until` as written: one name, or a list of names; with where each is. */
function eventList(value: unknown, at: JsonPath): { event: string; at: JsonPath }[] {
  if (typeof value === "string") return [{ event: value, at }];
  if (!Array.isArray(value)) return [];
  return value.flatMap((event, index) => (typeof event === "string" ? [{ event, at: [...at, index] }] : []));
}

/** The one side that sends every `from` event; reported when one flows both ways or they differ. */
function checkOpener(
  source: SourceDocument,
  problems: ProblemCollector,
  rule: string,
  from: readonly { event: string; at: JsonPath }[],
  events: ReadonlyMap<string, UniqueEventInfo>,
): UniqueRule["opener"] | undefined {
  let opener: { direction: UniqueRule["opener"]; event: string } | undefined;
  let sound = true;
  for (const { event, at } of from) {
    const direction = events.get(event)?.direction;
    if (direction === "both") {
      problems.add("unique-from-both-directions", source.file, source.valuePosition(at), { rule, event });
      sound = false;
    } else if (direction === "client-to-server" || direction === "server-to-client") {
      if (opener === undefined) opener = { direction, event };
      else if (opener.direction !== direction) {
        problems.add("unique-from-mixed-directions", source.file, source.valuePosition(at), {
          rule,
          event: opener.event,
          direction: opener.direction,
          other: event,
          otherDirection: direction,
        });
        sound = false;
      }
    } else sound = false;
  }
  return sound ? opener?.direction : undefined;
}
