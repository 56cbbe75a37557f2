#!/usr/bin/env node
// node bench/compare-engines.mjs <findings dir A> <findings dir B>
//
// Compares two runs of bench/corpus-new-findings.mjs (e.g. `--engine ts6` and `--engine ts7`)
// finding by finding, per project: rule, message id, file, range, symbol, related locations and
// message, the texts up to the printing differences docs/architecture.md documents (union member
// order, a generic mixin's anonymous class; the same normalisation as test/utils/ts7-tester.ts), a
// related location in TypeScript's own lib files by file name and the declaration's text (each engine
// reads its own TypeScript's libs, which differ between 6.0 and 7.1). Prints a Markdown
// table (project, lines, findings A/B, differences, CPU A/B and their ratio) and every difference;
// exits 1 when any finding differs or a project was refused by one side only.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const [dirA, dirB] = process.argv.slice(2).map((d) => path.resolve(d));
if (!dirA || !dirB) {
  process.stderr.write("usage: node bench/compare-engines.mjs <findings dir A> <findings dir B>\n");
  process.exit(2);
}

const member = String.raw`(?:"[^"]*"|'[^']*'|[\w$.]+(?:<[^<>]*>)?(?:\[\])*)`;
const unionRun = new RegExp(`${member}(?: \\| ${member})+`, "g");

/** A message text up to TypeScript 7's documented printing differences. */
function normalizeText(text) {
  let previous;
  do {
    previous = text;
    text = text.replace(/<[^<>]*>\.\(Anonymous class\)/g, ".(Anonymous class)");
  } while (text !== previous);
  return text.replace(unionRun, (run) => run.split(" | ").sort().join(" | "));
}

const LIB_FILE = /^.*\/(lib\.[\w.]+\.d\.ts)$/;
const lines = new Map();
/**
 * A related location: `file:line:column`, or in TypeScript's own lib files (each engine's copy: 7.1's
 * libs are newer than 6.0's, so a declaration sits at another line) the file name and the text of the
 * declaration's line.
 */
function relatedLocation(r) {
  const inModules = r.file.lastIndexOf("node_modules/");
  if (!LIB_FILE.test(r.file) || inModules < 0) return `${r.file}:${r.line}:${r.column}`;
  // Covenant's own TypeScripts (the path is relative to the project checked): read from this checkout.
  const file = path.join(root, r.file.slice(inModules));
  if (!lines.has(file)) lines.set(file, fs.readFileSync(file, "utf8").split("\n"));
  return `<typescript lib>/${r.file.replace(LIB_FILE, "$1")}: ${(lines.get(file)[r.line - 1] ?? "").trim()}`;
}

/** What must be equal between the engines, as one string per finding. */
function comparable(f) {
  return JSON.stringify({
    ruleId: f.ruleId,
    messageId: f.messageId,
    at: `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}`,
    symbol: f.symbol ?? null,
    message: normalizeText(f.message),
    related: (f.related ?? []).map((r) => ({ at: relatedLocation(r), message: normalizeText(r.message) })),
  });
}

/** The findings only one side has (each as its comparable string), as a multiset difference. */
function minus(a, b) {
  const counts = new Map();
  for (const key of b) counts.set(key, (counts.get(key) ?? 0) + 1);
  return a.filter((key) => {
    const n = counts.get(key) ?? 0;
    if (n === 0) return true;
    counts.set(key, n - 1);
    return false;
  });
}

const names = fs
  .readdirSync(dirA)
  .filter((f) => f.endsWith(".json"))
  .sort();
const rows = [];
const details = [];
let failed = false;
let totals = { lines: 0, a: 0, b: 0, diff: 0, cpuA: 0, cpuB: 0 };
for (const file of names) {
  const fileB = path.join(dirB, file);
  if (!fs.existsSync(fileB)) continue;
  const a = JSON.parse(fs.readFileSync(path.join(dirA, file), "utf8"));
  const b = JSON.parse(fs.readFileSync(fileB, "utf8"));
  const keysA = a.findings.map(comparable);
  const keysB = b.findings.map(comparable);
  const onlyA = minus(keysA, keysB);
  const onlyB = minus(keysB, keysA);
  const refused = a.refused ? "A refused" : b.refused ? "B refused" : "";
  if (refused) {
    failed ||= !(a.refused && b.refused);
    details.push(`${a.name}: ${refused}: ${a.refused ?? b.refused}`);
  } else {
    for (const key of onlyA) details.push(`${a.name}: only in A: ${key}`);
    for (const key of onlyB) details.push(`${a.name}: only in B: ${key}`);
    failed ||= onlyA.length + onlyB.length > 0;
    totals = {
      lines: totals.lines + a.lines,
      a: totals.a + keysA.length,
      b: totals.b + keysB.length,
      diff: totals.diff + onlyA.length + onlyB.length,
      cpuA: totals.cpuA + a.cpuMs,
      cpuB: totals.cpuB + b.cpuMs,
    };
  }
  const cpu = (ms) => (ms === undefined ? "?" : (ms / 1000).toFixed(1));
  const engines = `${a.engine ?? "refused"}/${b.engine ?? "refused"}`;
  rows.push(
    `| ${a.name} | ${a.lines} | ${engines} | ${refused ? "-" : `${keysA.length}/${keysB.length}`} | ${refused || onlyA.length + onlyB.length} | ${cpu(a.cpuMs)}/${cpu(b.cpuMs)} | ${refused ? "-" : (b.cpuMs / a.cpuMs).toFixed(2)} |`,
  );
}
rows.push(
  `| all compared | ${totals.lines} | | ${totals.a}/${totals.b} | ${totals.diff} | ${(totals.cpuA / 1000).toFixed(1)}/${(totals.cpuB / 1000).toFixed(1)} | ${(totals.cpuB / totals.cpuA).toFixed(2)} |`,
);
process.stdout.write(
  [
    `A: ${path.relative(process.cwd(), dirA)}, B: ${path.relative(process.cwd(), dirB)}`,
    "",
    "| project | lines | engine A/B | findings A/B | differences | CPU s A/B | CPU B/A |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    ...details,
    "",
  ].join("\n"),
);
process.exitCode = failed ? 1 : 0;
