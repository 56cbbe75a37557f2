import type { Report } from "../engine/report.js";

export interface ReporterOptions {
  /** ANSI colours (stylish only); the CLI sets it when stdout is a TTY. */
  color?: boolean;
}

/** A reporter is a pure function of the report: same report, same bytes. */
export type Reporter = (report: Report, options?: ReporterOptions) => string;
