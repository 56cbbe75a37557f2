/**
 * The conformance vectors (`<name>.vectors.json`) replayed against what covenant generates for the
 * same contract: the TypeScript validators and lifecycle guard (imported for real), and Ajv with the
 * `<name>.schema.json` bundle. A peer in another language replays the same file the same way.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { toPascalCase } from "../../common/strings.js";
import { planGeneration } from "../../contracts/generate/index.js";
import { loadContract } from "../../contracts/index.js";
import type { VectorsFile } from "../../contracts/generate/vectors-format.js";
import { compileGenerated, generateInto, importGenerated, readGenerated } from "./generate-harness.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Contracts with queues, final states, `both` events, shared schemas, open and closed unions and enums. */
const CONTRACTS = [
  "contracts/agent-websocket.contract.yaml",
  "test/contracts/generate/device-hub.contract.yaml",
  "test/contracts/generate/lobby.contract.yaml",
  "test/contracts/generate/prototype-names.contract.yaml",
  "test/contracts/generate/vectors.contract.yaml",
  // Envelope fields (the operation id) and optional payloads; a per-id uniqueness rule on the id.
  "examples/graphql-ws/graphql-ws.covenant.yaml",
  // Per-id uniqueness rules on payload fields, opened by either side.
  "test/contracts/generate/jobs.contract.yaml",
];

type Path = (string | number)[];
interface Issue {
  path: readonly (string | number)[];
}
type ParseResult =
  | { success: true; data: unknown; unknown?: undefined; error?: undefined }
  | { success: false; error: { message: string; issues: readonly Issue[] }; unknown?: undefined }
  | { success: false; unknown: { event: string }; error?: undefined };
interface Connection {
  transition(name: string): string;
  emit(event: string, payload: unknown, fields?: Record<string, unknown>): "sent" | "queued";
}
type ErrorWithIssues = Error & { issues?: readonly Issue[] };
type Received = { kind: "deliver" | "held" } | { kind: "refused"; code: number; reason: string } | { kind: "ignored"; event: string };
interface ServerEndpoint {
  transition(name: string): string;
  receive(raw: string): Received;
  emit(event: string, payload: unknown, fields?: Record<string, unknown>): "sent" | "queued";
}
type CreateServer = (options: {
  send: (text: string) => void;
  close: (code: number, reason: string) => void;
  onDeliver: () => void;
  clock: { setTimeout: () => number; clearTimeout: () => void };
}) => ServerEndpoint;

/**
 * A fresh server endpoint (timers never fire) taken to `transitions`; what its `receive` does with
 * `message`, as a vector's outcome: deliver, hold, ignore, or close with the code it closed the socket with.
 */
function serverReceives(create: CreateServer, transitions: readonly string[], message: unknown): { action: string; code?: number } {
  const closes: number[] = [];
  const server = create({ send: () => {}, close: (code) => closes.push(code), onDeliver: () => {}, clock: { setTimeout: () => 0, clearTimeout: () => {} } });
  for (const t of transitions) server.transition(t);
  const result = server.receive(JSON.stringify(message));
  if (result.kind !== "refused") return { action: { deliver: "deliver", held: "hold", ignored: "ignore" }[result.kind] };
  expect(closes).toEqual([result.code]);
  return { action: "close", code: result.code };
}

function below(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}

function ajvPath(error: ErrorObject): Path {
  const path: Path =
    error.instancePath === ""
      ? []
      : error.instancePath
          .slice(1)
          .split("/")
          .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (params.missingProperty !== undefined) path.push(params.missingProperty);
  else if (params.additionalProperty !== undefined) path.push(params.additionalProperty);
  return path;
}

const vectorsSchema = JSON.parse(fs.readFileSync(path.join(repo, "schema/vectors.schema.json"), "utf8")) as Record<string, unknown>;

/** The envelope fields of a vector's message (`envelope.fields`), as `emit` takes them; undefined when it has none. */
function fieldsOf(vectors: VectorsFile, message: Record<string, unknown>): Record<string, unknown> | undefined {
  const names = (vectors.envelope.fields ?? []).filter((f) => f in message);
  return names.length === 0 ? undefined : Object.fromEntries(names.map((f) => [f, message[f]]));
}

describe.each(CONTRACTS.map((file) => [path.basename(file).replace(/\.(contract|covenant)\.yaml$/, ""), file]))("vectors of %s", (name, file) => {
  const contract = loadContract(path.join(repo, file));
  const base = toPascalCase(contract.name);
  let vectors: VectorsFile;
  let parse: (raw: unknown, direction?: "server-to-client" | "client-to-server") => ParseResult;
  let create: (options: { send: (text: string) => void }) => Connection;
  let createServer: CreateServer;
  let lifecycle: { LifecycleError: new () => Error; ContractError: new () => Error };
  let bundle: (value: unknown) => boolean;
  let bundleErrors: () => ErrorObject[];

  beforeAll(async () => {
    const outDir = await generateInto(contract, `vectors/${name}`);
    vectors = JSON.parse(readGenerated(outDir, `${contract.name}.vectors.json`)) as VectorsFile;
    const validators = await importGenerated<Record<string, unknown>>(outDir, `${contract.name}.validators.ts`);
    const mod = await importGenerated<Record<string, unknown>>(outDir, `${contract.name}.lifecycle.ts`);
    parse = validators[`parse${base}Message`] as typeof parse;
    create = mod[`create${base}Connection`] as typeof create;
    createServer = mod[`create${base}Server`] as CreateServer;
    lifecycle = mod as unknown as typeof lifecycle;
    // Own fields only, as the generated validators and JSON.stringify read a message (docs/runtime.md).
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, validateFormats: true, ownProperties: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readGenerated(outDir, `${contract.name}.schema.json`)) as object);
    bundle = (value) => validate(value);
    bundleErrors = () => validate.errors ?? [];
  });

  it("is a valid vectors file (schema/vectors.schema.json) with unique ids, a vector per state, event and direction", () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const validate = ajv.compile(vectorsSchema);
    expect(validate(vectors), JSON.stringify(validate.errors)).toBe(true);
    const ids = [...vectors.valid, ...vectors.invalid, ...vectors.unknown].map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Events without a valid payload (none given, none synthesized) are listed as skipped instead.
    const without = new Set(vectors.skipped.filter((s) => s.reason.startsWith("no valid payload could be built")).map((s) => s.schemaPath));
    const sides = contract.events.filter((e) => !without.has(`events.${e.name}.payload`)).reduce((n, e) => n + (e.direction === "both" ? 2 : 1), 0);
    expect(vectors.valid.length).toBe(contract.lifecycle.states.length * sides);
    expect(Object.keys(vectors.states)).toEqual(contract.lifecycle.states.map((s) => s.name));
  });

  it("valid messages: the parser and the bundle accept them, and the guard delivers, queues or refuses as the vector says", () => {
    for (const v of vectors.valid) {
      expect(parse(v.message).success, v.id).toBe(true);
      expect(bundle(v.message), `${v.id}: ${JSON.stringify(bundleErrors()[0])}`).toBe(true);
      if (v.direction === "client-to-server") {
        const outcome = serverReceives(createServer, vectors.states[v.state]!.transitions, v.message);
        expect(outcome, v.id).toEqual({ action: v.receive.action, ...(v.receive.code === undefined ? {} : { code: v.receive.code }) });
      } else expect(v.receive.action, v.id).toBe("deliver");
      const connection = create({ send: () => {} });
      for (const t of vectors.states[v.state]!.transitions) connection.transition(t);
      let action: string;
      try {
        action = connection.emit(v.event, v.message[vectors.envelope.payloadField], fieldsOf(vectors, v.message)) === "sent" ? "deliver" : "queue";
      } catch (error) {
        expect(error, v.id).toBeInstanceOf(lifecycle.LifecycleError);
        action = "refuse";
      }
      expect(action, v.id).toBe(v.send.action);
    }
  });

  it("invalid messages: the parser, the guard and the bundle refuse them at the vector's path (or below it)", () => {
    for (const v of vectors.invalid) {
      const parsed = parse(v.message);
      expect(parsed.success, v.id).toBe(false);
      expect(
        parsed.error?.issues.some((i) => below(i.path, v.path)),
        `${v.id}: ${parsed.error?.message}`,
      ).toBe(true);
      expect(bundle(v.message), v.id).toBe(false);
      expect(
        bundleErrors().some((e) => below(ajvPath(e), v.path)),
        `${v.id}: ${JSON.stringify(bundleErrors().slice(0, 3))}`,
      ).toBe(true);
      // The sender's guard, in a state that allows the event: a ContractError naming the place.
      const state = contract.events.find((e) => e.name === v.event)!.states[0]!;
      const connection = create({ send: () => {} });
      for (const t of vectors.states[state]!.transitions) connection.transition(t);
      let thrown: ErrorWithIssues | undefined;
      try {
        connection.emit(v.event, v.message[vectors.envelope.payloadField], fieldsOf(vectors, v.message));
      } catch (error) {
        thrown = error as ErrorWithIssues;
      }
      expect(thrown, v.id).toBeInstanceOf(lifecycle.ContractError);
      expect(
        thrown!.issues!.some((i) => below(i.path, v.path)),
        `${v.id}: ${thrown!.message}`,
      ).toBe(true);
      expect(v.send.action).toBe("refuse");
      // The server endpoint closes with `inbound.invalid`'s code.
      if (v.direction === "client-to-server") {
        expect(v.receive, v.id).toMatchObject({ action: "close", code: contract.invalidClose?.code ?? 1008 });
        expect(serverReceives(createServer, [], v.message), v.id).toEqual({ action: "close", code: v.receive.code });
      } else expect(v.receive.action, v.id).toBe("refuse");
    }
  });

  it("unknown event names: a validation failure at the discriminator where the union is closed, the parser's unknown-event result where it is open", () => {
    expect(vectors.unknown.length).toBeGreaterThan(0);
    for (const v of vectors.unknown) {
      const open = contract.openness?.events[v.direction] === "open";
      expect(v.receive.action, v.id).toBe(open ? "ignore" : v.direction === "client-to-server" ? "close" : "refuse");
      if (v.direction === "client-to-server") {
        expect(serverReceives(createServer, [], v.message), v.id).toEqual(
          open ? { action: "ignore" } : { action: "close", code: contract.invalidClose?.code ?? 1008 },
        );
      }
      const parsed = parse(v.message, v.direction);
      expect(parsed.success, v.id).toBe(false);
      if (v.receive.action === "ignore") expect(parsed, v.id).toEqual({ success: false, unknown: { event: v.message[vectors.envelope.discriminator] } });
      else
        expect(
          parsed.error?.issues.map((i: Issue) => i.path.join(".")),
          v.id,
        ).toContain(vectors.envelope.discriminator);
      expect(bundle(v.message), v.id).toBe(false);
    }
  });
  it("uniqueness sequences: the receiver's generated endpoint emits its own messages, receives the others, and answers the last as the vector says", () => {
    const sequences = vectors.sequences ?? [];
    expect(sequences.length > 0).toBe((contract.unique ?? []).length > 0);
    const ids = sequences.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const v of sequences) {
      const closes: number[] = [];
      const options = {
        send: () => {},
        close: (code: number) => closes.push(code),
        onDeliver: () => {},
        clock: { setTimeout: () => 0, clearTimeout: () => {} },
      };
      const endpoint = (v.receiver === "server" ? createServer : (lifecycle as unknown as Record<string, CreateServer>)[`create${base}Client`]!)(options);
      for (const t of vectors.states[v.state]!.transitions) endpoint.transition(t);
      const own = v.receiver === "server" ? "server-to-client" : "client-to-server";
      let last: { action: string; code?: number } | undefined;
      for (const [index, { direction, message }] of v.messages.entries()) {
        expect(parse(message).success, `${v.id}: message ${index} is valid`).toBe(true);
        if (direction === own) {
          const event = message[vectors.envelope.discriminator] as string;
          endpoint.emit(event, message[vectors.envelope.payloadField], fieldsOf(vectors, message));
          continue;
        }
        const result = endpoint.receive(JSON.stringify(message));
        last = result.kind === "refused" ? { action: "close", code: result.code } : { action: result.kind };
        if (index < v.messages.length - 1) expect(last, `${v.id}: message ${index}`).toEqual({ action: "deliver" });
      }
      expect(last, v.id).toEqual(v.receive.action === "close" ? { action: "close", code: v.receive.code } : { action: v.receive.action });
      expect(closes).toEqual(v.receive.action === "close" ? [v.receive.code] : []);
    }
  });
});

describe("the unknown-event result of an open union (vectors.contract.yaml: client-to-server open)", () => {
  let outDir: string;
  let parse: (raw: unknown, direction?: "server-to-client" | "client-to-server") => ParseResult;
  beforeAll(async () => {
    outDir = await generateInto(loadContract(path.join(repo, "test/contracts/generate/vectors.contract.yaml")), "vectors-unknown");
    parse = (await importGenerated<Record<string, unknown>>(outDir, "vector-room.validators.ts")).parseVectorRoomMessage as typeof parse;
  });

  it.each([
    {
      name: "open direction: unknown, not a failure",
      direction: "client-to-server" as const,
      raw: '{"type":"shout","data":1}',
      expected: { success: false, unknown: { event: "shout" } },
    },
    { name: "closed direction: a validation failure", direction: "server-to-client" as const, raw: '{"type":"shout","data":1}', expected: "failure" },
    { name: "no direction, one union closed: a validation failure", direction: undefined, raw: { type: "shout", data: {} }, expected: "failure" },
    { name: "a known event with a bad payload stays a failure", direction: "client-to-server" as const, raw: { type: "post", data: {} }, expected: "failure" },
    {
      name: "an inherited discriminator is not a name",
      direction: "client-to-server" as const,
      raw: Object.create({ type: "shout" }) as object,
      expected: "failure",
    },
    { name: "a name that is not a string is a failure", direction: "client-to-server" as const, raw: { type: 7, data: {} }, expected: "failure" },
  ])("$name", ({ direction, raw, expected }) => {
    const parsed = parse(raw, direction);
    if (expected === "failure") expect(!parsed.success && parsed.error !== undefined).toBe(true);
    else expect(parsed).toEqual(expected);
  });

  it("type-checks with the strictest options", () => {
    expect(compileGenerated(outDir, "nodenext")).toEqual([]);
  });
});

describe("vectors.contract.yaml (every kind of constraint)", () => {
  it("has an invalid vector for each breakable constraint, and says why for the rest", async () => {
    const contract = loadContract(path.join(repo, "test/contracts/generate/vectors.contract.yaml"));
    const files = await planGeneration([contract], { outDir: path.join(repo, "test/__generated__/vectors-kinds") });
    const vectors = JSON.parse(files.find((f) => f.path.endsWith(".vectors.json"))!.content) as VectorsFile;
    const constraints = new Set(vectors.invalid.map((v) => v.constraint));
    for (const keyword of [
      "type",
      "enum",
      "const",
      "minimum",
      "exclusiveMaximum",
      "multipleOf",
      "minLength",
      "maxLength",
      "pattern",
      "format",
      "minItems",
      "maxItems",
      "uniqueItems",
      "required",
      "additionalProperties",
      "maxProperties",
    ]) {
      expect(constraints, keyword).toContain(keyword);
    }
    expect(vectors.skipped.map((s) => s.schemaPath)).toContain("events.post.payload.properties.body.oneOf");
    // `kind` is an open enum: an unlisted value is for receivers to ignore, so it gets no invalid vector.
    expect(vectors.skipped.map((s) => s.schemaPath)).toContain("events.post.payload.properties.kind.enum");
    expect(vectors.invalid.map((v) => v.schemaPath)).not.toContain("events.post.payload.properties.kind.enum");
    expect(vectors.invalid.map((v) => v.schemaPath)).toContain("definitions.Tag.enum");
    expect(vectors.valid.filter((v) => v.send.action === "queue").length).toBeGreaterThan(0);
    expect(vectors.valid.filter((v) => v.send.action === "refuse").length).toBeGreaterThan(0);
  });
});

describe("graphql-ws.covenant.yaml (receive-side policies)", () => {
  it("has server outcomes for each policy: deliver, hold, and close with the declared codes", async () => {
    const contract = loadContract(path.join(repo, "examples/graphql-ws/graphql-ws.covenant.yaml"));
    const files = await planGeneration([contract], { outDir: path.join(repo, "test/__generated__/vectors-policies") });
    const vectors = JSON.parse(files.find((f) => f.path.endsWith(".vectors.json"))!.content) as VectorsFile;
    const server = vectors.valid.filter((v) => v.direction === "client-to-server");
    expect(new Set(server.map((v) => v.receive.action))).toEqual(new Set(["deliver", "hold", "close"]));
    // `connection_init` twice: 4429; a message before the ack: 4401 (the contract's default); invalid: inbound.invalid.
    expect(new Set(server.filter((v) => v.receive.action === "close").map((v) => v.receive.code))).toEqual(new Set([4401, 4429]));
    expect(new Set(vectors.invalid.filter((v) => v.direction === "client-to-server").map((v) => v.receive.code))).toEqual(
      new Set([contract.invalidClose!.code]),
    );
  });
});
