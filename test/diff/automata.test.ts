import { findShortestDifference } from "../../contracts/diff/automata/nfa.js";
import { compilePattern, stringSymbols, UnsupportedPattern } from "../../contracts/diff/automata/regex.js";
import { findRunDifference } from "../../contracts/diff/automata/run-pattern.js";
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
const STRINGS = ["", "a", "b", "ab", "abab", "aa", "aaa", "aaaa", "aab", "abc", "xabcx", "123-4567", "12-4567", "yyx", "x", "y", " ", "a b", "me@site.com", "me@site.org", "foo", "foobar", "barfoo", "fo", "abc-z", "abc-", "é", "\n", "A", "C", "D", "msg-12", "msg-", "deadbeef", "deadbeefa", "a.b", "_a", "Aa0_.-"];

describe("string patterns as automata", () => {
  it.each(PATTERNS)("%s matches exactly what RegExp matches", (pattern) => {
    const nfa = compilePattern(pattern);
    const regex = new RegExp(pattern, "u");
    for (const s of STRINGS) expect(nfa.matches([...s].map((c) => c.codePointAt(0)!)), JSON.stringify(s)).toBe(regex.test(s));
  });

  it.each(["(?=a)b", "\\bword", "(a)\\1", "\\p{L}", "a{2000}"])("rejects what it cannot model: %s", (pattern) => {
    expect(() => compilePattern(pattern)).toThrow(UnsupportedPattern);
  });

  const difference = (accept: string[], reject: string[], acceptLength?: { min: number; max: number }, rejectLength?: { min: number; max: number }) => {
    const a = accept.map((p) => compilePattern(p));
    const r = reject.map((p) => compilePattern(p));
    const result = findShortestDifference({ accept: a, reject: r, acceptLength, rejectLength, symbols: stringSymbols([...a, ...r]) });
    return result.found ? String.fromCodePoint(...result.word) : result.exhausted ? null : "gave up";
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
