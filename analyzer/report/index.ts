import { formatJson } from "./json.js";
import { formatMarkdown } from "./markdown.js";
import { formatSarif } from "./sarif.js";
import { formatStylish } from "./stylish.js";
import type { Reporter } from "./types.js";

export type { Reporter } from "./types.js";

/** `--format` name -> reporter. */
export const reporters = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  markdown: formatMarkdown,
} satisfies Record<string, Reporter>;

export type FormatName = keyof typeof reporters;

export const FORMAT_NAMES = Object.keys(reporters) as FormatName[];
