/**
 * The draft contract as YAML (the `yaml` package's document model, so comments sit where they
 * belong): the envelope, a one-state lifecycle to fill in, each event with its direction and
 * payload, the shared `$defs`, and a comment at every place the inference could not convert or
 * made a choice. Same protocol in, same bytes out.
 */
import path from "node:path";
import { Document, isMap, isScalar, isSeq, type Node as YamlNode, Scalar, visit } from "yaml";
import type { Direction } from "../../contracts/model.js";
import type { InferredEvent, InferredProtocol, SchemaNote, SchemaPath, SourceLocation } from "./model.js";

export interface DraftOptions {
  /** The contract's name (kebab-case). */
  name: string;
  /** The tsconfig's folder: source locations in comments are relative to it. */
  root: string;
  /** The tsconfig, as the header names it. */
  tsconfig: string;
}

/** The single state of a draft lifecycle. */
export const DRAFT_STATE = "open";

const MAX_SOURCES = 3;

function relative(root: string, location: SourceLocation): string {
  const file = path.relative(root, location.file).split(path.sep).join("/");
  return `${file}:${location.line}:${location.column}`;
}

function getDirection(event: InferredEvent): { direction: Direction; comment: string } {
  const sides = new Set(event.hints.map((h) => h.side));
  const reasons = [...new Set(event.hints.map((h) => h.reason))].join("; ");
  if (sides.size === 0) return { direction: "both", comment: " could not tell which side sends it: set server-to-client or client-to-server" };
  if (sides.size === 2) return { direction: "both", comment: ` both sides send it (${reasons})` };
  return sides.has("server") ? { direction: "server-to-client", comment: ` from ${reasons}` } : { direction: "client-to-server", comment: ` from ${reasons}` };
}

function describeSources(event: InferredEvent, root: string): string {
  const lines = event.sources
    .slice(0, MAX_SOURCES)
    .map((source) =>
      source.kind === "union" ? ` member of ${source.union} (${relative(root, source.at)})` : ` sent by ${source.call} (${relative(root, source.at)})`,
    );
  if (event.sources.length > MAX_SOURCES) lines.push(` ... and ${event.sources.length - MAX_SOURCES} more`);
  return lines.join("\n");
}

function describeEnvelopeIssues(event: InferredEvent, protocol: InferredProtocol): string[] {
  const lines: string[] = [];
  const { discriminator, payloadField } = protocol;
  if (event.envelopeSiblings.length > 0) {
    lines.push(
      ` TODO: the code's messages also carry ${event.envelopeSiblings.map((s) => `\`${s}\``).join(", ")} beside \`${payloadField}\`; a contract envelope has only \`${discriminator}\` and \`${payloadField}\`.`,
    );
  }
  if (event.flat) lines.push(` TODO: the code sends these fields beside \`${discriminator}\`, not under \`${payloadField}\`: wrap them, or adapt at the edge.`);
  if (event.payloadOptional) lines.push(` TODO: the code may leave out \`${payloadField}\`; the contract always sends a payload.`);
  if (!event.payload) lines.push(" the code's messages carry no payload: an empty object here.");
  return lines;
}

function buildEvent(event: InferredEvent): Record<string, unknown> {
  const { direction } = getDirection(event);
  return {
    ...(event.description !== undefined ? { description: event.description } : {}),
    direction,
    states: [DRAFT_STATE],
    ...(event.payload ? { payload: event.payload.schema } : {}),
  };
}

/** Appends a comment line (or lines) before a node. */
function addComment(node: YamlNode | Scalar, text: string): void {
  node.commentBefore = node.commentBefore ? `${node.commentBefore}\n${text}` : text;
}

/** The node a comment about `path` goes before: the key of a mapping entry, an item of a list, the nearest one that exists. */
function findCommentTarget(doc: Document, path: SchemaPath): YamlNode | Scalar | undefined {
  for (let length = path.length; length > 0; length--) {
    const parent = length === 1 ? doc.contents : doc.getIn(path.slice(0, length - 1), true);
    const key = path[length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (pair && isScalar(pair.key)) return pair.key;
    } else if (isSeq(parent) && typeof key === "number") {
      const item = parent.items[key];
      if (item && (isScalar(item) || isMap(item) || isSeq(item))) return item;
    }
  }
  return undefined;
}

function noteText(note: SchemaNote, root: string): string {
  const where = note.at ? ` (${relative(root, note.at)})` : "";
  return note.kind === "unconvertible" ? ` TODO: ${note.text}${where}` : ` ${note.text}${where}`;
}

function commentAt(doc: Document, path: SchemaPath, text: string): void {
  const target = findCommentTarget(doc, path);
  if (target) addComment(target, text);
}

const HEADER = [
  " Drafted by `covenant infer` from {tsconfig}. Review it before use: the types it was",
  " drawn from say what a message holds, not when it may be sent. Lines marked TODO need a person:",
  " the lifecycle, the states of each event, which side sends what where the code does not say,",
  " and whatever the converter could not express. Then `covenant generate` it.",
];

export function writeDraft(protocol: InferredProtocol, options: DraftOptions): string {
  const data: Record<string, unknown> = {
    covenant: 1,
    name: options.name,
    version: "0.1.0",
    lifecycle: {
      initial: DRAFT_STATE,
      states: {
        [DRAFT_STATE]: {
          description: "The connection is open. (Drafted: replace with the states the connection goes through.)",
          final: true,
        },
      },
    },
    envelope: { discriminator: protocol.discriminator, payloadField: protocol.payloadField },
    events: Object.fromEntries(protocol.events.map((event) => [event.name, buildEvent(event)])),
  };
  if (protocol.definitions.size > 0) {
    data.$defs = Object.fromEntries(
      [...protocol.definitions].map(([key, def]) => [
        key,
        def.description !== undefined && def.schema.$ref === undefined ? { description: def.description, ...def.schema } : def.schema,
      ]),
    );
  }
  const doc = new Document(data);
  doc.commentBefore = HEADER.join("\n").replace("{tsconfig}", options.tsconfig);
  commentAt(
    doc,
    ["lifecycle"],
    [
      " TODO: one state for now, in which every event may be sent. Write the states a connection goes through",
      " (connecting, authenticated, ready, closed, ...) with the transitions between them (`on: { accept: accepted }`),",
      " mark the states it ends in `final: true`, and list under each event the states it may be sent in.",
    ].join("\n"),
  );
  commentAt(doc, ["envelope"], ` The wire message is { ${protocol.discriminator}: <event>, ${protocol.payloadField}: <payload> }.`);
  for (const event of protocol.events) {
    const base = ["events", event.name];
    commentAt(doc, base, describeSources(event, options.root));
    for (const line of describeEnvelopeIssues(event, protocol)) commentAt(doc, base, line);
    const direction = doc.getIn([...base, "direction"], true);
    if (isScalar(direction)) direction.comment = getDirection(event).comment;
    const states = doc.getIn([...base, "states"], true);
    if (isSeq(states)) states.comment = " TODO: the states it may be sent in";
    for (const note of event.payload?.notes ?? []) commentAt(doc, [...base, "payload", ...note.path], noteText(note, options.root));
  }
  for (const [key, def] of protocol.definitions) {
    for (const note of def.notes) commentAt(doc, ["$defs", key, ...note.path], noteText(note, options.root));
  }
  // Short lists of scalars (`required`, `enum`, `states`) read best on one line.
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item) && !item.commentBefore)) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
