// The bench's memory figure for tools made of several processes (TypeScript 7's tsc, oxlint with
// tsgolint, the ts7 engine): the sum of each process's peak, read from /proc by a worker thread.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { descendants, measureTree, parseHwmKb, parseStat } from "../../bench/lib/tree-rss.mjs";

describe("parseStat", () => {
  test.each([
    ["a plain command", "123 (node) S 45 123 123 0 -1 4194560 1 0 0 0 5 1 0 0 20 0 11 0 987654 1000 100", { comm: "node", ppid: 45, start: "987654" }],
    ["a command with spaces and parentheses", "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 42 0 0", { comm: "a (b) c", ppid: 1, start: "42" }],
  ])("%s", (_name, text, expected) => {
    expect(parseStat(text)).toEqual(expected);
  });

  test("text without a command is not a stat line", () => {
    expect(parseStat("garbage")).toBeUndefined();
  });
});

describe("parseHwmKb", () => {
  test.each([
    ["a process", "Name:\tnode\nVmPeak:\t  900 kB\nVmHWM:\t   51234 kB\nVmRSS:\t   40000 kB\n", 51234],
    ["a kernel thread (no Vm lines)", "Name:\tkthreadd\nState:\tS (sleeping)\n", Number.NaN],
  ])("%s", (_name, text, expected) => {
    expect(parseHwmKb(text)).toBe(expected);
  });
});

describe("descendants", () => {
  const processes = new Map([
    [1, { ppid: 0, comm: "init" }],
    [10, { ppid: 1, comm: "bench" }],
    [11, { ppid: 10, comm: "time" }],
    [12, { ppid: 11, comm: "node" }],
    [13, { ppid: 12, comm: "tsc" }],
    [20, { ppid: 1, comm: "other" }],
    [21, { ppid: 20, comm: "node" }],
    [30, { ppid: 99, comm: "orphan of an unknown parent" }],
  ]);

  test.each([
    ["the whole tree under the root, not the root", 10, new Set<string>(), [11, 12, 13]],
    ["a skipped command leaves out itself, not its children", 10, new Set(["time"]), [12, 13]],
    ["another root", 20, new Set<string>(), [21]],
    ["a leaf has none", 13, new Set<string>(), []],
  ])("%s", (_name, root, skip, expected) => {
    expect(descendants(root, processes, skip).sort((a, b) => a - b)).toEqual(expected);
  });
});

describe.runIf(process.platform === "linux" && fs.existsSync("/proc/self/status"))("measureTree", () => {
  // A Node process that starts a second one; each fills a buffer of its own size, so the tree's
  // peak is above either process's and above their sum of buffers. Each lives 0.6 s after its
  // buffer: twelve sampling intervals, and one sample suffices (VmHWM is the process's peak so far).
  const holder = (mb: number) => `const b = Buffer.alloc(${mb} * 1024 * 1024, 1); setTimeout(() => b.length, 600);`;
  const parent = `const { spawnSync } = require("node:child_process"); ${holder(60)} spawnSync(process.execPath, ["-e", ${JSON.stringify(holder(120))}], { stdio: "inherit" });`;

  test("sums the peaks of a parent and its child", () => {
    const measured = measureTree(() => spawnSync(process.execPath, ["-e", parent], { encoding: "utf8" }));
    expect(measured.value.status).toBe(0);
    expect(measured.processes).toBe(2);
    expect(measured.treeRssMb).toBeGreaterThan(180);
    // Not wildly above: two Node processes cost well under 200 MB beyond their buffers.
    expect(measured.treeRssMb).toBeLessThan(180 + 200);
  });

  test("measures one process after another, each on its own", () => {
    const first = measureTree(() => spawnSync(process.execPath, ["-e", holder(150)]));
    const second = measureTree(() => spawnSync(process.execPath, ["-e", holder(10)]));
    expect(first.processes).toBe(1);
    expect(second.processes).toBe(1);
    expect(first.treeRssMb).toBeGreaterThan(150);
    expect(second.treeRssMb).toBeLessThan(first.treeRssMb - 100);
  });

  test.runIf(fs.existsSync("/usr/bin/time"))("GNU time wrapped around the run is not counted, the program it runs is", () => {
    const measured = measureTree(() => spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, "-e", holder(100)], { encoding: "utf8" }));
    expect(measured.value.status).toBe(0);
    expect(measured.processes).toBe(1);
    const gnuTimeKb = Number(measured.value.stderr.trim().split("\n").at(-1));
    expect(measured.treeRssMb).toBeGreaterThan(100);
    // One process: the sampler's figure is the kernel's peak GNU time reports, give or take a page or two.
    expect(Math.abs(measured.treeRssMb - gnuTimeKb / 1024)).toBeLessThan(2);
  });

  test("a run that throws still stops the sampler, and the next measure works", () => {
    expect(() =>
      measureTree(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(measureTree(() => 7).value).toBe(7);
    const after = measureTree(() => spawnSync(process.execPath, ["-e", holder(80)]));
    expect(after.processes).toBe(1);
    expect(after.treeRssMb).toBeGreaterThan(80);
  });
});
