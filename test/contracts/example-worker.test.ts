import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { contractHead } from "../utils/contract-text.js";

/**
 * The loader checks the examples of a payload whose `pattern` could backtrack in a worker thread of the
 * built code (contracts/load/example-validation.ts). A worker inherits its process's Node options unless
 * told otherwise, and some of them stop it from starting: a program that loads contracts through the
 * API from `node --input-type=module -e` made the loader wait its 30 s start-up budget, blame a
 * backtracking pattern, then crash on the worker's unhandled `error` event. Here the API runs in such a
 * process and must check the examples as usual.
 */
const ENTRY = pathToFileURL(path.resolve(import.meta.dirname, "../../dist/contracts/index.js")).href;

const CONTRACT = `${contractHead("patterns")}  ping:
    direction: both
    states: [open]
    payload: { type: object, properties: { s: { type: string, pattern: "^(a+)+$" } } }
    examples:
      - { s: "aaa" }
      - { s: "ab" }
`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-example-worker-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the example check's worker", () => {
  it.each([
    ["--input-type=module -e", ["--input-type=module"]],
    ["a plain script", []],
  ])("starts in a process run as %s, and reports the example the pattern rejects", (_, flags) => {
    const file = path.join(dir, "patterns.contract.yaml");
    fs.writeFileSync(file, CONTRACT);
    const script = `import { loadContract } from ${JSON.stringify(ENTRY)};
try { loadContract(${JSON.stringify(file)}); console.log("loaded"); }
catch (error) { console.log(JSON.stringify((error.problems ?? []).map((p) => [p.code, p.line, p.column]))); }`;
    const args = flags.length > 0 ? [...flags, "-e", script] : [writeScript(script)];
    const result = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 20_000 });
    expect(result.signal, result.stderr).toBeNull();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([["example-invalid", 16, 14]]);
  });
});

function writeScript(text: string): string {
  const file = path.join(dir, "load.mjs");
  fs.writeFileSync(file, text);
  return file;
}
