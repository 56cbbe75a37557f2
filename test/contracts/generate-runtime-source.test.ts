import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { emitLifecycle, emitValidators } from "../../contracts/generate/index.js";
import {
  inlineRuntime,
  parseRegions,
  RUNTIME_FILES,
  runtimePath,
  runtimeRegion,
  runtimeRegions,
  STAND_IN_API,
  type RuntimeFile,
} from "../../contracts/generate/runtime-source.js";
import { HELPER_ORDER } from "../../contracts/generate/validators.js";
import { loadContract } from "../../contracts/index.js";
import type { Contract } from "../../contracts/model.js";
import { buildContract, type ContractSpec } from "./build-contract.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const runtimeFiles = RUNTIME_FILES.map((file) => path.join(repo, runtimePath(file)));

function parseTsconfig(name: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(repo, name), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (parsed === undefined) throw new Error(`${name} did not parse`);
  return parsed;
}

/** The text between `// #region <name>` and `// #endregion <name>`, found without the generator's parser. */
function sliceRegion(file: RuntimeFile, region: string): string {
  const text = fs.readFileSync(path.join(repo, runtimePath(file)), "utf8");
  const open = `// #region ${region}\n`;
  const start = text.indexOf(open);
  const end = text.indexOf(`\n// #endregion ${region}\n`, start);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return text.slice(start + open.length, end);
}

/** A contract with the stand-in's name, lifecycle and envelope (`<Name>` = `Protocol`), so the generated files use the runtime's own names. */
const protocol = (payload: ContractSpec["events"][string]["payload"]): ContractSpec => ({
  name: "protocol",
  initial: "connecting",
  states: { connecting: { on: { accept: "open", close: "closed" } }, open: { on: { close: "closed" } }, closed: { final: true } },
  events: {
    greeting: { states: ["connecting", "open"], payload },
    tick: { states: ["open"], payload: { type: "object", properties: { run_id: { type: "string" } }, required: ["run_id"] } },
  },
  runs: { key: "run_id", pattern: "tick+" },
});
const PLAIN = buildContract(protocol({ type: "object", properties: { text: { type: "string" } }, required: ["text"] }));
/** The same with its server-to-client event union open: the open union's message parser. */
const OPEN: Contract = { ...PLAIN, openness: { events: { "server-to-client": "open", "client-to-server": "closed" }, enums: "closed" } };
/** Every zod helper, and with patternProperties the field-name variant that escapes `__proto__`. */
const EVERY_HELPER = buildContract(
  protocol({
    type: "object",
    properties: {
      shape: { enum: [{ a: 1 }, "x"] },
      tags: { type: "array", uniqueItems: true, contains: { type: "string" } },
      n: { type: "number", not: { const: 3 } },
      either: { if: { type: "string" }, then: { minLength: 1 } },
      extras: { type: "object", patternProperties: { "^x": { type: "string" } } },
    },
  }),
);
const SLOTS = {
  initialState: '"connecting"',
  runKey: "run_id",
  payloadField: '"data"',
  invalidClose: "1008 policy_violation",
  wrongDirectionClose: "1008 policy_violation",
};

describe("contracts/runtime: the generated files' runtime, as source", () => {
  it("is part of the project (`tsc -p tsconfig.json --noEmit` checks it) and type-checks there", () => {
    const parsed = parseTsconfig("tsconfig.json");
    const included = new Set(parsed.fileNames.map((file) => path.resolve(file)));
    expect(runtimeFiles.filter((file) => !included.has(file))).toEqual([]);
    // `types: []`: the runtime runs in browsers too, so it must not lean on Node's or vitest's globals.
    const program = ts.createProgram(runtimeFiles, { ...parsed.options, types: [], noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  });

  it("is shipped as source (package.json `files`) and not compiled by the build", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as { files: string[] };
    expect(manifest.files).toContain("contracts/runtime");
    const built = parseTsconfig("tsconfig.build.json").fileNames.map((file) => path.relative(repo, file).split(path.sep).join("/"));
    expect(built.filter((file) => file.startsWith("contracts/runtime/"))).toEqual([]);
    expect(built).toContain("contracts/generate/runtime-source.ts");
  });

  it.each([
    ["lifecycle", "lifecycle"],
    ["run-monitor", "run-monitor"],
    ["validators", "validators"],
    ["validators", "parse-message"],
    ["validators", "validators-rest"],
    ["parse-message-open", "parse-message"],
    ["field-names-own", "field-names"],
    ["field-names-escaped", "field-names"],
    ...HELPER_ORDER.map((helper) => ["zod-helpers", helper]),
  ] as [RuntimeFile, string][])("%s.ts, region %s: the generator reads the text between its markers", (file, region) => {
    const text = sliceRegion(file, region);
    expect(text.trim()).not.toBe("");
    expect(runtimeRegion(file, region)).toBe(text);
  });

  // A definition `Foo` gets the constant `FooSchema` in the same file: a runtime value of that name would be declared twice, a type would share it.
  it("declares no top-level name a contract's schema constant may take (`<Type>Schema`), besides the API's own", () => {
    const api = new Set<string>(Object.values(STAND_IN_API));
    const declared: string[] = [];
    for (const file of RUNTIME_FILES) {
      for (const text of runtimeRegions(file).values()) {
        for (const statement of ts.createSourceFile("region.ts", text, ts.ScriptTarget.Latest).statements) {
          if (ts.isVariableStatement(statement)) {
            for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) declared.push(d.name.text);
          } else if ("name" in statement && statement.name !== undefined && ts.isIdentifier(statement.name as ts.Node)) {
            declared.push((statement.name as ts.Identifier).text);
          }
        }
      }
    }
    expect(declared).toContain("SchemaLike");
    expect(declared.filter((name) => name.endsWith("Schema") && !api.has(name))).toEqual([]);
  });

  it("is inlined as written into the files generated for a contract with the stand-in's names", async () => {
    const lifecycle = await emitLifecycle(PLAIN, { source: "protocol.contract.yaml" });
    const plain = await emitValidators(PLAIN, { source: "protocol.contract.yaml" });
    const everyHelper = await emitValidators(EVERY_HELPER, { source: "protocol.contract.yaml" });
    const inlined = (file: RuntimeFile, region: string) => inlineRuntime(file, region, STAND_IN_API, SLOTS);
    expect(lifecycle).toContain(inlined("lifecycle", "lifecycle"));
    expect(lifecycle).toContain(inlined("endpoints", "endpoints"));
    expect(lifecycle).toContain(inlined("run-monitor", "run-monitor"));
    const open = await emitValidators(OPEN, { source: "protocol.contract.yaml" });
    for (const region of ["validators", "parse-message", "validators-rest"]) expect(plain).toContain(inlined("validators", region));
    expect(plain).not.toContain("OPEN_UNIONS");
    for (const region of ["validators", "validators-rest"]) expect(open).toContain(inlined("validators", region));
    expect(open).toContain(inlined("parse-message-open", "parse-message"));
    expect(open).not.toContain(inlined("validators", "parse-message"));
    // The endpoints' `// #open-events` and `// #closed-events` lines: one variant each, no marker left.
    const openLifecycle = await emitLifecycle(OPEN, { source: "protocol.contract.yaml" });
    expect(openLifecycle).toContain(inlineRuntime("endpoints", "endpoints", STAND_IN_API, SLOTS, { openEvents: true }));
    expect(openLifecycle).toContain("const parsed = parseProtocolMessage(raw, theirs);");
    expect(openLifecycle).toContain("readonly onUnknownEvent?: (event: string) => void;");
    expect(lifecycle).toContain("const parsed = parseProtocolMessage(raw);");
    expect(lifecycle).not.toContain("onUnknownEvent");
    for (const text of [lifecycle, openLifecycle, plain, open]) expect(text).not.toMatch(/#(open|closed)-events/);
    expect(plain).toContain(inlined("field-names-own", "field-names"));
    expect(plain).not.toContain("PROTO_FIELD");
    expect(everyHelper).toContain(inlined("field-names-escaped", "field-names"));
    for (const helper of HELPER_ORDER) {
      expect(plain).not.toContain(`function ${helper}`);
      expect(everyHelper).toContain(inlined("zod-helpers", helper));
    }
  });

  it("fills the comments' slots and renames every stand-in API name to the contract's", async () => {
    const contract = loadContract(path.join(repo, "contracts/agent-websocket.contract.yaml"));
    const files = [await emitLifecycle(contract, { source: "x" }), await emitValidators(contract, { source: "x" })].join("\n");
    for (const name of Object.values(STAND_IN_API) as string[]) expect(files).not.toMatch(new RegExp(`(?<![\\w$])${name}(?![\\w$])`));
    expect(files).not.toMatch(/\{\{\w+\}\}/);
    expect(files).toContain("export function createAgentWebsocketConnection(options: AgentWebsocketConnectionOptions): AgentWebsocketConnection {");
    expect(files).toContain('/** The current lifecycle state (starts at "connecting"). */');
    expect(files).toContain("/** The run's `run_id`. */");
  });

  it("makes a slot's value safe for the comment it sits in", () => {
    const text = inlineRuntime("lifecycle", "lifecycle", STAND_IN_API, { initialState: '"a*/b"' });
    expect(text).toContain('(starts at "a*\\u002fb").');
  });
});

describe("runtime region markers: a broken one fails loudly", () => {
  it.each([
    ["a region never closed", "// #region a\nx\n", 'f.ts:1: region "a" is never closed'],
    ["a region closed under another name", "// #region a\nx\n// #endregion b\n", 'f.ts:3: "#endregion b" does not close region "a"'],
    ["an end without a start", "x\n// #endregion a\n", 'f.ts:2: "#endregion a" does not close any region'],
    ["nested regions", "// #region a\n// #region b\n// #endregion b\n// #endregion a\n", 'f.ts:2: region "b" starts inside region "a"'],
    ["a name used twice", "// #region a\n// #endregion a\n// #region a\n// #endregion a\n", 'f.ts:3: a second region "a"'],
    ["a marker without a name", "// #region\n", "f.ts:1: a region marker needs a name"],
  ])("%s", (_, text, message) => {
    expect(() => parseRegions(text, "f.ts")).toThrow(message);
  });

  it("reads the regions of a well-formed text, markers excluded", () => {
    const regions = parseRegions("head\n// #region a\none\n  two\n// #endregion a\nmiddle\n  // #region b\n// #endregion b\n", "f.ts");
    expect([...regions]).toEqual([
      ["a", "one\n  two"],
      ["b", ""],
    ]);
  });

  it("names the file and the marker when the generator asks for a region the runtime lacks", () => {
    expect(() => runtimeRegion("zod-helpers", "noSuchHelper")).toThrow(
      'contracts/runtime/zod-helpers.ts has no region "noSuchHelper" (`// #region noSuchHelper` … `// #endregion noSuchHelper`)',
    );
  });

  it("names the slot a region needs and was not given", () => {
    expect(() => inlineRuntime("run-monitor", "run-monitor", STAND_IN_API)).toThrow(
      'contracts/runtime/run-monitor.ts, region "run-monitor": no value for {{runKey}}',
    );
  });

  it("every runtime file parses, and has only the regions the generator reads", () => {
    const expected: Record<RuntimeFile, string[]> = {
      lifecycle: ["lifecycle"],
      endpoints: ["endpoints"],
      "run-monitor": ["run-monitor"],
      validators: ["validators", "parse-message", "validators-rest"],
      "parse-message-open": ["parse-message"],
      "field-names-own": ["field-names"],
      "field-names-escaped": ["field-names"],
      "zod-helpers": [...HELPER_ORDER],
    };
    for (const file of RUNTIME_FILES) expect([...runtimeRegions(file).keys()].sort()).toEqual([...expected[file]].sort());
  });
});
