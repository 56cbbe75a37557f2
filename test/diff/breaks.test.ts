/** covenant.breaks.json: accepted breaking changes, until they expire; unused and malformed entries. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyAcceptedBreaks, type AcceptedBreak } from "../../contracts/diff/breaks.js";
import { diffContracts } from "../../contracts/diff/index.js";
import { loadContract } from "../../contracts/index.js";
import { expectInputError, runCli } from "../cli/run-cli.js";
import { CASES_DIR } from "./case-harness.js";

const CASE = "event-added-s2c"; // chat 1.0.0 -> 1.1.0: event-added at events.user_joined, breaking.

/** A folder with the case's two contracts and, when given, a covenant.breaks.json. */
function workspace(ledger?: unknown, raw?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-breaks-"));
  for (const side of ["old", "new"]) fs.copyFileSync(path.join(CASES_DIR, CASE, `${side}.contract.yaml`), path.join(dir, `${side}.contract.yaml`));
  if (raw !== undefined) fs.writeFileSync(path.join(dir, "covenant.breaks.json"), raw);
  else if (ledger !== undefined) fs.writeFileSync(path.join(dir, "covenant.breaks.json"), `${JSON.stringify(ledger, null, 2)}\n`);
  return dir;
}

const entry = (over: Partial<AcceptedBreak> = {}): AcceptedBreak => ({
  rule: "event-added",
  path: "events.user_joined",
  reason: "every client ignores unknown events since 3.2",
  owner: "@chat-team",
  expires: "2027-06-30",
  ...over,
});
const diff = (dir: string, ...extra: string[]) => runCli(["diff", "old.contract.yaml", "new.contract.yaml", "--today", "2027-01-15", ...extra], dir);

describe("applyAcceptedBreaks", () => {
  const result = diffContracts(loadContract(path.join(CASES_DIR, CASE, "old.contract.yaml")), loadContract(path.join(CASES_DIR, CASE, "new.contract.yaml")));
  const cases: [string, AcceptedBreak[], string, { breaking: boolean; accepted: boolean; unused: number[]; expired: number[]; expiredUnused: number[] }][] = [
    ["accepts a matching entry", [entry()], "2027-01-15", { breaking: false, accepted: true, unused: [], expired: [], expiredUnused: [] }],
    ["accepts it on its expiry day", [entry()], "2027-06-30", { breaking: false, accepted: true, unused: [], expired: [], expiredUnused: [] }],
    ["reports it breaking again the day after", [entry()], "2027-07-01", { breaking: true, accepted: false, unused: [], expired: [0], expiredUnused: [] }],
    [
      "needs the same path",
      [entry({ path: "events.user_left" })],
      "2027-01-15",
      { breaking: true, accepted: false, unused: [0], expired: [], expiredUnused: [] },
    ],
    ["needs the same rule", [entry({ rule: "event-removed" })], "2027-01-15", { breaking: true, accepted: false, unused: [0], expired: [], expiredUnused: [] }],
    [
      "needs the same contract when one is named",
      [entry({ contract: "other" })],
      "2027-01-15",
      { breaking: true, accepted: false, unused: [0], expired: [], expiredUnused: [] },
    ],
    [
      "matches the named contract",
      [entry({ contract: "chat" })],
      "2027-01-15",
      { breaking: false, accepted: true, unused: [], expired: [], expiredUnused: [] },
    ],
    [
      "reports an expired entry that matches nothing",
      [entry(), entry({ path: "events.gone", expires: "2026-01-01" })],
      "2027-01-15",
      { breaking: false, accepted: true, unused: [], expired: [], expiredUnused: [1] },
    ],
  ];
  it.each(cases)("%s", (_, entries, today, expected) => {
    const { results, outcome } = applyAcceptedBreaks([{ contract: "chat", result }], entries, today);
    const change = results[0]!.changes.find((c) => c.rule === "event-added")!;
    expect({ breaking: results[0]!.breaking, accepted: change.accepted !== undefined, ...outcome }).toEqual(expected);
    // The input is left alone.
    expect(result.changes.every((c) => c.accepted === undefined)).toBe(true);
  });

  it("never marks a non-breaking change accepted", () => {
    const nonBreaking = diffContracts(
      loadContract(path.join(CASES_DIR, "c2s-optional-field-added", "old.contract.yaml")),
      loadContract(path.join(CASES_DIR, "c2s-optional-field-added", "new.contract.yaml")),
    );
    const rule = nonBreaking.changes[0]!;
    const { results, outcome } = applyAcceptedBreaks([{ contract: "chat", result: nonBreaking }], [entry({ rule: rule.rule, path: rule.path })], "2027-01-15");
    expect(results[0]!.changes[0]!.accepted).toBeUndefined();
    expect(outcome.unused).toEqual([0]);
  });
});

describe("covenant diff with covenant.breaks.json", () => {
  it("without a ledger: breaking, exit 1", async () => {
    expect((await diff(workspace())).status).toBe(1);
  });

  it("reports an accepted break as accepted and exits 0 until it expires", async () => {
    const dir = workspace({ breaks: [entry()] });
    const result = await diff(dir, "--format", "json");
    expect(result.status).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.breaking).toBe(false);
    expect(doc.summary).toEqual({ breaking: 0, warning: 0, nonBreaking: 0, accepted: 1 });
    expect(doc.changes[0]).toMatchObject({ kind: "breaking", rule: "event-added", accepted: { owner: "@chat-team", expires: "2027-06-30" } });
    expect(result.stderr).toBe("");
    const stylish = await diff(dir);
    expect(stylish.stdout).toMatch(/accepted\s+.*event-added/);
    expect(stylish.stdout).toMatch(/accepted until 2027-06-30 by @chat-team: every client ignores unknown events/);
    // Found in a parent folder too.
    const sub = path.join(dir, "sub");
    fs.mkdirSync(sub);
    expect((await runCli(["diff", "../old.contract.yaml", "../new.contract.yaml", "--today", "2027-01-15"], sub)).status).toBe(0);
  });

  it("reports an expired entry at its line and the change as breaking again (exit 1)", async () => {
    const result = await diff(workspace({ breaks: [entry({ expires: "2026-12-31" })] }));
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/breaking\s+.*event-added/);
    expect(result.stderr).toMatch(/^covenant\.breaks\.json:3:5 {2}error {2}The accepted break of event-added at events\.user_joined expired on 2026-12-31/m);
  });

  it("reports an entry that matches nothing, like an unused suppression", async () => {
    const result = await diff(workspace({ breaks: [entry(), entry({ path: "events.user_left" })] }));
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^covenant\.breaks\.json:10:5 {2}warning {2}The accepted break of event-added at events\.user_left matches no change/m);
  });

  it("takes --breaks <file>", async () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, "accepted.json"), JSON.stringify({ breaks: [entry()] }));
    expect((await diff(dir, "--breaks", "accepted.json")).status).toBe(0);
    expectInputError(await diff(dir, "--breaks", "missing.json"), /missing\.json {2}error {2}Cannot read the accepted-breaks file/);
  });

  const malformed: [string, unknown, RegExp][] = [
    [
      "a missing owner",
      { breaks: [{ ...entry(), owner: undefined }] },
      /covenant\.breaks\.json:3:5 {2}error {2}"breaks\[0\]\.owner" must be a string \(it is missing\)/,
    ],
    [
      "an unknown rule",
      { breaks: [entry({ rule: "event-added-s2c" })] },
      /covenant\.breaks\.json:4:\d+ {2}error {2}"breaks\[0\]\.rule" is not a covenant diff rule id/,
    ],
    [
      "a date that is not one",
      { breaks: [entry({ expires: "2027-02-30" })] },
      /covenant\.breaks\.json:8:\d+ {2}error {2}"breaks\[0\]\.expires" must be a date written YYYY-MM-DD/,
    ],
    ["an unknown key", { breaks: [{ ...entry(), until: "2027-01-01" }] }, /covenant\.breaks\.json:9:\d+ {2}error {2}Unknown key "until"/],
    ["an empty reason", { breaks: [entry({ reason: "" })] }, /"breaks\[0\]\.reason" must not be empty/],
    ["no breaks list", {}, /covenant\.breaks\.json:1:1 {2}error {2}"breaks" must be an array \(it is missing\)/],
  ];
  it.each(malformed)("exits 2 with a located error for %s", async (_, ledger, message) => {
    expectInputError(await diff(workspace(ledger)), message);
  });

  it("exits 2 with a located error for invalid JSON, and for a bad --today", async () => {
    expectInputError(await diff(workspace(undefined, '{ "breaks": [ }')), /covenant\.breaks\.json:1:\d+ {2}error {2}Invalid JSON/);
    expectInputError(await diff(workspace(), "--today", "tomorrow"), /--today "tomorrow" is not a date/);
  });
});
