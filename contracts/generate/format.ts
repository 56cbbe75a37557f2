import { format } from "prettier";
import { LruMap } from "../../common/lru-map.js";

/**
 * Fixed prettier options for generated TypeScript. Passed explicitly (no config file lookup), so
 * the bytes depend only on the contract and the pinned prettier version.
 */
export const PRETTIER_OPTIONS = {
  parser: "typescript",
  printWidth: 120,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  quoteProps: "as-needed",
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
} as const;

/**
 * A run of whole top-level statements (and comments) of a generated file that stands on its own
 * (a part of an inlined runtime region, see runtime-source.ts); `formatted` when its text is
 * already as prettier prints it (runtime source left as written, which is prettier-formatted).
 */
export interface Piece {
  readonly text: string;
  readonly formatted: boolean;
}

/** One generated TypeScript file, formatted with prettier. */
export async function formatTypeScript(source: string): Promise<string> {
  return formatTypeScriptPieces([source]);
}

/**
 * The file `pieces.join("\n")` (a `Piece` joined by its text), formatted with prettier, byte for
 * byte as `format` formats it whole, at a fraction of the cost. Prettier prints top-level
 * statements one after another, each on its own, and keeps one blank line between two where the
 * source has one; so a file is the formatted runs of whole statements it is made of, with a
 * blank line where the source has one between them. Consecutive strings are one run (they may
 * split a statement across lines); each `Piece` is one. A run already formatted is not formatted
 * again (most of the inlined runtime has none of the contract's names in it), the others are
 * formatted in one prettier call, and each run's result is remembered: a runtime region inlined
 * with the same names, or the same contract generated again, is not formatted twice in a process.
 * Anything unexpected (a run that does not parse alone, whitespace other than spaces, tabs and
 * newlines around a run) falls back to formatting the whole file.
 */
export async function formatTypeScriptPieces(pieces: readonly (string | Piece)[]): Promise<string> {
  // Consecutive strings are one run.
  const grouped: (Piece | string[])[] = [];
  for (const piece of pieces) {
    const last = grouped.at(-1);
    if (typeof piece !== "string") grouped.push(piece);
    else if (Array.isArray(last)) last.push(piece);
    else grouped.push([piece]);
  }
  const runs = grouped.map((run): Piece => (Array.isArray(run) ? { text: run.join("\n"), formatted: false } : run));
  const source = runs.map((run) => run.text).join("\n");
  try {
    const output = await formatRuns(runs);
    if (output !== undefined) return output;
  } catch {
    // a run that does not parse on its own: the whole file below says what is wrong, if anything
  }
  return formatWhole(source);
}

function formatWhole(source: string): Promise<string> {
  // A `.ts` file path spares the parser its guess at JSX, a regular expression run over the whole
  // text (a fifth of the time on a contract with a thousand events).
  return format(source, { ...PRETTIER_OPTIONS, filepath: "generated.ts" });
}

/**
 * Formatted runs by their text, least recently used first; a couple of thousand at most (a generated
 * file is a few dozen runs, and the validators one more per schema constant).
 */
const formattedRuns = new LruMap<string, string>(2048);

/** A comment line between runs formatted in one call: prettier keeps a line comment on its own line as written. */
const RUN_BREAK = "// covenant: end of a formatted run";

/** Whitespace prettier reads as spaces and line breaks, and nothing else: what may surround a run. */
const EDGE = /^[ \t\n]*$/;

async function formatRuns(runs: readonly Piece[]): Promise<string | undefined> {
  const texts = runs.map((run) => run.text.trim());
  // The whitespace around each run, to find the blank lines between runs.
  const leading: string[] = [];
  const trailing: string[] = [];
  for (const run of runs) {
    const start = run.text.length - run.text.trimStart().length;
    const end = run.text.trimEnd().length;
    leading.push(run.text.slice(0, start));
    trailing.push(run.text.slice(end));
    if (!EDGE.test(leading.at(-1)!) || !EDGE.test(trailing.at(-1)!)) return undefined;
  }
  const formatted = new Map<number, string>();
  const todo: number[] = [];
  for (const [index, run] of runs.entries()) {
    const text = texts[index]!;
    if (text === "") continue;
    const known = run.formatted ? `${text}\n` : formattedRuns.get(text);
    if (known === undefined) todo.push(index);
    else formatted.set(index, known);
  }
  if (todo.length > 0) {
    // A run holding the break line itself could be split in the wrong place and remembered so: format the whole file.
    if (todo.some((index) => texts[index]!.includes(RUN_BREAK))) return undefined;
    const output = await formatWhole(todo.map((index) => texts[index]).join(`\n${RUN_BREAK}\n`));
    const parts = output.split(`\n${RUN_BREAK}\n`);
    if (parts.length !== todo.length || parts.some((part) => part.trim() === "")) return undefined;
    for (const [n, index] of todo.entries()) {
      const part = n === parts.length - 1 ? parts[n]! : `${parts[n]!}\n`;
      formatted.set(index, part);
      formattedRuns.set(texts[index]!, part);
    }
  }
  let out = "";
  let gap = "";
  for (const [index, run] of runs.entries()) {
    const part = formatted.get(index);
    if (part === undefined) {
      gap += `${run.text}\n`;
      continue;
    }
    if (out !== "" && `${gap}${leading[index]!}`.split("\n").length > 2) out += "\n";
    out += part;
    gap = `${trailing[index]!}\n`;
  }
  return out;
}
