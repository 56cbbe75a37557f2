// `covenant infer` end to end: the CLI's main on real fixture projects in temporary folders.
import fs from "node:fs";
import path from "node:path";
import { TempProject } from "../engine/temp-project.js";
import { expectInputError, runCli } from "../cli/run-cli.js";
import { FIXTURES } from "./harness.js";

let project: TempProject | undefined;
afterEach(() => project?.remove());

function copyFixture(name: string): TempProject {
  project = new TempProject();
  fs.cpSync(path.join(FIXTURES, name), project.dir, { recursive: true });
  return project;
}

/** The 1-based lines of a fixture file that carry `// expect: infer-warning`. */
function markedLines(file: string): number[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line, index) => (/\/\/ expect: infer-warning\s*$/.test(line) ? [index + 1] : []));
}

describe("covenant infer (CLI)", () => {
  it("writes a draft the contract loader takes, and says what it wrote", async () => {
    const dir = copyFixture("chat").dir;
    const result = await runCli(["infer", "--out", "contracts/chat.contract.yaml"], dir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^covenant infer: wrote contracts\/chat\.contract\.yaml: 7 events \(4 server-to-client, 3 client-to-server, 0 to decide\), 3 shared schemas, 0 warnings\.\n/,
    );
    expect(result.stdout).toContain('"receiverType": "Socket"');
    const generated = await runCli(["generate", "contracts/chat.contract.yaml", "--out-dir", "generated"], dir);
    expect(generated.stderr).toBe("");
    expect(generated.status).toBe(0);
    expect(fs.existsSync(path.join(dir, "generated/chat.types.ts"))).toBe(true);
  });

  it("writes the same bytes for the same project, wherever it runs from", async () => {
    const dir = copyFixture("shapes").dir;
    expect((await runCli(["infer", "--out", "a/shapes.contract.yaml"], dir)).status).toBe(0);
    expect((await runCli(["infer", "-p", "..", "--out", "shapes.contract.yaml"], path.join(dir, "a"))).status).toBe(2); // exists: never overwritten
    fs.mkdirSync(path.join(dir, "b"));
    expect((await runCli(["infer", "-p", "..", "--out", "../b/shapes.contract.yaml"], path.join(dir, "src"))).status).toBe(0);
    expect(project!.read("b/shapes.contract.yaml")).toBe(project!.read("a/shapes.contract.yaml"));
  });

  it("keeps the draft loadable when the code's names would collide in generated code", async () => {
    const dir = copyFixture("collisions").dir;
    const result = await runCli(["infer", "--out", "collisions.contract.yaml"], dir);
    expect(result.status, result.stderr).toBe(0);
    const lines = [
      ...new Set(
        result.stderr
          .trimEnd()
          .split("\n")
          .map((line) => Number(/^src\/messages\.ts:(\d+):\d+ {2}warning {2}/.exec(line)?.[1])),
      ),
    ];
    expect(lines).toEqual(markedLines(path.join(dir, "src/messages.ts")));
    const draft = project!.read("collisions.contract.yaml");
    expect(draft).toContain('$ref: "#/$defs/JoinedPayloadDef"');
    expect(draft).toContain('$ref: "#/$defs/CollisionsMessageDef"');
    const generated = await runCli(["generate", "collisions.contract.yaml", "--out-dir", "generated"], dir);
    expect(generated.stderr).toBe("");
    expect(generated.status).toBe(0);
  });

  it("warns at each place it could not convert, and comments the same place in the draft", async () => {
    const dir = copyFixture("unconvertible").dir;
    const result = await runCli(["infer", "--out", "draft.contract.yaml"], dir);
    expect(result.status, result.stderr).toBe(0);
    const warnings = result.stderr.trimEnd().split("\n");
    const located = warnings.map((line) => /^src\/messages\.ts:(\d+):(\d+) {2}warning {2}(.+)$/.exec(line));
    expect(located.every(Boolean), result.stderr).toBe(true);
    const lines = [...new Set(located.map((m) => Number(m![1])))].sort((a, b) => a - b);
    expect(lines).toEqual(markedLines(path.join(dir, "src/messages.ts")));
    const draft = project!.read("draft.contract.yaml");
    for (const match of located) expect(draft).toContain(`# TODO: ${match![3]} (src/messages.ts:${match![1]}:${match![2]})`);
    for (const what of [
      "`any`",
      "`unknown`",
      "a function",
      "the unresolved generic `T`",
      "index signature",
      "class `Session` has methods",
      "refers to itself without a name",
      "`bigint`",
    ]) {
      expect(result.stderr).toContain(what);
    }
  });

  it("--force overwrites; --config-out writes the bindings beside the draft", async () => {
    const dir = copyFixture("emitter").dir;
    project!.write({ "draft.contract.yaml": "old\n" });
    const result = await runCli(["infer", "--out", "draft.contract.yaml", "--force", "--config-out", "covenant.config.json"], dir);
    expect(result.status, result.stderr).toBe(0);
    expect(project!.read("draft.contract.yaml")).toMatch(/^# Drafted by `covenant infer`/);
    expect(JSON.parse(project!.read("covenant.config.json"))).toEqual({
      contracts: ["draft.contract.yaml"],
      bindings: { draft: { emits: [{ call: "emit", receiverType: "ServerEmitter", eventArg: 0, payloadArg: 1 }] } },
    });
    expect(project!.read("draft.contract.yaml")).toContain("direction: server-to-client # from `emitter.emit` at src/run.ts:4");
  });

  it("takes the emission sites from the config's `emits` bindings when it has them", async () => {
    const dir = copyFixture("emitter").dir;
    const binding = { call: "push", receiverType: "Outbox", eventArg: 0, payloadArg: 1 };
    project!.write({ "covenant.config.json": JSON.stringify({ bindings: { agents: { emits: [binding] } } }) });
    const result = await runCli(["infer", "--out", "draft.contract.yaml", "--config-out", "inferred.json"], dir);
    expect(result.status, result.stderr).toBe(0);
    const draft = project!.read("draft.contract.yaml");
    expect(draft).toMatch(/\n {2}agent_heartbeat:\n/);
    expect(draft).not.toMatch(/\n {2}agent_started:\n/); // `emit` is no binding of this config
    expect(JSON.parse(project!.read("inferred.json")).bindings).toEqual({ draft: { emits: [binding] } });
  });

  it("--type, --discriminator and --payload-field point it at a union", async () => {
    const dir = copyFixture("none").dir;
    const result = await runCli(["infer", "--type", "Shape", "--discriminator", "kind", "--payload-field", "data", "--out", "shapes.contract.yaml"], dir);
    expect(result.status, result.stderr).toBe(0);
    const draft = project!.read("shapes.contract.yaml");
    expect(draft).toContain("  discriminator: kind\n  payloadField: data\n");
    // Its members send their fields flat: they become the payload, with a TODO saying so.
    expect(draft).toMatch(/\n {2}# TODO: the code sends these fields beside `kind`, not under `data`: .+\n {2}circle:\n(.+\n)+? {6}required: \[r\]\n/);
    expect(draft).toMatch(/\n {2}square:\n/);
  });

  const BAD_INPUT: { name: string; fixture: string; args: string[]; files?: Record<string, string>; error: RegExp }[] = [
    {
      name: "a tsconfig that does not load",
      fixture: "chat",
      args: ["--out", "x.contract.yaml"],
      files: { "tsconfig.json": '{ "compilerOptions": { "strict": true,, } }' },
      error: /^tsconfig\.json:1:\d+ {2}error {2}.+ Fix the tsconfig, or pass another with -p\/--project\.\n$/,
    },
    {
      name: "a tsconfig that does not exist",
      fixture: "chat",
      args: ["-p", "missing.json", "--out", "x.contract.yaml"],
      error: /^missing\.json {2}error {2}No such tsconfig\./,
    },
    {
      name: "no message union or emission site",
      fixture: "none",
      args: ["--out", "x.contract.yaml"],
      error:
        /^tsconfig\.json {2}error {2}No message union or emission site found in src\/math\.ts: .+ Point it at your union with --type <name>, and at its discriminator with --discriminator <field>\.\n$/,
    },
    {
      name: "a --type nobody declares",
      fixture: "chat",
      args: ["--type", "Nope", "--out", "x.contract.yaml"],
      error: /^tsconfig\.json {2}error {2}None of `Nope` is a message union in 4 files: .+--discriminator <field>\.\n$/,
    },
    {
      name: "an output that exists",
      fixture: "chat",
      args: ["--out", "tsconfig.json"],
      error: /^tsconfig\.json {2}error {2}The file exists\. Pass --force to overwrite it, or another --out\.\n$/,
    },
    {
      name: "an output that is a folder",
      fixture: "chat",
      args: ["--out", "src", "--force"],
      error: /^src {2}error {2}Cannot write the draft contract: it is a folder\. Pass --out the path of a file, not a folder\.\n$/,
    },
    {
      name: "a --config-out that exists",
      fixture: "chat",
      args: ["--out", "x.contract.yaml", "--config-out", "tsconfig.json"],
      error: /^tsconfig\.json {2}error {2}The file exists\. Pass --force to overwrite it, or another --config-out\.\n$/,
    },
    {
      name: "a --name that is not kebab-case",
      fixture: "chat",
      args: ["--name", "Chat_Room", "--out", "x.contract.yaml"],
      error: /^x\.contract\.yaml {2}error {2}--name "Chat_Room" is not kebab-case\./,
    },
    {
      name: "a path that does not exist",
      fixture: "chat",
      args: ["nowhere", "--out", "x.contract.yaml"],
      error: /^nowhere {2}error {2}No such file or folder\./,
    },
    {
      name: "no --out",
      fixture: "chat",
      args: [],
      error: /^covenant infer {2}error {2}Required option '-o, --out <file>' not specified\. See covenant infer --help\.\n$/,
    },
  ];

  it.each(BAD_INPUT)("$name: one located line, exit 2, nothing written", async ({ fixture, args, files, error }) => {
    const dir = copyFixture(fixture).dir;
    if (files) project!.write(files);
    const result = await runCli(["infer", ...args], dir);
    expectInputError(result, error);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, "x.contract.yaml"))).toBe(false);
  });
});
