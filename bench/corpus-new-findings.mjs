#!/usr/bin/env node
// node bench/corpus-new-findings.mjs [name...] [--corpus bench/corpus-new.json] [--root <dir>] [--out <dir>]
//                                     [--engine auto|ts6|ts7]
//
// Runs the five no-config rules of the built CLI (`covenant check --format json`, dist/ or
// COVENANT_DIST) over each project of the held-out corpus installed by
// `npm run bench:corpus -- --corpus bench/corpus-new.json`, one run per project, and writes
// .bench/findings-new/<name>.json: the findings, each with the key that bench/review-new-corpus.json
// files its verdict under (rule, project, file, symbol and a hash of the reported line's text, so a
// verdict survives line drift). Exits 1 on an internal-error finding or a CLI exit code other than 0/1.
//
// --engine is passed to `covenant check` (default: the CLI's, auto). Each output also records the
// engine that ran (the report's summary), the run's warnings (auto's fallback note) and its CPU time
// (user + system of the CLI and every process it reaped, bench/lib/measure.mjs, plus TypeScript 7's
// compiler process, which the CLI does not reap: `compilerCpuMs`, sampled from /proc). A project the engine refuses (`--engine ts7` on a tsconfig TypeScript 7
// rejects: exit 2, one located line) is written with `refused` (that line) and no findings.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { measureNode } from "./lib/measure.mjs";
import { findingKey, FIVE_RULES } from "./lib/review-key.mjs";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const corpusFile = path.resolve(root, option("--corpus", "bench/corpus-new.json"));
const corpusRoot = path.resolve(root, option("--root", path.join(".bench", path.basename(corpusFile, ".json"))));
const outDir = path.resolve(root, option("--out", path.join(".bench", "findings-new")));
const engine = option("--engine", undefined);
const valued = new Set(["--corpus", "--root", "--out", "--engine"]);
const only = args.filter((a, i) => !a.startsWith("--") && !valued.has(args[i - 1]));
const cli = path.join(path.resolve(process.env.COVENANT_DIST ?? path.join(root, "dist")), "bin", "covenant.js");
const corpus = JSON.parse(fs.readFileSync(corpusFile, "utf8"));
fs.mkdirSync(outDir, { recursive: true });

/**
 * The CPU time of TypeScript 7's compiler process of a run (`tsc --api --cwd <pkg>`): the CLI ends it
 * without waiting for it, so it is not among the processes GNU time counts. Sampled from /proc every
 * 20 ms by a shell loop beside the run (Linux; elsewhere 0); the last sample of each process is its
 * CPU time up to at most 20 ms before it ended.
 */
function sampleCompilerCpu(pkg) {
  const out = path.join(os.tmpdir(), `covenant-compiler-cpu-${process.pid}-${path.basename(path.dirname(pkg))}`);
  if (process.platform !== "linux") return { stop: () => 0 };
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  const script = `while :; do for p in $(pgrep -f -- "tsc --api --cwd $1( |$)"); do awk -v p=$p '{print p, $14 + $15}' /proc/$p/stat 2>/dev/null; done; sleep 0.02; done`;
  const loop = spawn("sh", ["-c", script, "sh", pkg], { stdio: ["ignore", fs.openSync(out, "w"), "ignore"] });
  return {
    stop() {
      loop.kill("SIGKILL");
      const last = new Map();
      for (const line of fs.readFileSync(out, "utf8").split("\n")) {
        const [pid, t] = line.split(" ");
        if (pid && t) last.set(pid, Number(t));
      }
      fs.rmSync(out, { force: true });
      return ([...last.values()].reduce((a, b) => a + b, 0) * 1000) / ticks;
    },
  };
}

/**
 * One CLI run over one installed project: the findings, each with its review key, the engine that ran,
 * the warnings, the CPU time; or `refused` (exit 2: the engine asked for cannot run this project).
 */
export function checkProject(project, pkg) {
  const rules = FIVE_RULES.flatMap((r) => ["--rule", r]);
  const sampler = sampleCompilerCpu(pkg);
  const run = measureNode([cli, "check", "-p", "tsconfig.json", "--format", "json", ...(engine ? ["--engine", engine] : []), ...rules], { cwd: pkg });
  run.compilerCpuMs = sampler.stop();
  run.cpuMs += run.compilerCpuMs;
  if (run.status === 2 && run.stdout.trim() === "") return { refused: run.stderr.trim(), findings: [], cpuMs: run.cpuMs };
  if (run.status !== 0 && run.status !== 1) throw new Error(`${project.name}: covenant check exited ${run.status}\n${run.stderr}`);
  const report = JSON.parse(run.stdout);
  const lineOf = new Map();
  const textOf = (file, line) => {
    if (!lineOf.has(file)) lineOf.set(file, fs.readFileSync(path.join(pkg, file), "utf8").split("\n"));
    return lineOf.get(file)[line - 1] ?? "";
  };
  return {
    engine: report.summary.engine,
    warnings: report.warnings,
    cpuMs: Math.round(run.cpuMs),
    compilerCpuMs: Math.round(run.compilerCpuMs),
    findings: report.findings.map((f) => ({ ...f, key: findingKey(project.name, f, textOf(f.file, f.line)) })),
  };
}

let failed = false;
for (const project of corpus.projects) {
  if (only.length && !only.includes(project.name)) continue;
  const dir = path.join(corpusRoot, project.name);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, "corpus-meta.json"), "utf8"));
  const started = performance.now();
  const { findings, ...run } = checkProject(project, path.join(dir, "pkg"));
  const byRule = {};
  for (const f of findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const internal = findings.filter((f) => f.ruleId === "internal-error");
  if (internal.length) failed = true;
  const out = {
    name: project.name,
    codebase: project.codebase,
    package: `${project.package}@${project.version}`,
    files: meta.files,
    lines: meta.lines,
    codeLines: meta.codeLines,
    ...run,
    findings,
  };
  fs.writeFileSync(path.join(outDir, `${project.name}.json`), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(
    `${project.name}: ${meta.files} files, ${meta.codeLines} code lines, ${((performance.now() - started) / 1000).toFixed(0)} s, CPU ${(run.cpuMs / 1000).toFixed(1)} s, engine ${run.engine ?? `refused: ${run.refused}`}; findings ${JSON.stringify(byRule)}; internal errors ${internal.length}\n`,
  );
}
process.exitCode = failed ? 1 : 0;
