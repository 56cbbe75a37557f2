/**
 * `npm run example:server`: the agent server on 127.0.0.1:$PORT (default 8787).
 *
 *   PORT=9000 AGENT_TOKEN=secret READY_DELAY_MS=300-1500 STEP_DELAY_MS=100-400 npm run example:server
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { DEFAULT_TOKEN, isLoopback, readPort, readRange } from "./env.js";
import { startAgentServer } from "./server.js";

const host = process.env.HOST ?? "127.0.0.1";
const port = readPort(process.env.PORT);
const token = process.env.AGENT_TOKEN ?? DEFAULT_TOKEN;
const digest = (text: string) => createHash("sha256").update(text).digest();
const expected = digest(token);

const log = (line: string) => process.stdout.write(`[server ${new Date().toISOString().slice(11, 23)}] ${line}\n`);
if (process.env.AGENT_TOKEN === undefined) log(`AGENT_TOKEN is not set: accepting the development token "${DEFAULT_TOKEN}"`);
if (!isLoopback(host)) log(`warning: listening on ${host}, not loopback; this example has no TLS`);

const server = await startAgentServer({
  host,
  port,
  // Compare digests in constant time: the token length does not leak either.
  authenticate: (candidate) => (timingSafeEqual(digest(candidate), expected) ? "user-1" : undefined),
  readyDelayMs: readRange("READY_DELAY_MS", process.env.READY_DELAY_MS, [300, 1500]),
  agentStepDelayMs: readRange("STEP_DELAY_MS", process.env.STEP_DELAY_MS, [100, 400]),
  log,
});
log(`try: PORT=${server.port} npm run example:client`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal}: closing ${server.connections} connection(s)`);
    void server.close().then(() => {
      const { stats } = server;
      log(`served ${stats.accepted} connection(s), ${stats.runsCompleted}/${stats.runsStarted} run(s) completed, ${stats.emitted} event(s), ${stats.undelivered} undelivered, ${stats.errors.length} server error(s)`);
      process.exit(stats.errors.length === 0 ? 0 : 1);
    });
  });
}
