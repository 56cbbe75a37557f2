import os from "node:os";
import { runCliRows, runRows } from "./capped-rows.js";

// The rows of one capped child keep what the hostile tests rely on from a process of their own: a
// hang, a crash or a throw fails its own row (the rows after it still run), work left pending fails
// the child's rows. Plain JavaScript rows: no covenant code is loaded.

const summary = (results: Awaited<ReturnType<typeof runRows>>) =>
  results.map((result) => (result.ok ? { value: result.value } : { error: result.error.split("\n")[0], timedOut: result.timedOut }));

describe("runRows: each row keeps its own caps", () => {
  it("a row past its time cap fails alone, killed; the rows after it run in a fresh child", async () => {
    const results = await runRows("const pid = process.pid;", [
      { body: "return pid;", timeMs: 20_000 },
      { body: "for (;;) {}", timeMs: 1_000 },
      { body: "return pid;", timeMs: 20_000 },
    ]);
    expect(summary(results).slice(1, 2)).toEqual([
      { error: expect.stringMatching(/^did not finish within 1 s \(the child running it was killed\)/), timedOut: true },
    ]);
    expect(results[1]).toMatchObject({ signal: "SIGKILL" });
    expect(results[0]).toMatchObject({ ok: true, value: expect.any(Number) });
    expect(results[2]).toMatchObject({ ok: true, value: expect.any(Number) });
    expect((results[2] as { value: number }).value).not.toBe((results[0] as { value: number }).value);
  });

  it("a row that blows the heap cap fails alone, with V8's report; the next row runs", async () => {
    const results = await runRows(
      "",
      [
        { body: "const kept = []; for (;;) kept.push(new Array(1e5).fill(kept.length));", timeMs: 20_000 },
        { body: "return 2;", timeMs: 20_000 },
      ],
      { heapMb: 32 },
    );
    expect(summary(results)).toEqual([
      { error: expect.stringMatching(/^the child running it ended \(status (\d+|null), signal \w+\) during this row/), timedOut: false },
      { value: 2 },
    ]);
    expect(results[0]!.stderr).toMatch(/heap/i);
  });

  it("a row that throws fails alone, with its stack; the rows around it in the same child", async () => {
    const results = await runRows("const pid = process.pid;", [
      { body: "return pid;", timeMs: 20_000 },
      { body: 'throw new RangeError("row 1");', timeMs: 20_000 },
      { body: "return pid;", timeMs: 20_000 },
    ]);
    expect(summary(results)).toEqual([
      { value: expect.any(Number) },
      { error: "RangeError: row 1", timedOut: false },
      { value: (results[0] as { value: number }).value },
    ]);
  });

  it("a row that leaves work pending (the child would not exit) fails every row of its child", async () => {
    const results = await runRows(
      "",
      [
        { body: "return 1;", timeMs: 20_000 },
        { body: "setInterval(() => {}, 1_000); return 2;", timeMs: 20_000 },
      ],
      { exitGraceMs: 500 },
    );
    const error = /^the child running these rows did not exit within 0\.5 s after its last row: a row left work pending \(still active: .*Timeout/;
    expect(summary(results)).toEqual([
      { error: expect.stringMatching(error), timedOut: true },
      { error: expect.stringMatching(error), timedOut: true },
    ]);
  });
});

describe("runCliRows", () => {
  it.each([["NODE_OPTIONS"], ["NODE_EXTRA_CA_CERTS"]])("refuses a row that sets %s (read by Node at start, not per row)", async (variable) => {
    await expect(runCliRows([{ cwd: os.tmpdir(), args: ["--version"], env: { [variable]: "x" }, timeMs: 20_000 }])).rejects.toThrow(
      `${variable} is read by Node at start: run this case in a process of its own, not as a row`,
    );
  });
});
