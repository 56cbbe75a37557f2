#!/usr/bin/env node
// npm run bench:recall [-- <rule or patch path filter>...]
//
// Recall on the held-out corpus (bench/corpus-new.json, installed by
// `npm run bench:corpus -- --corpus bench/corpus-new.json`): each bench/injected/<rule>/<n>.patch is
// one of the five problems PRODUCT.md names, injected the way a real refactor would make it. Its
// header says where:
//   # project: <corpus project>
//   # injects: <what the change does>
//   # expect: <rule> <file>:<line>       (the line in the patched file)
// For every patch: a fresh copy of the project's sources (.bench/corpus-new/<project>/recall-pkg/,
// beside pkg/ so that node_modules resolves), `patch -p1`, then the built CLI (dist/ or
// COVENANT_DIST) runs `covenant check --rule <rule> --format json <file>` there. The patch is *found*
// when a finding of that rule is reported on that file and line; other findings of the rule in that
// file whose line text does not occur among the clean sources' findings are listed too (a finding at
// another line is a miss).
// Prints one line per patch and the total; writes .bench/recall.json. Exits 1 when a patch does not
// apply or the CLI fails; a miss is a measurement, not a failure.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const injectedDir = path.join(root, "bench", "injected");
const corpusDir = path.join(root, ".bench", "corpus-new");
const cli = path.join(path.resolve(process.env.COVENANT_DIST ?? path.join(root, "dist")), "bin", "covenant.js");
const filters = process.argv.slice(2);

function readHeader(file) {
  const header = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = /^# (project|injects|expect): (.*)$/.exec(line);
    if (m) header[m[1]] = m[2];
    else if (!line.startsWith("#")) break;
  }
  const expect = /^(\S+) (\S+):(\d+)$/.exec(header.expect ?? "");
  if (!header.project || !expect) throw new Error(`${path.relative(root, file)}: the header needs '# project:' and '# expect: <rule> <file>:<line>'`);
  return { project: header.project, injects: header.injects ?? "", rule: expect[1], file: expect[2], line: Number(expect[3]) };
}

/** The rule's findings on one file, each with the trimmed text of its line. */
function check(pkg, rule, file) {
  const run = spawnSync(process.execPath, [cli, "check", "-p", "tsconfig.json", "--format", "json", "--rule", rule, file], {
    cwd: pkg,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`covenant check exited ${run.status} in ${pkg}\n${run.stderr}`);
  const lines = fs.readFileSync(path.join(pkg, file), "utf8").split("\n");
  return JSON.parse(run.stdout)
    .findings.filter((f) => f.ruleId === rule && f.file === file)
    .map((f) => ({ line: f.line, text: (lines[f.line - 1] ?? "").trim() }));
}

const patches = fs
  .readdirSync(injectedDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    fs
      .readdirSync(path.join(injectedDir, d.name))
      .filter((f) => f.endsWith(".patch"))
      .map((f) => path.join(injectedDir, d.name, f)),
  )
  .filter((p) => !filters.length || filters.some((f) => path.relative(root, p).includes(f)))
  .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));

const results = [];
const cleanLines = new Map();
for (const patchFile of patches) {
  const name = path.relative(injectedDir, patchFile);
  const h = readHeader(patchFile);
  const projectDir = path.join(corpusDir, h.project);
  const clean = path.join(projectDir, "pkg");
  if (!fs.existsSync(clean)) throw new Error(`${name}: ${path.relative(root, clean)} is missing: run npm run bench:corpus -- --corpus bench/corpus-new.json`);
  const cleanKey = `${h.project} ${h.rule} ${h.file}`;
  if (!cleanLines.has(cleanKey)) cleanLines.set(cleanKey, new Set(check(clean, h.rule, h.file).map((f) => f.text)));
  const copy = path.join(projectDir, "recall-pkg");
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(clean, copy, { recursive: true });
  const applied = spawnSync("patch", ["-p1", "--forward", "--batch", "--silent", "-d", copy, "-i", patchFile], { encoding: "utf8" });
  if (applied.status !== 0) throw new Error(`${name} does not apply to ${h.project}:\n${applied.stdout}${applied.stderr}`);
  const findings = check(copy, h.rule, h.file);
  const found = findings.some((f) => f.line === h.line);
  const others = findings.filter((f) => f.line !== h.line && !cleanLines.get(cleanKey).has(f.text)).map((f) => f.line);
  fs.rmSync(copy, { recursive: true, force: true });
  results.push({ patch: name, ...h, found, newFindingsElsewhere: others });
  process.stdout.write(
    `${found ? "found " : "MISSED"} ${name.padEnd(28)} ${h.rule} ${h.project}/${h.file}:${h.line}${others.length ? ` (new ${h.rule} findings at lines ${others.join(", ")})` : ""}\n`,
  );
}
const byRule = {};
for (const r of results) {
  byRule[r.rule] ??= { patches: 0, found: 0 };
  byRule[r.rule].patches++;
  if (r.found) byRule[r.rule].found++;
}
const found = results.filter((r) => r.found).length;
for (const [rule, c] of Object.entries(byRule)) process.stdout.write(`${rule}: ${c.found} of ${c.patches}\n`);
process.stdout.write(`recall: ${found} of ${results.length} injected problems found\n`);
fs.writeFileSync(path.join(root, ".bench", "recall.json"), `${JSON.stringify({ found, total: results.length, byRule, results }, null, 2)}\n`);
