import { createRequire } from "node:module";
import type * as YamlModule from "yaml";
import type { Document, Node } from "yaml";
import type { SourcePosition } from "../model.js";

// yaml is required on first use rather than imported: `covenant check` loads the contract loader with
// the contract rules, and a project with no contracts should not pay for the YAML stack at start-up.
const requireModule = createRequire(import.meta.url);
let yamlModule: typeof YamlModule | undefined;
const yaml = (): typeof YamlModule => (yamlModule ??= requireModule("yaml") as typeof YamlModule);

/** A path into a parsed document: mapping keys and sequence indexes. */
export type JsonPath = readonly (string | number)[];

export interface SourceSyntaxError {
  kind: "duplicate-key" | "multiple-documents" | "yaml-syntax" | "non-json-value";
  position: SourcePosition;
  /** For `duplicate-key`: the repeated key; otherwise yaml's description. */
  detail: string;
}

interface Located {
  /** The node the path reaches (undefined when the value is empty, e.g. `key:` with nothing). */
  node: Node | undefined;
  /** The key node of the last mapping entry on the way, or the sequence item. */
  entry: Node | undefined;
  /** Whether the whole path was found. */
  complete: boolean;
}

/**
 * One YAML or JSON file with its source map. JSON is read by the same YAML 1.2 parser (JSON is a subset),
 * so both get the same positions and the same duplicate-key errors.
 *
 * Position conventions (1-based line and column):
 * - `entryPosition(path)`: the key of a mapping entry, the first character of a sequence item;
 * - `valuePosition(path)`: the first character of the value (the key when the value is empty);
 * - both fall back to the nearest ancestor that exists; the root is the document's first node.
 */
export class SourceDocument {
  readonly value: unknown;
  readonly syntaxErrors: SourceSyntaxError[] = [];
  private readonly doc: Document;
  private readonly lines = new (yaml().LineCounter)();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
    this.text = source;
    this.doc = yaml().parseDocument(source, {
      lineCounter: this.lines,
      keepSourceTokens: true,
      prettyErrors: false,
      uniqueKeys: true,
      version: "1.2",
      // `<<: *base` merge keys, as most YAML users expect them.
      merge: true,
    });
    for (const error of this.doc.errors) {
      const position = this.position(error.pos[0]);
      if (error.code === "DUPLICATE_KEY") {
        this.syntaxErrors.push({ kind: "duplicate-key", position, detail: this.keyTextAt(error.pos[0], error.pos[1]) });
      } else if (error.code === "MULTIPLE_DOCS") {
        this.syntaxErrors.push({ kind: "multiple-documents", position, detail: error.message });
      } else {
        // An unclosed `[` or `{` is noticed where the collection should have ended; point at its opening.
        const unclosed = /^Flow (sequence|map) .*end with a [\]}]/.test(error.message) ? findUnclosedOpener(source, error.pos[0]) : undefined;
        this.syntaxErrors.push({
          kind: "yaml-syntax",
          position: unclosed === undefined ? position : this.position(unclosed),
          detail:
            unclosed === undefined
              ? error.message.replace(/\s+/g, " ").trim()
              : `\`${source[unclosed]!}\` is never closed (or a line inside it is not indented enough)`,
        });
      }
    }
    const cycle = this.findRecursiveAlias();
    if (cycle) {
      this.syntaxErrors.push({
        kind: "yaml-syntax",
        position: cycle.position,
        detail: `alias \`*${cycle.name}\` refers to a node that contains it, which makes the data infinite`,
      });
      this.value = undefined;
      return;
    }
    let value: unknown;
    try {
      value = this.doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      // e.g. an alias bomb; report it as syntax.
      this.syntaxErrors.push({ kind: "yaml-syntax", position: this.rootPosition(), detail: (error as Error).message });
      value = undefined;
    }
    this.value = value;
    for (const at of findNonFiniteNumbers(value)) {
      this.syntaxErrors.push({ kind: "non-json-value", position: this.valuePosition(at), detail: this.valueSource(at) ?? "" });
    }
  }

  private findRecursiveAlias(): { name: string; position: SourcePosition } | undefined {
    let found: { name: string; position: SourcePosition } | undefined;
    yaml().visit(this.doc, {
      Alias: (_key, alias, ancestors) => {
        const target = alias.resolve(this.doc);
        if (target && ancestors.includes(target)) {
          found = { name: alias.source, position: this.position(alias.range?.[0] ?? 0) };
          return yaml().visit.BREAK;
        }
        return undefined;
      },
    });
    return found;
  }

  /** 1-based position of a 0-based offset in the text. */
  position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line, column: col };
  }

  rootPosition(): SourcePosition {
    const contents = this.doc.contents;
    return this.position(contents?.range?.[0] ?? firstContentOffset(this.text));
  }

  entryPosition(path: JsonPath): SourcePosition {
    const { node, entry } = this.locate(path);
    const target = entry ?? node;
    return target?.range ? this.position(target.range[0]) : this.rootPosition();
  }

  valuePosition(path: JsonPath): SourcePosition {
    const { node, entry } = this.locate(path);
    const target = node ?? entry;
    return target?.range ? this.position(target.range[0]) : this.rootPosition();
  }

  /** The source text of the value at `path` as written (`1.0` rather than the number 1), if it exists. */
  valueSource(path: JsonPath): string | undefined {
    const { node, complete } = this.locate(path);
    return complete && node?.range ? this.text.slice(node.range[0], node.range[1]) : undefined;
  }

  /** Whether every segment of the path exists in the source. */
  has(path: JsonPath): boolean {
    return this.locate(path).complete;
  }

  /**
   * The position of the character at `index` of the string value at `path`, following the value's
   * source text (quotes, block scalars, folded lines). Falls back to the value's start.
   */
  stringCharPosition(path: JsonPath, index: number): SourcePosition {
    const { node } = this.locate(path);
    if (!node || !yaml().isScalar(node) || typeof node.value !== "string" || !node.range) return this.valuePosition(path);
    const value = node.value;
    const [start, end] = node.range;
    let cursor = start;
    if (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") cursor = start + 1;
    if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
      const newline = this.text.indexOf("\n", start);
      cursor = newline < 0 ? start : newline + 1;
    }
    // Align the value's non-blank characters with the source text, in order.
    for (let i = 0; i < value.length && cursor < end; i++) {
      const ch = value[i]!;
      if (/\s/.test(ch)) continue;
      while (cursor < end && this.text[cursor] !== ch) cursor++;
      if (i >= index) return this.position(cursor);
      cursor++;
    }
    if (index >= value.length) return this.position(Math.min(cursor, end));
    return this.valuePosition(path);
  }

  private locate(path: JsonPath): Located {
    let node = this.resolve(this.doc.contents);
    let entry: Node | undefined;
    for (const [index, segment] of path.entries()) {
      if (yaml().isMap(node)) {
        const pair = node.items.find((item) => yaml().isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) return { node, entry, complete: false };
        entry = pair.key as Node;
        node = this.resolve(pair.value as Node | null);
        // `key:` with nothing after it: the value is an empty scalar; point at the key instead.
        if (yaml().isScalar(node) && node.value === null && node.range && node.range[0] === node.range[1]) node = undefined;
        if (!node) return { node: undefined, entry, complete: index === path.length - 1 };
      } else if (yaml().isSeq(node) && typeof segment === "number") {
        const item = this.resolve(node.items[segment] as Node | null);
        if (!item) return { node, entry, complete: false };
        entry = item;
        node = item;
      } else {
        return { node, entry, complete: false };
      }
    }
    return { node, entry, complete: true };
  }

  private resolve(node: Node | null | undefined): Node | undefined {
    let current = node ?? undefined;
    for (let guard = 0; current && yaml().isAlias(current) && guard < 100; guard++) {
      current = current.resolve(this.doc);
    }
    return current;
  }

  private keyTextAt(start: number, end: number): string {
    const raw = this.text.slice(start, Math.max(end, start + 1));
    const line = this.text.slice(start, !this.text.includes("\n", start) ? undefined : this.text.indexOf("\n", start));
    const match = /^\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:#]+?))\s*:/.exec(line);
    return (match?.[1] ?? match?.[2]?.replace(/''/g, "'") ?? match?.[3] ?? raw).trim();
  }
}

/** Paths of `.inf` / `.nan` values: YAML has them, JSON (and so a contract) does not. */
function findNonFiniteNumbers(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof value === "number" && !Number.isFinite(value)) out.push(at);
  else if (Array.isArray(value)) value.forEach((item, i) => findNonFiniteNumbers(item, [...at, i], out));
  else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) findNonFiniteNumbers(item, [...at, key], out);
  return out;
}

/** The offset of the last `[` or `{` before `end` that no bracket closes (quoted text skipped), if any. */
function findUnclosedOpener(text: string, end: number): number | undefined {
  const stack: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < Math.min(end, text.length); i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || (ch === "'" && /[\s[{,:]/.test(text[i - 1] ?? " "))) {
      quote = ch;
    } else if (ch === "#" && /\s/.test(text[i - 1] ?? "\n")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "[" || ch === "{") {
      stack.push(i);
    } else if ((ch === "]" || ch === "}") && stack.length > 0) {
      stack.pop();
    }
  }
  return stack.at(-1);
}

function firstContentOffset(text: string): number {
  const match = /^(?:\s|#[^\n]*)*/.exec(text);
  return Math.min(match ? match[0].length : 0, text.length);
}
