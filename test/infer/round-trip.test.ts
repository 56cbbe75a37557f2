// The round trip of `covenant infer`: for every payload type it converts, the type `covenant
// generate` writes from the draft and the original type are assignable to each other (one
// program for all cases); and `covenant check` with the draft and the inferred bindings finds no
// contract-event problem in the code the draft was drawn from.
import fs from "node:fs";
import path from "node:path";
import { TempProject } from "../engine/temp-project.js";
import { runCli } from "../cli/run-cli.js";
import { checkRoundTrips, type Drafted, draftFixture, FIXTURES, isLossless, type RoundTripCase } from "./harness.js";

const GRAPHQL_WS = path.resolve(import.meta.dirname, "../../node_modules/graphql-ws/dist");

/** The fixtures and the type each draws its protocol from (`--type`, when the name heuristic should not decide). */
const TYPE_FIXTURES: { fixture: string; typeNames?: string[]; lossy: string[] }[] = [
  { fixture: "chat", lossy: [] },
  // `[]` becomes `never[]`, which TypeScript does not take for `[]`.
  { fixture: "shapes", lossy: ["tuples"] },
  { fixture: "generic-defaults", lossy: [] },
  { fixture: "flat", lossy: [] },
  // Functions, bigint, Set, a class's methods, number keys: left out or widened, so no round trip.
  { fixture: "unconvertible", lossy: ["callback", "indexed", "session", "big", "chain"] },
];

function graphqlWsDeclarations(): string {
  const file = fs.readdirSync(GRAPHQL_WS).find((f) => /^common-.*\.d\.ts$/.test(f));
  if (!file) throw new Error(`no common-*.d.ts in ${GRAPHQL_WS}: is graphql-ws 6 installed?`);
  return path.join(GRAPHQL_WS, file);
}

describe("covenant infer: round trip through covenant generate's types", () => {
  it("every converted payload type and its generated type are assignable both ways", async () => {
    const cases: RoundTripCase[] = [];
    const skipped: string[] = [];
    const drafts: { fixture: string; draft: Drafted; lossy: string[] }[] = TYPE_FIXTURES.map(({ fixture, typeNames, lossy }) => ({
      fixture,
      draft: draftFixture(fixture, typeNames ? { typeNames } : {}),
      lossy,
    }));
    const graphqlWs = draftFixture("chat", { paths: [graphqlWsDeclarations()], typeNames: ["Message"] }, "graphql-ws");
    // The chunk file exports `Message` under a mangled name: import it from the package, as users do.
    for (const event of graphqlWs.result.protocol.events) if (event.origin) event.origin = { ...event.origin, file: "graphql-ws" };
    drafts.push({ fixture: "graphql-ws", draft: graphqlWs, lossy: [] });
    for (const { fixture, draft, lossy } of drafts) {
      for (const event of draft.result.protocol.events) {
        if (!event.origin) continue;
        if (!isLossless(event, draft.result.protocol)) {
          skipped.push(`${fixture}.${event.name}`);
          continue;
        }
        cases.push({ label: `${fixture}.${event.name}`, draft, event });
      }
      // The lossy ones are exactly those the fixture says (no more are excluded silently).
      const lossyHere = skipped.filter((s) => s.startsWith(`${fixture}.`)).map((s) => s.slice(fixture.length + 1));
      if (fixture !== "graphql-ws") expect(lossyHere.sort(), fixture).toEqual([...lossy].sort());
    }
    expect(cases.length).toBeGreaterThanOrEqual(35);
    const { pairs, control } = await checkRoundTrips(cases, { label: "control", original: "{ a: string }", generated: "{ a: number }" });
    expect(control.toGenerated.length, "the wrong control pair must fail, or the harness checks nothing").toBeGreaterThan(0);
    expect(pairs.filter((p) => p.toGenerated.length > 0 || p.toOriginal.length > 0)).toEqual([]);
    expect(pairs.map((p) => p.label)).toEqual(cases.map((c) => c.label));
  });
});

describe("covenant infer: covenant check on examples/agent-server with its own draft", () => {
  let out: TempProject | undefined;
  afterEach(() => out?.remove());

  it("infer → check reports no contract-event finding (zod-inferred unions, a generic emit, raw sends)", async () => {
    out = new TempProject();
    const example = path.resolve(import.meta.dirname, "../golden/infer/agent-server-zod"); // the example with hand-written zod and raw sends
    const config = out.path("covenant.config.json");
    const inferred = await runCli(["infer", "-p", example, "--out", out.path("agent.contract.yaml"), "--config-out", config], out.dir);
    expect(inferred.status, inferred.stderr).toBe(0);
    const checked = await runCli(["check", "-p", example, "-c", config, "--format", "json", "--rule", "contract-event"], out.dir);
    expect(checked.stderr).toBe("");
    expect(JSON.parse(checked.stdout).findings).toEqual([]);
    expect(checked.status).toBe(0);
  });
});

describe("covenant infer: covenant check on the code the draft was drawn from", () => {
  let project: TempProject | undefined;
  afterEach(() => project?.remove());

  function copyFixture(name: string): TempProject {
    project = new TempProject();
    fs.cpSync(path.join(FIXTURES, name), project.dir, { recursive: true });
    return project;
  }

  const CASES: { fixture: string; events: number; emits: number }[] = [
    { fixture: "chat", events: 7, emits: 1 },
    { fixture: "emitter", events: 2, emits: 1 },
  ];

  it.each(CASES)("$fixture: infer → check reports no contract-event finding", async ({ fixture, events, emits }) => {
    const dir = copyFixture(fixture).dir;
    const inferred = await runCli(["infer", "--out", "draft.contract.yaml", "--config-out", "covenant.config.json"], dir);
    expect(inferred.status, inferred.stderr).toBe(0);
    const config = JSON.parse(project!.read("covenant.config.json")) as { bindings: Record<string, { emits: unknown[] }> };
    expect(config.bindings.draft!.emits).toHaveLength(emits);
    expect(inferred.stdout).toContain(`${events} event`);
    const checked = await runCli(["check", "--format", "json", "--rule", "contract-event"], dir);
    expect(checked.stderr).toBe("");
    expect(JSON.parse(checked.stdout).findings).toEqual([]);
    expect(checked.status).toBe(0);
    // The same check does see a payload that breaks the draft: a string property made a number.
    const draft = project!.read("draft.contract.yaml");
    const broken = draft.replace(/(\n {8}[a-z_]+:\n {10}type: )string\n/, "$1number\n");
    expect(broken).not.toBe(draft);
    project!.write({ "draft.contract.yaml": broken });
    const rechecked = await runCli(["check", "--format", "json", "--rule", "contract-event"], dir);
    expect(rechecked.stderr).toBe("");
    const findings = JSON.parse(rechecked.stdout).findings as { ruleId: string; messageId: string }[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.ruleId === "contract-event")).toBe(true);
  });
});
