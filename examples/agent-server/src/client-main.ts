/**
 * `npm run example:client`: connects to the example server and speaks the agent-runs contract
 * through the generated client endpoint: it emits `auth` and its `start_run` requests in the same
 * tick as `open` (the endpoint sends `auth` at once and queues the requests until the server's
 * `authenticated` arrives), checks every server message against the contract and each run against
 * the run pattern (the endpoint's run monitor), and prints the events. Exit 0 when every run
 * completed cleanly, 1 otherwise.
 *
 *   PORT=9000 AGENT_TOKEN=secret npm run example:client -- --runs 3 --events 12 --prompt "invoice INV-1009"
 */
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { DEFAULT_TOKEN, fail, readCount, readPort } from "./env.js";
import type { AgentEventName } from "./agent.js";
import { createAgentRunsClient, createAgentRunsRunMonitor } from "./generated/agent-runs.lifecycle.js";
import type { AgentRunsMessageOf } from "./generated/agent-runs.types.js";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    token: { type: "string" },
    runs: { type: "string" },
    events: { type: "string" },
    prompt: { type: "string" },
    timeout: { type: "string" },
  },
});
const url = values.url ?? process.env.AGENT_URL ?? `ws://127.0.0.1:${readPort(process.env.PORT)}/agents`;
const token = values.token ?? process.env.AGENT_TOKEN ?? DEFAULT_TOKEN;
const runs = readCount("--runs", values.runs, 2, 1, 100);
const events = readCount("--events", values.events, 8, 2, 10_000);
const timeoutMs = readCount("--timeout", values.timeout, 60_000, 1, 3_600_000);
const prompt = values.prompt ?? "the open invoices";
if (!/^wss?:\/\//.test(url)) fail(`--url must start with ws:// or wss://, got ${JSON.stringify(url)}.`);

const print = (line: string) => process.stdout.write(`[client] ${line}\n`);
const monitor = createAgentRunsRunMonitor();
let completed = 0;
let received = 0;
let invalid = 0;

const socket = new WebSocket(url);
const client = createAgentRunsClient({
  send: (text) => socket.send(text),
  close: (code, reason) => socket.close(code, reason),
  monitor,
});
const timer = setTimeout(() => {
  print(`timed out after ${timeoutMs} ms with ${completed}/${runs} runs completed`);
  socket.terminate();
}, timeoutMs);

socket.on("open", () => {
  client.transition("accept");
  // All in the open tick: auth goes out at once, the requests wait in the endpoint's queue for `authenticated`.
  client.emit("auth", { token });
  for (let i = 1; i <= runs; i++) client.emit("start_run", { run_id: `run-${i}`, agent_name: "researcher", prompt, events });
  print(`connected to ${url}; sent auth, ${runs} start_run request(s) queued until the server authenticates`);
});

socket.on("message", (data, isBinary) => {
  const result = client.receive(isBinary ? "" : data.toString());
  if (result.kind === "refused") {
    invalid += 1;
    print(`INVALID message, closing ${result.code}: ${result.reason}`);
    return;
  }
  if (result.kind !== "deliver") return;
  const message = result.message;
  switch (message.type) {
    case "authenticated":
      print(`authenticated as ${message.data.user}; the endpoint sent the queued start_run requests, in order`);
      return;
    case "protocol_error":
      print(`protocol error ${message.data.code} ${message.data.reason}: ${message.data.message}`);
      return;
    default:
      received += 1;
      print(`${message.data.run_id.padEnd(6)} ${describe(message)}`);
      if (message.type === "agent_completed") {
        completed += 1;
        if (completed === runs) client.close(1000, "done");
      }
  }
});

socket.on("error", (error) => print(`error: ${error.message}`));

socket.on("close", (code, reason) => {
  clearTimeout(timer);
  client.close(code, reason.toString()); // stops the endpoint's timer
  const violations = monitor.violations();
  for (const violation of violations) print(`run monitor: ${violation.message}`);
  print(`closed ${code}${reason.length > 0 ? ` ${reason.toString()}` : ""}: ${received} events, ${completed}/${runs} runs completed, ${invalid} invalid, ${violations.length} run violation(s)`);
  process.exitCode = completed === runs && invalid === 0 && violations.length === 0 ? 0 : 1;
});

function describe(message: AgentRunsMessageOf<AgentEventName>): string {
  switch (message.type) {
    case "agent_started":
      return `agent_started    ${message.data.agent_name}`;
    case "agent_thinking":
      return `agent_thinking   ${message.data.thought}`;
    case "tool_executing":
      return `tool_executing   ${message.data.tool_name}(${JSON.stringify(message.data.arguments ?? {})})`;
    case "tool_completed":
      return `tool_completed   ${message.data.tool_name} ${message.data.status} in ${message.data.duration_ms ?? "?"} ms`;
    case "agent_completed":
      return `agent_completed  ${message.data.status}: ${message.data.result ?? message.data.error ?? ""}`;
  }
}
