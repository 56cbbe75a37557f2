#!/usr/bin/env node
// `npm run bench:runtime`: what the generated runtime costs (examples/agent-server's agent-runs contract).
//
// 1. Guard overhead: the same corpus of agent events sent over a real loopback `ws` connection,
//    once with raw `socket.send(JSON.stringify(message))` and once through the generated guard's
//    `emit` (JSON round trip + zod validation + queue check + send), in the same run, alternating.
//    Measured: the synchronous send loop (CPU per message) and end to end (until the client has
//    received every message).
// 2. Validation throughput: the generated zod validators against ajv compiled from the generated
//    JSON Schema, on the same parsed wire messages (valid, and invalid ones).
//
// Medians of ROUNDS rounds after a warm-up (CPU time for synchronous work, so a busy shared
// machine disturbs the figures less); ratios printed; figures also written to .bench/runtime.json.
// Loopback only. Env: ROUNDS (default 7), MESSAGES (default 20000).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { WebSocket, WebSocketServer } from "ws";

const root = path.resolve(import.meta.dirname, "..");
const example = path.join(root, "examples", "agent-server");
const ROUNDS = positiveInt("ROUNDS", 7);
const MESSAGES = positiveInt("MESSAGES", 20_000);

// The example's TypeScript (with the committed generated code) compiled as `npm run example:server` does.
const tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(example, "tsconfig.json")], {
  stdio: "inherit",
});
if (tsc.status !== 0) {
  process.stderr.write("bench:runtime: compiling examples/agent-server failed\n");
  process.exit(1);
}
const load = (file) => import(pathToFileURL(path.join(example, "dist", "generated", file)).href);
const { createAgentRunsConnection } = await load("agent-runs.lifecycle.js");
const { parseAgentRunsMessage, AgentRunsMessageSchema } = await load("agent-runs.validators.js");
const jsonSchema = JSON.parse(fs.readFileSync(path.join(example, "src", "generated", "agent-runs.schema.json"), "utf8"));

// ---------------------------------------------------------------- corpus
/** Deterministic runs as the example agent emits them: started, thoughts and tool calls, completed. */
function buildCorpus(count) {
  const out = [];
  let run = 0;
  while (out.length < count) {
    run += 1;
    const run_id = `run-${run}`;
    const agent_name = run % 3 === 0 ? "researcher" : "triage";
    const t = 1_767_225_600_000 + run * 1_000;
    out.push({ type: "agent_started", data: { run_id, agent_name, thread_id: `thread-${run % 17}`, timestamp: t } });
    for (let step = 1; step <= 6; step++) {
      if (step % 2 === 1) {
        out.push({
          type: "agent_thinking",
          data: { run_id, agent_name, thought: `Step ${step}: look up the invoices of customer ${run % 101}.`, step, timestamp: t + step * 10 },
        });
      } else {
        const call_id = `${run_id}/call-${step}`;
        out.push({
          type: "tool_executing",
          data: { run_id, agent_name, tool_name: "search_invoices", call_id, arguments: { customer: `C-${run % 101}`, year: 2025 }, timestamp: t + step * 10 },
        });
        out.push({
          type: "tool_completed",
          data: {
            run_id,
            agent_name,
            tool_name: "search_invoices",
            call_id,
            status: "success",
            result: { invoices: [`INV-${run}`, `INV-${run + 1}`] },
            duration_ms: 5 + (run % 50),
            timestamp: t + step * 10 + 5,
          },
        });
      }
    }
    out.push({
      type: "agent_completed",
      data: { run_id, agent_name, status: "completed", result: `Invoice INV-${run} was paid.`, duration_ms: 95, timestamp: t + 100 },
    });
  }
  return out.slice(0, count);
}

/** The same messages with one realistic defect each (wrong type, missing field, bad enum, extra field). */
function corrupt(messages) {
  return messages.map((m, i) => {
    const data = { ...m.data };
    switch (i % 4) {
      case 0:
        data.timestamp = String(data.timestamp);
        break;
      case 1:
        delete data.run_id;
        break;
      case 2:
        data.agent_name = "";
        break;
      default:
        data.unexpected = true;
    }
    return { type: m.type, data };
  });
}

// ---------------------------------------------------------------- helpers
function positiveInt(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`${name} must be a positive integer\n`);
    process.exit(2);
  }
  return n;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (n, digits = 2) => n.toFixed(digits);
const fmtRate = (perSecond) => `${(perSecond / 1000).toFixed(0)}k/s`;

// ---------------------------------------------------------------- timing
// The machine is shared, so the synchronous sections are timed in CPU time of this process
// (process.cpuUsage: user + system), which other processes' load does not inflate; end to end is
// wall time. Variants alternate in small blocks and every figure is a median over rounds.
const cpuNow = () => process.cpuUsage();
const cpuSinceUs = (t0) => {
  const d = process.cpuUsage(t0);
  return d.user + d.system;
};

// ---------------------------------------------------------------- 1. guard vs raw ws.send
async function openPair() {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => wss.once("listening", resolve));
  const accepted = new Promise((resolve) => wss.once("connection", resolve));
  const client = new WebSocket(`ws://127.0.0.1:${wss.address().port}`);
  await new Promise((resolve, reject) => {
    client.once("open", resolve);
    client.once("error", reject);
  });
  const server = await accepted;
  let received = 0;
  let target = Infinity;
  let done = () => undefined;
  client.on("message", () => {
    received += 1;
    if (received === target) done();
  });
  /** Resolves when the client has received `count` more messages. */
  const expect = (count) =>
    new Promise((resolve) => {
      target = received + count;
      done = resolve;
    });
  const close = async () => {
    client.close();
    await new Promise((resolve) => wss.close(resolve));
  };
  return { server, expect, close };
}

function readyGuard(send) {
  const guard = createAgentRunsConnection({ send });
  for (const t of ["accept", "authenticate_request", "authenticate", "services_ready", "ready"]) guard.transition(t);
  return guard;
}

/** Sends the block raw or through the guard; per message: send-loop CPU µs, end-to-end wall µs and CPU µs. */
async function measureSend(pair, messages, variant) {
  const arrived = pair.expect(messages.length);
  const guard = variant === "guard" ? readyGuard((text) => pair.server.send(text)) : undefined;
  const socket = pair.server;
  const wall0 = performance.now();
  const cpu0 = cpuNow();
  if (guard === undefined) for (const m of messages) socket.send(JSON.stringify({ type: m.type, data: m.data }));
  else for (const m of messages) guard.emit(m.type, m.data);
  const loop = cpuSinceUs(cpu0);
  await arrived;
  const totalCpu = cpuSinceUs(cpu0);
  const totalWall = (performance.now() - wall0) * 1000;
  const n = messages.length;
  return { loop: loop / n, totalCpu: totalCpu / n, totalWall: totalWall / n };
}

/** The same without a socket (send appends to nothing): the guard's own cost against JSON.stringify. */
function measureCpuOnly(messages, variant) {
  let sink = 0;
  const guard = variant === "guard" ? readyGuard((text) => (sink += text.length)) : undefined;
  const cpu0 = cpuNow();
  if (guard === undefined) for (const m of messages) sink += JSON.stringify({ type: m.type, data: m.data }).length;
  else for (const m of messages) guard.emit(m.type, m.data);
  const us = cpuSinceUs(cpu0) / messages.length;
  if (sink === 0) throw new Error("nothing sent");
  return us;
}

// ---------------------------------------------------------------- 2. zod vs ajv
/** Messages per CPU second; throws when the validator does not give the expected verdict on every message. */
function measureValidation(messages, validate, expectValid) {
  const cpu0 = cpuNow();
  let agreed = 0;
  for (const m of messages) if (validate(m) === expectValid) agreed += 1;
  const seconds = cpuSinceUs(cpu0) / 1e6;
  if (agreed !== messages.length)
    throw new Error(`validator disagreed on ${messages.length - agreed} of ${messages.length} messages (expected valid=${expectValid})`);
  return messages.length / seconds;
}

// ---------------------------------------------------------------- run
const corpus = buildCorpus(MESSAGES);
const invalid = corrupt(corpus);
const ajv = new Ajv2020({ strict: false });
const ajvValidate = ajv.compile(jsonSchema);
const ajvAll = new Ajv2020({ strict: false, allErrors: true }).compile(jsonSchema);
const validators = {
  "zod: parseAgentRunsMessage": (m) => parseAgentRunsMessage(m).success,
  "zod: MessageSchema.safeParse": (m) => AgentRunsMessageSchema.safeParse(m).success,
  "ajv (first error)": (m) => ajvValidate(m),
  "ajv (allErrors)": (m) => ajvAll(m),
};

process.stdout.write(
  `bench:runtime: ${MESSAGES} messages, ${ROUNDS} rounds (+1 warm-up), node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg()[0].toFixed(1)}\n`,
);

const pair = await openPair();
const BLOCK = Math.min(MESSAGES, 2_000);
const blocks = Array.from({ length: Math.ceil(MESSAGES / BLOCK) }, (_, i) => corpus.slice(i * BLOCK, (i + 1) * BLOCK));
const send = { raw: [], guard: [] };
const cpuOnly = { raw: [], guard: [] };
const ratios = { loop: [], totalCpu: [], totalWall: [], cpuOnly: [] };
const names = Object.keys(validators);
const rates = Object.fromEntries(
  names.flatMap((k) => [
    [`${k} valid`, []],
    [`${k} invalid`, []],
  ]),
);
const rateRatios = Object.fromEntries(Object.keys(rates).map((k) => [k, []]));
for (let round = 0; round <= ROUNDS; round++) {
  const sums = { raw: { loop: 0, totalCpu: 0, totalWall: 0, cpu: 0 }, guard: { loop: 0, totalCpu: 0, totalWall: 0, cpu: 0 } };
  for (const [b, block] of blocks.entries()) {
    for (const variant of (round + b) % 2 === 0 ? ["raw", "guard"] : ["guard", "raw"]) {
      const r = await measureSend(pair, block, variant);
      sums[variant].loop += r.loop * block.length;
      sums[variant].totalCpu += r.totalCpu * block.length;
      sums[variant].totalWall += r.totalWall * block.length;
      sums[variant].cpu += measureCpuOnly(block, variant) * block.length;
    }
  }
  const roundRates = {};
  for (const [b, block] of blocks.entries()) {
    const bad = invalid.slice(b * BLOCK, (b + 1) * BLOCK);
    const rotated = names.map((_, i) => names[(i + round + b) % names.length]);
    for (const name of rotated) {
      roundRates[`${name} valid`] = (roundRates[`${name} valid`] ?? 0) + measureValidation(block, validators[name], true) / blocks.length;
      roundRates[`${name} invalid`] = (roundRates[`${name} invalid`] ?? 0) + measureValidation(bad, validators[name], false) / blocks.length;
    }
  }
  if (round === 0) continue; // warm-up
  const per = (variant, key) => sums[variant][key] / MESSAGES;
  for (const variant of ["raw", "guard"]) {
    send[variant].push({ loop: per(variant, "loop"), totalCpu: per(variant, "totalCpu"), totalWall: per(variant, "totalWall") });
    cpuOnly[variant].push(per(variant, "cpu"));
  }
  ratios.loop.push(per("guard", "loop") / per("raw", "loop"));
  ratios.totalCpu.push(per("guard", "totalCpu") / per("raw", "totalCpu"));
  ratios.totalWall.push(per("guard", "totalWall") / per("raw", "totalWall"));
  ratios.cpuOnly.push(per("guard", "cpu") / per("raw", "cpu"));
  for (const [k, v] of Object.entries(roundRates)) {
    rates[k].push(v);
    const base = roundRates[k.endsWith(" valid") ? `${names[0]} valid` : `${names[0]} invalid`];
    rateRatios[k].push(v / base);
  }
}
await pair.close();

const row = (label, key) => {
  const raw = median(send.raw.map((s) => s[key]));
  const guard = median(send.guard.map((s) => s[key]));
  return `  ${label.padEnd(44)} raw ${fmt(raw).padStart(6)}   guard.emit ${fmt(guard).padStart(6)}   +${fmt(guard - raw)} µs   ratio ${fmt(median(ratios[key]))}x`;
};
const rawCpuOnly = median(cpuOnly.raw);
const guardCpuOnly = median(cpuOnly.guard);
const lines = [
  "",
  "Guard + validation overhead per message (medians; µs per message; ratio = guard / raw, median of per-round ratios)",
  row("send loop, CPU (ws.send on loopback)", "loop"),
  row("end to end, CPU (until the client received)", "totalCpu"),
  row("end to end, wall clock", "totalWall"),
  `  ${"guard alone, CPU (send = no-op)".padEnd(44)} raw ${fmt(rawCpuOnly).padStart(6)}   guard.emit ${fmt(guardCpuOnly).padStart(6)}   +${fmt(guardCpuOnly - rawCpuOnly)} µs   ratio ${fmt(median(ratios.cpuOnly))}x`,
  "",
  `Validation throughput (medians; messages per CPU second; ratio against ${names[0]})`,
];
const rateMedians = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
for (const name of names) {
  const valid = rateMedians[`${name} valid`];
  const bad = rateMedians[`${name} invalid`];
  lines.push(
    `  ${name.padEnd(34)} valid ${fmtRate(valid).padStart(8)} (${fmt(median(rateRatios[`${name} valid`]))}x)   invalid ${fmtRate(bad).padStart(8)} (${fmt(median(rateRatios[`${name} invalid`]))}x)`,
  );
}
process.stdout.write(`${lines.join("\n")}\n`);

fs.mkdirSync(path.join(root, ".bench"), { recursive: true });
fs.writeFileSync(
  path.join(root, ".bench", "runtime.json"),
  `${JSON.stringify(
    {
      node: process.version,
      cores: os.cpus().length,
      loadAverage: os.loadavg()[0],
      messages: MESSAGES,
      rounds: ROUNDS,
      perMessageUs: { raw: send.raw, guard: send.guard, cpuOnly },
      ratios,
      validationPerCpuSecond: rateMedians,
      validationRatios: Object.fromEntries(Object.entries(rateRatios).map(([k, v]) => [k, median(v)])),
    },
    null,
    2,
  )}\n`,
);
