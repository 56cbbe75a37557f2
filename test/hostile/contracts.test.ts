import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { emitDocs, emitVectors } from "../../contracts/generate/index.js";
import { BIN } from "../cli/run-cli.js";
import { buildContract } from "../contracts/build-contract.js";

/**
 * Hostile and heavy inputs to the contract loader, `generate` and `diff` (issue 16), each run through
 * the built CLI as a child process with a time cap and a heap cap, so a hang or a blow-up is a failing
 * case, not a stuck CI job. Every input is made here, in a fresh temporary folder; large ones are
 * generated, never committed. Outcome: the exit code, and for exit 2 a located error on every line of
 * stderr (no stack trace, no internal error) and, unless said otherwise, nothing written.
 */

interface Outcome {
  status: 0 | 1 | 2;
  /** Must match stderr (for exit 2: the located error expected; one per input when a case runs several). */
  stderr?: RegExp | readonly RegExp[];
  stdout?: RegExp;
  /** Exit 2 writes nothing: `out/` stays absent or empty (default true for exit 2). */
  nothingWritten?: boolean;
  /** Further checks on what was written. */
  verify?: (dir: string, result: CliRun) => void;
}

interface HostileCase {
  /** What the input is, and the issue 16 item it comes from. */
  name: string;
  /** Writes the input into `dir` (empty) and returns the CLI arguments, run with `dir` as cwd. */
  arrange: (dir: string) => string[];
  expect: Outcome;
  /** Time cap in ms (default 20 s): past it the process is killed and the case fails. */
  cap?: number;
}

interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const HEAP_CAP_MB = 1024;

function runCapped(args: readonly string[], cwd: string, cap: number): CliRun {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  const result = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, BIN, ...args], {
    cwd,
    encoding: "utf8",
    timeout: cap,
    killSignal: "SIGKILL",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: "1" },
  });
  const error: NodeJS.ErrnoException | undefined = result.error;
  if (error?.code === "ETIMEDOUT") {
    throw new Error(`covenant ${args.join(" ")} did not finish within ${cap / 1000} s`);
  }
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

// ---------------------------------------------------------------------------------------------
// Inputs

const LIFECYCLE = `lifecycle:
  initial: open
  states:
    open: { on: { close: closed } }
    closed: { final: true }`;

/** A valid contract named `name` whose one event `ping` has this payload (YAML or JSON text, indented by the caller). */
function contract(options: { name?: string; payload?: string; extra?: string } = {}): string {
  return [
    "covenant: 1",
    `name: ${options.name ?? "hostile"}`,
    "version: 1.0.0",
    LIFECYCLE,
    "events:",
    "  ping:",
    "    direction: both",
    "    states: [open]",
    ...(options.payload === undefined ? [] : [`    payload: ${options.payload}`]),
    ...(options.extra === undefined ? [] : [options.extra]),
    "",
  ].join("\n");
}

/** A contract with events `ping` and `pong`, both carrying the run key `run`, and this run pattern. */
function runsContract(pattern: string): string {
  return contract({ payload: "{ type: object, required: [run], properties: { run: { type: string } } }" })
    .replace(
      "events:\n",
      "events:\n  pong:\n    direction: both\n    states: [open]\n    payload: { type: object, required: [run], properties: { run: { type: string } } }\n",
    )
    .concat(`runs:\n  key: run\n  pattern: "${pattern}"\n`);
}

function write(dir: string, file: string, text: string | Uint8Array): string {
  const full = path.join(dir, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return file;
}

/** Identifier tokens of TypeScript source, comments and string contents excluded: what would run. */
function codeIdentifiers(source: string): Set<string> {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, ts.LanguageVariant.Standard, source);
  const found = new Set<string>();
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.Identifier) found.add(scanner.getTokenValue());
  }
  return found;
}

/** The generated TypeScript holds no statement smuggled in as `INJECTED`, and the docs' header comment ends where it should. */
function expectNoInjection(outDir: string, name: string): void {
  const files = fs.readdirSync(outDir).filter((f) => f.startsWith(`${name}.`));
  expect(files.length).toBe(6);
  for (const file of files.filter((f) => f.endsWith(".ts"))) {
    const text = fs.readFileSync(path.join(outDir, file), "utf8");
    expect(text.split("\n")[0], file).toMatch(/^\/\/ Generated by covenant from .*\. Do not edit\.$/);
    expect(codeIdentifiers(text).has("INJECTED"), file).toBe(false);
  }
  const docs = fs.readFileSync(
    path.join(
      outDir,
      files.find((f) => f.endsWith(".md"))!,
    ),
    "utf8",
  );
  const firstLine = docs.split("\n")[0]!;
  expect(firstLine).toMatch(/^<!-- Generated by covenant from .*\. Do not edit\. -->$/);
  expect(firstLine.indexOf("-->")).toBe(firstLine.length - 3);
  expect(firstLine).not.toMatch(/--!>/);
  for (const file of files.filter((f) => f.endsWith(".json"))) {
    const json = JSON.parse(fs.readFileSync(path.join(outDir, file), "utf8")) as { $comment: string };
    expect(json.$comment, file).toMatch(/^Generated by covenant from /);
  }
}

/** Folder names that end a `//` comment, an HTML comment or a block comment if written verbatim. */
const COMMENT_BREAKERS: [string, string][] = [
  ["a newline", "a\nINJECTED=1;"],
  ["a carriage return", "a\rINJECTED=1;"],
  ["U+2028", "a\u2028INJECTED=1;"],
  ["U+2029", "a\u2029INJECTED=1;"],
  ["`-->` (ends the docs' HTML comment)", "a-->INJECTED"],
  ["`--!>` (also ends an HTML comment)", "a--!>INJECTED"],
  ["`*/`", "a*"],
];

const CASES: HostileCase[] = [
  {
    // One run: each contract is checked on its own files.
    name: `2: contract folders holding ${COMMENT_BREAKERS.map(([what]) => what).join(", ")} put no code or markup into the generated files; names, descriptions, enum values, property names and patterns stay strings or comments`,
    arrange: (dir) => {
      const files = COMMENT_BREAKERS.map(([, folder], i) =>
        write(dir, `${folder}/x/hostile-${i}.contract.yaml`, contract({ name: `hostile-${i}`, payload: '{ type: object, description: "*/ INJECTED=1; /*" }' })),
      );
      const hostile = "*/ INJECTED=1; /* \u2028INJECTED=2;\n--> INJECTED ` ${INJECTED} \\";
      const text = contract({
        payload: JSON.stringify({
          type: "object",
          description: hostile,
          properties: {
            [hostile]: { type: "string", enum: [hostile, "*/"], description: hostile, pattern: "^[*/]+$", examples: ["*/"] },
            [`${hostile}2`]: { const: hostile, title: hostile, $comment: hostile, default: hostile },
          },
        }),
        extra: `    description: ${JSON.stringify(hostile)}\ndescription: ${JSON.stringify(hostile)}`,
      });
      return ["generate", ...files, write(dir, "c/hostile.contract.yaml", text), "--out-dir", "out"];
    },
    expect: {
      status: 0,
      verify: (dir) => {
        for (let i = 0; i < COMMENT_BREAKERS.length; i++) expectNoInjection(path.join(dir, "out"), `hostile-${i}`);
        expectNoInjection(path.join(dir, "out"), "hostile");
      },
    },
  },
  {
    // One run: each input gets its own located error.
    name: "9: a `$ref` to a FIFO in the contract folder is refused at the `$ref`, a contract that is a FIFO and a device as the contract (/dev/zero) are refused, without blocking or reading forever",
    arrange: (dir) => {
      write(dir, "c/hostile.contract.yaml", contract({ payload: '{ $ref: "./pipe.schema.yaml" }' }));
      execFileSync("mkfifo", [path.join(dir, "c/pipe.schema.yaml"), path.join(dir, "pipe.contract.yaml")]);
      return ["generate", "c/hostile.contract.yaml", "pipe.contract.yaml", "/dev/zero", "--out-dir", "out"];
    },
    expect: {
      status: 2,
      stderr: [
        /^c\/hostile\.contract\.yaml:\d+:\d+ {2}error {2}`\$ref` `\.\/pipe\.schema\.yaml` does not resolve: cannot read `pipe\.schema\.yaml` \(it is a named pipe \(FIFO\), not a regular file\)/m,
        /^pipe\.contract\.yaml {2}error {2}cannot read `pipe\.contract\.yaml`: it is a named pipe \(FIFO\), not a regular file/m,
        /^(\.\.\/)*dev\/zero {2}error {2}cannot read `.*`: it is a character device, not a regular file/m,
      ],
    },
  },
  {
    // One run: each file gets its own located error.
    name: "22: Latin-1 bytes in a contract are refused at their line and column, and in a referenced schema file there, located",
    arrange: (dir) => {
      const text = contract({ name: "latin1", extra: "    description: caf\u00e9" }).replace("caf\u00e9", "caf\u0000");
      const bytes = Buffer.from(text, "utf8");
      bytes[bytes.indexOf(0)] = 0xe9; // é in Latin-1
      write(dir, "c/latin1.contract.yaml", bytes);
      write(dir, "c/hostile.contract.yaml", contract({ payload: '{ $ref: "./common.schema.yaml" }' }));
      write(dir, "c/common.schema.yaml", Buffer.concat([Buffer.from("type: object\ndescription: na"), Buffer.from([0xef, 0x76]), Buffer.from("e\n")]));
      return ["generate", "c/latin1.contract.yaml", "c/hostile.contract.yaml", "--out-dir", "out"];
    },
    expect: {
      status: 2,
      stderr: [
        /^c\/latin1\.contract\.yaml:13:21 {2}error {2}byte 0xE9 is not valid UTF-8 .*\. Save the file as UTF-8\.$/m,
        /^c\/common\.schema\.yaml:2:16 {2}error {2}byte 0xEF is not valid UTF-8/m,
      ],
    },
  },
  {
    name: "22: a UTF-8 byte order mark and multi-byte text are fine",
    arrange: (dir) => {
      write(dir, "c/bom.contract.yaml", `\uFEFF${contract({ extra: "    description: caf\u00e9 \u{1F600} \u2028 na\u00efve" })}`);
      return ["generate", "c/bom.contract.yaml", "--out-dir", "out"];
    },
    expect: { status: 0, verify: (dir) => expect(fs.readFileSync(path.join(dir, "out/hostile.md"), "utf8")).toContain("caf\u00e9 \u{1F600}") },
  },
  {
    name: "19: a payload nested 200 levels deep is one located schema-too-deep error, not a formatter stack overflow",
    arrange: (dir) => {
      let payload = '{ "type": "string" }';
      for (let i = 0; i < 200; i++) payload = `{ "type": "object", "properties": { "a": ${payload} } }`;
      write(dir, "c/hostile.contract.yaml", contract({ payload }));
      return ["generate", "c/hostile.contract.yaml", "--out-dir", "out"];
    },
    expect: { status: 2, stderr: /^c\/hostile\.contract\.yaml:13:\d+ {2}error {2}`events\.ping\.payload` nests schemas more than 64 levels deep/m },
  },
  {
    name: "19: a `$ref` chain through 1000 files is loaded without recursion, and too complex to generate is a located error",
    cap: 40_000,
    arrange: (dir) => {
      write(dir, "c/hostile.contract.yaml", contract({ payload: '{ $ref: "./s0.json" }' }));
      for (let i = 0; i < 1000; i++) {
        const next = i < 999 ? `{ "$ref": "./s${i + 1}.json" }` : '{ "type": "string" }';
        write(dir, `c/s${i}.json`, `{ "type": "object", "properties": { "a": ${next} } }\n`);
      }
      return ["generate", "c/hostile.contract.yaml", "--out-dir", "out"];
    },
    expect: { status: 2, stderr: /^c\/hostile\.contract\.yaml:2:1 {2}error {2}contract `hostile` is too complex to generate/m },
  },
  {
    name: "21: a cycle of 300 `$defs` is a valid recursive schema, and generates",
    cap: 40_000,
    arrange: (dir) => {
      const defs = Object.fromEntries(
        Array.from({ length: 300 }, (_, i) => [`N${i}`, { type: "object", properties: { next: { $ref: `#/$defs/N${(i + 1) % 300}` } } }]),
      );
      write(dir, "c/hostile.contract.yaml", `${contract({ payload: '{ $ref: "#/$defs/N0" }' })}$defs: ${JSON.stringify(defs)}\n`);
      return ["generate", "c/hostile.contract.yaml", "--out-dir", "out"];
    },
    expect: {
      status: 0,
      verify: (dir) => expect(fs.readFileSync(path.join(dir, "out/hostile.types.ts"), "utf8")).toMatch(/export interface N299 \{\s+next\?: N0;/),
    },
  },
  ...[
    ["/dev/null", /^(\.\.\/)*dev\/null\/hostile\.types\.ts {2}error {2}cannot write this generated file: `\/dev\/null` is not a folder\./m],
    ["/proc/self", /^(\.\.\/)*proc\/self\/hostile\.types\.ts {2}error {2}cannot write this generated file: .*Nothing was written\.$/m],
  ].map(([outDir, error]): HostileCase => ({
    name: `19: --out-dir ${String(outDir)} is a located error naming the file, nothing written`,
    arrange: (dir) => ["generate", write(dir, "c/hostile.contract.yaml", contract()), "--out-dir", outDir as string],
    expect: { status: 2, stderr: error as RegExp },
  })),
  ...[234, 300].map((length): HostileCase => ({
    name: `19: a ${length}-character contract name is a located error before anything is written (no partial set of files)`,
    arrange: (dir) => ["generate", write(dir, "c/long.contract.yaml", contract({ name: "a".repeat(length) })), "--out-dir", "out"],
    expect: {
      status: 2,
      stderr: new RegExp(
        `^c/long\\.contract\\.yaml:2:1 {2}error {2}contract name \`a+…\` \\(${length} characters\\) makes the generated file name .* Use a name of at most 228 characters\\.`,
        "m",
      ),
    },
  })),
  {
    name: "7: an example that makes a `pattern` backtrack exponentially stops at the time budget, located at the example",
    arrange: (dir) => {
      const payload = '{ type: object, properties: { s: { type: string, pattern: "^(a+)+$" } } }';
      write(dir, "c/redos.contract.yaml", contract({ payload, extra: `    examples:\n      - { s: "${"a".repeat(55)}!" }` }));
      return ["generate", "c/redos.contract.yaml", "--out-dir", "out"];
    },
    expect: {
      status: 2,
      stderr:
        /^c\/redos\.contract\.yaml:15:9 {2}error {2}example 0 of event `ping` could not be checked against its schema within 1 s: a `pattern` in the schema backtracks/m,
    },
  },
  {
    name: "7: `check` with that contract in its config stops at the same budget, located",
    arrange: (dir) => {
      const payload = '{ type: object, properties: { s: { type: string, pattern: "^(a+)+$" } } }';
      write(dir, "c/redos.contract.yaml", contract({ payload, extra: `    examples:\n      - { s: "${"a".repeat(55)}!" }` }));
      write(dir, "covenant.config.json", JSON.stringify({ contracts: ["c/*.contract.yaml"] }));
      write(dir, "tsconfig.json", JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ["src"] }));
      write(dir, "src/index.ts", "export const x = 1;\n");
      return ["check"];
    },
    expect: { status: 2, stderr: /^c\/redos\.contract\.yaml:15:9 {2}error {2}example 0 of event `ping` could not be checked against its schema within 1 s/m },
  },
  {
    name: "7: the same pattern with a short example is checked (and generated) as usual",
    arrange: (dir) => {
      const payload = '{ type: object, properties: { s: { type: string, pattern: "^(a+)+$" } } }';
      write(dir, "c/redos.contract.yaml", contract({ payload, extra: `    examples:\n      - { s: "aaa" }\n      - { s: "ab" }` }));
      return ["generate", "c/redos.contract.yaml", "--out-dir", "out"];
    },
    expect: {
      status: 2,
      stderr: /^c\/redos\.contract\.yaml:16:14 {2}error {2}example 1 of event `ping` does not match the payload schema: `s` must match pattern/m,
    },
  },
  {
    name: "12: `minLength: 100000000` generates without building the string (the docs ask for an example instead)",
    arrange: (dir) => ["generate", write(dir, "c/big.contract.yaml", contract({ payload: "{ type: string, minLength: 100000000 }" })), "--out-dir", "out"],
    expect: {
      status: 0,
      verify: (dir) =>
        expect(fs.readFileSync(path.join(dir, "out/hostile.md"), "utf8")).toContain("_No example: add `examples` to this event in the contract._"),
    },
  },
  ...[1e6, 3e8].map((length): HostileCase => ({
    name: `12: diff of \`minLength: ${length}\` against the same plus a pattern names the witness by its length, not by spelling it`,
    arrange: (dir) => {
      const payload = (extra: string) => `{ type: object, required: [s], properties: { s: { type: string, minLength: ${length}${extra} } } }`;
      write(dir, "a.contract.yaml", contract({ payload: payload("") }));
      write(dir, "b.contract.yaml", contract({ payload: payload(', pattern: "^a"') }).replace("version: 1.0.0", "version: 2.0.0"));
      return ["diff", "a.contract.yaml", "b.contract.yaml"];
    },
    expect: { status: 0, stdout: new RegExp(`\\(a string of ${length} characters no longer matches\\)`) },
  })),
  {
    name: "14: diff says it could not compare run patterns past its search budget, and fails like an undecided schema pattern",
    cap: 60_000,
    arrange: (dir) => {
      const runs = runsContract;
      // The automaton of "the 18th event from the end is ping" has 2^17 states: past the budget of 100,000.
      write(dir, "a.contract.yaml", runs(`(ping | pong)* ping ${"(ping | pong) ".repeat(17).trim()}`));
      write(dir, "b.contract.yaml", runs(`(ping | pong)* ping ${"(ping | pong) ".repeat(16).trim()} ping`));
      return ["diff", "a.contract.yaml", "b.contract.yaml"];
    },
    expect: { status: 1, stdout: /Could not compare the run patterns .*: the comparison needs more than covenant.s budget/ },
  },
  ...[14, 18].map((groups): HostileCase => ({
    name: `8: a run pattern whose automaton doubles with each of ${groups} trailing groups is a located error`,
    arrange: (dir) => {
      const text = runsContract(`(ping | pong)* ping ${"(ping | pong) ".repeat(groups).trim()}`);
      return ["generate", write(dir, "c/runs.contract.yaml", text), "--out-dir", "out"];
    },
    expect: {
      status: 2,
      stderr:
        /^c\/runs\.contract\.yaml:20:3 {2}error {2}the run pattern needs an automaton of more than 1024 states, which covenant does not generate a run monitor for/m,
    },
  })),
  {
    name: "8: a run pattern with 7 trailing groups (256 states) still generates its monitor",
    arrange: (dir) => [
      "generate",
      write(dir, "c/runs.contract.yaml", runsContract(`(ping | pong)* ping ${"(ping | pong) ".repeat(7).trim()}`)),
      "--out-dir",
      "out",
    ],
    expect: { status: 0, verify: (dir) => expect(fs.readFileSync(path.join(dir, "out/hostile.lifecycle.ts"), "utf8")).toContain("const RUN_NEXT") },
  },
];

// ---------------------------------------------------------------------------------------------

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-hostile-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("hostile contracts: generate and diff finish with a located error or a safe result", () => {
  for (const hostile of CASES) {
    const cap = hostile.cap ?? 20_000;
    it(hostile.name, { timeout: cap + 30_000 }, () => {
      const args = hostile.arrange(dir);
      const result = runCapped(args, dir, cap);
      const { expect: outcome } = hostile;
      expect(result.signal, `killed by ${result.signal}: ${result.stderr}`).toBeNull();
      expect(result.status, result.stderr).toBe(outcome.status);
      expect(result.stderr).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$|FATAL ERROR/m);
      if (outcome.status === 2) {
        const lines = result.stderr.trimEnd().split("\n");
        // `file:line:column  error  ...`, or `file  error  ...` for a problem with the whole file.
        for (const line of lines) expect(line).toMatch(/^\S.*? {2}(error|warning) {2}\S/);
        if (outcome.nothingWritten !== false) {
          const out = path.join(dir, "out");
          expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
        }
      }
      for (const error of [outcome.stderr ?? []].flat()) expect(result.stderr).toMatch(error);
      if (outcome.stdout) expect(result.stdout).toMatch(outcome.stdout);
      outcome.verify?.(dir, result);
    });
  }
});

describe("hostile contracts: scale (in process; the CLI cases above cover the whole command)", () => {
  it("11: the docs of a contract with 10,000 events are written without spreading them onto the stack", () => {
    const events = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, i) => [
        `event_${i}`,
        {
          states: ["open"],
          payload: { type: "object", required: ["id"], properties: { id: { type: "string" }, count: { type: "integer" } } },
          examples: [{ id: `x${i}` }],
        },
      ]),
    );
    const contract = buildContract({ name: "many", initial: "open", states: { open: { on: { close: "closed" } }, closed: { final: true } }, events });
    const docs = emitDocs(contract, { source: "many.contract.yaml" });
    expect(docs.match(/^### event_/gm)).toHaveLength(10_000);
  });

  it("11: the conformance vectors of a contract with 10,000 events: each payload compiled on its own, not the 10,000-branch oneOf (which overflowed Ajv's code generator)", () => {
    const events = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, i) => [
        `event_${i}`,
        {
          states: ["open"],
          payload: { type: "object", required: ["id"], properties: { id: { type: "string" }, n: { enum: [1, 2] } } },
          examples: [{ id: `x${i}` }],
        },
      ]),
    );
    const contract = buildContract({ name: "many", initial: "open", states: { open: { on: { close: "closed" } }, closed: { final: true } }, events });
    const vectors = JSON.parse(emitVectors(contract, { source: "many.contract.yaml" })) as { valid: unknown[]; invalid: { constraint: string }[] };
    expect(vectors.valid).toHaveLength(20_000);
    expect(vectors.invalid.filter((v) => v.constraint === "enum")).toHaveLength(10_000);
  });
});
