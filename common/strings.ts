/** Small text helpers every room uses: paths for people, counts in words, "did you mean". */
import path from "node:path";

/** A path with `/` separators, as reports and messages show paths on every platform. */
export function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

/** `1 finding`, `2 findings`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** `agent-websocket` -> `AgentWebsocket`; `tool.completed` -> `ToolCompleted`; keeps inner capitals. */
export function toPascalCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((word) => word.length > 0);
  const joined = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
  if (joined.length === 0) return "Unnamed";
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate `input` was most likely meant to be, for a "Did you mean" hint: the nearest by edit
 * distance (ignoring case) within a third of the longer word, or undefined when none is that near or
 * `input` is itself a candidate.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = input.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(input.length, best.length) / 3));
  return bestDistance <= limit && bestDistance > 0 ? best : bestDistance === 0 && best !== input ? best : undefined;
}

/** `text` with its first letter in capitals: `breaking` -> `Breaking`. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Text for one cell of a Markdown table on one line: a line break becomes a space, `|` is escaped. */
export function tableCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}
