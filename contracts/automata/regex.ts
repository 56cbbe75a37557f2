/**
 * A parser for the ECMAScript regular expressions JSON Schema `pattern` uses (as ajv does, with
 * the `u` flag), into an Nfa over code points with JSON Schema's search semantics (a pattern
 * matches when it matches anywhere in the string). Supported: literals, escapes, `.`, classes
 * (`[a-z]`, `[^...]`, `\d\w\s` and negations), groups (capturing, `(?:`, named), alternation,
 * greedy and lazy quantifiers, `^` and `$`. Anything else (back-references, lookaround, `\b`,
 * unicode property escapes) throws UnsupportedPattern: callers then fall back to sampling.
 */
import { complementSet, Nfa, normalizeSet, type SymbolSet } from "./nfa.js";

export const MAX_CODE_POINT = 0x10ffff;

export class UnsupportedPattern extends Error {}

const DIGIT: SymbolSet = [[0x30, 0x39]];
const WORD: SymbolSet = normalizeSet([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]);
const SPACE: SymbolSet = normalizeSet([
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
const LINE_TERMINATORS: SymbolSet = normalizeSet([
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
]);
const ANY: SymbolSet = [[0, MAX_CODE_POINT]];

type Node =
  | { kind: "set"; set: SymbolSet }
  | { kind: "seq"; items: Node[] }
  | { kind: "alt"; options: Node[] }
  | { kind: "repeat"; item: Node; min: number; max: number }
  | { kind: "bol" }
  | { kind: "eol" };

class Parser {
  private pos = 0;
  private readonly chars: string[];
  constructor(source: string) {
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- a `u` pattern is a sequence of code points
    this.chars = [...source];
  }

  parse(): Node {
    const node = this.parseAlt();
    if (this.pos < this.chars.length) throw new UnsupportedPattern(`unexpected ${this.chars[this.pos]!}`);
    return node;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private parseAlt(): Node {
    const options = [this.parseSeq()];
    while (this.peek() === "|") {
      this.pos++;
      options.push(this.parseSeq());
    }
    return options.length === 1 ? options[0]! : { kind: "alt", options };
  }

  private parseSeq(): Node {
    const items: Node[] = [];
    while (this.pos < this.chars.length && this.peek() !== "|" && this.peek() !== ")") {
      items.push(this.parseQuantified(this.parseAtom()));
    }
    return { kind: "seq", items };
  }

  private parseQuantified(atom: Node): Node {
    let node = atom;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === "*") [min, max] = [0, Infinity];
      else if (c === "+") [min, max] = [1, Infinity];
      else if (c === "?") [min, max] = [0, 1];
      else if (c === "{") {
        const match = /^\{(\d+)(,(\d*))?\}/.exec(this.chars.slice(this.pos).join(""));
        if (!match) return node;
        min = Number(match[1]);
        max = match[2] === undefined ? min : match[3] === "" ? Infinity : Number(match[3]);
        this.pos += match[0].length - 1;
      } else return node;
      this.pos++;
      if (this.peek() === "?") this.pos++; // lazy: same language
      if (node.kind === "bol" || node.kind === "eol") throw new UnsupportedPattern("quantified assertion");
      if (min > 1000 || (Number.isFinite(max) && max > 1000)) throw new UnsupportedPattern("large repetition");
      node = { kind: "repeat", item: node, min, max };
    }
  }

  private parseAtom(): Node {
    const c = this.chars[this.pos++]!;
    switch (c) {
      case "^":
        return { kind: "bol" };
      case "$":
        return { kind: "eol" };
      case ".":
        return { kind: "set", set: complementSet(LINE_TERMINATORS, MAX_CODE_POINT) };
      case "(": {
        if (this.peek() === "?") {
          const rest = this.chars.slice(this.pos, this.pos + 3).join("");
          if (rest.startsWith("?:")) this.pos += 2;
          else if (rest.startsWith("?<") && rest[2] !== "=" && rest[2] !== "!") {
            const end = this.chars.indexOf(">", this.pos);
            if (end < 0) throw new UnsupportedPattern("group name");
            this.pos = end + 1;
          } else throw new UnsupportedPattern("lookaround");
        }
        const inner = this.parseAlt();
        if (this.chars[this.pos++] !== ")") throw new UnsupportedPattern("unclosed group");
        return inner;
      }
      case "[":
        return { kind: "set", set: this.parseClass() };
      case "\\":
        return { kind: "set", set: this.parseEscape(false) };
      case ")":
      case "*":
      case "+":
      case "?":
        throw new UnsupportedPattern(`unexpected ${c}`);
      default: {
        const cp = c.codePointAt(0)!;
        return { kind: "set", set: [[cp, cp]] };
      }
    }
  }

  private parseClass(): SymbolSet {
    let negate = false;
    if (this.peek() === "^") {
      negate = true;
      this.pos++;
    }
    const parts: (readonly [number, number])[] = [];
    while (this.pos < this.chars.length && this.peek() !== "]") {
      const lo = this.parseClassAtom();
      if (this.peek() === "-" && this.chars[this.pos + 1] !== "]" && this.pos + 1 < this.chars.length && lo.length === 1 && lo[0]![0] === lo[0]![1]) {
        this.pos++;
        const hi = this.parseClassAtom();
        if (hi.length !== 1 || hi[0]![0] !== hi[0]![1]) throw new UnsupportedPattern("class range");
        parts.push([lo[0]![0], hi[0]![0]]);
      } else parts.push(...lo);
    }
    if (this.chars[this.pos++] !== "]") throw new UnsupportedPattern("unclosed class");
    const set = normalizeSet(parts);
    return negate ? complementSet(set, MAX_CODE_POINT) : set;
  }

  private parseClassAtom(): SymbolSet {
    const c = this.chars[this.pos++]!;
    if (c === "\\") return this.parseEscape(true);
    const cp = c.codePointAt(0)!;
    return [[cp, cp]];
  }

  private parseEscape(inClass: boolean): SymbolSet {
    const c = this.chars[this.pos++];
    if (c === undefined) throw new UnsupportedPattern("trailing backslash");
    const single = (cp: number): SymbolSet => [[cp, cp]];
    switch (c) {
      case "d":
        return DIGIT;
      case "D":
        return complementSet(DIGIT, MAX_CODE_POINT);
      case "w":
        return WORD;
      case "W":
        return complementSet(WORD, MAX_CODE_POINT);
      case "s":
        return SPACE;
      case "S":
        return complementSet(SPACE, MAX_CODE_POINT);
      case "n":
        return single(0x0a);
      case "t":
        return single(0x09);
      case "r":
        return single(0x0d);
      case "f":
        return single(0x0c);
      case "v":
        return single(0x0b);
      case "0":
        return single(0);
      case "b":
        if (inClass) return single(0x08);
        throw new UnsupportedPattern("word boundary");
      case "x": {
        const hex = this.chars.slice(this.pos, this.pos + 2).join("");
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new UnsupportedPattern("\\x");
        this.pos += 2;
        return single(parseInt(hex, 16));
      }
      case "u": {
        if (this.peek() === "{") {
          const end = this.chars.indexOf("}", this.pos);
          const hex = this.chars.slice(this.pos + 1, end).join("");
          if (end < 0 || !/^[0-9a-fA-F]+$/.test(hex)) throw new UnsupportedPattern("\\u{}");
          this.pos = end + 1;
          return single(parseInt(hex, 16));
        }
        const hex = this.chars.slice(this.pos, this.pos + 4).join("");
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new UnsupportedPattern("\\u");
        this.pos += 4;
        return single(parseInt(hex, 16));
      }
      default:
        if (/[0-9]/.test(c) || c === "B" || c === "p" || c === "P" || c === "k" || c === "c") throw new UnsupportedPattern(`\\${c}`);
        return single(c.codePointAt(0)!);
    }
  }
}

function build(nfa: Nfa, node: Node, from: number, to: number): void {
  switch (node.kind) {
    case "set":
      nfa.addEdge(from, { kind: "sym", set: node.set, to });
      return;
    case "bol":
      nfa.addEdge(from, { kind: "bol", to });
      return;
    case "eol":
      nfa.addEdge(from, { kind: "eol", to });
      return;
    case "seq":
      nfa.addSequence(node.items, from, to, (item, start, end) => build(nfa, item, start, end));
      return;
    case "alt":
      for (const option of node.options) build(nfa, option, from, to);
      return;
    case "repeat": {
      let current = from;
      for (let i = 0; i < node.min; i++) {
        const next = nfa.addState();
        build(nfa, node.item, current, next);
        current = next;
      }
      if (node.max === Infinity) {
        const loop = nfa.addState();
        nfa.addEdge(current, { kind: "eps", to: loop });
        const back = nfa.addState();
        build(nfa, node.item, loop, back);
        nfa.addEdge(back, { kind: "eps", to: loop });
        nfa.addEdge(loop, { kind: "eps", to });
      } else {
        for (let i = node.min; i < node.max; i++) {
          nfa.addEdge(current, { kind: "eps", to });
          const next = nfa.addState();
          build(nfa, node.item, current, next);
          current = next;
        }
        nfa.addEdge(current, { kind: "eps", to });
      }
      return;
    }
  }
}

const cache = new Map<string, Nfa | UnsupportedPattern>();

/** The pattern as an Nfa with search semantics (`.*(pattern).*`, honouring ^ and $). */
export function compilePattern(pattern: string): Nfa {
  const cached = cache.get(pattern);
  if (cached instanceof Nfa) return cached;
  if (cached) throw cached;
  try {
    // Reject what JavaScript itself rejects, so the two never disagree on validity.
    new RegExp(pattern, "u");
    const ast = new Parser(pattern).parse();
    const nfa = new Nfa();
    const start = nfa.addState();
    const body = nfa.addState();
    const bodyEnd = nfa.addState();
    const accept = nfa.addState();
    nfa.start = start;
    nfa.accept = accept;
    nfa.addEdge(start, { kind: "eps", to: body });
    nfa.addEdge(start, { kind: "sym", set: ANY, to: start });
    build(nfa, ast, body, bodyEnd);
    nfa.addEdge(bodyEnd, { kind: "eps", to: accept });
    nfa.addEdge(accept, { kind: "sym", set: ANY, to: accept });
    cache.set(pattern, nfa);
    return nfa;
  } catch (error) {
    const unsupported = error instanceof UnsupportedPattern ? error : new UnsupportedPattern(error instanceof Error ? error.message : String(error));
    cache.set(pattern, unsupported);
    throw unsupported;
  }
}

/** The pattern as an Nfa (compilePattern), or undefined when it is beyond the automata. */
export function tryCompilePattern(pattern: string): Nfa | undefined {
  try {
    return compilePattern(pattern);
  } catch (error) {
    if (error instanceof UnsupportedPattern) return undefined;
    throw error;
  }
}

/** A readable representative of the code points lo..hi (letters, then digits, then printable ASCII). */
export function pickReadable(lo: number, hi: number): number {
  for (const [a, b] of [
    [0x61, 0x7a],
    [0x41, 0x5a],
    [0x30, 0x39],
    [0x2d, 0x2d],
    [0x5f, 0x5f],
    [0x20, 0x7e],
  ] as const) {
    if (hi >= a && lo <= b) return Math.max(lo, a);
  }
  return lo;
}

/** Representative code points in preference order (readable first). */
export function stringSymbols(nfas: readonly Nfa[]): number[] {
  const reps: number[] = [];
  const cuts = new Set<number>([0, MAX_CODE_POINT + 1]);
  for (const nfa of nfas) for (const set of nfa.symbolSets()) for (const [lo, hi] of set) cuts.add(lo).add(hi + 1);
  const sorted = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < sorted.length; i++) reps.push(pickReadable(sorted[i]!, sorted[i + 1]! - 1));
  const rank = (cp: number) => (cp >= 0x61 && cp <= 0x7a ? 0 : cp >= 0x41 && cp <= 0x5a ? 1 : cp >= 0x30 && cp <= 0x39 ? 2 : cp >= 0x20 && cp <= 0x7e ? 3 : 4);
  return [...new Set(reps)].sort((a, b) => rank(a) - rank(b) || a - b);
}
