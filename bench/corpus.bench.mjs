#!/usr/bin/env node
// `npm run bench` (or `node bench/corpus.bench.mjs`): covenant on real code nobody here wrote, the
// corpus of `npm run bench:corpus` (.bench/corpus/<name>/pkg). For each project, in the same run,
// alternating the order every round, RUNS rounds (default 5), medians with min-max:
//   1. `covenant check` cold vs `tsc --noEmit -p` on the same tsconfig: wall, CPU, peak RSS, ratios;
//      per-check and per-phase time from COVENANT_TIMING=1 in the same covenant runs.
//   2. ESLint (typescript-eslint's typed parser, project service) with covenant.configs.recommended
//      vs the same run with no rule, vs @typescript-eslint/no-floating-promises alone, and
//      recommendedTypeChecked with and without covenant (overhead on a common real setup).
//   3. `covenant check --changed` after touching one file, in a temporary git repository holding a
//      copy of the project (node_modules linked), cold and through `--daemon` (warm).
// Env: RUNS (default 5), ESLINT_RUNS (default RUNS), ONLY=name,name, SKIP=eslint,changed,
// COVENANT_DIST (default dist/: run `npm run build` first). Figures go to stdout and to
// .bench/results/corpus-bench.{json,md}; docs/performance.md quotes them. Never part of `npm test`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MEASURED_WITH, measureNode, stats } from "./lib/measure.mjs";

const root = path.resolve(import.meta.dirname, "..");
const corpusDir = path.join(root, ".bench", "corpus");
const resultsDir = path.join(root, ".bench", "results");
const distDir = path.resolve(process.env.COVENANT_DIST ?? path.join(root, "dist"));
const covenantBin = path.join(distDir, "bin", "covenant.js");
const tscBin = path.join(root, "node_modules", "typescript", "bin", "tsc");
const eslintRunner = path.join(import.meta.dirname, "lib", "eslint-run.mjs");
const RUNS = positiveInt("RUNS", 5);
const ESLINT_RUNS = positiveInt("ESLINT_RUNS", RUNS);
const ONLY = process.env.ONLY ? process.env.ONLY.split(",") : undefined;
const SKIP = new Set((process.env.SKIP ?? "").split(",").filter(Boolean));

function positiveInt(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number >= 1`);
  return value;
}

function log(message) {
  process.stderr.write(`bench:corpus: ${message}\n`);
}

if (!fs.existsSync(covenantBin)) {
  log(`${path.relative(root, covenantBin)} is missing: run \`npm run build\` first (or set COVENANT_DIST).`);
  process.exit(1);
}
const corpus = JSON.parse(fs.readFileSync(path.join(root, "bench", "corpus.json"), "utf8"));
const projects = corpus.projects
  .filter((p) => !ONLY || ONLY.includes(p.name))
  .map((p) => ({ ...p, dir: path.join(corpusDir, p.name), pkg: path.join(corpusDir, p.name, "pkg") }));
const missing = projects.filter((p) => !fs.existsSync(path.join(p.dir, "corpus-meta.json")));
if (missing.length) {
  log(`not installed: ${missing.map((p) => p.name).join(", ")}. Run \`npm run bench:corpus\` first.`);
  process.exit(1);
}

/** `check:<id>   12.3 ...` lines of COVENANT_TIMING=1 output → { label: ms }. */
function parseTiming(stderr) {
  const timing = {};
  for (const line of stderr.split("\n")) {
    const m = /^(load config|load project|analyze files|check:[a-z-]+)\s+([\d.]+)/.exec(line);
    if (m) timing[m[1]] = Number(m[2]);
  }
  return timing;
}

function covenantRun(cwd, extra = [], env = {}) {
  const run = measureNode([covenantBin, "check", "--format", "json", ...extra], { cwd, env: { COVENANT_TIMING: "1", ...env } });
  if (run.status !== 0 && run.status !== 1) throw new Error(`covenant check failed in ${cwd} (exit ${run.status}):\n${run.stderr.slice(0, 2000)}`);
  const report = JSON.parse(run.stdout);
  return { ...run, timing: parseTiming(run.stderr), findings: report.findings.length, filesAnalyzed: report.summary.filesAnalyzed };
}

function tscRun(pkg) {
  const run = measureNode([tscBin, "--noEmit", "-p", "tsconfig.json"], { cwd: pkg });
  if (run.status !== 0 && run.status !== 2) throw new Error(`tsc failed in ${pkg} (exit ${run.status})`);
  return run;
}

function eslintRun(mode, pkg) {
  const run = measureNode([eslintRunner, mode, pkg], { cwd: pkg, env: { COVENANT_DIST: distDir } });
  if (run.status !== 0) throw new Error(`eslint (${mode}) failed in ${pkg} (exit ${run.status}):\n${run.stderr.slice(0, 2000)}`);
  return { ...run, summary: JSON.parse(run.stdout.trim().split("\n").at(-1)) };
}

/** Runs each scenario `rounds` times, rotating which goes first every round. */
function alternate(rounds, scenarios) {
  const names = Object.keys(scenarios);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const sample = scenarios[name]();
      samples[name].push(sample);
      log(
        `  round ${round + 1}/${rounds} ${name}: ${(sample.wallMs / 1000).toFixed(2)} s wall, ${(sample.cpuMs / 1000).toFixed(2)} s CPU, ${sample.maxRssMb.toFixed(0)} MB`,
      );
    }
  }
  return samples;
}

function summarize(samples) {
  return {
    wallMs: stats(samples.map((s) => s.wallMs)),
    cpuMs: stats(samples.map((s) => s.cpuMs)),
    maxRssMb: stats(samples.map((s) => s.maxRssMb)),
  };
}

/** Median of the per-round ratios a/b (paired, so drift in machine load cancels) with min-max. */
function pairedRatio(a, b, key) {
  return stats(a.map((s, i) => s[key] / b[i][key]));
}

/** A temporary git repository with a copy of the project, node_modules linked, one file touched. */
function prepareChangedRepo(project) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `covenant-bench-${project.name}-`));
  const pkg = path.join(tmp, "pkg");
  fs.cpSync(project.pkg, pkg, { recursive: true });
  fs.symlinkSync(path.join(project.dir, "node_modules"), path.join(tmp, "node_modules"), "dir");
  const git = (...args) =>
    execFileSync("git", args, {
      cwd: pkg,
      stdio: "ignore",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "bench",
        GIT_AUTHOR_EMAIL: "bench@localhost",
        GIT_COMMITTER_NAME: "bench",
        GIT_COMMITTER_EMAIL: "bench@localhost",
      },
    });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "corpus");
  // The file of median size among the analyzed ones: a typical edit.
  const meta = JSON.parse(fs.readFileSync(path.join(project.dir, "corpus-meta.json"), "utf8"));
  const candidates = meta.sampleFiles ?? [];
  const touched = candidates.length ? candidates[Math.floor(candidates.length / 2)] : undefined;
  if (!touched) throw new Error(`${project.name}: corpus-meta.json lists no sampleFiles; rerun npm run bench:corpus`);
  fs.appendFileSync(path.join(pkg, touched), "\n// touched by the covenant bench\n");
  return { tmp, pkg, touched };
}

const fmtS = (ms) => (ms / 1000).toFixed(2);
const fmtRange = (s, f) => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
const fmtRatio = (s) => `${s.median.toFixed(2)}x (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;

const results = {
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadavgAtStart: os.loadavg().map((l) => l.toFixed(2)),
  },
  measuredWith: MEASURED_WITH,
  runs: RUNS,
  eslintRuns: ESLINT_RUNS,
  startedAt: new Date().toISOString(),
  projects: [],
};
log(`${projects.length} projects, ${RUNS} rounds (${ESLINT_RUNS} for ESLint); measured with ${MEASURED_WITH}`);

for (const project of projects) {
  const meta = JSON.parse(fs.readFileSync(path.join(project.dir, "corpus-meta.json"), "utf8"));
  log(`${project.name}: ${meta.files} files, ${meta.lines} lines`);
  const entry = { name: project.name, package: `${project.package}@${project.version}`, files: meta.files, lines: meta.lines, tscErrors: meta.tscErrors };

  log(`${project.name}: covenant check vs tsc --noEmit`);
  const cold = alternate(RUNS, { covenant: () => covenantRun(project.pkg), tsc: () => tscRun(project.pkg) });
  entry.cold = {
    covenant: summarize(cold.covenant),
    tsc: summarize(cold.tsc),
    ratio: {
      wall: pairedRatio(cold.covenant, cold.tsc, "wallMs"),
      cpu: pairedRatio(cold.covenant, cold.tsc, "cpuMs"),
      rss: pairedRatio(cold.covenant, cold.tsc, "maxRssMb"),
    },
    findings: cold.covenant[0].findings,
    timing: Object.fromEntries(Object.keys(cold.covenant[0].timing).map((label) => [label, stats(cold.covenant.map((s) => s.timing[label]))])),
  };

  if (!SKIP.has("eslint")) {
    log(`${project.name}: ESLint`);
    const modes = ["parser", "covenant", "floating", "typed", "typed+covenant"];
    const lint = alternate(ESLINT_RUNS, Object.fromEntries(modes.map((m) => [m, () => eslintRun(m, project.pkg)])));
    entry.eslint = Object.fromEntries(
      modes.map((m) => [
        m,
        { ...summarize(lint[m]), messages: lint[m][0].summary.messages, fatal: lint[m][0].summary.fatal, internalErrors: lint[m][0].summary.internalErrors },
      ]),
    );
    entry.eslint.ratios = {
      covenantOverParser: pairedRatio(lint.covenant, lint.parser, "wallMs"),
      floatingOverParser: pairedRatio(lint.floating, lint.parser, "wallMs"),
      covenantOverFloating: pairedRatio(lint.covenant, lint.floating, "wallMs"),
      typedCovenantOverTyped: pairedRatio(lint["typed+covenant"], lint.typed, "wallMs"),
    };
  }

  if (!SKIP.has("changed")) {
    log(`${project.name}: covenant check --changed`);
    const repo = prepareChangedRepo(project);
    try {
      const changed = alternate(RUNS, { changed: () => covenantRun(repo.pkg, ["--changed"]) });
      entry.changed = {
        touched: repo.touched,
        filesAnalyzed: changed.changed[0].filesAnalyzed,
        ...summarize(changed.changed),
        timing: Object.fromEntries(Object.keys(changed.changed[0].timing).map((label) => [label, stats(changed.changed.map((s) => s.timing[label]))])),
      };
      // The same with --daemon: one run starts the daemon and fills its cache (not counted), then every
      // round edits the touched file again and runs. The daemon's work shows in the wall time only
      // (CPU and RSS are the client's).
      const daemonEnv = { COVENANT_DAEMON_DIR: path.join(repo.tmp, "daemon") };
      fs.mkdirSync(daemonEnv.COVENANT_DAEMON_DIR, { mode: 0o700 });
      const warmRun = () => {
        fs.appendFileSync(path.join(repo.pkg, repo.touched), "// edited again by the covenant bench\n");
        return covenantRun(repo.pkg, ["--changed", "--daemon"], daemonEnv);
      };
      const first = warmRun();
      const warm = alternate(RUNS, { "changed --daemon": warmRun });
      entry.changedWarm = {
        firstWallMs: first.wallMs,
        findingsSame: warm["changed --daemon"].every((s) => s.findings === changed.changed[0].findings),
        ...summarize(warm["changed --daemon"]),
      };
    } finally {
      // Removing the daemon's folder stops the daemon (it exits when its socket is gone).
      fs.rmSync(repo.tmp, { recursive: true, force: true });
    }
  }
  results.projects.push(entry);
}
results.finishedAt = new Date().toISOString();
results.machine.loadavgAtEnd = os.loadavg().map((l) => l.toFixed(2));

// ---------------------------------------------------------------- report
const md = [];
md.push(
  `Machine: ${results.machine.cpus} × ${results.machine.model}, ${results.machine.memoryGb} GB, ${results.machine.platform}, Node ${results.machine.node}; load average ${results.machine.loadavgAtStart.join(" ")} at start, ${results.machine.loadavgAtEnd.join(" ")} at end. ${RUNS} rounds (ESLint ${ESLINT_RUNS}), alternating; medians (min–max). Measured with ${MEASURED_WITH}.`,
  "",
);
md.push(
  "| project | lines | covenant wall s | tsc wall s | wall ratio | CPU ratio | covenant RSS MB | tsc RSS MB | RSS ratio |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
);
for (const p of results.projects) {
  const c = p.cold;
  md.push(
    `| ${p.package} | ${p.lines} | ${fmtRange(c.covenant.wallMs, fmtS)} | ${fmtRange(c.tsc.wallMs, fmtS)} | ${fmtRatio(c.ratio.wall)} | ${fmtRatio(c.ratio.cpu)} | ${fmtRange(c.covenant.maxRssMb, (v) => v.toFixed(0))} | ${fmtRange(c.tsc.maxRssMb, (v) => v.toFixed(0))} | ${fmtRatio(c.ratio.rss)} |`,
  );
}
md.push("", "Per phase and per check (COVENANT_TIMING=1, median ms of the cold runs):", "");
const labels = [...new Set(results.projects.flatMap((p) => Object.keys(p.cold.timing)))];
md.push(`| phase / check | ${results.projects.map((p) => p.name).join(" | ")} |`, `| --- |${results.projects.map(() => " ---: |").join("")}`);
for (const label of labels)
  md.push(`| ${label} | ${results.projects.map((p) => (p.cold.timing[label] ? p.cold.timing[label].median.toFixed(0) : "–")).join(" | ")} |`);
if (results.projects.some((p) => p.eslint)) {
  md.push("", "ESLint, typed parser (project service), wall s and ratios (paired per round):", "");
  md.push(
    "| project | no rule | covenant recommended | no-floating-promises only | recommendedTypeChecked | + covenant | covenant / no rule | no-floating / no rule | covenant / no-floating | overhead on recommendedTypeChecked |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const p of results.projects.filter((x) => x.eslint)) {
    const e = p.eslint;
    md.push(
      `| ${p.name} | ${fmtRange(e.parser.wallMs, fmtS)} | ${fmtRange(e.covenant.wallMs, fmtS)} | ${fmtRange(e.floating.wallMs, fmtS)} | ${fmtRange(e.typed.wallMs, fmtS)} | ${fmtRange(e["typed+covenant"].wallMs, fmtS)} | ${fmtRatio(e.ratios.covenantOverParser)} | ${fmtRatio(e.ratios.floatingOverParser)} | ${fmtRatio(e.ratios.covenantOverFloating)} | ${fmtRatio(e.ratios.typedCovenantOverTyped)} |`,
    );
  }
  md.push("", "Covenant messages in the ESLint runs (plugin) and internal errors:", "");
  for (const p of results.projects.filter((x) => x.eslint)) {
    const messages =
      Object.entries(p.eslint.covenant.messages)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none";
    md.push(
      `- ${p.name}: ${messages}; fatal parse errors ${p.eslint.covenant.fatal}; internal errors ${p.eslint.covenant.internalErrors.length}; CLI findings ${p.cold.findings}`,
    );
  }
}
if (results.projects.some((p) => p.changed)) {
  md.push("", "`covenant check --changed` after touching one file (cold process):", "");
  md.push(
    "| project | lines | touched | files reported on | wall s | CPU s | RSS MB | load project ms | analyze ms |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const p of results.projects.filter((x) => x.changed)) {
    const c = p.changed;
    md.push(
      `| ${p.name} | ${p.lines} | ${c.touched} | ${c.filesAnalyzed} | ${fmtRange(c.wallMs, fmtS)} | ${fmtRange(c.cpuMs, fmtS)} | ${fmtRange(c.maxRssMb, (v) => v.toFixed(0))} | ${c.timing["load project"]?.median.toFixed(0) ?? "–"} | ${c.timing["analyze files"]?.median.toFixed(0) ?? "–"} |`,
    );
  }
  md.push("", "`covenant check --changed --daemon`, the touched file edited again before every run (the first run, which starts the daemon, not counted):", "");
  md.push("| project | first run s | warm wall s | client RSS MB | as many findings as without --daemon |", "| --- | ---: | ---: | ---: | --- |");
  for (const p of results.projects.filter((x) => x.changedWarm)) {
    const w = p.changedWarm;
    md.push(
      `| ${p.name} | ${fmtS(w.firstWallMs)} | ${fmtRange(w.wallMs, fmtS)} | ${fmtRange(w.maxRssMb, (v) => v.toFixed(0))} | ${w.findingsSame ? "yes" : "NO"} |`,
    );
  }
}
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(path.join(resultsDir, "corpus-bench.json"), `${JSON.stringify(results, null, 2)}\n`);
fs.writeFileSync(path.join(resultsDir, "corpus-bench.md"), `${md.join("\n")}\n`);
process.stdout.write(`${md.join("\n")}\n`);
