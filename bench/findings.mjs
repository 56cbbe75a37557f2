#!/usr/bin/env node
// node --expose-gc bench/findings.mjs [name...]
//
// Robustness on real code: every rule (all registered checks, at least at their default severity)
// over every corpus project of `npm run bench:corpus`, in-process through the engine's runCheck.
// Writes .bench/findings/<name>.json (the findings, for the hand review in docs/real-world.md) and
// prints per project: files, lines, findings by rule, internal errors (must be 0), and the heap
// after every 10% of the files (each after a full GC), to show that memory stays flat across files:
// whatever grows is the type checker's own caches, not per-file state kept by the checks.
// COVENANT_DIST selects the build (default dist/).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
const distDir = path.resolve(process.env.COVENANT_DIST ?? path.join(root, "dist"));
const { runCheck } = await import(pathToFileURL(path.join(distDir, "analyzer", "engine", "run-check.js")).href);
const { checks } = await import(pathToFileURL(path.join(distDir, "analyzer", "checks", "index.js")).href);
const corpus = JSON.parse(fs.readFileSync(path.join(root, "bench", "corpus.json"), "utf8"));
const only = process.argv.slice(2);
const outDir = path.join(root, ".bench", "findings");
fs.mkdirSync(outDir, { recursive: true });
if (typeof globalThis.gc !== "function") process.stderr.write("findings: run with node --expose-gc for the heap figures\n");

const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);
let failed = false;
for (const project of corpus.projects) {
  if (only.length && !only.includes(project.name)) continue;
  const pkg = path.join(root, ".bench", "corpus", project.name, "pkg");
  const meta = JSON.parse(fs.readFileSync(path.join(root, ".bench", "corpus", project.name, "corpus-meta.json"), "utf8"));
  const heap = [];
  let nextSample = 0;
  const started = performance.now();
  const report = runCheck({
    cwd: pkg,
    project: "tsconfig.json",
    rules: Object.keys(checks),
    onProgress({ done, total }) {
      if (done < nextSample) return;
      nextSample = done + Math.max(1, Math.floor(total / 10));
      globalThis.gc?.();
      heap.push({ done, heapMb: Number(mb(process.memoryUsage().heapUsed)) });
    },
  });
  globalThis.gc?.();
  heap.push({ done: report.summary.filesAnalyzed, heapMb: Number(mb(process.memoryUsage().heapUsed)) });
  const byRule = {};
  for (const f of report.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const internal = report.findings.filter((f) => f.ruleId === "internal-error");
  if (internal.length) failed = true;
  fs.writeFileSync(path.join(outDir, `${project.name}.json`), `${JSON.stringify({ package: `${project.package}@${project.version}`, lines: meta.lines, files: meta.files, findings: report.findings }, null, 2)}\n`);
  process.stdout.write(
    `${project.name}: ${report.summary.filesAnalyzed} files, ${meta.lines} lines, ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `findings ${JSON.stringify(byRule)}; internal errors ${internal.length}\n` +
      `  heap after GC by files done: ${heap.map((h) => `${h.done}:${h.heapMb}MB`).join(" ")}\n`,
  );
  for (const f of internal) process.stdout.write(`  INTERNAL ${f.file}:${f.line} ${f.message}\n`);
}
process.exitCode = failed ? 1 : 0;
