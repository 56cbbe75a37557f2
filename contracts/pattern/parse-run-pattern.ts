import type { RunPattern } from "../model.js";

/**
 * Run patterns are regular expressions over event names:
 *
 *   pattern  := alt
 *   alt      := seq ("|" seq)*
 *   seq      := postfix+                 (juxtaposition, separated by whitespace)
 *   postfix  := atom ("*" | "+" | "?")?
 *   atom     := NAME | "(" alt ")"
 *
 * A NAME is a maximal run of characters other than whitespace and `|*+?()`, so event names such as
 * `agent:started` or `tool.completed` need no quoting. Offsets are 0-based indexes into the text.
 */

export interface RunPatternEventRef {
  name: string;
  /** 0-based index of the name's first character in the pattern text. */
  offset: number;
}

export interface RunPatternSyntaxError {
  /** 0-based index of the offending character (the text's length at the end of input). */
  offset: number;
  /** What is wrong, e.g. "unexpected `)`". */
  message: string;
  /** How to fix it. */
  hint: string;
}

export type ParseRunPatternResult = { ok: true; ast: RunPattern; events: RunPatternEventRef[] } | { ok: false; error: RunPatternSyntaxError };

type Token =
  | { kind: "name"; text: string; offset: number }
  | { kind: "|" | "*" | "+" | "?" | "(" | ")"; text: string; offset: number }
  | { kind: "end"; text: ""; offset: number };

const OPERATORS = new Set(["|", "*", "+", "?", "(", ")"]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (OPERATORS.has(ch)) {
      tokens.push({ kind: ch as "|", text: ch, offset: i });
      i++;
    } else {
      const start = i;
      while (i < text.length && !/\s/.test(text[i]!) && !OPERATORS.has(text[i]!)) i++;
      tokens.push({ kind: "name", text: text.slice(start, i), offset: start });
    }
  }
  tokens.push({ kind: "end", text: "", offset: text.length });
  return tokens;
}

class SyntaxFailure extends Error {
  constructor(readonly detail: RunPatternSyntaxError) {
    super(detail.message);
  }
}

class Parser {
  private index = 0;
  readonly events: RunPatternEventRef[] = [];
  private readonly openParens: number[] = [];

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private fail(token: Token, message: string, hint: string): never {
    throw new SyntaxFailure({ offset: token.offset, message, hint });
  }

  parsePattern(): RunPattern {
    const first = this.peek();
    if (first.kind === "end") this.fail(first, "the pattern is empty", "write event names, e.g. `started (progress)* completed`");
    const ast = this.parseAlt();
    const rest = this.peek();
    if (rest.kind === ")") this.fail(rest, "unexpected `)` with no matching `(`", "remove it or add the missing `(`");
    return ast;
  }

  private parseAlt(): RunPattern {
    const options = [this.parseSeq()];
    while (this.peek().kind === "|") {
      this.index++;
      options.push(this.parseSeq());
    }
    // `a | (b | c)` is `a | b | c`: nested alternatives are flattened.
    const flat = options.flatMap((option) => (option.kind === "alt" ? option.options : [option]));
    return flat.length === 1 ? flat[0]! : { kind: "alt", options: flat };
  }

  private parseSeq(): RunPattern {
    const items: RunPattern[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === "name" || token.kind === "(") {
        items.push(this.parsePostfix());
        continue;
      }
      if (items.length === 0) this.failEmptyBranch(token);
      // `a (b c) d` is `a b c d`: nested sequences are flattened.
      const flat = items.flatMap((item) => (item.kind === "seq" ? item.items : [item]));
      return flat.length === 1 ? flat[0]! : { kind: "seq", items: flat };
    }
  }

  private failEmptyBranch(token: Token): never {
    switch (token.kind) {
      case "|":
        return this.fail(token, "an alternative before `|` is empty", "write an event name on both sides of `|`; use `?` for an optional part");
      case ")":
        return this.fail(
          token,
          "empty parentheses or an empty alternative before `)`",
          "put at least one event name inside the group; use `?` for an optional part",
        );
      case "end":
        return this.openParens.length > 0
          ? this.fail(token, "the pattern ends inside a group", "write the rest of the group and close it with `)`")
          : this.fail(token, "the pattern ends after `|`", "write an event name after `|`");
      default:
        return this.fail(token, `\`${token.text}\` has nothing before it to repeat`, "put `*`, `+` or `?` right after an event name or a `)`");
    }
  }

  private parsePostfix(): RunPattern {
    let item = this.parseAtom();
    const quantifier = this.peek();
    if (quantifier.kind === "*" || quantifier.kind === "+" || quantifier.kind === "?") {
      this.index++;
      item =
        quantifier.kind === "*"
          ? { kind: "repeat", item, min: 0, max: "many" }
          : quantifier.kind === "+"
            ? { kind: "repeat", item, min: 1, max: "many" }
            : { kind: "repeat", item, min: 0, max: 1 };
      const next = this.peek();
      if (next.kind === "*" || next.kind === "+" || next.kind === "?") {
        this.fail(next, `\`${next.text}\` follows another quantifier`, "use a single `*`, `+` or `?`, or group with parentheses");
      }
    }
    return item;
  }

  private parseAtom(): RunPattern {
    const token = this.peek();
    if (token.kind === "name") {
      this.index++;
      this.events.push({ name: token.text, offset: token.offset });
      return { kind: "event", name: token.text };
    }
    // token.kind === "(" (parseSeq only calls us on a name or `(`)
    this.index++;
    this.openParens.push(token.offset);
    const inner = this.parseAlt();
    const close = this.peek();
    if (close.kind !== ")") {
      this.fail(token, "`(` is never closed", "add the matching `)`");
    }
    this.openParens.pop();
    this.index++;
    return inner;
  }
}

/** Parses a run pattern; never throws. */
export function parseRunPattern(text: string): ParseRunPatternResult {
  const parser = new Parser(tokenize(text));
  try {
    const ast = parser.parsePattern();
    return { ok: true, ast, events: parser.events };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: error.detail };
    throw error;
  }
}

/** The canonical text of a pattern (single spaces, minimal parentheses): equal ASTs print equal. */
export function formatRunPattern(pattern: RunPattern): string {
  return format(pattern, 0);
}

// Precedence: alt 0 < seq 1 < repeat 2 < event 3.
function format(pattern: RunPattern, parentPrecedence: number): string {
  switch (pattern.kind) {
    case "event":
      return pattern.name;
    case "seq":
      return wrap(pattern.items.map((item) => format(item, 2)).join(" "), 1, parentPrecedence);
    case "alt":
      return wrap(pattern.options.map((option) => format(option, 1)).join(" | "), 0, parentPrecedence);
    case "repeat": {
      const op = pattern.min === 0 ? (pattern.max === 1 ? "?" : "*") : "+";
      return wrap(`${format(pattern.item, 3)}${op}`, 2, parentPrecedence);
    }
  }
}

function wrap(text: string, precedence: number, parentPrecedence: number): string {
  return precedence < parentPrecedence ? `(${text})` : text;
}
