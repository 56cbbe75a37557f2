/**
 * covenant export asyncapi / import asyncapi: the documents pass the reference AsyncAPI parser with
 * no error (and nothing is fetched), and export then import gives a contract diff finds no change in.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { Parser } from "@asyncapi/parser";
import { parse as parseYaml } from "yaml";
import { contractToAsyncApi, formatAsyncApiYaml, importAsyncApi } from "../../contracts/asyncapi/index.js";
import { diffContracts } from "../../contracts/diff/index.js";
import { loadContract, loadContractFromText } from "../../contracts/index.js";
import { CovenantError } from "../../common/errors.js";
import { expectInputError, runCli } from "../cli/run-cli.js";
import { CASES_DIR } from "../diff/case-harness.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const BUNDLED = path.join(REPO, "contracts/agent-websocket.contract.yaml");
const EXAMPLES = [
  BUNDLED,
  path.join(REPO, "fixtures/contract-event/contracts/notifications.contract.yaml"),
  path.join(REPO, "examples/graphql-ws/graphql-ws.covenant.yaml"),
  path.join(REPO, "test/contracts/valid/inbound.contract.yaml"),
  ...["chat.contract.yaml", "chat.contract.json", "recursive.contract.yaml"].map((f) => path.join(REPO, "test/contracts/valid", f)),
];
const CASE_CONTRACTS = fs
  .readdirSync(CASES_DIR)
  .sort()
  .flatMap((c) => ["old", "new"].map((side) => path.join(CASES_DIR, c, `${side}.contract.yaml`)))
  .filter((f) => fs.existsSync(f));

/** The reference parser, with every resolver that could read a file or the network replaced by one that fails. */
const refuse = (schema: string) => ({
  schema,
  order: 0,
  canRead: true,
  read: () => Promise.reject(new Error(`the parser tried to read a ${schema} reference`)),
});
/**
 * Spectral (the parser's linter) keeps its Ajv instances per document, so each parse compiled the
 * AsyncAPI 3 JSON Schema again: ~0.35 CPU-s of the ~0.4 s a document took. The schema is the same
 * object every time (the parser keeps it), so its compiled validator is shared between documents
 * here; any other schema still gets the document's own instances. Every document is still validated
 * against the whole schema (see "still reports a document the AsyncAPI schema rejects").
 */
function shareAsyncApiSchemaValidators(): void {
  let ajvModule: { createAjvInstances?: () => (schema: { $id?: unknown }, dialect: string, allErrors: boolean) => unknown };
  try {
    // The module as the parser itself requires it (a dependency of its dependencies, not of covenant).
    const parserRequire = createRequire(createRequire(import.meta.url).resolve("@asyncapi/parser"));
    const spectralAjv = ["@stoplight/spectral-functions", "dist", "schema", "ajv.js"].join("/");
    ajvModule = parserRequire(spectralAjv) as typeof ajvModule;
  } catch {
    return; // another layout of the dependencies: each document compiles the schema, as the parser does on its own
  }
  const create = ajvModule.createAjvInstances;
  if (typeof create !== "function") return;
  const shared = create();
  ajvModule.createAjvInstances = () => {
    const own = create();
    return (schema, dialect, allErrors) =>
      (typeof schema.$id === "string" && schema.$id.startsWith("http://asyncapi.com/definitions/") ? shared : own)(schema, dialect, allErrors);
  };
}
shareAsyncApiSchemaValidators();
const parser = new Parser({ __unstable: { resolver: { cache: false, resolvers: [refuse("file"), refuse("http"), refuse("https")] } } });

async function parserErrors(text: string): Promise<string[]> {
  const { document, diagnostics } = await parser.parse(text);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-comparison -- 0 is DiagnosticSeverity.Error, of the parser's own copy of @stoplight/types
  const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code} at ${d.path.join(".")}: ${d.message}`);
  if (!document && errors.length === 0) errors.push("no document");
  return errors;
}

function roundTrip(file: string): { changes: string[]; text: string } {
  const contract = loadContract(file);
  const doc = formatAsyncApiYaml(contract, path.basename(file));
  const imported = importAsyncApi("doc.asyncapi.yaml", doc);
  const back = loadContractFromText(imported.text, path.join(path.dirname(file), "imported.contract.yaml"));
  const changes = diffContracts(contract, back).changes.map((c) => `${c.kind} ${c.rule} at ${c.path}: ${c.message}`);
  // The diff does not report openness itself: compare it directly.
  if (JSON.stringify(back.openness) !== JSON.stringify(contract.openness))
    changes.push(`openness ${JSON.stringify(contract.openness)} came back as ${JSON.stringify(back.openness)}`);
  // Nor envelope fields and optional payloads (graphql-ws's id): compare them directly.
  if (JSON.stringify(back.envelope) !== JSON.stringify(contract.envelope))
    changes.push(`envelope ${JSON.stringify(contract.envelope)} came back as ${JSON.stringify(back.envelope)}`);
  const wire = (c: typeof contract) => JSON.stringify(c.events.map((e) => [e.name, e.fields, e.payloadOptional]));
  if (wire(back) !== wire(contract)) changes.push(`event fields ${wire(contract)} came back as ${wire(back)}`);
  return { changes, text: imported.text };
}

describe("covenant export asyncapi", () => {
  it.each(EXAMPLES.map((f) => [path.relative(REPO, f), f]))("%s passes @asyncapi/parser with no error", async (_, file) => {
    expect(await parserErrors(formatAsyncApiYaml(loadContract(file), path.basename(file)))).toEqual([]);
  });

  // Every eighth case contract (the parser takes ~0.4 s a document; the round trip below covers them all).
  it("passes @asyncapi/parser on a spread of the diff case contracts", async () => {
    const failures: string[] = [];
    for (const file of CASE_CONTRACTS.filter((_, i) => i % 8 === 0)) {
      const errors = await parserErrors(formatAsyncApiYaml(loadContract(file), path.basename(file)));
      if (errors.length) failures.push(`${path.relative(CASES_DIR, file)}: ${errors.join("; ")}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it("still reports a document the AsyncAPI schema rejects (its compiled validator shared between documents)", async () => {
    const doc = parseYaml(formatAsyncApiYaml(loadContract(BUNDLED), "agent-websocket.contract.yaml")) as { info: unknown; channels: Record<string, unknown> };
    expect(await parserErrors(JSON.stringify(doc))).toEqual([]);
    const errors = await parserErrors(JSON.stringify({ ...doc, info: { title: 7 } }));
    expect(errors.join("\n")).toMatch(/info/);
    expect(await parserErrors(JSON.stringify({ ...doc, channels: { [Object.keys(doc.channels)[0]!]: { address: 42 } } }))).not.toEqual([]);
  });

  it("maps directions to the server's send and receive operations, and carries the lifecycle and runs as extensions", () => {
    const contract = loadContract(BUNDLED);
    const doc = contractToAsyncApi(contract) as {
      operations: Record<string, { action: string }>;
      "x-covenant-lifecycle": { initial: string };
      "x-covenant-runs": { pattern: string };
      components: { messages: Record<string, { payload: { properties: Record<string, unknown> } }> };
    };
    for (const event of contract.events) {
      const actions = Object.values(doc.operations)
        .filter((_, i) => Object.keys(doc.operations)[i]!.endsWith(`-${event.name}`))
        .map((o) => o.action)
        .sort();
      expect(actions, event.name).toEqual(event.direction === "both" ? ["receive", "send"] : event.direction === "server-to-client" ? ["send"] : ["receive"]);
      // The payload is the whole wire message.
      expect(doc.components.messages[event.name]!.payload.properties[contract.envelope.discriminator]).toEqual({ const: event.name });
    }
    expect(doc["x-covenant-lifecycle"].initial).toBe(contract.lifecycle.initial);
    expect(doc["x-covenant-runs"].pattern).toBe(contract.runs!.pattern);
  });

  it("is byte-identical from run to run", () => {
    const contract = loadContract(BUNDLED);
    expect(formatAsyncApiYaml(contract, "x")).toBe(formatAsyncApiYaml(loadContract(BUNDLED), "x"));
  });
});

describe("export then import", () => {
  it.each([...EXAMPLES, ...CASE_CONTRACTS].map((f) => [path.relative(REPO, f), f]))("%s: diff finds no change", (_, file) => {
    expect(roundTrip(file).changes).toEqual([]);
  });

  it("keeps descriptions and examples", () => {
    const { text } = roundTrip(BUNDLED);
    const original = parseYaml(fs.readFileSync(BUNDLED, "utf8"));
    const back = parseYaml(text);
    for (const [name, event] of Object.entries(original.events as Record<string, { description?: string; examples?: unknown[] }>)) {
      expect(back.events[name].description).toBe(event.description);
      expect(back.events[name].examples).toEqual(event.examples);
    }
  });
});

function problemsOf(run: () => unknown): { line: number; column: number; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof CovenantError) return error.problems;
    throw error;
  }
  throw new Error("expected a CovenantError");
}

describe("covenant import asyncapi", () => {
  const foreign = `asyncapi: 3.0.0
info:
  title: Chat Service
  version: 2.1.0
channels:
  room:
    address: /room
    messages:
      postMessage:
        $ref: '#/components/messages/postMessage'
      messagePosted:
        $ref: '#/components/messages/messagePosted'
operations:
  receivePost:
    action: receive
    channel: { $ref: '#/channels/room' }
    messages: [{ $ref: '#/channels/room/messages/postMessage' }]
  sendPosted:
    action: send
    channel: { $ref: '#/channels/room' }
    messages: [{ $ref: '#/channels/room/messages/messagePosted' }]
components:
  messages:
    postMessage:
      payload: { $ref: '#/components/schemas/Post' }
    messagePosted:
      summary: A message was posted.
      payload:
        type: object
        properties:
          post: { $ref: '#/components/schemas/Post' }
  schemas:
    Post:
      type: object
      required: [text]
      properties:
        text: { type: string, maxLength: 500 }
`;

  it("imports a document without covenant extensions: directions from operations, a one-state lifecycle and what to fill in", () => {
    const result = importAsyncApi("chat.asyncapi.yaml", foreign);
    expect(result.name).toBe("chat-service");
    const contract = loadContractFromText(result.text, path.join(os.tmpdir(), "chat-service.contract.yaml"));
    expect(contract.version).toBe("2.1.0");
    expect(contract.lifecycle).toEqual({
      initial: "open",
      states: [
        { name: "open", final: false, on: { close: "closed" } },
        { name: "closed", final: true, on: {} },
      ],
    });
    expect(contract.events.map((e) => [e.name, e.direction, e.states])).toEqual([
      ["postMessage", "client-to-server", ["open"]],
      ["messagePosted", "server-to-client", ["open"]],
    ]);
    expect(contract.events[0]!.payload).toEqual({ $ref: "#/$defs/Post" });
    expect(contract.events[1]!.description).toBe("A message was posted.");
    expect(Object.keys(contract.definitions)).toEqual(["Post"]);
    expect(result.text).toMatch(/^# Imported from chat\.asyncapi\.yaml \(AsyncAPI 3\.0\.0\)/);
    expect(result.text).toMatch(/# - lifecycle: AsyncAPI has no connection lifecycle/);
    expect(result.text).toMatch(/# TODO: one working state only/);
  });

  const bad: [string, string, { line: number; column: number }, RegExp][] = [
    [
      "an AsyncAPI 2 document",
      "asyncapi: 2.6.0\ninfo: { title: x, version: 1.0.0 }\nchannels: {}\n",
      { line: 1, column: 11 },
      /is AsyncAPI "2\.6\.0"; covenant imports AsyncAPI 3\.x only/,
    ],
    ["an OpenAPI document", "openapi: 3.1.0\ninfo: { title: x, version: 1.0.0 }\n", { line: 1, column: 1 }, /has no `asyncapi` version/],
    ["YAML that does not parse", "asyncapi: 3.0.0\ninfo: [\n", { line: 2, column: 7 }, /does not parse/],
    [
      "a reference to another file",
      foreign.replace("payload: { $ref: '#/components/schemas/Post' }", "payload: { $ref: 'https://example.com/post.json' }"),
      { line: 25, column: 24 },
      /only references inside the document .* nothing is fetched/,
    ],
    ["no messages", "asyncapi: 3.0.0\ninfo: { title: x, version: 1.0.0 }\nchannels: {}\n", { line: 3, column: 11 }, /no event to import/],
  ];
  it.each(bad)("reports %s as one located error", (_, text, at, message) => {
    const problems = problemsOf(() => importAsyncApi("doc.yaml", text));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject(at);
    expect(problems[0]!.message).toMatch(message);
  });
});

describe("the CLI", () => {
  it("exports, imports and diffs with no change; refuses to overwrite a contract; writes nothing on bad input", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-asyncapi-"));
    fs.copyFileSync(BUNDLED, path.join(dir, "agent-websocket.contract.yaml"));
    const exported = await runCli(["export", "asyncapi", "agent-websocket.contract.yaml"], dir);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toBe("wrote agent-websocket.asyncapi.yaml\n");
    expect((await runCli(["import", "asyncapi", "agent-websocket.asyncapi.yaml"], dir)).stderr).toMatch(
      /agent-websocket\.contract\.yaml {2}error {2}The contract already exists/,
    );
    const imported = await runCli(["import", "asyncapi", "agent-websocket.asyncapi.yaml", "-o", "back.contract.yaml"], dir);
    expect(imported.status, imported.stderr).toBe(0);
    const diff = await runCli(["diff", "agent-websocket.contract.yaml", "back.contract.yaml", "--format", "json"], dir);
    expect(diff.status).toBe(0);
    expect(JSON.parse(diff.stdout).changes).toEqual([]);

    fs.writeFileSync(path.join(dir, "v2.yaml"), "asyncapi: 2.6.0\ninfo: { title: x, version: 1.0.0 }\nchannels: {}\n");
    expectInputError(
      await runCli(["import", "asyncapi", "v2.yaml", "-o", "v2.contract.yaml"], dir),
      /^v2\.yaml:1:11 {2}error {2}The document is AsyncAPI "2\.6\.0"/m,
    );
    expect(fs.existsSync(path.join(dir, "v2.contract.yaml"))).toBe(false);
    expectInputError(await runCli(["export", "openapi", "agent-websocket.contract.yaml"], dir), /Unknown export format "openapi"/);
  });
});
