#!/usr/bin/env node
// `npm run demo`: compiles the bundled contract with `covenant generate`, runs the generated lifecycle
// guard (an event emitted too early is held, then released in order), runs `covenant diff` on a
// breaking change (with its witness), then `covenant check` on fixtures/agent-service (the seed
// incident: every bug covenant looks for) and on its fixed twin.
// Everything shown is the real output of the built CLI and of the generated code; findings and the
// breaking change are expected, so the demo exits 0 unless a command fails outright (exit 2 or a crash).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "dist", "bin", "covenant.js");
const outDir = path.join(root, ".covenant-cache", "demo", "generated"); // git-ignored
const contract = "contracts/agent-websocket.contract.yaml";

function heading(text) {
  const line = `━━ ${text}`;
  process.stdout.write(`\n${process.stdout.isTTY ? `\u001b[1m${line}\u001b[22m` : line}\n\n`);
}

/** Runs the CLI with its output on our terminal; returns the exit code. */
function covenant(args, cwd) {
  process.stdout.write(`$ covenant ${args.join(" ")}${cwd === root ? "" : `   (in ${path.relative(root, cwd)})`}\n`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, stdio: "inherit" });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function expectExit(code, allowed, what) {
  if (allowed.includes(code)) return;
  process.stderr.write(`demo: ${what} exited ${code}; expected ${allowed.join(" or ")}.\n`);
  process.exit(1);
}

if (!fs.existsSync(bin)) {
  process.stderr.write("demo: dist/bin/covenant.js is missing. Build first: `npm run build` (npm ci runs it).\n");
  process.exit(1);
}

heading(`1. covenant generate: ${contract} -> types, validators, JSON Schema, lifecycle guard, docs`);
if (fs.existsSync(path.join(root, contract))) {
  fs.rmSync(outDir, { recursive: true, force: true });
  expectExit(covenant(["generate", contract, "--out-dir", path.relative(root, outDir)], root), [0], "covenant generate");
  const docs = path.join(outDir, "agent-websocket.md");
  if (fs.existsSync(docs)) {
    process.stdout.write(`\nThe reviewer docs begin (${path.relative(root, docs)}):\n\n`);
    process.stdout.write(`${fs.readFileSync(docs, "utf8").split("\n").slice(0, 30).join("\n")}\n…\n`);
  }
} else {
  process.stdout.write(`(skipped: ${contract} is not in this checkout)\n`);
}

heading("2. the generated lifecycle guard: an event emitted before the connection is ready waits, then goes out in order");
const lifecycleTs = path.join(outDir, "agent-websocket.lifecycle.ts");
if (fs.existsSync(lifecycleTs)) {
  await showGuard();
} else {
  process.stdout.write("(skipped: nothing was generated)\n");
}

heading("3. covenant diff: a breaking change, with a witness (exit 1: breaking without a major version bump)");
const v2 = path.join(root, ".covenant-cache", "demo", "agent-websocket.v2.contract.yaml");
const changed = makeBreakingChange(path.join(root, contract));
if (changed) {
  fs.writeFileSync(v2, changed);
  process.stdout.write(
    "The new version adds a `timed_out` status to `agent_completed`, which the server sends and clients\nvalidate with the old enum; the version stays 1.0.0.\n\n",
  );
  const code = covenant(["diff", contract, path.relative(root, v2)], root);
  expectExit(code, [0, 1], "covenant diff");
  process.stdout.write(`\n(exit code ${code})\n`);
} else {
  process.stdout.write(`(skipped: ${contract} is not in this checkout, or no longer has the lines this step edits)\n`);
}

heading("4. covenant check on fixtures/agent-service: the seed incident (findings expected, exit 1)");
const service = path.join(root, "fixtures", "agent-service");
if (fs.existsSync(path.join(service, "tsconfig.json"))) {
  const code = covenant(["check"], service);
  expectExit(code, [0, 1], "covenant check");
  process.stdout.write(`\n(exit code ${code}${code === 1 ? ": findings, as the fixture carries the bugs" : ""})\n`);
} else {
  process.stdout.write("(skipped: fixtures/agent-service is not in this checkout)\n");
}

heading("5. covenant check on fixtures/agent-service-clean: the same service with the bugs fixed");
const clean = path.join(root, "fixtures", "agent-service-clean");
if (fs.existsSync(path.join(clean, "tsconfig.json"))) {
  const code = covenant(["check", "--format", "markdown"], clean);
  expectExit(code, [0, 1], "covenant check");
  process.stdout.write(`\n(exit code ${code})\n`);
} else {
  process.stdout.write("(skipped: fixtures/agent-service-clean is not in this checkout)\n");
}

/**
 * Runs the guard generated in step 1: the generated TypeScript, transpiled as it is (no type check,
 * imports kept), imported, and driven as a server would drive it.
 */
async function showGuard() {
  const { default: ts } = await import("typescript");
  const jsDir = path.join(root, ".covenant-cache", "demo", "runtime"); // under the repo: `zod` resolves
  fs.rmSync(jsDir, { recursive: true, force: true });
  fs.mkdirSync(jsDir, { recursive: true });
  fs.writeFileSync(path.join(jsDir, "package.json"), JSON.stringify({ type: "module" }));
  for (const name of fs.readdirSync(outDir).filter((f) => f.endsWith(".ts"))) {
    const { outputText } = ts.transpileModule(fs.readFileSync(path.join(outDir, name), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    fs.writeFileSync(path.join(jsDir, name.replace(/\.ts$/, ".js")), outputText);
  }
  const { createAgentWebsocketConnection } = await import(pathToFileURL(path.join(jsDir, "agent-websocket.lifecycle.js")).href);
  // The contract's own examples and lifecycle drive it, so the demo stays true as the contract changes.
  const { loadContract } = await import(pathToFileURL(path.join(root, "dist", "contracts", "index.js")).href);
  const model = loadContract(path.join(root, contract));
  const initial = model.lifecycle.initial;
  const early = model.events.filter((e) => e.direction !== "client-to-server" && e.examples.length > 0 && !e.states.includes(initial)).slice(0, 2);
  const path_ = early.length ? shortestPath(model.lifecycle, initial, early[0].states) : undefined;
  if (!path_) {
    process.stdout.write("(skipped: the contract has no example of an event that must wait)\n");
    return;
  }
  const wire = [];
  const guard = createAgentWebsocketConnection({ send: (text) => wire.push(text) });
  const step = (code, result) => process.stdout.write(`${code.padEnd(60)} // ${result}\n`);
  step("createAgentWebsocketConnection({ send })", `state: ${guard.state}`);
  for (const event of early) step(`guard.emit("${event.name}", { … })`, `${guard.emit(event.name, event.examples[0])}, sent so far: ${wire.length}`);
  for (const transition of path_) step(`guard.transition("${transition}")`, `state: ${guard.transition(transition)}, sent so far: ${wire.length}`);
  process.stdout.write("\nWhat went out, in the order it was emitted, once the state allowed it:\n");
  for (const text of wire) process.stdout.write(`  ${text.length > 110 ? `${text.slice(0, 109)}…` : text}\n`);
  try {
    guard.emit(early[0].name, {});
  } catch (error) {
    process.stdout.write(`\nA payload the contract rejects is never queued: ${error.name}: ${error.message}\n`);
  }
}

/** The transitions of a shortest path from `from` into one of `targets`. */
function shortestPath(lifecycle, from, targets) {
  const queue = [[from, []]];
  const seen = new Set([from]);
  while (queue.length) {
    const [state, taken] = queue.shift();
    if (targets.includes(state)) return taken;
    for (const [transition, next] of Object.entries(lifecycle.states.find((s) => s.name === state)?.on ?? {})) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push([next, [...taken, transition]]);
    }
  }
  return undefined;
}

/** The bundled contract with a new `timed_out` status for `agent_completed`: a breaking change for clients. */
function makeBreakingChange(file) {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  const before = "enum: [completed, failed, cancelled]";
  const at = text.indexOf(before, text.indexOf("  agent_completed:\n"));
  if (text.indexOf("  agent_completed:\n") === -1 || at === -1) return undefined;
  return `${text.slice(0, at)}enum: [completed, failed, cancelled, timed_out]${text.slice(at + before.length)}`;
}
