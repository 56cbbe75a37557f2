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
//   4. "engines" (issue 12): covenant check on the ts6 engine and on the ts7 engine (when
//      `covenant check --help` offers `--engine ts7`), `tsc --noEmit` of TypeScript 6 and of
//      TypeScript 7, typescript-eslint's no-floating-promises alone and oxlint --type-aware with
//      only typescript/no-floating-promises (tsgolint), all on one tsconfig TypeScript 7 accepts
//      (a copy of the project when the original uses an option TypeScript 7 removed); wall, CPU,
//      peak RSS of the whole process tree, paired ratios to both tscs, findings of each; then the
//      warm `--changed --daemon` run on both engines (ts7 only when offered).
// Env: RUNS (default 5), ESLINT_RUNS (default RUNS), ONLY=name,name, SKIP=cold,eslint,changed,engines,engines-changed,
// COVENANT_DIST (default dist/: run `npm run build` first). Figures go to stdout and to
// .bench/results/corpus-bench.{json,md}; docs/performance.md quotes them. Never part of `npm test`.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { countTscErrors, engineSupport, readOxlintReport, removedOptions } from "./lib/engines.mjs";
import { MEASURED_WITH, measureNode, stats } from "./lib/measure.mjs";

const root = path.resolve(import.meta.dirname, "..");
const corpusDir = path.join(root, ".bench", "corpus");
const resultsDir = path.join(root, ".bench", "results");
const distDir = path.resolve(process.env.COVENANT_DIST ?? path.join(root, "dist"));
const covenantBin = path.join(distDir, "bin", "covenant.js");
const tscBin = path.join(root, "node_modules", "typescript", "bin", "tsc");
// TypeScript 7's tsc: the `typescript-7` alias's bin (whatever 7.x it is pinned to).
const tsc7Bin = path.join(root, "node_modules", "typescript-7", "bin", "tsc");
const oxlintBin = path.join(root, "node_modules", "oxlint", "bin", "oxlint");
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
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`covenant check printed no JSON report in ${cwd} (exit ${run.status}):\n${run.stderr.slice(0, 2000)}`);
  }
  return { ...run, timing: parseTiming(run.stderr), findings: report.findings.length, filesAnalyzed: report.summary.filesAnalyzed };
}

function tscRun(pkg, bin = tscBin) {
  const run = measureNode([bin, "--noEmit", "-p", "tsconfig.json"], { cwd: pkg });
  // Errors in the program: exit 2 from TypeScript 6, 1 from TypeScript 7. A crash prints no error.
  const errors = countTscErrors(run.stdout);
  if (run.status !== 0 && !((run.status === 1 || run.status === 2) && errors > 0))
    throw new Error(`${path.relative(root, bin)} failed in ${pkg} (exit ${run.status}):\n${(run.stdout + run.stderr).slice(0, 2000)}`);
  return { ...run, errors };
}

function eslintRun(mode, pkg) {
  const run = measureNode([eslintRunner, mode, pkg], { cwd: pkg, env: { COVENANT_DIST: distDir } });
  if (run.status !== 0) throw new Error(`eslint (${mode}) failed in ${pkg} (exit ${run.status}):\n${run.stderr.slice(0, 2000)}`);
  return { ...run, summary: JSON.parse(run.stdout.trim().split("\n").at(-1)) };
}

/**
 * Runs each scenario `rounds` times, rotating which goes first every round. A scenario named in
 * `optional` that throws is reported in `failures` (name → message) and left out of the later
 * rounds; any other scenario that throws ends the bench.
 */
function alternate(rounds, scenarios, { optional = new Set(), failures = {} } = {}) {
  let names = Object.keys(scenarios);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      let sample;
      try {
        sample = scenarios[name]();
      } catch (error) {
        if (!optional.has(name)) throw error;
        failures[name] = String(error.message ?? error)
          .split("\n")
          .slice(0, 3)
          .join(" ");
        log(`  round ${round + 1}/${rounds} ${name}: FAILED, left out of the next rounds: ${failures[name]}`);
        names = names.filter((n) => n !== name);
        continue;
      }
      samples[name].push(sample);
      log(
        `  round ${round + 1}/${rounds} ${name}: ${(sample.wallMs / 1000).toFixed(2)} s wall, ${(sample.cpuMs / 1000).toFixed(2)} s CPU, ${sample.maxRssMb.toFixed(0)} MB${sample.treeRssMb > sample.maxRssMb + 0.5 ? ` (${sample.treeRssMb.toFixed(0)} MB all processes)` : ""}${sample.treeSamples === 0 ? " (the process tree was not sampled: GNU time's figure)" : ""}`,
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
    treeRssMb: stats(samples.map((s) => s.treeRssMb)),
  };
}

/** Median of the per-round ratios a/b (paired, so drift in machine load cancels) with min-max. */
function pairedRatio(a, b, key) {
  return stats(a.map((s, i) => s[key] / b[i][key]));
}

/** A temporary git repository with a copy of the project (or of `source`), node_modules linked, one file touched. */
function prepareChangedRepo(project, source = project.pkg) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `covenant-bench-${project.name}-`));
  const pkg = path.join(tmp, "pkg");
  fs.cpSync(source, pkg, { recursive: true });
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

// ------------------------------------------------------------ the engines group (issue 12)

/** `covenant check --help` of the build measured: does it offer `--engine`, ts6, ts7? */
function covenantEngines() {
  const help = spawnSync(process.execPath, [covenantBin, "check", "--help"], { encoding: "utf8" });
  return engineSupport(`${help.stdout ?? ""}${help.stderr ?? ""}`);
}

/** tsgolint's native binary, as oxlint-tsgolint's own bin script finds it (no Node wrapper in between). */
function tsgolintBinary() {
  const require = createRequire(path.join(root, "node_modules", "oxlint-tsgolint", "package.json"));
  return require.resolve(`@oxlint-tsgolint/${process.platform}-${process.arch}/tsgolint${process.platform === "win32" ? ".exe" : ""}`);
}

/**
 * The project as TypeScript 7 accepts it. When `tsc` 7 rejects an option of the tsconfig (TS 7
 * removed e.g. `esModuleInterop: false`), a temporary copy (node_modules linked, as for
 * --changed) whose tsconfig goes without those options; every tool of the group then runs on
 * that copy, so all of them read the same program. `{ pkg, changes, cleanup }`.
 */
function ts7ReadyProject(project) {
  const listFiles = (pkg) =>
    spawnSync(process.execPath, [tsc7Bin, "-p", "tsconfig.json", "--listFilesOnly"], { cwd: pkg, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  let removed = removedOptions(listFiles(project.pkg).stdout);
  if (removed.length === 0) return { pkg: project.pkg, changes: [], cleanup: () => undefined };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `covenant-bench-ts7-${project.name}-`));
  const pkg = path.join(tmp, "pkg");
  fs.cpSync(project.pkg, pkg, { recursive: true });
  fs.symlinkSync(path.join(project.dir, "node_modules"), path.join(tmp, "node_modules"), "dir");
  const configFile = path.join(pkg, "tsconfig.json");
  const changes = [];
  for (let attempt = 0; attempt < 5 && removed.length > 0; attempt++) {
    const { config, error } = ts.parseConfigFileTextToJson(configFile, fs.readFileSync(configFile, "utf8"));
    if (error || !config) throw new Error(`${project.name}: cannot read ${configFile}`);
    for (const { option, message } of removed) {
      if (!config.compilerOptions || !(option in config.compilerOptions))
        throw new Error(`${project.name}: TypeScript 7 rejects '${option}', which the tsconfig does not set itself (${message})`);
      changes.push(`removed "${option}": ${JSON.stringify(config.compilerOptions[option])} (${message})`);
      config.compilerOptions = Object.fromEntries(Object.entries(config.compilerOptions).filter(([key]) => key !== option));
    }
    fs.writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    removed = removedOptions(listFiles(pkg).stdout);
  }
  if (removed.length > 0) throw new Error(`${project.name}: TypeScript 7 still rejects the tsconfig: ${removed.map((r) => r.message).join("; ")}`);
  return { pkg, changes, cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

/** The TypeScript files ESLint and oxlint lint: the tsconfig's, without declaration files (as bench/lib/eslint-run.mjs). */
function lintedFiles(pkg) {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(pkg, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) throw new Error(`cannot read ${pkg}/tsconfig.json`);
  return parsed.fileNames
    .filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !/\.d\.[cm]?ts$/.test(f))
    .map((f) => path.relative(pkg, f))
    .sort();
}

/**
 * oxlint --type-aware with typescript/no-floating-promises alone (every category off), JSON output.
 * The files are named on the command line: oxlint's own walk honours .gitignore files above the
 * project, and this checkout's ignores .bench/.
 */
function oxlintRun(pkg, files, configFile, tsgolint) {
  const run = measureNode([oxlintBin, "-c", configFile, "--type-aware", "--tsconfig", "tsconfig.json", "-f", "json", ...files], {
    cwd: pkg,
    env: { OXLINT_TSGOLINT_PATH: tsgolint },
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`oxlint failed in ${pkg} (exit ${run.status}):\n${(run.stdout + run.stderr).slice(0, 2000)}`);
  const report = readOxlintReport(run.stdout);
  if (report.files !== files.length) throw new Error(`oxlint linted ${report.files} files of ${files.length} in ${pkg}`);
  return { ...run, findings: report.byRule };
}

/**
 * The no-floating-promises count of an ESLint run, and the rest as one count: with no other rule
 * configured, those are ESLint's "Definition for rule ... was not found" for eslint-disable
 * comments that name rules of plugins not loaded (theia's `no-null/no-null`).
 */
function eslintFloatingFindings(messages) {
  const rule = "@typescript-eslint/no-floating-promises";
  const others = Object.entries(messages)
    .filter(([k]) => k !== rule)
    .reduce((sum, [, n]) => sum + n, 0);
  return { [rule]: messages[rule] ?? 0, ...(others ? { "other messages (eslint-disable comments naming rules not loaded)": others } : {}) };
}

function findingsByRule(stdout) {
  const byRule = {};
  for (const f of JSON.parse(stdout).findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  return byRule;
}

function engineRun(pkg, engineArgs) {
  const run = covenantRun(pkg, engineArgs);
  const summary = JSON.parse(run.stdout).summary ?? {};
  // The JSON summary names the engine that ran (issue 12); a run on another one is not this scenario's.
  const asked = engineArgs[1];
  if (asked && summary.engine !== undefined && summary.engine !== asked)
    throw new Error(`asked for --engine ${asked}, the report says engine ${summary.engine} ran`);
  return { ...run, byRule: findingsByRule(run.stdout), engine: summary.engine };
}

const fmtS = (ms) => (ms / 1000).toFixed(2);
const fmtRange = (s, f) => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
const fmtRatio = (s) => `${s.median.toFixed(2)}x (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;

const ENGINE_TOOLS = ["covenant ts6", "covenant ts7", "tsc 6", "tsc 7", "typescript-eslint", "oxlint"];

/** The engines group for one project: see the header. */
function benchEngines(project) {
  const support = covenantEngines();
  const ready = ts7ReadyProject(project);
  const oxlintDir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-bench-oxlint-"));
  try {
    for (const change of ready.changes) log(`${project.name}: TypeScript 7 rejects the tsconfig, every tool of this group reads a copy: ${change}`);
    const files = lintedFiles(ready.pkg);
    const oxlintConfig = path.join(oxlintDir, "oxlintrc.json");
    const categories = ["correctness", "suspicious", "pedantic", "perf", "style", "restriction", "nursery"];
    fs.writeFileSync(
      oxlintConfig,
      JSON.stringify({ categories: Object.fromEntries(categories.map((c) => [c, "off"])), rules: { "typescript/no-floating-promises": "error" } }),
    );
    const tsgolint = tsgolintBinary();
    const scenarios = {
      "covenant ts6": () => engineRun(ready.pkg, support.ts6 ? ["--engine", "ts6"] : []),
      "tsc 6": () => tscRun(ready.pkg),
      "tsc 7": () => tscRun(ready.pkg, tsc7Bin),
      "typescript-eslint": () => eslintRun("floating", ready.pkg),
      oxlint: () => oxlintRun(ready.pkg, files, oxlintConfig, tsgolint),
    };
    if (support.ts7) scenarios["covenant ts7"] = () => engineRun(ready.pkg, ["--engine", "ts7"]);
    else log(`${project.name}: \`covenant check --help\` offers no \`--engine ts7\` in this build: the ts7 engine is not measured`);
    log(`${project.name}: engines (${Object.keys(scenarios).join(", ")}) on ${files.length} files`);
    const failures = {};
    const runs = alternate(RUNS, scenarios, { optional: new Set(["covenant ts7"]), failures });
    const tools = {};
    for (const name of ENGINE_TOOLS) {
      const samples = runs[name];
      if (!samples?.length) {
        tools[name] = { missing: failures[name] ?? (name === "covenant ts7" ? "no --engine ts7 in this build" : "not run") };
        continue;
      }
      const first = samples[0];
      const findings =
        name === "tsc 6" || name === "tsc 7"
          ? { "TS errors": first.errors }
          : name === "typescript-eslint"
            ? eslintFloatingFindings(first.summary.messages)
            : name === "oxlint"
              ? first.findings
              : first.byRule;
      const ratios = {};
      for (const [base, key] of [
        ["tsc 6", "tsc6"],
        ["tsc 7", "tsc7"],
      ]) {
        if (!runs[base]?.length) continue;
        ratios[key] = {
          wall: pairedRatio(samples, runs[base], "wallMs"),
          cpu: pairedRatio(samples, runs[base], "cpuMs"),
          rss: pairedRatio(samples, runs[base], "treeRssMb"),
        };
      }
      tools[name] = { ...summarize(samples), processes: first.processes, findings, engine: first.engine, ratios };
    }
    const result = { tsconfigChanges: ready.changes, files: files.length, engineFlag: support, tools };

    // Warm --changed with the daemon, both engines (ts7 when offered), the touched file edited again
    // before every run; the first run of each (starts its daemon) not counted.
    if (!SKIP.has("engines-changed")) {
      const engines = support.ts7 ? ["ts6", "ts7"] : ["ts6"];
      if (!support.ts7) log(`${project.name}: the warm --changed run on the ts7 engine is not measured (no --engine ts7)`);
      const repo = prepareChangedRepo(project, ready.pkg);
      try {
        const warm = {};
        const daemon = {};
        for (const engine of engines) {
          const env = { COVENANT_DAEMON_DIR: path.join(repo.tmp, `daemon-${engine}`) };
          fs.mkdirSync(env.COVENANT_DAEMON_DIR, { mode: 0o700 });
          const args = ["--changed", "--daemon", ...(support.flag ? ["--engine", engine] : [])];
          daemon[`changed --daemon ${engine}`] = () => {
            fs.appendFileSync(path.join(repo.pkg, repo.touched), "// edited again by the covenant bench\n");
            return covenantRun(repo.pkg, args, env);
          };
        }
        const firsts = {};
        const warmFailures = {};
        for (const [name, run] of Object.entries(daemon)) {
          try {
            firsts[name] = run();
          } catch (error) {
            if (!name.endsWith("ts7")) throw error;
            warmFailures[name] = String(error.message ?? error)
              .split("\n")
              .slice(0, 3)
              .join(" ");
          }
        }
        const started = Object.fromEntries(Object.entries(daemon).filter(([name]) => firsts[name]));
        const samples = alternate(RUNS, started, { optional: new Set(["changed --daemon ts7"]), failures: warmFailures });
        for (const engine of ["ts6", "ts7"]) {
          const name = `changed --daemon ${engine}`;
          if (!samples[name]?.length) {
            warm[engine] = { missing: warmFailures[name] ?? "no --engine ts7 in this build" };
            continue;
          }
          warm[engine] = { touched: repo.touched, firstWallMs: firsts[name].wallMs, findings: samples[name][0].findings, ...summarize(samples[name]) };
        }
        result.changedWarm = warm;
      } finally {
        fs.rmSync(repo.tmp, { recursive: true, force: true });
      }
    }
    return result;
  } finally {
    fs.rmSync(oxlintDir, { recursive: true, force: true });
    ready.cleanup();
  }
}

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

  if (!SKIP.has("cold")) {
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
  }

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
  if (!SKIP.has("engines")) entry.engines = benchEngines(project);
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
const withCold = results.projects.filter((p) => p.cold);
if (withCold.length) {
  md.push(
    "| project | lines | covenant wall s | tsc wall s | wall ratio | CPU ratio | covenant RSS MB | tsc RSS MB | RSS ratio |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const p of withCold) {
    const c = p.cold;
    md.push(
      `| ${p.package} | ${p.lines} | ${fmtRange(c.covenant.wallMs, fmtS)} | ${fmtRange(c.tsc.wallMs, fmtS)} | ${fmtRatio(c.ratio.wall)} | ${fmtRatio(c.ratio.cpu)} | ${fmtRange(c.covenant.maxRssMb, (v) => v.toFixed(0))} | ${fmtRange(c.tsc.maxRssMb, (v) => v.toFixed(0))} | ${fmtRatio(c.ratio.rss)} |`,
    );
  }
  md.push("", "Per phase and per check (COVENANT_TIMING=1, median ms of the cold runs):", "");
  const labels = [...new Set(withCold.flatMap((p) => Object.keys(p.cold.timing)))];
  md.push(`| phase / check | ${withCold.map((p) => p.name).join(" | ")} |`, `| --- |${withCold.map(() => " ---: |").join("")}`);
  for (const label of labels)
    md.push(`| ${label} | ${withCold.map((p) => (p.cold.timing[label] ? p.cold.timing[label].median.toFixed(0) : "–")).join(" | ")} |`);
}
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
      `- ${p.name}: ${messages}; fatal parse errors ${p.eslint.covenant.fatal}; internal errors ${p.eslint.covenant.internalErrors.length}; CLI findings ${p.cold?.findings ?? "–"}`,
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
const withEngines = results.projects.filter((p) => p.engines);
if (withEngines.length) {
  const fmtFindings = (f) =>
    f
      ? Object.entries(f)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ") || "none"
      : "–";
  const ratioCell = (r) => (r ? fmtRatio(r) : "–");
  md.push(
    "",
    "Engines (issue 12): every tool on the same tsconfig, alternating; RSS is the peak of the whole process tree (the sum of each process's peak); ratios paired per round:",
    "",
  );
  md.push(
    "| project | tool | wall s | CPU s | RSS MB | wall / tsc 6 | CPU / tsc 6 | RSS / tsc 6 | wall / tsc 7 | CPU / tsc 7 | RSS / tsc 7 | findings |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  );
  for (const p of withEngines) {
    for (const name of ENGINE_TOOLS) {
      const t = p.engines.tools[name];
      if (t.missing) {
        md.push(`| ${p.name} | ${name} | not measured: ${t.missing} | | | | | | | | | |`);
        continue;
      }
      md.push(
        `| ${p.name} | ${name} | ${fmtRange(t.wallMs, fmtS)} | ${fmtRange(t.cpuMs, fmtS)} | ${fmtRange(t.treeRssMb, (v) => v.toFixed(0))} | ${ratioCell(t.ratios.tsc6?.wall)} | ${ratioCell(t.ratios.tsc6?.cpu)} | ${ratioCell(t.ratios.tsc6?.rss)} | ${ratioCell(t.ratios.tsc7?.wall)} | ${ratioCell(t.ratios.tsc7?.cpu)} | ${ratioCell(t.ratios.tsc7?.rss)} | ${fmtFindings(t.findings)} |`,
      );
    }
  }
  for (const p of withEngines) {
    for (const change of p.engines.tsconfigChanges) md.push("", `${p.name}: TypeScript 7 rejects the original tsconfig; every tool read a copy: ${change}`);
  }
  const warm = withEngines.filter((p) => p.engines.changedWarm);
  if (warm.length) {
    md.push(
      "",
      "`covenant check --changed --daemon` per engine, the touched file edited again before every run (the first run, which starts the daemon, not counted):",
      "",
    );
    md.push("| project | engine | touched | first run s | warm wall s | findings |", "| --- | --- | --- | ---: | ---: | ---: |");
    for (const p of warm) {
      for (const [engine, w] of Object.entries(p.engines.changedWarm)) {
        if (w.missing) md.push(`| ${p.name} | ${engine} | not measured: ${w.missing} | | | |`);
        else md.push(`| ${p.name} | ${engine} | ${w.touched} | ${fmtS(w.firstWallMs)} | ${fmtRange(w.wallMs, fmtS)} | ${w.findings} |`);
      }
    }
  }
  // The targets of issue 12, judged on the medians of the paired ratios.
  md.push("", "Targets of issue 12:", "", "| target | project | measured | met? |", "| --- | --- | --- | --- |");
  const judge = (value, limit) => (value <= limit ? "yes" : "no");
  for (const p of withEngines) {
    const ts7 = p.engines.tools["covenant ts7"];
    if (ts7.missing) {
      for (const target of ["cold ts7 ≤ 0.35x tsc 6 wall and CPU", "cold ts7 ≤ 2x tsc 7 wall and CPU", "cold ts7 peak RSS ≤ tsc 6's"])
        md.push(`| ${target} | ${p.name} | not measured yet (${ts7.missing}) | – |`);
    } else {
      const r6 = ts7.ratios.tsc6;
      const r7 = ts7.ratios.tsc7;
      md.push(
        `| cold ts7 ≤ 0.35x tsc 6 wall and CPU | ${p.name} | wall ${fmtRatio(r6.wall)}, CPU ${fmtRatio(r6.cpu)} | ${judge(Math.max(r6.wall.median, r6.cpu.median), 0.35)} |`,
        `| cold ts7 ≤ 2x tsc 7 wall and CPU | ${p.name} | wall ${fmtRatio(r7.wall)}, CPU ${fmtRatio(r7.cpu)} | ${judge(Math.max(r7.wall.median, r7.cpu.median), 2)} |`,
        `| cold ts7 peak RSS ≤ tsc 6's | ${p.name} | ${fmtRatio(r6.rss)} | ${judge(r6.rss.median, 1)} |`,
      );
    }
    if (p.name === "ethers") {
      const w = p.engines.changedWarm?.ts7;
      if (!w || w.missing) md.push(`| --changed warm ts7 ≤ 0.3 s on ethers | ethers | not measured yet (${w?.missing ?? "engines-changed skipped"}) | – |`);
      else md.push(`| --changed warm ts7 ≤ 0.3 s on ethers | ethers | ${fmtRange(w.wallMs, fmtS)} s | ${judge(w.wallMs.median / 1000, 0.3)} |`);
    }
  }
}
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(path.join(resultsDir, "corpus-bench.json"), `${JSON.stringify(results, null, 2)}\n`);
fs.writeFileSync(path.join(resultsDir, "corpus-bench.md"), `${md.join("\n")}\n`);
process.stdout.write(`${md.join("\n")}\n`);
