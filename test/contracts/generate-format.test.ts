/**
 * The generated TypeScript is formatted run by run (contracts/generate/format.ts): the inlined
 * runtime cut at its top-level statements, the parts left as written taken as formatted, the rest
 * formatted in one prettier call and remembered. These tests hold that to prettier's whole-file
 * output, byte for byte, and the cuts and the parts taken as formatted to what they claim.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "prettier";
import ts from "typescript";
import { formatTypeScriptPieces, PRETTIER_OPTIONS, type Piece } from "../../contracts/generate/format.js";
import { lifecycleSource } from "../../contracts/generate/lifecycle.js";
import { apiNames } from "../../contracts/generate/names.js";
import { inlineRuntime, inlineRuntimePieces, RUNTIME_FILES, runtimeRegions, STAND_IN_API, type RuntimeFile } from "../../contracts/generate/runtime-source.js";
import { validatorsSource } from "../../contracts/generate/validators.js";
import { loadContract } from "../../contracts/index.js";
import type { Contract } from "../../contracts/model.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Prettier over the whole file, as the generator formatted it before it went run by run. */
function formatWhole(pieces: readonly (string | Piece)[]): Promise<string> {
  return format(pieces.map((p) => (typeof p === "string" ? p : p.text)).join("\n"), { ...PRETTIER_OPTIONS, filepath: "generated.ts" });
}

const SLOTS = { initialState: '"a"', runKey: "run_id", payloadField: '"data"', invalidClose: "1008 policy_violation", wrongDirectionClose: "4400 bad" };
const VARIANTS = [{}, { openEvents: true }, { envelopeFields: true }, { openEvents: true, envelopeFields: true }];
const REGIONS = RUNTIME_FILES.flatMap((file) => [...runtimeRegions(file).keys()].map((region) => ({ file, region })));
const REGION_ROWS = REGIONS.map(({ file, region }) => [file, region] as [RuntimeFile, string]);

describe("the inlined runtime, cut into runs", () => {
  it.each(REGION_ROWS)("%s.ts, region %s: cut only where a top-level statement (and its comments) starts", (file, region) => {
    for (const variant of VARIANTS) {
      const pieces = inlineRuntimePieces(file, region, STAND_IN_API, SLOTS, variant);
      const text = inlineRuntime(file, region, STAND_IN_API, SLOTS, variant);
      expect(pieces.map((p) => p.text).join("\n")).toBe(text);
      const source = ts.createSourceFile("region.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      // Each cut lies in the comments and blank lines before a statement, never inside one.
      const starts = source.statements.map((s) => [s.getFullStart(), s.getStart(source)] as const);
      let offset = 0;
      for (const piece of pieces.slice(0, -1)) {
        offset += piece.text.length + 1;
        expect(
          starts.some(([from, to]) => from <= offset && offset <= to),
          `${file} ${region} ${JSON.stringify(variant)}: cut at ${text.slice(offset, offset + 40)}`,
        ).toBe(true);
      }
    }
  });

  it("cuts the runtime into many runs, and most of the parts without the contract's names are taken as written", () => {
    const pieces = REGIONS.flatMap(({ file, region }) => inlineRuntimePieces(file, region, apiNames("Chat"), SLOTS));
    expect(pieces.length).toBeGreaterThan(40);
    expect(pieces.filter((p) => p.formatted).length).toBeGreaterThan(20);
  });

  it("takes as formatted only text prettier leaves as it is", async () => {
    // With the stand-in's own names every part the inlining leaves alone counts, those with names too.
    const written = new Set<string>();
    for (const { file, region } of REGIONS) {
      for (const variant of VARIANTS)
        for (const piece of inlineRuntimePieces(file, region, STAND_IN_API, SLOTS, variant)) {
          if (piece.formatted && piece.text.trim() !== "") written.add(piece.text);
        }
    }
    expect(written.size).toBeGreaterThan(20);
    for (const text of written) expect(await format(text, { ...PRETTIER_OPTIONS, filepath: "generated.ts" })).toBe(`${text.trim()}\n`);
  });
});

/**
 * Contracts for each variant of the inlined runtime (each file formatted whole costs a third of a
 * second; the goldens and generate.test.ts's snapshots hold more contracts to the same bytes):
 * runs and a name shorter than the stand-in's, no runs, an open event union and open enums and a
 * long name, envelope fields, per-id uniqueness.
 */
const contractFiles: [string, string][] = [
  ["test/contracts/valid/chat.contract.yaml", "q"],
  ["test/contracts/valid/inbound.contract.yaml", "its own name"],
  ["test/diff/cases/c2s-enum-opened-shared/new.contract.yaml", "a-protocol-with-a-rather-long-descriptive-name"],
  ["test/diff/cases/c2s-envelope-field-added/new.contract.yaml", "its own name"],
  ["test/diff/cases/unique-rule-added-c2s/new.contract.yaml", "its own name"],
];

describe("a generated file formatted run by run", () => {
  it.each(contractFiles)("%s (named %s): the validators and the lifecycle guard are prettier's whole-file output", async (file, name) => {
    const loaded = loadContract(path.join(repo, file));
    const contract: Contract = name === "its own name" ? loaded : { ...loaded, name };
    for (const pieces of [validatorsSource(contract, { source: "x.contract.yaml" }), lifecycleSource(contract, { source: "x.contract.yaml" })]) {
      expect(await formatTypeScriptPieces(pieces)).toBe(await formatWhole(pieces));
    }
  });

  const run = (text: string, formatted = false): Piece => ({ text, formatted });
  it.each<[string, (string | Piece)[]]>([
    [
      "runs with and without blank lines between",
      ["const a = 1;", run("const b   =  2;"), "", run("\n\nfunction f( ) { return 1 }\n"), run("const c = 3;\n\n"), "", "", "let d=4"],
    ],
    [
      "runs that are only comments",
      ["// head", run("// a comment\n"), run("const a = 1;"), "", run("/** doc */"), run("const b = 2; // trailing"), run("// the end\n")],
    ],
    [
      "runs taken as formatted beside others",
      [run("const a = 1;\n", true), run("const  b = 2;"), "", run("export function f(): void {}\n", true), "const c = {\n  d: 1 };"],
    ],
    ["a run that is not whole statements: the whole file instead", ["const a = {", run("b: 1,"), "};", run("const c = 2;")]],
    [
      "a run holding the line that separates runs: the whole file instead",
      [run("const a = 1;\n// covenant: end of a formatted run\nconst b = 2;"), run("const c  =  3;")],
    ],
    [
      "a run around which the whitespace is not spaces and newlines: the whole file instead",
      [run("const a = 1;\r\n"), run("\u00a0const b = 2;"), run("const c = 3;")],
    ],
    ["blank runs and whitespace only", ["", run("  \n"), run("const a = 1;"), "  ", "", run("\t\n\tconst b = 2;")]],
  ])("%s: as prettier formats the whole file", async (_, pieces) => {
    expect(await formatTypeScriptPieces(pieces)).toBe(await formatWhole(pieces));
  });

  it("throws prettier's error when the whole file does not parse", async () => {
    await expect(formatTypeScriptPieces(["const a = {", run("const b = 2;")])).rejects.toThrow(/expected/i);
  });
});
