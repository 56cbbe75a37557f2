#!/usr/bin/env node
// `npm run bench [-- <filter>...]`: runs every bench/*.bench.{mjs,js,cjs} with node, one after
// the other (benchmarks must not share the CPU with each other), and bench/*.bench.{ts,mts}
// through `vitest bench --run`. A filter keeps the files whose name contains it
// (`npm run bench -- runtime`). Exits 1 when any benchmark fails; the others still run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(root, "bench");
const filters = process.argv.slice(2);
const files = (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
  .filter((name) => /\.bench\.(mjs|js|cjs|ts|mts)$/.test(name))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`bench: no bench/*.bench.* file${filters.length > 0 ? ` matches ${filters.join(", ")}` : ""}\n`);
  process.exit(filters.length > 0 ? 2 : 0);
}

const failed = [];
for (const name of files) {
  const file = path.join("bench", name);
  process.stdout.write(`\n━━ ${file}\n`);
  const command = /\.m?ts$/.test(name) ? [path.join(root, "node_modules", "vitest", "vitest.mjs"), "bench", "--run", file] : [file];
  const started = Date.now();
  const result = spawnSync(process.execPath, command, { cwd: root, stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed.push(file);
    process.stdout.write(`━━ ${file} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}) after ${seconds} s\n`);
  } else {
    process.stdout.write(`━━ ${file} done in ${seconds} s\n`);
  }
}
if (failed.length > 0) {
  process.stderr.write(`bench: ${failed.length} of ${files.length} failed: ${failed.join(", ")}\n`);
  process.exit(1);
}
