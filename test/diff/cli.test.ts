import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createChangesFor } from "../../contracts/diff/sources.js";
import { diffContracts, formatDiffMarkdown } from "../../contracts/diff/index.js";
import { emitDocs } from "../../contracts/generate/index.js";
import { loadContract } from "../../contracts/index.js";
import { expectInputError, runCli } from "../cli/run-cli.js";
import { CASES_DIR } from "./case-harness.js";

const pair = (name: string) => [path.join(CASES_DIR, name, "old.contract.yaml"), path.join(CASES_DIR, name, "new.contract.yaml")];
const CHANGE_KEYS = ["kind", "rule", "path", "message", "line", "witness"];

const readCase = (name: string, side: "old" | "new") => fs.readFileSync(path.join(CASES_DIR, name, `${side}.contract.yaml`), "utf8");

/** A temporary folder holding a case's old.contract.yaml and its new.contract.yaml at another version. */
function copyCaseWithNewVersion(name: string, from: string, to: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-diff-"));
  fs.writeFileSync(path.join(dir, "old.contract.yaml"), readCase(name, "old"));
  fs.writeFileSync(path.join(dir, "new.contract.yaml"), readCase(name, "new").replace(`version: ${from}`, `version: ${to}`));
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=covenant", "-c", "user.email=covenant@example.com", ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A new git repository (branch main) in a temporary folder. */
function createRepo(prefix: string): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  git(repo, "init", "-q", "-b", "main");
  return repo;
}

function json(stdout: string): { breaking: boolean; versionBump: string; changes: Record<string, unknown>[] } {
  return JSON.parse(stdout);
}

describe("covenant diff <old> <new>", () => {
  it("prints PRODUCT.md's JSON shape, and exits 1 for a breaking change under a minor bump", async () => {
    const result = await runCli(["diff", ...pair("s2c-field-type-changed"), "--format", "json"], CASES_DIR);
    expect(result.status).toBe(1);
    const doc = json(result.stdout);
    expect(Object.keys(doc)).toEqual(["breaking", "versionBump", "summary", "changes"]);
    expect((doc as unknown as { summary: unknown }).summary).toEqual({ breaking: 1, warning: 0, nonBreaking: 0, accepted: 0 });
    expect(doc).toMatchObject({ breaking: true, versionBump: "minor" });
    expect(doc.changes).toHaveLength(1);
    const [change] = doc.changes;
    expect(Object.keys(change!).every((k) => CHANGE_KEYS.includes(k))).toBe(true);
    expect(Object.keys(change!).slice(0, 4)).toEqual(["kind", "rule", "path", "message"]);
    expect(change).toMatchObject({ kind: "breaking", rule: "payload-field-type-changed", path: "events.message_posted.payload.properties.sent_at", line: 30 });
    expect(change!.message).toMatch(/sent_at.*integer.*string/);
    expect(result.stderr).toMatch(/breaking changes with only a minor bump/);
  });

  it("exits 0 for a breaking change under a major bump", async () => {
    const result = await runCli(["diff", ...pair("s2c-required-field-removed"), "--format", "json"], CASES_DIR);
    expect(result.status).toBe(0);
    expect(json(result.stdout)).toMatchObject({ breaking: true, versionBump: "major" });
  });

  it("exits 0 for non-breaking changes, and warns when the version was not bumped", async () => {
    const bumped = await runCli(["diff", ...pair("c2s-optional-field-added")], CASES_DIR);
    expect(bumped.status).toBe(0);
    expect(bumped.stdout).toMatch(/non-breaking.*payload-field-added-to-closed-object/);
    expect(bumped.stderr).toBe("");
    expect(bumped.stdout).not.toMatch(/⚠|\bwarning\b(?! ?s?,)/);
    expect(bumped.stdout).toMatch(/✔ 0 breaking changes, 0 warnings, 1 non-breaking change/);

    const dir = copyCaseWithNewVersion("c2s-optional-field-added", "1.1.0", "1.0.0");
    const stylish = await runCli(["diff", "old.contract.yaml", "new.contract.yaml"], dir);
    expect(stylish.status).toBe(0);
    // The version warning goes to stderr in every format (stdout carries the report).
    expect(stylish.stderr).toMatch(/⚠ non-breaking changes without a version bump/);
    expect(stylish.stdout).not.toMatch(/without a version bump/);
    const markdown = await runCli(["diff", "old.contract.yaml", "new.contract.yaml", "--format", "markdown"], dir);
    expect(markdown.status).toBe(0);
    expect(markdown.stderr).toMatch(/warning: .*non-breaking changes without a version bump/);
    expect(markdown.stdout).toMatch(/⚠️ non-breaking changes without a version bump/);
    const asJson = await runCli(["diff", "old.contract.yaml", "new.contract.yaml", "--format", "json"], dir);
    expect(asJson.status).toBe(0);
    expect(json(asJson.stdout)).toMatchObject({ breaking: false, versionBump: "none" });
    expect(asJson.stderr).toMatch(/warning: .*non-breaking changes without a version bump/);
  });

  it("notes a major bump without a breaking change, and reports nothing for a refactor", async () => {
    const major = await runCli(["diff", ...pair("version-major-no-change")], CASES_DIR);
    expect(major.status).toBe(0);
    expect(major.stderr).toMatch(/major version bump without any change to what the contract accepts \(1\.0\.0 -> 2\.0\.0\): a patch bump would do/);
    const dir = copyCaseWithNewVersion("c2s-optional-field-added", "1.1.0", "2.0.0");
    expect((await runCli(["diff", "old.contract.yaml", "new.contract.yaml"], dir)).stderr).toMatch(
      /major version bump without a breaking change \(1\.0\.0 -> 2\.0\.0\): a minor bump would do/,
    );
    const refactor = await runCli(["diff", ...pair("refactor-inline-to-ref"), "--format", "json"], CASES_DIR);
    expect(refactor.status).toBe(0);
    expect(json(refactor.stdout)).toEqual({
      breaking: false,
      versionBump: "none",
      summary: { breaking: 0, warning: 0, nonBreaking: 0, accepted: 0 },
      changes: [],
    });
  });

  it("reports a warning without failing, unless --fail-on warning (then exit 1 without a major bump)", async () => {
    const plain = await runCli(["diff", ...pair("c2s-optional-field-added-open"), "--format", "json"], CASES_DIR);
    expect(plain.status).toBe(0);
    const doc = JSON.parse(plain.stdout);
    expect(doc).toMatchObject({ breaking: false, summary: { breaking: 0, warning: 1, nonBreaking: 0, accepted: 0 } });
    expect(doc.changes[0]).toMatchObject({ kind: "warning", rule: "payload-field-added" });
    const stylish = await runCli(["diff", ...pair("c2s-optional-field-added-open")], CASES_DIR);
    expect(stylish.status).toBe(0);
    expect(stylish.stdout).toMatch(/warning\s+.*payload-field-added/);
    expect(stylish.stdout).toMatch(/⚠ 0 breaking changes, 1 warning, 0 non-breaking changes/);
    const failing = await runCli(["diff", ...pair("c2s-optional-field-added-open"), "--fail-on", "warning"], CASES_DIR);
    expect(failing.status).toBe(1);
    expect(failing.stderr).toMatch(/warnings with only a minor bump \(1\.0\.0 -> 1\.1\.0\) and --fail-on warning/);
    const major = copyCaseWithNewVersion("c2s-optional-field-added-open", "1.1.0", "2.0.0");
    expect((await runCli(["diff", "old.contract.yaml", "new.contract.yaml", "--fail-on", "warning"], major)).status).toBe(0);
    // --fail-on warning does not turn non-breaking changes into failures.
    expect((await runCli(["diff", ...pair("c2s-optional-field-added"), "--fail-on", "warning"], CASES_DIR)).status).toBe(0);
    expectInputError(await runCli(["diff", ...pair("c2s-optional-field-added-open"), "--fail-on", "info"], CASES_DIR), /Unknown --fail-on level "info"/);
  });

  it("prints changes in the order of their lines in the new contract", async () => {
    const result = await runCli(["diff", ...pair("lifecycle-state-renamed"), "--format", "json"], CASES_DIR);
    const lines = (JSON.parse(result.stdout).changes as { line?: number }[]).map((c) => c.line ?? Infinity);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it("prints witnesses in stylish and markdown, byte-identical from run to run", async () => {
    const first = await runCli(["diff", ...pair("lifecycle-mandatory-state"), "--format", "markdown"], CASES_DIR);
    const second = await runCli(["diff", ...pair("lifecycle-mandatory-state"), "--format", "markdown"], CASES_DIR);
    expect(first.stdout).toBe(second.stdout);
    expect(first.stdout).toMatch(/\| \*\*breaking\*\* \| `mandatory-state-inserted` \|/);
    expect(first.stdout).toMatch(/<summary>Witnesses<\/summary>/);
    const stylish = await runCli(["diff", ...pair("c2s-required-field-added")], CASES_DIR);
    expect(stylish.stdout).toMatch(/witness: \{"type":"send_message","data":\{"text":"a"\}\}: accepted by the old contract, rejected by the new/);
  });

  it("gives a change the line of the key that changed", async () => {
    const result = await runCli(["diff", ...pair("c2s-closed-object"), "--format", "json"], CASES_DIR);
    const lines = fs.readFileSync(pair("c2s-closed-object")[1]!, "utf8").split("\n");
    const change = json(result.stdout).changes[0]!;
    expect(change.path).toBe("events.send_message.payload.additionalProperties");
    expect(lines[(change.line as number) - 1]).toMatch(/^\s+additionalProperties: false$/);
  });

  it("exits 2 with file:line:column and no stack trace for an invalid contract", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-diff-"));
    const [oldFile] = pair("s2c-field-type-changed");
    fs.copyFileSync(oldFile!, path.join(dir, "old.contract.yaml"));
    fs.writeFileSync(
      path.join(dir, "bad.contract.yaml"),
      fs.readFileSync(oldFile!, "utf8").replace("ready: { on: { close: closed } }", "ready: { on: { close: nowhere } }"),
    );
    expectInputError(await runCli(["diff", "old.contract.yaml", "bad.contract.yaml"], dir), /^bad\.contract\.yaml:\d+:\d+ {2}error {2}.*nowhere/m);
    // The same invalid file on both sides: each error once.
    const twice = await runCli(["diff", "bad.contract.yaml", "bad.contract.yaml"], dir);
    expectInputError(twice, /nowhere/);
    expect(twice.stderr.match(/^bad\.contract\.yaml:\d+:\d+ {2}error {2}.*nowhere.*$/gm)).toHaveLength(1);
    expectInputError(
      await runCli(["diff", "missing.contract.yaml", "gone.contract.yaml"], dir),
      /missing\.contract\.yaml {2}error[\s\S]*gone\.contract\.yaml {2}error/,
    );
    expectInputError(await runCli(["diff", "old.contract.yaml"], dir), /Give two contracts/);
    expectInputError(await runCli(["diff", "old.contract.yaml", "old.contract.yaml", "--format", "xml"], dir), /Unknown format "xml"/);
  });
});

describe("covenant diff with git refs", () => {
  let repo: string;

  beforeAll(() => {
    repo = createRepo("covenant-diff-git-");
    fs.mkdirSync(path.join(repo, "contracts", "shared"), { recursive: true });
    fs.writeFileSync(path.join(repo, "contracts", "chat.contract.yaml"), readCase("s2c-field-type-changed", "old"));
    fs.writeFileSync(path.join(repo, "contracts", "agent.contract.yaml"), readCase("runs-narrowed", "old"));
    fs.writeFileSync(path.join(repo, "contracts", "legacy.contract.yaml"), readCase("event-added-s2c", "old").replace("name: chat", "name: legacy"));
    // A contract whose payload lives in another file: the file is read from the same commit.
    fs.writeFileSync(path.join(repo, "contracts", "shared", "ping.schema.yaml"), "type: object\nrequired: [nonce]\nproperties:\n  nonce: { type: integer }\n");
    fs.writeFileSync(
      path.join(repo, "contracts", "external.contract.yaml"),
      readCase("s2c-field-type-changed", "old")
        .replace("name: chat", "name: external")
        .replace(/  ping:\n[\s\S]*$/, '  ping:\n    direction: both\n    states: [open, ready]\n    payload: { $ref: "shared/ping.schema.yaml" }\n'),
    );
    fs.writeFileSync(path.join(repo, "covenant.config.json"), JSON.stringify({ contracts: ["contracts/*.contract.yaml"] }));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "v1");
    // The working tree moves on.
    fs.writeFileSync(path.join(repo, "contracts", "chat.contract.yaml"), readCase("s2c-field-type-changed", "new"));
    fs.writeFileSync(path.join(repo, "contracts", "agent.contract.yaml"), readCase("runs-narrowed", "new"));
    fs.rmSync(path.join(repo, "contracts", "legacy.contract.yaml"));
    fs.writeFileSync(path.join(repo, "contracts", "shared", "ping.schema.yaml"), "type: object\nrequired: [nonce]\nproperties:\n  nonce: { type: number }\n");
  });

  it("reads git-ref:path relative to the repository root", async () => {
    const result = await runCli(["diff", "main:contracts/chat.contract.yaml", "contracts/chat.contract.yaml", "--format", "json"], repo);
    expect(result.status).toBe(1);
    expect(json(result.stdout).changes.map((c) => c.rule)).toEqual(["payload-field-type-changed"]);
  });

  it("reads git-ref:path relative to the current directory, on both sides", async () => {
    const cwd = path.join(repo, "contracts");
    const result = await runCli(["diff", "HEAD:chat.contract.yaml", "chat.contract.yaml", "--format", "json"], cwd);
    expect(result.status).toBe(1);
    expect(json(result.stdout).changes.map((c) => c.rule)).toEqual(["payload-field-type-changed"]);
    const same = await runCli(["diff", "HEAD:chat.contract.yaml", "main:contracts/chat.contract.yaml", "--format", "json"], cwd);
    expect(same.status).toBe(0);
    expect(json(same.stdout).changes).toEqual([]);
  });

  it("reads $ref'd files from the same commit", async () => {
    const result = await runCli(["diff", "HEAD:contracts/external.contract.yaml", "contracts/external.contract.yaml", "--format", "json"], repo);
    const changes = json(result.stdout).changes;
    expect(changes.map((c) => [c.rule, c.kind, c.path])).toEqual([["payload-field-type-widened", "breaking", "events.ping.payload.properties.nonce"]]);
  });

  it("--base compares every contract of the config, including removed ones", async () => {
    const result = await runCli(["diff", "--base", "main", "--format", "json"], repo);
    expect(result.status).toBe(1);
    const doc = JSON.parse(result.stdout) as {
      breaking: boolean;
      contracts: { file: string; base: string; breaking: boolean; versionBump: string; changes: { rule: string }[] }[];
    };
    expect(doc.breaking).toBe(true);
    expect(doc.contracts.map((c) => [c.file, c.base, c.changes.map((x) => x.rule)])).toEqual([
      ["contracts/agent.contract.yaml", "main:contracts/agent.contract.yaml", ["run-pattern-narrowed"]],
      ["contracts/chat.contract.yaml", "main:contracts/chat.contract.yaml", ["payload-field-type-changed"]],
      ["contracts/external.contract.yaml", "main:contracts/external.contract.yaml", ["payload-field-type-widened"]],
      ["contracts/legacy.contract.yaml", "main:contracts/legacy.contract.yaml", ["contract-removed"]],
    ]);
    const one = await runCli(["diff", "--base", "main", "contracts/agent.contract.yaml"], repo);
    expect(one.status).toBe(0); // 2.1.0 -> 3.0.0: a major bump
    expect(one.stdout).toMatch(/run-pattern-narrowed/);
  });

  it('feeds generate\'s docs a "Changes since <version>" section', async () => {
    const changesFor = createChangesFor("main", repo);
    const contract = loadContract(path.join(repo, "contracts", "chat.contract.yaml"));
    const changes = await changesFor(contract);
    expect(changes?.base).toBe("1.0.0");
    const docs = emitDocs(contract, { source: "chat.contract.yaml", changes: changes! });
    expect(docs).toMatch(/## Changes since 1\.0\.0\n/);
    expect(docs).toMatch(/\| breaking \| `events\.message_posted\.payload\.properties\.sent_at` \|/);
    expect(formatDiffMarkdown({ ...diffContracts(loadContract(path.join(CASES_DIR, "s2c-field-type-changed", "old.contract.yaml")), contract) })).toMatch(
      /^## Changes since 1\.0\.0\n/,
    );
  });

  it("covenant generate --base <ref> writes the section into the generated docs", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-generate-base-"));
    const result = await runCli(["generate", "--base", "main", "--out-dir", out, "contracts/chat.contract.yaml"], repo);
    expect(result.status).toBe(0);
    const docs = fs.readFileSync(path.join(out, "chat.md"), "utf8");
    expect(docs).toMatch(/## Changes since 1\.0\.0\n/);
    expect(docs).toMatch(/\| breaking \| `events\.message_posted\.payload\.properties\.sent_at` \|/);
  });

  it("exits 2 for an unknown ref, a path missing at the ref, and an invalid contract at the ref", async () => {
    expectInputError(await runCli(["diff", "nosuchref:contracts/chat.contract.yaml", "contracts/chat.contract.yaml"], repo), /Unknown git ref "nosuchref"/);
    expectInputError(
      await runCli(["diff", "main:contracts/none.contract.yaml", "contracts/chat.contract.yaml"], repo),
      /No file "contracts\/none\.contract\.yaml" at main/,
    );
    fs.writeFileSync(path.join(repo, "broken.contract.yaml"), "covenant: 1\nname: broken\nversion: 1.0.0\nlifecycle:\n  initial: nowhere\n  states: {}\n");
    git(repo, "add", "broken.contract.yaml");
    git(repo, "commit", "-q", "-m", "broken");
    expectInputError(
      await runCli(["diff", "HEAD:broken.contract.yaml", "contracts/chat.contract.yaml"], repo),
      /^HEAD:broken\.contract\.yaml:\d+:\d+ {2}error/m,
    );
  });
});

describe("covenant diff --base with contracts on one side only", () => {
  let repo: string;

  beforeAll(() => {
    repo = createRepo("covenant-diff-one-side-");
    fs.mkdirSync(path.join(repo, "contracts"), { recursive: true });
    fs.writeFileSync(path.join(repo, "contracts", "kept.contract.yaml"), readCase("refactor-descriptions", "old"));
    fs.writeFileSync(path.join(repo, "contracts", "legacy.contract.yaml"), readCase("event-added-s2c", "old").replace("name: chat", "name: legacy"));
    // Invalid at the base (its initial state does not exist), and deleted since.
    fs.writeFileSync(
      path.join(repo, "contracts", "broken.contract.yaml"),
      "covenant: 1\nname: broken\nversion: 0.4.0\nlifecycle:\n  initial: nowhere\n  states: {}\n",
    );
    fs.writeFileSync(path.join(repo, "covenant.config.json"), JSON.stringify({ contracts: ["contracts/*.contract.yaml"] }));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "v1");
    fs.rmSync(path.join(repo, "contracts", "legacy.contract.yaml"));
    fs.rmSync(path.join(repo, "contracts", "broken.contract.yaml"));
    fs.writeFileSync(
      path.join(repo, "contracts", "fresh.contract.yaml"),
      readCase("event-added-s2c", "old").replace("name: chat", "name: fresh").replace("version: 1.0.0", "version: 2.3.0"),
    );
  });

  it("reports a new contract without a version warning, and removed ones (even one invalid at the base) as breaking, with no bump to suggest", async () => {
    const result = await runCli(["diff", "--base", "main", "--format", "json"], repo);
    expect(result.status).toBe(1);
    const doc = JSON.parse(result.stdout) as {
      contracts: {
        file: string;
        oldVersion: string | null;
        newVersion: string | null;
        breaking: boolean;
        changes: { rule: string; kind: string; message: string }[];
      }[];
    };
    expect(doc.contracts.map((c) => [c.file, c.oldVersion, c.newVersion, c.breaking, c.changes.map((x) => `${x.kind} ${x.rule}`)])).toEqual([
      ["contracts/fresh.contract.yaml", null, "2.3.0", false, ["non-breaking contract-added"]],
      ["contracts/kept.contract.yaml", "1.0.0", "1.0.0", false, []],
      ["contracts/broken.contract.yaml", "0.4.0", null, true, ["breaking contract-removed"]],
      ["contracts/legacy.contract.yaml", "1.0.0", null, true, ["breaking contract-removed"]],
    ]);
    expect(doc.contracts[2]!.changes[0]!.message).toMatch(/did not load at main/);
    expect(result.stderr).not.toMatch(/fresh|\(none\)|bump the major/);
    expect(result.stderr).toMatch(
      /error: contracts\/legacy\.contract\.yaml: the contract was removed \(its last version was 1\.0\.0\): that breaks every peer/,
    );

    const stylish = await runCli(["diff", "--base", "main"], repo);
    expect(stylish.status).toBe(1);
    expect(stylish.stdout).toMatch(/fresh\.contract\.yaml {2}new contract, version 2\.3\.0/);
    expect(stylish.stdout).toMatch(/legacy\.contract\.yaml {2}removed, was version 1\.0\.0/);
    expect(`${stylish.stdout}${stylish.stderr}`).not.toMatch(/\(none\)|bump the major|without a version bump/);

    const added = await runCli(["diff", "--base", "main", "contracts/fresh.contract.yaml"], repo);
    expect(added.status).toBe(0);
    expect(added.stderr).toBe("");
  });
});

describe("covenant diff --base with no contract to read: one located error, exit 2", () => {
  let repo: string;
  beforeAll(() => {
    repo = createRepo("covenant-diff-none-");
    fs.writeFileSync(path.join(repo, "covenant.config.json"), JSON.stringify({ contracts: [] }));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "v1");
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it.each([
    { name: "a config that lists no contracts", args: [], error: /^covenant\.config\.json {2}error {2}No contracts to compare\. List globs under `contracts`/ },
    {
      name: "a path on the command line that names nothing",
      args: ["contracts/missing.contract.yaml"],
      error: /^contracts\/missing\.contract\.yaml {2}error {2}No such contract file\. Check the path\.$/m,
    },
  ])("$name", async ({ args, error }) => {
    expectInputError(await runCli(["diff", "--base", "HEAD", ...args], repo), error);
  });
});
