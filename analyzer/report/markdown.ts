import type { Report } from "../engine/report.js";
import { describeGone } from "./baseline-notes.js";
import { codeSpan, describeSharedCause, findSharedCauses } from "./shared-causes.js";
import { plural, tableCell } from "../../common/strings.js";

/** Rows shown before the table is cut short (a PR comment holds at most 65536 characters). */
export const MAX_MARKDOWN_ROWS = 100;

/** `--format markdown`: a pull-request comment summarising the findings. */
export function formatMarkdown(report: Report): string {
  const { errors, warnings, filesAnalyzed, suppressed, baselined } = report.summary;
  const docs = new Map(report.rules.map((r) => [r.id, r.docsUrl]));
  const lines = ["## covenant check", ""];
  const counts = `${plural(filesAnalyzed, "file")} analyzed · ${suppressed} suppressed · ${baselined} baselined`;
  if (errors + warnings === 0) {
    lines.push(`✅ **No problems found.** ${counts}`);
  } else {
    lines.push(`${errors > 0 ? "❌" : "⚠️"} **${plural(errors, "error")}, ${plural(warnings, "warning")}** · ${counts}`, "");
    // Said once before the table (which may be cut short): each finding still has its row.
    const causes = findSharedCauses(report.findings);
    for (const cause of causes) {
      const location = codeSpan(`${cause.first.file}:${cause.first.line}:${cause.first.column}`);
      lines.push(`- ${describeSharedCause(cause, { rule: codeSpan(cause.ruleId), location })}`);
    }
    if (causes.length) lines.push("");
    lines.push("| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |");
    for (const f of report.findings.slice(0, MAX_MARKDOWN_ROWS)) {
      const url = docs.get(f.ruleId);
      const rule = url ? `[\`${f.ruleId}\`](${url})` : `\`${f.ruleId}\``;
      lines.push(`| ${f.severity === "error" ? "error" : "warning"} | ${rule} | \`${tableCell(f.file)}:${f.line}:${f.column}\` | ${tableCell(f.message)} |`);
    }
    const hidden = report.findings.length - MAX_MARKDOWN_ROWS;
    if (hidden > 0) lines.push("", `…and ${plural(hidden, "more finding")}: run \`covenant check\` locally for the full list.`);
  }
  const gone = report.baseline?.gone ?? 0;
  if (gone) lines.push("", `${describeGone(gone)}: prune \`${report.baseline!.file}\` with \`covenant check --update-baseline\`.`);
  return `${lines.join("\n")}\n`;
}
