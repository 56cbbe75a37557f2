import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { WebSocket } from "ws";
import { CloseCode, startAgentServer } from "../../examples/agent-server/src/server.js";
import { authenticateTestToken, tokenFor, waitFor } from "../runtime/helpers.js";
import { buildContract } from "../contracts/build-contract.js";
import { generateInto } from "../contracts/generate-harness.js";
import { rowsOnFirstRead, runCliCapped } from "../utils/capped-rows.js";

/**
 * Hostile input against the generated runtime (issue 16, items 5, 15, 22 and 6): every case runs
 * the real generated code in a child process with a time and memory cap, so a hang or a blow-up is
 * a failing case, not a stuck suite.
 */

const CAP = { timeoutMs: 20_000, maxOldSpaceMb: 256 };

/** A contract with a recursive definition, `uniqueItems` arrays and a required payload. */
const contract = buildContract({
  name: "hostile-runtime",
  initial: "wait",
  states: {
    wait: { on: { open: "open", finish: "done" } },
    open: { on: { close: "closed", finish: "done" } },
    closed: { final: true },
    done: { final: true },
  },
  definitions: {
    Node: {
      type: "object",
      properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } },
      required: ["name"],
      additionalProperties: false,
    },
  },
  events: {
    tree: { states: ["open"], payload: { $ref: "#/$defs/Node" } },
    tags: {
      states: ["open", "done"],
      payload: {
        type: "object",
        properties: { items: { type: "array", uniqueItems: true } },
        required: ["items"],
        additionalProperties: false,
      },
    },
  },
});

let validators: string;
let lifecycle: string;

beforeAll(async () => {
  const dir = await generateInto(contract, "hostile-runtime");
  // Plain ESM beside the TypeScript, so a child `node` loads the generated code as it is.
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const source = fs.readFileSync(path.join(dir, file), "utf8");
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    fs.writeFileSync(path.join(dir, file.replace(/\.ts$/, ".js")), outputText);
  }
  validators = pathToFileURL(path.join(dir, "hostile-runtime.validators.js")).href;
  lifecycle = pathToFileURL(path.join(dir, "hostile-runtime.lifecycle.js")).href;
});

/** The generated validators module as `v`, the lifecycle guard's as `g`, for the rows below. */
const prelude = () => `import * as v from ${JSON.stringify(validators)};\nimport * as g from ${JSON.stringify(lifecycle)};`;

/**
 * The rows of a table, each `body` the inside of an async function that returns a JSON value, run in
 * one child process within the caps (one after another, each in its own function; a row that throws
 * is that row's failure), on the first row's test: a Node start and the generated modules' loading
 * once per table instead of once per row. Returns each row's result by its index.
 */
function cappedRows(bodies: readonly string[], options: { stackKb?: number } = {}): (row: number) => Promise<unknown> {
  return rowsOnFirstRead(prelude, bodies, { timeMs: CAP.timeoutMs, heapMb: CAP.maxOldSpaceMb, ...options });
}

/** One `body` as for `cappedRows`, in a child process of its own within the caps; what it returned. */
function capped(body: string, options: { stackKb?: number } = {}): Promise<unknown> {
  return cappedRows([body], options)(0);
}

/** JS source of a `tree` message whose Node nests `levels` Nodes deep (the message is level 1, each Node adds two: itself and its `children`). */
const deepTree = (nodes: number) => `(() => {
  let node = { name: "leaf" };
  for (let i = 1; i < ${nodes}; i++) node = { name: "n" + i, children: [node] };
  return { type: "tree", data: node };
})()`;

describe("hostile input: generated validators (issue 16 item 5, item 22)", () => {
  const TOO_DEEP = "objects and arrays nest deeper than 64 levels (the limit of these validators)";

  const DEEP: [string, string][] = [
    ["as JSON text (15 KB)", "JSON.stringify(message)"],
    ["as a parsed value", "message"],
  ];
  const deepRow = cappedRows(DEEP.map(([, input]) => `const message = ${deepTree(1000)}; return v.parseHostileRuntimeMessage(${input});`));
  it.each(DEEP.map((row, i) => [...row, i] as const))(
    "a recursive schema 1000 levels deep fails with a clear error instead of overflowing the stack, %s",
    async (_label, _input, i) => {
      expect(await deepRow(i)).toEqual({ success: false, error: { message: `message: ${TOO_DEEP}`, issues: [{ path: [], message: `message: ${TOO_DEEP}` }] } });
    },
  );

  it("a deep payload given to parse<Name>Payload fails at the payload field", async () => {
    const result = await capped(`return v.parseHostileRuntimePayload("tree", ${deepTree(1000)}.data);`);
    expect(result).toMatchObject({ success: false, error: { message: `data: ${TOO_DEEP}` } });
  });

  it("one million nested brackets (2 MB of text) are refused before JSON.parse, whose time grows super-linearly with depth", async () => {
    const result = await capped(`return v.parseHostileRuntimeMessage('{"type":"tree","data":' + "[".repeat(1e6) + "]".repeat(1e6) + "}");`);
    expect(result).toMatchObject({ success: false, error: { message: `message: ${TOO_DEEP}` } });
  });

  it("brackets inside strings do not count towards the depth", async () => {
    const result = await capped(`return v.parseHostileRuntimeMessage(JSON.stringify({ type: "tree", data: { name: "[{".repeat(5000) + '\\\\"[' } }));`);
    expect(result).toMatchObject({ success: true });
  });

  const LIMIT: [number, boolean][] = [
    // The message is level 1, the outer Node level 2, each further Node two deeper (inside `children`):
    // 32 Nodes put the leaf at level 64, 33 at level 66.
    [32, true],
    [33, false],
  ];
  const limitRow = cappedRows(
    LIMIT.map(
      ([nodes]) =>
        `const message = ${deepTree(nodes)}; return [v.parseHostileRuntimeMessage(message).success, v.parseHostileRuntimeMessage(JSON.stringify(message)).success];`,
    ),
  );
  it.each(LIMIT.map((row, i) => [...row, i] as const))(
    "the limit is exact: %i nested Nodes -> success %s, as text and as a value",
    async (_nodes, success, i) => {
      expect(await limitRow(i)).toEqual([success, success]);
    },
  );

  it("a cyclic value fails (the depth walk ends it) instead of recursing forever", async () => {
    const result = await capped(
      `const node = { name: "loop", children: [] }; node.children.push(node); return v.parseHostileRuntimeMessage({ type: "tree", data: node });`,
    );
    expect(result).toMatchObject({ success: false, error: { message: `message: ${TOO_DEEP}` } });
  });

  it("a stack overflow inside zod is a failure, not an exception (a tiny stack, a message within the depth limit)", async () => {
    const result = await capped(
      `const message = ${deepTree(31)};
       const run = (n) => (n === 0 ? v.parseHostileRuntimeMessage(message) : run(n - 1));
       // Call it with less and less stack left until zod, not this script, runs out.
       for (let n = 0; ; n++) {
         let result;
         try { result = run(n); } catch (error) { return { thrown: String(error) }; }
         if (!result.success) return result;
       }`,
      { stackKb: 200 },
    );
    expect(result).toEqual({
      success: false,
      error: {
        message: "message: could not be validated (Maximum call stack size exceeded)",
        issues: [{ path: [], message: "message: could not be validated (Maximum call stack size exceeded)" }],
      },
    });
  });

  const LINEAR: [string, string, unknown][] = [
    ["20,000 distinct items", "Array.from({ length: 20000 }, (_, i) => ({ id: i, tags: ['t' + i] }))", { success: true }],
    ["200,000 distinct strings", "Array.from({ length: 200000 }, (_, i) => 's' + i)", { success: true }],
    [
      "20,000 items, the last repeating the first (keys in another order)",
      "[...Array.from({ length: 19999 }, (_, i) => ({ id: i, at: 1 })), { at: 1, id: 0 }]",
      { success: false, error: { message: "data.items[19999]: items must be unique: item 19999 repeats item 0" } },
    ],
  ];
  const linearRow = cappedRows(
    LINEAR.map(
      ([, items]) => `const result = v.parseHostileRuntimeMessage({ type: "tags", data: { items: ${items} } });
      return result.success ? { success: true } : { success: false, error: { message: result.error.message } };`,
    ),
  );
  it.each(LINEAR.map((row, i) => [...row, i] as const))("uniqueItems is linear: %s", async (_label, _items, expected, i) => {
    expect(await linearRow(i)).toEqual(expected);
  });

  const JSON_VALUES: [string, string, boolean][] = [
    ["1 and 1.0 are the same JSON value", "[1, 1.0]", false],
    ['1 and "1" are not', '[1, "1"]', true],
    ["[1, 2] and [2, 1] are not", "[[1, 2], [2, 1]]", true],
    ["objects equal up to key order are", "[{ a: 1, b: [true] }, { b: [true], a: 1 }]", false],
    ["an object and an array are not", "[{}, []]", true],
    ["null and {} are not", "[null, {}]", true],
    ['a key "__proto__" is a key like any other', "[JSON.parse('{\"__proto__\": 1}'), JSON.parse('{\"__proto__\": 2}')]", true],
  ];
  const jsonValueRow = cappedRows(JSON_VALUES.map(([, items]) => `return v.parseHostileRuntimeMessage({ type: "tags", data: { items: ${items} } }).success;`));
  it.each(JSON_VALUES.map((row, i) => [...row, i] as const))("uniqueItems compares JSON values: %s", async (_label, _items, success, i) => {
    expect(await jsonValueRow(i)).toBe(success);
  });

  const OWN: [string, string, boolean][] = [
    ["`data` inherited through the prototype", `Object.assign(Object.create({ data: { name: "x" } }), { type: "tree" })`, false],
    ["`type` inherited through the prototype", `Object.assign(Object.create({ type: "tree" }), { data: { name: "x" } })`, false],
    ["a payload field inherited", `{ type: "tree", data: Object.create({ name: "x" }) }`, false],
    ["own fields of a class instance", `new (class { constructor() { this.type = "tree"; this.data = { name: "x" }; } })()`, true],
    ["a null-prototype object", `Object.assign(Object.create(null), { type: "tree", data: { name: "x" } })`, true],
  ];
  const ownRow = cappedRows(OWN.map(([, message]) => `return v.parseHostileRuntimeMessage(${message}).success;`));
  it.each(OWN.map((row, i) => [...row, i] as const))("own properties only: %s -> success %s", async (_label, _message, success, i) => {
    expect(await ownRow(i)).toBe(success);
  });

  it("an inherited `data` is reported as missing", async () => {
    const result = await capped(`return v.parseHostileRuntimeMessage(Object.assign(Object.create({ data: { name: "x" } }), { type: "tree" })).error.message;`);
    expect(result).toBe("data: missing required field (expected object)");
  });
});

describe("hostile input: the lifecycle guard when send() misbehaves (issue 16 item 15)", () => {
  /** A connection whose sends and hand-offs are logged by the `items[0]` of a `tags` message; `onSend(n)` runs inside send. */
  const setup = `
    const log = { sent: [], handed: [] };
    let onSend = () => {};
    const conn = g.createHostileRuntimeConnection({
      send: (text) => { const n = JSON.parse(text).data.items[0]; onSend(n); log.sent.push(n); },
      onUndelivered: (messages) => log.handed.push(messages.map((m) => m.data.items[0])),
    });
    const tags = (n) => conn.emit("tags", { items: [n] });
    const attempt = (action) => { try { action(); return "returned"; } catch (error) { return error.message; } };`;

  const GUARD: { name: string; body: string; expected: unknown }[] = [
    {
      name: "send() that takes a transition to a final state and throws: the message it was sending is handed off first, with the rest",
      body: `
      [1, 2, 3].forEach(tags); // queued: "wait" allows no event
      onSend = (n) => { if (n === 1) { conn.transition("close"); throw new Error("socket closed"); } };
      const outcome = attempt(() => conn.transition("open"));
      return { outcome, state: conn.state, pending: conn.pending, ...log };`,
      expected: { outcome: "socket closed", state: "closed", pending: 0, sent: [], handed: [[1, 2, 3]] },
    },
    {
      name: "send() that throws while flushing into a final state that allows the event: the queue is handed off, not stuck",
      body: `
      [1, 2].forEach(tags);
      onSend = () => { throw new Error("socket closed"); };
      const outcome = attempt(() => conn.transition("finish")); // "done" is final and allows tags
      return { outcome, state: conn.state, pending: conn.pending, ...log };`,
      expected: { outcome: "socket closed", state: "done", pending: 0, sent: [], handed: [[1, 2]] },
    },
    {
      name: "send() that throws once in a final state after the first message went out: the rest is handed off in order",
      body: `
      [1, 2, 3].forEach(tags);
      onSend = (n) => { if (n === 2) throw new Error("socket closed"); };
      const outcome = attempt(() => conn.transition("finish"));
      return { outcome, pending: conn.pending, ...log };`,
      expected: { outcome: "socket closed", pending: 0, sent: [1], handed: [[2, 3]] },
    },
    {
      name: "a payload whose toJSON closes the connection: the emit is refused, nothing stays queued after the final state",
      body: `
      conn.transition("open");
      const outcome = attempt(() => conn.emit("tags", { toJSON: () => { conn.transition("close"); return { items: [1] }; } }));
      return { outcome, state: conn.state, pending: conn.pending, ...log };`,
      expected: {
        outcome: 'hostile-runtime: cannot emit "tags": the connection reached the final state "closed"',
        state: "closed",
        pending: 0,
        sent: [],
        handed: [],
      },
    },
    {
      name: "send() that emits while it sends: the new message goes out after the one being sent",
      body: `
      conn.transition("open");
      onSend = (n) => { if (n === 1) tags(2); };
      const first = tags(1);
      return { first, pending: conn.pending, ...log };`,
      expected: { first: "sent", pending: 0, sent: [1, 2], handed: [] },
    },
  ];
  const guardRow = cappedRows(GUARD.map((c) => `${setup}${c.body}`));
  GUARD.forEach((c, i) => {
    it(c.name, async () => {
      expect(await guardRow(i)).toEqual(c.expected);
    });
  });
});

/** The CLI (`npm run build` first) in a child process, within the time cap. */
function cappedCli(args: readonly string[], cwd: string, timeoutMs = CAP.timeoutMs): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return runCliCapped(args, { cwd, timeMs: timeoutMs, heapMb: CAP.maxOldSpaceMb }).then((run) => {
    if (run.timedOut) throw new Error(`covenant ${args.join(" ")} did not finish within the cap`);
    return run;
  });
}

/** One string field per pattern, each on its own line (line = 15 + index). */
function patternContract(patterns: readonly { pattern: string; maxLength?: number }[]): string {
  const fields = patterns.map(
    ({ pattern, maxLength }, i) =>
      `        f${i}: { type: string, pattern: ${JSON.stringify(pattern)}${maxLength === undefined ? "" : `, maxLength: ${maxLength}`} }`,
  );
  return [
    "covenant: 1",
    "name: patterns",
    "version: 1.0.0",
    "lifecycle:",
    "  initial: open",
    "  states:",
    "    open: { final: true }",
    "events:",
    "  note:",
    "    direction: server-to-client",
    "    states: [open]",
    "    payload:",
    "      type: object",
    "      properties:",
    ...fields,
    "",
  ].join("\n");
}

describe("hostile input: super-linear patterns are reported by generate (issue 16 item 5)", () => {
  const PATTERNS = [
    { pattern: "^(a+)+$" }, // 15: exponential (nested quantifiers)
    { pattern: "^(\\w|\\d)+$" }, // 16: exponential (overlapping alternatives)
    { pattern: "^\\s*(.*)\\s*$" }, // 17: polynomial, no maxLength
    { pattern: "^\\s*(.*)\\s*$", maxLength: 200 }, // 18: polynomial, capped: not reported
    { pattern: "^(a+)+$", maxLength: 200 }, // 19: exponential, capped: still reported (2^200)
    { pattern: "^[a-z]+(-[a-z]+)*$" }, // 20: nested quantifiers, but each character matches one way: not reported
    { pattern: "^([a-z]+\\.)*[a-z]+$" }, // 21: likewise
    { pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, // 22: linear
    { pattern: "(a|a)*" }, // 23: nothing after the loop can fail, so it matches at once: not reported
  ];
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-hostile-patterns-"));
    fs.writeFileSync(path.join(dir, "patterns.contract.yaml"), patternContract(PATTERNS));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("warns, located at each slow pattern, and still writes the files (exit 0)", async () => {
    const result = await cappedCli(["generate", "patterns.contract.yaml", "--out-dir", "gen"], dir);
    expect(result.status, result.stderr).toBe(0);
    const located = result.stderr
      .split("\n")
      .filter((line) => line.includes("  warning  "))
      .map((line) => line.slice(0, line.indexOf("  warning  ")));
    expect(located).toEqual(["patterns.contract.yaml:15:29", "patterns.contract.yaml:16:29", "patterns.contract.yaml:17:29", "patterns.contract.yaml:19:29"]);
    expect(result.stderr).toContain(
      'patterns.contract.yaml:15:29  warning  pattern `^(a+)+$` can take exponential time on a string that does not match (`a+` is repeated by `(a+)+`, so a run of "a" can be split between its repetitions in many ways): one message can stall the validator. Rewrite it so that each character can be matched one way only.',
    );
    expect(result.stderr).toMatch(
      /:16:29 {2}warning {2}pattern `\^\(\\w\|\\d\)\+\$` can take exponential time .*the alternatives `\\w` and `\\d` can match the same text/,
    );
    expect(result.stderr).toMatch(
      /:17:29 {2}warning {2}pattern `.*` can take polynomial time in the string's length .* Add `maxLength` \(at most 1000\) to this schema/,
    );
    expect(fs.existsSync(path.join(dir, "gen", "patterns.validators.ts"))).toBe(true);
  });

  it.each([
    ["--slow-patterns error", ["--slow-patterns", "error"], undefined],
    ['the config\'s generate.slowPatterns: "error"', [], { generate: { slowPatterns: "error" } }],
  ])("%s makes them errors: exit 2, located, nothing written", async (_label, flags, config) => {
    const out = `gen-${config === undefined ? "flag" : "config"}`;
    if (config !== undefined) fs.writeFileSync(path.join(dir, "covenant.config.json"), JSON.stringify(config));
    try {
      const result = await cappedCli(["generate", "patterns.contract.yaml", "--out-dir", out, ...flags], dir);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stdout).toBe("");
      expect(
        result.stderr
          .split("\n")
          .filter((line) => line.includes("  error  "))
          .map((line) => line.slice(0, line.indexOf("  error  "))),
      ).toEqual(["patterns.contract.yaml:15:29", "patterns.contract.yaml:16:29", "patterns.contract.yaml:17:29", "patterns.contract.yaml:19:29"]);
      expect(result.stderr).not.toMatch(/internal error|^\s+at /m);
      expect(fs.existsSync(path.join(dir, out))).toBe(false);
    } finally {
      fs.rmSync(path.join(dir, "covenant.config.json"), { force: true });
    }
  });

  it("patterns made to be costly to analyse do not stall generate: the analysis is bounded per pattern and in total", { timeout: 60_000 }, async () => {
    // 40 distinct patterns, each near the analysed bounds (about a second each on a slow machine), and a few past them.
    const heavy = Array.from({ length: 40 }, (_, i) => ({ pattern: `^(${"[\\p{L}\\p{N}]+\\s?".repeat(29)}x${i})+$` }));
    const huge = [{ pattern: `^${"(?:".repeat(300)}a+${")*".repeat(300)}$` }, { pattern: `^(${"[\\p{L}\\p{N}]+\\s?".repeat(100)})+$` }];
    fs.writeFileSync(path.join(dir, "heavy.contract.yaml"), patternContract([...heavy, ...huge]).replace("name: patterns", "name: heavy"));
    // The cap: the 10 s analysis budget, the last pattern's second, start-up, and room for a busy machine.
    const result = await cappedCli(["generate", "heavy.contract.yaml", "--out-dir", "gen-heavy"], dir, 40_000);
    expect(result.status, result.stderr).toBe(0);
    const warnings = result.stderr.split("\n").filter((line) => line.includes("  warning  "));
    const budget = warnings.find((line) => line.includes("not checked for super-linear backtracking"));
    // Each heavy pattern is reported as exponential, unless the 10 s budget ran out first (a slow machine): then one more warning says so.
    if (budget === undefined) expect(warnings).toHaveLength(40);
    else expect(warnings.length).toBeLessThanOrEqual(41);
    expect(warnings.every((line) => /^heavy\.contract\.yaml:\d+:\d+ {2}warning {2}/.test(line))).toBe(true);
  });

  it("a contract whose patterns are all linear gets no warning, even with --slow-patterns error", async () => {
    fs.writeFileSync(
      path.join(dir, "linear.contract.yaml"),
      patternContract(PATTERNS.filter((_, i) => [3, 5, 6, 7, 8].includes(i))).replace("name: patterns", "name: linear"),
    );
    const result = await cappedCli(["generate", "linear.contract.yaml", "--out-dir", "gen-linear", "--slow-patterns", "error"], dir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("hostile input: the example server (issue 16 item 6)", () => {
  it.each([
    ["the agents wait at the high-water mark, then give up after maxStallMs", { highWaterMark: 64 * 1024, maxBufferedBytes: 512 * 1024, maxStallMs: 1_000 }],
    ["the buffer passes maxBufferedBytes (high-water mark above it)", { highWaterMark: 1024 * 1024, maxBufferedBytes: 128 * 1024, maxStallMs: 60_000 }],
  ])(
    "a client that stops reading (200 start_run x 10 000 events): %s; bounded buffer, agents stopped, close 4013, connection released",
    async (_label, limits) => {
      const lines: string[] = [];
      const server = await startAgentServer({ authenticate: authenticateTestToken, initServices: async () => {}, ...limits, log: (line) => lines.push(line) });
      const heapBefore = process.memoryUsage().heapUsed;
      try {
        const received = { bytes: 0, notices: [] as string[] };
        const closed = new Promise<{ code: number; reason: string }>((resolve) => {
          const socket = new WebSocket(server.url);
          const cap = setTimeout(() => socket.terminate(), 25_000);
          socket.on("open", () => {
            socket.send(JSON.stringify({ type: "auth", data: { token: tokenFor(1) } }));
            for (let r = 0; r < 200; r++) socket.send(JSON.stringify({ type: "start_run", data: { run_id: `run-${r}`, agent_name: "a", events: 10_000 } }));
            socket.pause(); // reads nothing more: the kernel buffers fill, then the server's
            void waitFor("the server to give up on the client", () => server.stats.protocolErrors[CloseCode.slowConsumer] === 1, 20_000)
              .catch(() => {})
              .then(() => socket.resume());
          });
          socket.on("message", (data) => {
            const text = (data as Buffer).toString(); // ws gives text frames as a Buffer
            received.bytes += text.length;
            if (text.includes('"protocol_error"')) received.notices.push(text);
          });
          socket.on("close", (code, reason) => {
            clearTimeout(cap);
            resolve({ code, reason: reason.toString() });
          });
        });
        const result = await closed;
        await waitFor("the server to release the connection", () => server.connections === 0, 10_000);

        expect(result).toEqual({ code: CloseCode.slowConsumer, reason: "slow_consumer" });
        expect(received.notices).toHaveLength(1);
        expect(JSON.parse(received.notices[0]!)).toMatchObject({ type: "protocol_error", data: { code: 4013, reason: "slow_consumer" } });
        // Bounded: at most the limit plus one event in the buffer, and the agents stopped long before their 2 000 000 events.
        expect(server.stats.maxBufferedAmount).toBeLessThan(limits.maxBufferedBytes + 4096);
        expect(server.stats.emitted).toBeLessThan(200_000);
        expect(server.stats.errors).toEqual([]);
        expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
      } finally {
        await server.close();
      }
    },
    40_000,
  );

  it("client-chosen field names cannot forge log lines: newlines, ANSI and C1 escapes, line separators are escaped", async () => {
    const lines: string[] = [];
    const server = await startAgentServer({ authenticate: authenticateTestToken, initServices: async () => {}, log: (line) => lines.push(line) });
    try {
      const forged = "x\n[server 00:00:00.000] #9 closed 1000\u001b[2K\u009b31m\u2028y";
      const closed = new Promise<number>((resolve) => {
        const socket = new WebSocket(server.url);
        const cap = setTimeout(() => socket.terminate(), 10_000);
        socket.on("open", () => socket.send(JSON.stringify({ type: "auth", data: { token: tokenFor(1), [forged]: 1 } })));
        socket.on("close", (code) => {
          clearTimeout(cap);
          resolve(code);
        });
      });
      expect(await closed).toBe(CloseCode.invalidMessage);
      await waitFor("the close to be logged", () => lines.some((line) => line.includes(" closed 4002")), 5_000);
      const refused = lines.find((line) => line.includes("protocol error 4002"));
      expect(refused).toContain('"x\\n[server 00:00:00.000] #9 closed 1000\\u001b[2K\\u009b31m\\u2028y"');
      for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    } finally {
      await server.close();
    }
  }, 20_000);
});
