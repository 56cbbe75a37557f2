import type { Report } from "../engine/report.js";

import { plural } from "../../common/strings.js";

/** "1 baselined finding no longer occurs", "2 baselined findings no longer occur". */
export const describeGone = (gone: number) => `${plural(gone, "baselined finding")} no longer ${gone === 1 ? "occurs" : "occur"}`;

/**
 * What the baseline did beyond filtering: entries that no longer occur, entries written by
 * --update-baseline. Part of the stylish report; on stderr for json and sarif, whose documents have a
 * fixed shape.
 */
export function formatBaselineNotes(report: Report): string[] {
  const notes: string[] = [];
  const gone = report.baseline?.gone ?? 0;
  if (gone) notes.push(`${describeGone(gone)}: run with --update-baseline to prune ${report.baseline!.file}.`);
  if (report.baseline?.written !== undefined) notes.push(`Wrote ${plural(report.baseline.written, "finding")} to ${report.baseline.file}.`);
  return notes;
}
