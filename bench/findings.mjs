#!/usr/bin/env node
// node --expose-gc bench/findings.mjs [name...]
//
// Robustness on real code: every rule (all registered checks, at least at their default severity)
// over every corpus project of `npm run bench:corpus`, in-process through the engine's runCheck.
// Writes .bench/findings/<name>.json (the findings, for the hand review in docs/real-world.md) and
// prints per project: files, lines, findings by rule, internal errors (must be 0), and memory:
//   - the heap after every 10% of the files (each after a full GC) during the run;
//   - a second pass of every check over every file on the same program: if the checks kept per-file
//     state, the heap would grow again by as much as in the first pass; what the first pass adds is
//     the type checker's own caches (types resolved once, reused by the second pass);
//   - whether the program is released once the run is over (a WeakRef after GC).
// COVENANT_DIST selects the build (default dist/).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import picomatch from "picomatch";

const root = path.resolve(import.meta.dirname, "..");
const distDir = path.resolve(process.env.COVENANT_DIST ?? path.join(root, "dist"));
const { runCheck } = await import(pathToFileURL(path.join(distDir, "analyzer", "engine", "run-check.js")).href);
const { runChecksOnFile } = await import(pathToFileURL(path.join(distDir, "analyzer", "engine", "run-checks.js")).href);
const { loadProject } = await import(pathToFileURL(path.join(distDir, "analyzer", "project", "load-project.js")).href);
const { checks } = await import(pathToFileURL(path.join(distDir, "analyzer", "checks", "index.js")).href);
const corpus = JSON.parse(fs.readFileSync(path.join(root, "bench", "corpus.json"), "utf8"));
const only = process.argv.slice(2);
const outDir = path.join(root, ".bench", "findings");
fs.mkdirSync(outDir, { recursive: true });
if (typeof globalThis.gc !== "function") process.stderr.write("findings: run with node --expose-gc for the heap figures\n");

const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);
const heapMb = () => {
  globalThis.gc?.();
  return Number(mb(process.memoryUsage().heapUsed));
};

/** The engine's run (load, every check, suppressions), with the heap sampled as files are done. */
function analyze(pkg) {
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
      heap.push({ done, heapMb: heapMb() });
    },
  });
  return { findings: report.findings, filesAnalyzed: report.summary.filesAnalyzed, seconds: (performance.now() - started) / 1000, heap };
}

/** Two passes of every check over every file of one program; returns the heap growth of each and a WeakRef to the program. */
function twoPasses(pkg, testGlobs) {
  const project = loadProject({ tsconfig: path.join(pkg, "tsconfig.json") });
  const enabled = Object.values(checks).map((check) => ({ check, severity: check.meta.defaultSeverity, options: check.options.parse({}) }));
  const matches = picomatch(testGlobs, { dot: true });
  const isTest = (file) => matches(path.relative(pkg, file).split(path.sep).join("/"));
  const settings = { isTestFile: isTest, migrations: [], contracts: [] };
  const pass = () => {
    const before = heapMb();
    for (const unit of project.units) {
      for (const sourceFile of unit.files) runChecksOnFile(sourceFile, enabled, { program: unit.program, checker: unit.checker, settings, cwd: pkg });
    }
    return heapMb() - before;
  };
  const loaded = heapMb();
  const first = pass();
  const second = pass();
  return { loaded, first, second, program: new WeakRef(project.units[0].program) };
}

let failed = false;
for (const project of corpus.projects) {
  if (only.length && !only.includes(project.name)) continue;
  const pkg = path.join(root, ".bench", "corpus", project.name, "pkg");
  const meta = JSON.parse(fs.readFileSync(path.join(root, ".bench", "corpus", project.name, "corpus-meta.json"), "utf8"));
  const run = analyze(pkg);
  const byRule = {};
  for (const f of run.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const internal = run.findings.filter((f) => f.ruleId === "internal-error");
  if (internal.length) failed = true;
  fs.writeFileSync(
    path.join(outDir, `${project.name}.json`),
    `${JSON.stringify({ package: `${project.package}@${project.version}`, lines: meta.lines, files: meta.files, findings: run.findings }, null, 2)}\n`,
  );
  process.stdout.write(
    `${project.name}: ${run.filesAnalyzed} files, ${meta.lines} lines, ${run.seconds.toFixed(1)} s; findings ${JSON.stringify(byRule)}; internal errors ${internal.length}\n` +
      `  heap after GC by files done: ${run.heap.map((h) => `${h.done}:${h.heapMb}MB`).join(" ")}\n`,
  );
  for (const f of internal) process.stdout.write(`  INTERNAL ${f.file}:${f.line} ${f.message}\n`);
  if (typeof globalThis.gc === "function") {
    const passes = twoPasses(pkg, project.tests ?? []);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const released = heapMb() >= 0 && passes.program.deref() === undefined;
    process.stdout.write(
      `  program loaded: ${passes.loaded} MB heap; checks pass 1: +${passes.first} MB, pass 2 over the same files: +${passes.second} MB; program released after the run: ${released ? "yes" : "NO"}\n`,
    );
    if (!released) failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
