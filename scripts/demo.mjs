#!/usr/bin/env node
// `npm run demo`: compiles the bundled contract with `covenant generate`, then runs `covenant check`
// on fixtures/agent-service (the seed incident: every bug covenant looks for) and on its fixed twin.
// Everything shown is the real output of the built CLI; findings are expected, so the demo exits 0
// unless a command fails outright (exit 2 or a crash).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

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

heading("2. covenant check on fixtures/agent-service: the seed incident (findings expected, exit 1)");
const service = path.join(root, "fixtures", "agent-service");
if (fs.existsSync(path.join(service, "tsconfig.json"))) {
  const code = covenant(["check"], service);
  expectExit(code, [0, 1], "covenant check");
  process.stdout.write(`\n(exit code ${code}${code === 1 ? ": findings, as the fixture carries the bugs" : ""})\n`);
} else {
  process.stdout.write("(skipped: fixtures/agent-service is not in this checkout)\n");
}

heading("3. covenant check on fixtures/agent-service-clean: the same service with the bugs fixed");
const clean = path.join(root, "fixtures", "agent-service-clean");
if (fs.existsSync(path.join(clean, "tsconfig.json"))) {
  const code = covenant(["check", "--format", "markdown"], clean);
  expectExit(code, [0, 1], "covenant check");
  process.stdout.write(`\n(exit code ${code})\n`);
} else {
  process.stdout.write("(skipped: fixtures/agent-service-clean is not in this checkout)\n");
}
