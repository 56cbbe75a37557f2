#!/usr/bin/env node
// npm run bench:corpus [-- --only <name>] [--update-locks] [--corpus bench/corpus-new.json]
//
// Installs the benchmark corpus (bench/corpus.json, or the file given by --corpus) into the git-ignored
// .bench/<corpus file name without .json>/<name>/, e.g. .bench/corpus/<name>/ or .bench/corpus-new/<name>/:
//   package.json           the pinned package plus the extra type packages its sources need
//   package-lock.json      from bench/corpus-locks/<name>.package-lock.json (every package with its integrity)
//   node_modules/          `npm ci --ignore-scripts`: no install script of the corpus ever runs
//   pkg/                   the package's shipped sources, copied out of node_modules, with a tsconfig.json
//                          that type-checks them and a covenant.config.json naming their test files
//   corpus-meta.json       files, lines, code lines and the residual `tsc --noEmit` error count
// The corpus is data for covenant to read; nothing in it is executed. Nothing of it is committed.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import ts from "typescript";
import { countCodeLines } from "../bench/lib/code-lines.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const LOCKS_DIR = path.join(ROOT, "bench", "corpus-locks");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const updateLocks = args.includes("--update-locks");
const corpusFile = path.resolve(ROOT, args.includes("--corpus") ? args[args.indexOf("--corpus") + 1] : "bench/corpus.json");
const CORPUS_DIR = path.join(ROOT, ".bench", path.basename(corpusFile, ".json"));

const corpus = JSON.parse(fs.readFileSync(corpusFile, "utf8"));

function log(message) {
  process.stderr.write(`bench:corpus: ${message}\n`);
}

function npm(argv, cwd) {
  const result = spawnSync("npm", [...argv, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) throw new Error(`npm ${argv.join(" ")} failed in ${cwd} (exit ${result.status})`);
}

function sha256(...texts) {
  const hash = createHash("sha256");
  for (const t of texts) hash.update(t);
  return hash.digest("hex");
}

/** The lock must hold the pinned package at the pinned version and integrity. */
function verifyLock(project, lock) {
  const entry = lock.packages?.[`node_modules/${project.package}`];
  if (!entry) throw new Error(`${project.name}: the lock has no node_modules/${project.package}`);
  if (entry.version !== project.version) throw new Error(`${project.name}: lock has ${project.package}@${entry.version}, corpus.json pins ${project.version}`);
  if (entry.integrity !== project.integrity) throw new Error(`${project.name}: lock integrity ${entry.integrity} differs from the pinned ${project.integrity}`);
}

function install(project, dir) {
  const manifest = {
    name: `covenant-bench-${project.name}`,
    private: true,
    dependencies: { [project.package]: project.version, ...project.extraDependencies },
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  fs.writeFileSync(path.join(dir, "package.json"), manifestText);
  const lockFile = path.join(LOCKS_DIR, `${project.name}.package-lock.json`);
  const localLock = path.join(dir, "package-lock.json");
  if (!updateLocks && fs.existsSync(lockFile)) {
    const lockText = fs.readFileSync(lockFile, "utf8");
    verifyLock(project, JSON.parse(lockText));
    const stamp = path.join(dir, ".installed");
    const want = sha256(manifestText, lockText);
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === want && fs.existsSync(path.join(dir, "node_modules"))) {
      log(`${project.name}: dependencies up to date`);
      return;
    }
    fs.writeFileSync(localLock, lockText);
    log(`${project.name}: npm ci (${Object.keys(JSON.parse(lockText).packages).length - 1} packages)`);
    npm(["ci"], dir);
    fs.writeFileSync(stamp, want);
    return;
  }
  fs.rmSync(localLock, { force: true });
  log(`${project.name}: npm install (writing ${path.relative(ROOT, lockFile)})`);
  npm(["install"], dir);
  const lockText = fs.readFileSync(localLock, "utf8");
  verifyLock(project, JSON.parse(lockText));
  fs.mkdirSync(LOCKS_DIR, { recursive: true });
  fs.writeFileSync(lockFile, lockText);
  fs.writeFileSync(path.join(dir, ".installed"), sha256(manifestText, lockText));
}

/** Copies the shipped sources out of node_modules (the analyzer skips node_modules, as tools do). */
function layOut(project, dir) {
  const from = path.join(dir, "node_modules", project.package);
  const installed = JSON.parse(fs.readFileSync(path.join(from, "package.json"), "utf8"));
  if (installed.version !== project.version) throw new Error(`${project.name}: installed ${installed.version}, expected ${project.version}`);
  const pkg = path.join(dir, "pkg");
  fs.rmSync(pkg, { recursive: true, force: true });
  fs.mkdirSync(pkg, { recursive: true });
  for (const entry of project.copy) fs.cpSync(path.join(from, entry), path.join(pkg, entry), { recursive: true });
  fs.writeFileSync(path.join(pkg, "tsconfig.json"), `${JSON.stringify(project.tsconfig, null, 2)}\n`);
  fs.writeFileSync(path.join(pkg, "covenant.config.json"), `${JSON.stringify({ tests: project.tests }, null, 2)}\n`);
  return pkg;
}

function measure(project, pkg) {
  const configPath = path.join(pkg, "tsconfig.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const files = parsed.fileNames.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !/\.d\.[cm]?ts$/.test(f));
  let lines = 0;
  let codeLines = 0;
  let testFiles = 0;
  let testCodeLines = 0;
  const isTest = picomatch(project.tests ?? [], { dot: true });
  const sizes = [];
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    lines += text.split("\n").length;
    const code = countCodeLines(file, text);
    codeLines += code;
    if (isTest(path.relative(pkg, file).split(path.sep).join("/"))) {
      testFiles++;
      testCodeLines += code;
    }
    sizes.push({ file: path.relative(pkg, file).split(path.sep).join("/"), size: text.length });
  }
  // By size: `npm run bench` touches the median one for `covenant check --changed`.
  const sampleFiles = sizes.sort((a, b) => a.size - b.size || (a.file < b.file ? -1 : 1)).map((s) => s.file);
  log(`${project.name}: ${files.length} files (${testFiles} tests), ${lines} lines, ${codeLines} code lines (${testCodeLines} in tests); running tsc --noEmit`);
  let output = "";
  try {
    output = execFileSync(process.execPath, [TSC, "--noEmit", "-p", configPath], { cwd: pkg, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    output = `${error.stdout ?? ""}${error.stderr ?? ""}`;
  }
  const tscErrors = output.split("\n").filter((l) => /error TS\d+/.test(l)).length;
  fs.writeFileSync(path.join(path.dirname(pkg), "tsc-errors.txt"), output);
  return {
    name: project.name,
    package: project.package,
    version: project.version,
    files: files.length,
    testFiles,
    lines,
    codeLines,
    testCodeLines,
    tscErrors,
    sampleFiles,
  };
}

fs.mkdirSync(CORPUS_DIR, { recursive: true });
const summary = [];
for (const project of corpus.projects) {
  if (only && project.name !== only) continue;
  const dir = path.join(CORPUS_DIR, project.name);
  fs.mkdirSync(dir, { recursive: true });
  install(project, dir);
  const pkg = layOut(project, dir);
  const meta = measure(project, pkg);
  fs.writeFileSync(path.join(dir, "corpus-meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
  if (project.expectedTscErrors !== undefined && meta.tscErrors !== project.expectedTscErrors) {
    log(
      `${project.name}: WARNING tsc reports ${meta.tscErrors} errors, corpus.json expects ${project.expectedTscErrors} (see ${path.relative(ROOT, dir)}/tsc-errors.txt)`,
    );
  }
  summary.push(meta);
}
for (const m of summary) log(`${m.name}: ${m.package}@${m.version} ${m.files} files ${m.lines} lines (${m.codeLines} code lines), tsc errors: ${m.tscErrors}`);
