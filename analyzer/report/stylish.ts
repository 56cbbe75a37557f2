import pc from "picocolors";
import type { Finding } from "../engine/finding.js";
import type { Report } from "../engine/report.js";
import { formatBaselineNotes } from "./baseline-notes.js";
import { describeSharedCause, findSharedCauses } from "./shared-causes.js";
import { plural } from "../../common/strings.js";
import type { ReporterOptions } from "./types.js";

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = groups.get(f.file) ?? [];
    list.push(f);
    groups.set(f.file, list);
  }
  return groups;
}

function footnotes(report: Report): string[] {
  const notes: string[] = [];
  const { suppressed, baselined } = report.summary;
  if (suppressed || baselined) notes.push(`${plural(suppressed, "finding")} suppressed, ${baselined} baselined.`);
  return [...notes, ...formatBaselineNotes(report)];
}

/**
 * `--format stylish` (default), laid out like ESLint's: one block per file, then a summary. Messages
 * are not padded into a column as ESLint does: covenant messages are whole sentences, often long.
 */
export function formatStylish(report: Report, options: ReporterOptions = {}): string {
  const c = pc.createColors(options.color ?? false);
  const lines: string[] = [];
  for (const [file, findings] of groupByFile(report.findings)) {
    lines.push("", c.underline(file));
    const positions = findings.map((f) => `${f.line}:${f.column}`);
    const posWidth = Math.max(...positions.map((p) => p.length));
    findings.forEach((f, i) => {
      const severity = f.severity === "error" ? c.red("error  ") : c.yellow("warning");
      lines.push(`  ${c.dim(positions[i]!.padEnd(posWidth))}  ${severity}  ${f.message}  ${c.dim(f.ruleId)}`);
      for (const r of f.related) lines.push(`  ${" ".repeat(posWidth)}  ${" ".repeat(7)}  ${c.dim(`↳ ${r.file}:${r.line}:${r.column}  ${r.message}`)}`);
    });
  }
  const { errors, warnings } = report.summary;
  const total = errors + warnings;
  const notes = footnotes(report);
  if (total > 0) {
    const text = `✖ ${plural(total, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")})`;
    lines.push("", c.bold(errors > 0 ? c.red(text) : c.yellow(text)));
    // Every finding is listed above; a cause many of them share is said once here.
    for (const cause of findSharedCauses(report.findings)) {
      lines.push(describeSharedCause(cause, { rule: cause.ruleId, location: `${cause.first.file}:${cause.first.line}:${cause.first.column}` }));
    }
  } else if (notes.length) {
    lines.push(c.green(`✔ No problems in ${plural(report.summary.filesAnalyzed, "file")}.`));
  }
  lines.push(...notes.map((n) => c.dim(n)));
  return lines.length ? `${lines.join("\n")}\n` : "";
}
