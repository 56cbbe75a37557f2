import { findShortestDifference, Nfa } from "../../contracts/automata/nfa.js";
import { compilePattern, stringSymbols, UnsupportedPattern } from "../../contracts/automata/regex.js";
import { findRunDifference } from "../../contracts/automata/run-pattern.js";
import { classifyStrings } from "../../contracts/diff/schema/constraints.js";
import type { StringConstraints } from "../../contracts/diff/schema/normalize.js";
import { parseRunPattern } from "../../contracts/index.js";
import type { RunPattern } from "../../contracts/model.js";

const PATTERNS = [
  "^[a-z]+$",
  "^[A-Za-z][A-Za-z0-9_.-]*$",
  "abc",
  "^a|b$",
  "^(ab)*$",
  "^a{2,3}$",
  "^a{2,}b?$",
  "^\\d{3}-\\d{4}$",
  "^[^x]*x$",
  "\\s",
  "^\\w+@\\w+\\.com$",
  "^(?:foo|bar)+$",
  "^(?<word>[a-c]+)-\\1?$".replace("\\1?", "z?"),
  "^.$",
  "^[\\u0041-\\u0043]$",
  "^$",
  "x*",
  "^msg-[0-9]+$",
  "^[a-f0-9]{8}$",
  "[.]",
];
const STRINGS = [
  "",
  "a",
  "b",
  "ab",
  "abab",
  "aa",
  "aaa",
  "aaaa",
  "aab",
  "abc",
  "xabcx",
  "123-4567",
  "12-4567",
  "yyx",
  "x",
  "y",
  " ",
  "a b",
  "me@site.com",
  "me@site.org",
  "foo",
  "foobar",
  "barfoo",
  "fo",
  "abc-z",
  "abc-",
  "é",
  "\n",
  "A",
  "C",
  "D",
  "msg-12",
  "msg-",
  "deadbeef",
  "deadbeefa",
  "a.b",
  "_a",
  "Aa0_.-",
];

describe("string patterns as automata", () => {
  it.each(PATTERNS)("%s matches exactly what RegExp matches", (pattern) => {
    const nfa = compilePattern(pattern);
    const regex = new RegExp(pattern, "u");
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- the automaton reads code points, as a `u` regex does
    for (const s of STRINGS) expect(nfa.matches([...s].map((c) => c.codePointAt(0)!)), JSON.stringify(s)).toBe(regex.test(s));
  });

  it.each(["(?=a)b", "\\bword", "(a)\\1", "\\p{L}", "a{2000}"])("rejects what it cannot model: %s", (pattern) => {
    expect(() => compilePattern(pattern)).toThrow(UnsupportedPattern);
  });

  const difference = (accept: string[], reject: string[], acceptLength?: { min: number; max: number }, rejectLength?: { min: number; max: number }) => {
    const a = accept.map((p) => compilePattern(p));
    const r = reject.map((p) => compilePattern(p));
    const result = findShortestDifference({ accept: a, reject: r, acceptLength, rejectLength, symbols: stringSymbols([...a, ...r]) });
    return result.found ? (result.word ? String.fromCodePoint(...result.word) : `a word of ${result.length}`) : result.exhausted ? null : "gave up";
  };

  it.each([
    [["^[a-z0-9]+$"], ["^[a-z]+$"], "0"],
    [["^[a-z]+$"], ["^[a-z0-9]+$"], null],
    [["^[a-z][a-z]*$"], ["^[a-z]+$"], null],
    [["^[a-z]+$"], ["^[a-z][a-z]*$"], null],
    [["^msg-[0-9]+$"], ["^[a-f0-9]{8}$"], "msg-0"],
    [["^(a|b)*$"], ["^(b|a)*$"], null],
    [["abc"], ["^abc"], "aabc"],
  ] as const)("a shortest string %j accepts and %j rejects is %j", (accept, reject, expected) => {
    expect(difference([...accept], [...reject])).toBe(expected);
  });

  it("honours length bounds on both sides", () => {
    // Length 3..5 letters vs /^[a-z]{1,5}$/ with maxLength 4: "aaaaa" is the first word only the first accepts.
    expect(difference(["^[a-z]+$"], ["^[a-z]+$"], { min: 3, max: 5 }, { min: 0, max: 4 })).toBe("aaaaa");
    expect(difference(["^[a-z]*$"], [], { min: 2, max: 2 })).toBe("aa");
  });
});

describe("the lazy determinization", () => {
  // s0 -a-> p and s0 -b-> q; p reaches q and r by empty moves, r leads nowhere: the subsets after `a`
  // ({p, q, r}) and after `b` ({q}) differ only in states that do not matter, so they are one DFA state.
  // Its size is the search's measure of work, so it must not depend on which subset was met first.
  const build = () => {
    const nfa = new Nfa();
    const [s0, p, q, r, t] = [nfa.addState(), nfa.addState(), nfa.addState(), nfa.addState(), nfa.addState()];
    nfa.start = s0!;
    nfa.accept = t!;
    nfa.addEdge(s0, { kind: "sym", set: [[97, 97]], to: p });
    nfa.addEdge(s0, { kind: "sym", set: [[98, 98]], to: q });
    nfa.addEdge(p, { kind: "eps", to: q });
    nfa.addEdge(p, { kind: "eps", to: r });
    nfa.addEdge(q, { kind: "sym", set: [[99, 99]], to: t });
    return nfa;
  };
  it("gives a DFA state the same size whichever of its subsets was met first", () => {
    const aFirst = build();
    const bFirst = build();
    const [a1, b1] = [aFirst.dfaStep(aFirst.dfaInitial(), 97), aFirst.dfaStep(aFirst.dfaInitial(), 98)];
    const b2 = bFirst.dfaStep(bFirst.dfaInitial(), 98);
    const a2 = bFirst.dfaStep(bFirst.dfaInitial(), 97);
    expect(a1).toBe(b1);
    expect(a2).toBe(b2);
    expect(aFirst.dfaSize(a1)).toBe(bFirst.dfaSize(a2));
    expect(aFirst.dfaSize(a1)).toBeGreaterThan(0);
  });
});

describe("string pattern comparison without a length bound", () => {
  const strings = (...patterns: string[]): StringConstraints => ({ type: "string", minLength: 0, patterns, formats: [] });

  it("finds the difference past the old search bound of 64 characters (repeat bounds 64 vs 128)", () => {
    const wider = classifyStrings(strings("^[a-z0-9-]{1,64}$"), strings("^[a-z0-9-]{1,128}$"));
    expect(wider).toEqual({ kind: "widened", oldOnly: undefined, newOnly: "a".repeat(65) });
    expect(classifyStrings(strings("^[a-z0-9-]{1,64}$"), strings("^[a-z0-9-]{1,32}$"))).toEqual({
      kind: "tightened",
      oldOnly: "a".repeat(33),
      newOnly: undefined,
    });
    expect(classifyStrings(strings("^[a-z]{1,999}$"), strings("^[a-z]{1,1000}$")).kind).toBe("widened");
  });

  it("decides long length bounds without walking every length", () => {
    const started = Date.now();
    const o = { ...strings("^[a-z]+$"), minLength: 1, maxLength: 100_000 };
    const n = { ...strings("^[a-z0-9]+$"), minLength: 1, maxLength: 100_000 };
    expect(classifyStrings(o, n)).toEqual({ kind: "widened", oldOnly: undefined, newOnly: "0" });
    expect(classifyStrings({ ...o, maxLength: 5000 }, { ...o, maxLength: 4000 })).toEqual({ kind: "tightened", oldOnly: "a".repeat(4001), newOnly: undefined });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("gives up on an exponential determinization within its budget, and says so", () => {
    const started = Date.now();
    const verdict = classifyStrings(strings("^(a|b)*a(a|b){20}$"), strings("^(a|b)*a(a|b){21}$"));
    expect(verdict.kind).toBe("unknown");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  // Brute force over the representative symbols: the shortest word each search should find.
  const PAIRS: [string, string][] = [
    ["^[a-c]+$", "^[a-b]+$"],
    ["^a*b?$", "^a{0,3}b$"],
    ["ab", "^ab"],
    ["^(ab|c)*$", "^(c|ab)*c$"],
    ["[a-c]{2}", "^[a-c]{1,4}$"],
    ["^[^c]$", "^[ab]$"],
  ];
  it.each(PAIRS)("%s and %s have few enough symbols to enumerate", (x, y) => {
    expect(stringSymbols([compilePattern(x), compilePattern(y)]).length).toBeLessThanOrEqual(5);
  });
  const LENGTHS = [
    { min: 0, max: Infinity },
    { min: 2, max: 6 },
    { min: 3, max: 3 },
    { min: 0, max: 2 },
    { min: 4, max: 6 },
  ];
  it.each(PAIRS)("%s minus %s: the shortest difference matches a brute-force search, for every length bound", (x, y) => {
    const a = compilePattern(x);
    const r = compilePattern(y);
    const symbols = stringSymbols([a, r]);
    for (const acceptLength of LENGTHS) {
      for (const rejectLength of LENGTHS) {
        const inside = (n: number, b: { min: number; max: number }) => n >= b.min && n <= b.max;
        let expected: number | undefined;
        let words: number[][] = [[]];
        const depth = 6;
        for (let n = 0; n <= depth && expected === undefined; n++) {
          if (words.some((w) => inside(n, acceptLength) && a.matches(w) && (!inside(n, rejectLength) || !r.matches(w)))) expected = n;
          if (n < depth) words = words.flatMap((w) => symbols.map((c) => [...w, c]));
        }
        const result = findShortestDifference({ accept: [a], reject: [r], acceptLength, rejectLength, symbols, maxLength: Infinity });
        const label = `${x} - ${y} ${JSON.stringify([acceptLength, rejectLength])}`;
        if (expected === undefined) {
          expect(result.found && result.length <= depth, label).toBe(false);
          if (!result.found) expect(result.exhausted, label).toBe(true);
          continue;
        }
        expect(result.found, label).toBe(true);
        if (!result.found) continue;
        const word = result.word!;
        expect(word.length, label).toBe(expected);
        expect(result.length, label).toBe(expected);
        expect(a.matches(word) && inside(word.length, acceptLength), label).toBe(true);
        expect(r.matches(word) && inside(word.length, rejectLength), label).toBe(false);
      }
    }
  });
});

function ast(pattern: string): RunPattern {
  const parsed = parseRunPattern(pattern);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.ast;
}

describe("run patterns compared by the runs they accept", () => {
  it.each([
    ["(a | b)*", "(b | a)*"],
    ["a (b)* c", "a b* c"],
    ["(a | b)*", "(a* b*)*"],
    ["a+", "a a*"],
    ["a? b", "b | a b"],
  ])("%s and %s accept the same runs", (x, y) => {
    expect(findRunDifference(ast(x), ast(y))).toBeUndefined();
    expect(findRunDifference(ast(y), ast(x))).toBeUndefined();
  });

  it.each([
    ["a b* c", "a b? c", ["a", "b", "b", "c"]],
    ["a (b | c) d", "a b d", ["a", "c", "d"]],
    ["a b? c", "a b c", ["a", "c"]],
  ])("%s accepts a run %s does not: %j", (x, y, run) => {
    expect(findRunDifference(ast(x), ast(y))).toEqual(run);
  });

  it("ignores events a pattern does not name, as run monitors do", () => {
    // "a x b": the second pattern never mentions x, so its monitor sees "a b".
    expect(findRunDifference(ast("a x b"), ast("a b"))).toBeUndefined();
    expect(findRunDifference(ast("a b"), ast("a x b"))).toEqual(["a", "b"]);
  });

  it("never offers an empty run (a monitor cannot observe one)", () => {
    expect(findRunDifference(undefined, ast("a b"))).toEqual(["a"]);
    expect(findRunDifference(undefined, ast("a* b*"))).toEqual(["b", "a"]);
  });
});
