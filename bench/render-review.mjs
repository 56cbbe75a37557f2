#!/usr/bin/env node
// node bench/render-review.mjs: the hand review of the corpus findings (bench/review.json, one verdict
// and reason per finding, written after reading the code) joined with the findings of the last
// `node --expose-gc bench/findings.mjs` run (.bench/findings/<name>.json), as the markdown tables
// of docs/real-world.md. Exits 1 when a finding has no verdict or a verdict no longer has a finding,
// so the review cannot silently go stale.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const review = JSON.parse(fs.readFileSync(path.join(root, "bench", "review.json"), "utf8"));
const corpus = JSON.parse(fs.readFileSync(path.join(root, "bench", "corpus.json"), "utf8"));
const VERDICTS = ["true", "true (deliberate)", "false"];

const summary = [];
const tables = [];
let problems = 0;
for (const project of corpus.projects) {
  const file = path.join(root, ".bench", "findings", `${project.name}.json`);
  if (!fs.existsSync(file)) {
    process.stderr.write(`render-review: ${path.relative(root, file)} is missing: run node --expose-gc bench/findings.mjs\n`);
    process.exit(1);
  }
  const { lines, findings } = JSON.parse(fs.readFileSync(file, "utf8"));
  const verdicts = review[project.name] ?? {};
  const seen = new Set();
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0]));
  const rows = [];
  for (const f of findings) {
    const key = `${f.file}:${f.line}:${f.column} ${f.ruleId}`;
    seen.add(key);
    const verdict = verdicts[key];
    if (!verdict || !VERDICTS.includes(verdict.verdict)) {
      process.stderr.write(`render-review: ${project.name} ${key} has no verdict in bench/review.json\n`);
      problems++;
      continue;
    }
    counts[verdict.verdict]++;
    rows.push(
      `| ${f.ruleId} | \`${f.file}:${f.line}\` | ${f.symbol ? `\`${f.symbol}\`` : "–"} | ${verdict.verdict} | ${verdict.reason.replace(/\|/g, "\\|")} |`,
    );
  }
  for (const key of Object.keys(verdicts)) {
    if (!seen.has(key)) {
      process.stderr.write(`render-review: ${project.name} ${key} is in bench/review.json but was not reported\n`);
      problems++;
    }
  }
  const per10k = (counts.false / lines) * 10_000;
  summary.push(
    `| ${project.package}@${project.version} | ${lines} | ${findings.length} | ${counts.true} | ${counts["true (deliberate)"]} | ${counts.false} | ${per10k.toFixed(2)} |`,
  );
  tables.push(
    `### ${project.package}@${project.version}\n\n| rule | where | symbol | verdict | reason |\n| --- | --- | --- | --- | --- |\n${rows.join("\n")}\n`,
  );
}
process.stdout.write(
  `| project | lines | findings | true | true (deliberate) | false | false per 10k lines |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n${summary.join("\n")}\n\n${tables.join("\n")}`,
);
process.exitCode = problems ? 1 : 0;
