import { compileRunPattern, findRunPatternCounterexample, formatRunPattern, matchRun, parseRunPattern, type RunPattern } from "../../contracts/index.js";

const ev = (name: string): RunPattern => ({ kind: "event", name });

function ast(text: string): RunPattern {
  const result = parseRunPattern(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.ast;
}

describe("parseRunPattern", () => {
  test.each<[string, RunPattern]>([
    ["a", ev("a")],
    ["a b c", { kind: "seq", items: [ev("a"), ev("b"), ev("c")] }],
    ["a | b", { kind: "alt", options: [ev("a"), ev("b")] }],
    ["a*", { kind: "repeat", item: ev("a"), min: 0, max: "many" }],
    ["a+", { kind: "repeat", item: ev("a"), min: 1, max: "many" }],
    ["a?", { kind: "repeat", item: ev("a"), min: 0, max: 1 }],
    ["a b | c", { kind: "alt", options: [{ kind: "seq", items: [ev("a"), ev("b")] }, ev("c")] }],
    ["a (b c) d", { kind: "seq", items: [ev("a"), ev("b"), ev("c"), ev("d")] }],
    ["a | (b | c)", { kind: "alt", options: [ev("a"), ev("b"), ev("c")] }],
    ["(a b)*", { kind: "repeat", item: { kind: "seq", items: [ev("a"), ev("b")] }, min: 0, max: "many" }],
    ["agent:started tool.done/x", { kind: "seq", items: [ev("agent:started"), ev("tool.done/x")] }],
    ["a(b)c", { kind: "seq", items: [ev("a"), ev("b"), ev("c")] }],
    ["  a\n  b  ", { kind: "seq", items: [ev("a"), ev("b")] }],
  ])("%j", (text, expected) => {
    expect(ast(text)).toEqual(expected);
  });

  test("reports the offset of every event reference", () => {
    const result = parseRunPattern("start (step | skip)* end");
    expect(result.ok && result.events).toEqual([
      { name: "start", offset: 0 },
      { name: "step", offset: 7 },
      { name: "skip", offset: 14 },
      { name: "end", offset: 21 },
    ]);
  });

  test.each<[string, number, string]>([
    ["", 0, "the pattern is empty"],
    ["   ", 3, "the pattern is empty"],
    ["a (b", 2, "`(` is never closed"],
    ["a )", 2, "unexpected `)`"],
    ["a ()", 3, "empty parentheses"],
    ["a | | b", 4, "an alternative before `|` is empty"],
    ["| a", 0, "an alternative before `|` is empty"],
    ["a |", 3, "the pattern ends after `|`"],
    ["(a |", 4, "the pattern ends inside a group"],
    ["* a", 0, "`*` has nothing before it to repeat"],
    ["a ?+", 3, "`+` follows another quantifier"],
    ["a (| b)", 3, "an alternative before `|` is empty"],
  ])("syntax error in %j at offset %i", (text, offset, message) => {
    const result = parseRunPattern(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.offset).toBe(offset);
    expect(result.error.message).toContain(message);
    expect(result.error.hint.length).toBeGreaterThan(0);
  });

  test.each(["a", "a b c", "a | b c", "(a | b) c", "a (b c)* d", "(a | b)+", "((a b)?)*", "a* b? (c | d)+"])("formatRunPattern round-trips %j", (text) => {
    const once = formatRunPattern(ast(text));
    expect(ast(once)).toEqual(ast(text));
    expect(formatRunPattern(ast(once))).toBe(once);
  });
});

describe("run matching", () => {
  const seed = compileRunPattern(ast("agent_started (agent_thinking | tool_executing tool_completed)* agent_completed"));
  const run = (...events: string[]) => matchRun(seed, events);

  test.each([
    [["agent_started", "agent_completed"]],
    [["agent_started", "agent_thinking", "agent_completed"]],
    [["agent_started", "tool_executing", "tool_completed", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]],
  ])("complete: %j", (events) => {
    expect(matchRun(seed, events).status).toBe("complete");
  });

  test("incomplete runs say what may come next", () => {
    expect(run()).toEqual({ status: "incomplete", expected: ["agent_started"] });
    expect(run("agent_started", "tool_executing")).toEqual({ status: "incomplete", expected: ["tool_completed"] });
    expect(run("agent_started")).toEqual({ status: "incomplete", expected: ["agent_completed", "agent_thinking", "tool_executing"] });
  });

  test("broken runs name the first offending event and what was allowed", () => {
    expect(run("agent_thinking")).toEqual({ status: "broken", brokenAt: 0, expected: ["agent_started"] });
    expect(run("agent_started", "tool_completed")).toEqual({
      status: "broken",
      brokenAt: 1,
      expected: ["agent_completed", "agent_thinking", "tool_executing"],
    });
    expect(run("agent_started", "tool_executing", "agent_thinking")).toMatchObject({ status: "broken", brokenAt: 2, expected: ["tool_completed"] });
    expect(run("agent_started", "agent_completed", "agent_thinking")).toEqual({ status: "broken", brokenAt: 2, expected: [] });
  });

  test("steps can be taken one event at a time (a monitor keeps one state per run)", () => {
    let state = seed.initial;
    for (const event of ["agent_started", "tool_executing", "tool_completed"]) state = seed.step(state, event)!;
    expect(seed.accepts(state)).toBe(false);
    state = seed.step(state, "agent_completed")!;
    expect(seed.accepts(state)).toBe(true);
    expect(seed.step(state, "agent_started")).toBeUndefined();
  });

  test.each<[string, string[], string]>([
    ["a?", [], "complete"],
    ["a*", ["a", "a", "a"], "complete"],
    ["a+", [], "incomplete"],
    ["(a b)+ c", ["a", "b", "a", "b", "c"], "complete"],
    ["(a b)+ c", ["a", "b", "a", "c"], "broken"],
    ["a (b | c d)? e", ["a", "c", "d", "e"], "complete"],
    ["a (b | c d)? e", ["a", "e"], "complete"],
    ["a (b | c d)? e", ["a", "c", "e"], "broken"],
    ["(a | a b) c", ["a", "b", "c"], "complete"],
    ["(a | a b) c", ["a", "c"], "complete"],
    ["(a* b*)* c", ["b", "a", "b", "c"], "complete"],
  ])("%s on %j is %s", (pattern, events, status) => {
    expect(matchRun(compileRunPattern(ast(pattern)), events).status).toBe(status);
  });
});

describe("findRunPatternCounterexample", () => {
  test.each<[string, string, string[] | undefined]>([
    ["a b", "a b", undefined],
    ["a b", "a b?", undefined],
    ["a b?", "a b", ["a"]],
    ["a (b | c)", "a b", ["a", "c"]],
    ["a b* c", "a (b | d)* c", undefined],
    ["a (b | d)* c", "a b* c", ["a", "d", "c"]],
    ["(a b)*", "(a | b)*", undefined],
    ["(a | b)*", "(a b)*", ["a"]],
  ])("%s within %s -> %j", (a, b, expected) => {
    expect(findRunPatternCounterexample(ast(a), ast(b))).toEqual(expected);
  });
});
