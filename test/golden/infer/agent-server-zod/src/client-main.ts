/**
 * `npm run example:client`: connects to the example server, sends `auth` and its `start_run`
 * requests in the same tick as `open` (before the server is ready: nothing may be lost), prints
 * the events, checks each against the contract (generated validators) and each run against the
 * run pattern (generated run monitor). Exit 0 when every run completed cleanly, 1 otherwise.
 *
 *   PORT=9000 AGENT_TOKEN=secret npm run example:client -- --runs 3 --events 12 --prompt "invoice INV-1009"
 */
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { DEFAULT_TOKEN, fail, readCount, readPort } from "./env.js";
import { createAgentWebsocketRunMonitor } from "./generated/agent-websocket.lifecycle.js";
import type { AgentWebsocketMessage } from "./generated/agent-websocket.types.js";
import { parseAgentWebsocketMessage } from "./generated/agent-websocket.validators.js";

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
const monitor = createAgentWebsocketRunMonitor();
let completed = 0;
let received = 0;
let invalid = 0;

const socket = new WebSocket(url);
const timer = setTimeout(() => {
  print(`timed out after ${timeoutMs} ms with ${completed}/${runs} runs completed`);
  socket.terminate();
}, timeoutMs);

socket.on("open", () => {
  // All in the open tick: the server is still authenticating and starting services.
  socket.send(JSON.stringify({ type: "auth", data: { token } }));
  for (let i = 1; i <= runs; i++) {
    socket.send(JSON.stringify({ type: "start_run", data: { run_id: `run-${i}`, agent_name: "researcher", prompt, events } }));
  }
  print(`connected to ${url}; sent auth and ${runs} start_run request(s) in the open tick`);
});

socket.on("message", (data) => {
  const text = data.toString();
  const raw = JSON.parse(text) as { type?: unknown; data?: { code?: number; message?: string } };
  if (raw.type === "protocol_error") {
    print(`protocol error ${raw.data?.code}: ${raw.data?.message}`);
    return;
  }
  const parsed = parseAgentWebsocketMessage(raw);
  if (!parsed.success) {
    invalid += 1;
    print(`INVALID ${text}: ${parsed.error.message}`);
    return;
  }
  received += 1;
  const message = parsed.data;
  monitor.observe(message);
  print(`${message.data.run_id.padEnd(6)} ${describe(message)}`);
  if (message.type === "agent_completed") {
    completed += 1;
    if (completed === runs) socket.close(1000, "done");
  }
});

socket.on("error", (error) => print(`error: ${error.message}`));

socket.on("close", (code, reason) => {
  clearTimeout(timer);
  const violations = monitor.violations();
  for (const violation of violations) print(`run monitor: ${violation.message}`);
  print(`closed ${code}${reason.length > 0 ? ` ${reason.toString()}` : ""}: ${received} events, ${completed}/${runs} runs completed, ${invalid} invalid, ${violations.length} run violation(s)`);
  process.exitCode = completed === runs && invalid === 0 && violations.length === 0 ? 0 : 1;
});

function describe(message: AgentWebsocketMessage): string {
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
