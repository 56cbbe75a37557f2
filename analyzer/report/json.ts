import type { Report } from "../engine/report.js";

/** `--format json`: exactly the documented document, keys in a fixed order, findings already sorted. */
export function formatJson(report: Report): string {
  const document = {
    version: 1,
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      ...(f.symbol !== undefined ? { symbol: f.symbol } : {}),
      related: f.related.map((r) => ({ file: r.file, line: r.line, column: r.column, message: r.message })),
    })),
    summary: {
      filesAnalyzed: report.summary.filesAnalyzed,
      errors: report.summary.errors,
      warnings: report.summary.warnings,
      suppressed: report.summary.suppressed,
      baselined: report.summary.baselined,
      durationMs: report.summary.durationMs,
      ...(report.summary.engine !== undefined ? { engine: report.summary.engine } : {}),
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
