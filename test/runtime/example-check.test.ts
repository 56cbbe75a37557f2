// `covenant check` on examples/agent-server with the bindings in its covenant.config.json:
// lifecycle-order and contract-event read the example's real server and client (emit sites,
// receive sites, the sends on the socket) and find nothing; a copy of the example with deliberate
// contract breaches, each a line or two in the real files, gets exactly the findings it should (and
// changes that keep to the contract, in the same copy, get none).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCli } from "../cli/run-cli.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const EXAMPLE = path.join(REPO, "examples/agent-server");
const RULES = ["--rule", "lifecycle-order", "--rule", "contract-event"];

interface Finding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
  symbol?: string;
}

async function check(dir: string): Promise<{ findings: Finding[]; stderr: string; status: number | null }> {
  const result = await runCli(["check", "-p", "tsconfig.json", "--format", "json", ...RULES], dir);
  const findings = result.stdout === "" ? [] : (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
  return { findings, stderr: result.stderr, status: result.status };
}

interface Breach {
  name: string;
  file: string;
  /** Text of the real file the breach goes after (or replaces, with `replace`). */
  anchor: string;
  code: string;
  replace?: boolean;
  /** A text on the line the findings point at. */
  at: string;
  findings: { ruleId: string; symbol: string; says: string }[];
}

const BREACHES: Breach[] = [
  {
    name: "the server starts a run while the token check is running (before `authenticated` is sent)",
    file: "src/session.ts",
    anchor: "    this.user = user;\n",
    code: '    void this.run({ run_id: "early", agent_name: "researcher" });\n',
    at: 'run_id: "early"',
    findings: [
      { ruleId: "contract-event", symbol: "agent-runs.start_run", says: "processes `start_run` while the connection can be in state `authenticating`" },
    ],
  },
  {
    name: "the server's message listener dispatches start_run itself, past the endpoint (which would hold it)",
    file: "src/session.ts",
    anchor: '    socket.on("message", (data, isBinary) => this.receive(data, isBinary));\n',
    code: [
      '    socket.on("message", (data) => {',
      "      const request = JSON.parse(rawText(data)) as StartRunPayload;",
      "      void this.run(request);",
      "    });",
      "",
    ].join("\n"),
    replace: true,
    at: "void this.run(request)",
    findings: [{ ruleId: "contract-event", symbol: "agent-runs.start_run", says: "can be in state `accepted`" }],
  },
  {
    name: "the server authenticates again once the services are up (the contract refuses a second auth)",
    file: "src/session.ts",
    anchor: '    this.endpoint.transition("services_ready");\n',
    code: "    void this.authenticate(user);\n",
    at: "void this.authenticate(user)",
    findings: [{ ruleId: "contract-event", symbol: "agent-runs.auth", says: "closing the connection with 4002 `invalid_message`" }],
  },
  {
    name: "the server writes an agent event to the socket right after the upgrade, past the endpoint's queue",
    file: "src/session.ts",
    anchor: '    this.endpoint.transition("accept");\n',
    code: '    socket.send(JSON.stringify({ type: "agent_started", data: { run_id: "r", agent_name: "a", timestamp: 0 } }));\n',
    at: 'type: "agent_started"',
    findings: [{ ruleId: "contract-event", symbol: "agent-runs.agent_started", says: "emits `agent_started` while the connection can be in state `accepted`" }],
  },
  {
    name: "the client sends auth on the socket before it is open",
    file: "src/client-main.ts",
    anchor: "const socket = new WebSocket(url);\n",
    code: 'socket.send(JSON.stringify({ type: "auth", data: { token } }));\n',
    at: 'type: "auth"',
    findings: [
      { ruleId: "contract-event", symbol: "agent-runs.auth", says: "emits `auth` while the connection can be in state `connecting`" },
      { ruleId: "lifecycle-order", symbol: "agent-runs.send", says: "`socket` is in state `connecting`" },
    ],
  },
  // Changes that keep to the contract: no finding at their lines.
  {
    name: "valid: the client writes its start_run requests raw right behind auth (the server holds them until authenticated)",
    file: "src/client-main.ts",
    anchor: '  client.emit("auth", { token });\n',
    code: '  socket.send(JSON.stringify({ type: "start_run", data: { run_id: "raw-1", agent_name: "researcher" } }));\n',
    at: 'run_id: "raw-1"',
    findings: [],
  },
  {
    name: "valid: the server starts a run of its own once the connection is ready",
    file: "src/session.ts",
    anchor: "    this.stats.ready += 1;\n",
    code: '    void this.run({ run_id: "warm-up", agent_name: "researcher" });\n',
    at: 'run_id: "warm-up"',
    findings: [],
  },
];

/** examples/agent-server in a temporary folder (node_modules linked), with every breach applied; the line of each. */
function copyWithBreaches(): { dir: string; lines: Map<Breach, number> } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "covenant-example-breach-")));
  for (const name of ["src", "agent-runs.covenant.yaml", "covenant.config.json", "tsconfig.json"]) {
    fs.cpSync(path.join(EXAMPLE, name), path.join(dir, name), { recursive: true });
  }
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
  fs.writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n'); // as the repository's: the example is ESM
  for (const breach of BREACHES) {
    const file = path.join(dir, breach.file);
    const text = fs.readFileSync(file, "utf8");
    if (text.split(breach.anchor).length !== 2)
      throw new Error(`${breach.file} no longer has exactly one ${JSON.stringify(breach.anchor)}: update the breach "${breach.name}"`);
    fs.writeFileSync(file, text.replace(breach.anchor, breach.replace ? breach.code : breach.anchor + breach.code));
  }
  const lines = new Map<Breach, number>();
  for (const breach of BREACHES) {
    const index = fs
      .readFileSync(path.join(dir, breach.file), "utf8")
      .split("\n")
      .findIndex((line) => line.includes(breach.at));
    lines.set(breach, index + 1);
  }
  return { dir, lines };
}

describe("covenant check on examples/agent-server, with its bindings", () => {
  it("binds the contract to the example's code for lifecycle-order and contract-event", () => {
    const config = JSON.parse(fs.readFileSync(path.join(EXAMPLE, "covenant.config.json"), "utf8")) as { bindings?: Record<string, Record<string, unknown[]>> };
    const bindings = config.bindings?.["agent-runs"];
    expect(Object.keys(bindings ?? {}).sort()).toEqual(["emits", "handlers", "operations", "receives", "transitions"]);
  });

  it("finds nothing in the example as it is", async () => {
    const result = await check(EXAMPLE);
    expect(result.stderr).toBe("");
    expect(result.findings).toEqual([]);
    expect(result.status).toBe(0);
  });

  describe("a copy with deliberate breaches", () => {
    const copy = copyWithBreaches();
    afterAll(() => fs.rmSync(copy.dir, { recursive: true, force: true }));
    // One run for the table (runCli runs one at a time), started by the first test that needs it.
    let result: ReturnType<typeof check> | undefined;
    const run = () => (result ??= check(copy.dir));

    it("reports each breach, and nothing else", async () => {
      const { findings, stderr, status } = await run();
      expect(stderr).toBe("");
      const expected = BREACHES.flatMap((b) => b.findings.map((f) => `${b.file}:${copy.lines.get(b)} ${f.ruleId} ${f.symbol}`)).sort();
      expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.symbol}`).sort()).toEqual(expected);
      expect(status).toBe(1);
    });

    it.each(BREACHES)("$name", async (breach) => {
      const { findings } = await run();
      const here = findings.filter((f) => f.file === breach.file && f.line === copy.lines.get(breach));
      expect(here.map((f) => f.ruleId).sort()).toEqual(breach.findings.map((f) => f.ruleId).sort());
      for (const { ruleId, says } of breach.findings) expect(here.find((f) => f.ruleId === ruleId)?.message).toContain(says);
    });
  });
});
