import { execFile, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type ts from "typescript";
import { applyGeneration, planGeneration } from "../../contracts/generate/index.js";
import { loadContract } from "../../contracts/index.js";
import { typeCheckProject } from "../utils/shared-host.js";
import { awkwardNamesContract, keywordsContract } from "./keyword-rows.js";

/**
 * Generated code compiles in the user's project as it is: every generated file of a few contracts,
 * and two consumers using the API the usual way (parse results, emit, transition, the role endpoints), type-checked by each TypeScript the project
 * may have (5.9, 6.0: their compiler API doing what `tsc -p` does; 7.1: the native compiler's `tsc`),
 * under each family of settings. One program per (TypeScript, settings), all files in it.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const root = path.join(repo, "test/__generated__/compile-matrix");

/** The module of each TypeScript written in JavaScript; "native": TypeScript 7's compiler, a Go program. */
const COMPILERS = {
  "5.9": "typescript-5.9",
  "6.0": "typescript",
  "7.1": "native",
} as const;
const NATIVE_TSC = path.join(repo, "node_modules/typescript-7/bin/tsc");

/** The strictest project: every option that only adds errors (generate.test.ts's compile of the same contracts moved here). */
const STRICT = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noFallthroughCasesInSwitch: true,
};
/** Four programs cover the settings that change what compiles: strictness, optional-property rules, module kind and resolution. */
const SETTINGS: Record<string, { folder: "esm" | "cjs"; compilerOptions: Record<string, unknown> }> = {
  "strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, NodeNext": {
    folder: "esm",
    compilerOptions: { ...STRICT, module: "NodeNext", moduleResolution: "NodeNext" },
  },
  // Every TypeScript 5 project without `strict`: strictNullChecks off.
  "strict off, NodeNext": { folder: "esm", compilerOptions: { strict: false, module: "NodeNext", moduleResolution: "NodeNext" } },
  "strict, ESNext with bundler resolution": {
    folder: "esm",
    compilerOptions: { ...STRICT, module: "ESNext", moduleResolution: "Bundler", verbatimModuleSyntax: true },
  },
  // A package without "type": "module": the generated files are CommonJS modules.
  "strict off, CommonJS": { folder: "cjs", compilerOptions: { strict: false, module: "NodeNext", moduleResolution: "NodeNext" } },
};

/** Reads results as an application does, in code that compiles with and without strictNullChecks. */
const CONSUMER = `import { createAgentWebsocketConnection } from "./agent-websocket.lifecycle.js";
import { createRelayClient, createRelayServer, type RelayClock } from "./relay.lifecycle.js";
import { parseAgentWebsocketMessage, parseAgentWebsocketPayload } from "./agent-websocket.validators.js";

export function handle(text: string): string {
  const connection = createAgentWebsocketConnection({ send: () => undefined });
  connection.transition("accept");
  const parsed = parseAgentWebsocketMessage(text);
  if (!parsed.success) return parsed.error.message;
  const payload = parseAgentWebsocketPayload("agent_started", parsed.data.data);
  if (payload.success === false) return payload.error.issues.map((issue) => issue.message).join("; ");
  return payload.data.run_id;
}

/** The role endpoints: each side emits its own direction only (the other is a type error), and reads what receive says. */
export function relay(text: string, clock: RelayClock): string {
  const server = createRelayServer({ send: () => undefined, close: () => undefined, onDeliver: (message) => void message.data, clock });
  const client = createRelayClient({ send: () => undefined, close: () => undefined, clock });
  server.emit("welcome", {});
  client.emit("hello", { name: "a" });
  // @ts-expect-error: only the client sends hello
  server.emit("hello", { name: "a" });
  // @ts-expect-error: only the server sends progress
  client.emit("progress", { job_id: "1", pct: 1 });
  const received = server.receive(text);
  if (received.kind === "refused") return \`\${received.code} \${received.reason}\`;
  if (received.kind === "held") return "held";
  const start = received.message.type === "start" ? received.message.data.job_id : "";
  const reply = client.receive(text);
  return reply.kind === "deliver" ? \`\${start}\${reply.message.type}\` : start;
}
`;

/** Uses the agent-websocket and device-hub APIs as an application would; the @ts-expect-error lines must stay errors. */
const API_CONSUMER = `import { createAgentWebsocketConnection, createAgentWebsocketRunMonitor, LifecycleError } from "./agent-websocket.lifecycle.js";
import { parseAgentWebsocketMessage } from "./agent-websocket.validators.js";
import type { AgentWebsocketMessageOf, AgentWebsocketState } from "./agent-websocket.types.js";
import { createDeviceHubConnection } from "./device-hub.lifecycle.js";
import { DeviceHubPayloadSchemas, NodeSchema } from "./device-hub.validators.js";
import type { z } from "zod";

const sent: string[] = [];
const connection = createAgentWebsocketConnection({ send: (text) => sent.push(text), onUndelivered: (messages) => void messages.length });
const state: AgentWebsocketState = connection.transition("accept");
connection.emit("agent_started", { run_id: "r", agent_name: "a", timestamp: 1 });
// @ts-expect-error a payload missing required fields does not type-check
connection.emit("agent_started", { run_id: "r" });
// @ts-expect-error unknown events do not type-check
connection.emit("agent_exploded", {});
// @ts-expect-error unknown transitions do not type-check
connection.transition("teleport");
const parsed = parseAgentWebsocketMessage(sent[0]);
if (parsed.success && parsed.data.type === "agent_started") {
  const message: AgentWebsocketMessageOf<"agent_started"> = parsed.data;
  const runId: string = message.data.run_id;
  void runId;
} else if (!parsed.success) {
  const why: string = parsed.error.message;
  void why;
}
const monitor = createAgentWebsocketRunMonitor();
for (const v of monitor.violations()) {
  const reason: "broken" | "incomplete" = v.reason;
  void reason;
}
// The exported schemas keep their own zod types: a payload's is exact, a recursive definition's is the stated z.ZodType.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const exact: Same<z.output<(typeof DeviceHubPayloadSchemas)["command_ack"]>, { batch_id: number; ok: boolean; error?: string | null | undefined }> = true;
const recursive: Same<typeof NodeSchema, z.ZodType<unknown>> = true;
const ack = DeviceHubPayloadSchemas.command_ack.safeParse(sent[0]);
const ok: boolean = ack.success && ack.data.ok;
// @ts-expect-error the schema's output has no field the contract does not declare
void ack.data?.reason;
const hub = createDeviceHubConnection({ send: () => undefined });
hub.emit("command", { op: "set", batch_id: 1, key: "k", value: true });
hub.emit("config-tree", { root: { name: "a", children: [{ name: "b", value: null }] } });
// @ts-expect-error the oneOf payload is a union: "reboot" takes no key
hub.emit("command", { op: "reboot", batch_id: 1, key: "k" });
void state;
void LifecycleError;
void [exact, recursive, ok];
`;

beforeAll(async () => {
  fs.rmSync(root, { recursive: true, force: true });
  const contracts = [
    loadContract(path.join(repo, "contracts/agent-websocket.contract.yaml")),
    loadContract(path.join(repo, "test/contracts/generate/device-hub.contract.yaml")),
    loadContract(path.join(repo, "test/contracts/generate/lobby.contract.yaml")),
    loadContract(path.join(repo, "test/contracts/generate/relay.contract.yaml")),
    // An open client-to-server union: the open variant of the message parser and the endpoints.
    loadContract(path.join(repo, "test/contracts/generate/vectors.contract.yaml")),
    // Envelope fields (the operation id) and optional payloads: the #envelope-fields variant; a per-id uniqueness rule on the id.
    loadContract(path.join(repo, "examples/graphql-ws/graphql-ws.covenant.yaml")),
    // Per-id uniqueness rules on payload fields, one opened by each side.
    loadContract(path.join(repo, "test/contracts/generate/jobs.contract.yaml")),
    keywordsContract(),
    awkwardNamesContract(),
  ];
  const esm = path.join(root, "esm");
  await applyGeneration(await planGeneration(contracts, { outDir: esm }), { check: false });
  fs.writeFileSync(path.join(esm, "consumer.ts"), CONSUMER);
  fs.writeFileSync(path.join(esm, "api-consumer.ts"), API_CONSUMER);
  fs.cpSync(esm, path.join(root, "cjs"), { recursive: true });
  // The repo's package.json says "type": "module"; this folder is a CommonJS package.
  fs.writeFileSync(path.join(root, "cjs/package.json"), JSON.stringify({ type: "commonjs" }));
  fs.writeFileSync(path.join(root, "esm/package.json"), JSON.stringify({ type: "module" }));
});

const run = promisify(execFile);
const requireHere = createRequire(import.meta.url);

/**
 * The tsconfig of one (TypeScript, settings) program: the user's settings, every generated file of the
 * folder. Each compiler reads it with its own parser.
 */
function writeTsconfig(version: keyof typeof COMPILERS, name: string): string {
  const { folder, compilerOptions } = SETTINGS[name]!;
  const tsconfig = path.join(root, `${version}-${Object.keys(SETTINGS).indexOf(name)}.tsconfig.json`);
  const config = {
    compilerOptions: { target: "ES2022", lib: ["ES2022"], types: [], noEmit: true, skipLibCheck: true, ...compilerOptions },
    include: [`${folder}/*.ts`],
  };
  fs.writeFileSync(tsconfig, JSON.stringify(config, null, 2));
  return tsconfig;
}

/** `tsc -p <tsconfig>` of the native compiler (7.1), a process of its own; "" when it compiles. */
async function compileNative(tsconfig: string): Promise<string> {
  try {
    // One thread: the diagnostics do not depend on it, and its parallel checkers took twice the CPU.
    await run(process.execPath, [NATIVE_TSC, "-p", tsconfig, "--pretty", "false", "--singleThreaded"], { cwd: root, encoding: "utf8", timeout: 300_000 });
    return "";
  } catch (error) {
    const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
    return `${stdout ?? ""}${stderr ?? ""}` || message;
  }
}

/** The compiler's diagnostics for one (TypeScript, settings) program; "" when it compiles. */
async function compile(version: keyof typeof COMPILERS, name: string): Promise<string> {
  const compiler = COMPILERS[version];
  const tsconfig = writeTsconfig(version, name);
  return compiler === "native" ? compileNative(tsconfig) : typeCheckProject(requireHere(compiler) as typeof ts, tsconfig);
}

describe.each(Object.keys(COMPILERS) as (keyof typeof COMPILERS)[])("TypeScript %s", (version) => {
  it("is the version it says", () => {
    const compiler = COMPILERS[version];
    const actual =
      compiler === "native"
        ? execFileSync(process.execPath, [NATIVE_TSC, "--version"], { encoding: "utf8" }).replace(/^Version /, "")
        : (requireHere(compiler) as typeof ts).version;
    expect(actual).toMatch(new RegExp(`^${version.replace(".", "\\.")}\\.`));
  });

  // The native compiler's programs are processes of their own and run side by side. The others run in
  // this worker through their API (typeCheckProject: what tsc -p reports), one after another: V8
  // compiles the checker once for four programs instead of in each of eight cold processes, and the
  // lib and zod declarations are parsed once for the programs that read them alike.
  (COMPILERS[version] === "native" ? it.concurrent : it).each(Object.keys(SETTINGS))(
    "compiles the generated files: %s",
    async (name) => {
      expect(await compile(version, name)).toBe("");
    },
    300_000,
  ); // a cap for a starved machine: a program takes a few seconds of CPU
});
