import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadContractSettings } from "../../analyzer/config/contract-settings.js";
import { CovenantError } from "../../common/errors.js";
import { contractHead } from "../utils/contract-text.js";

// loadContractSettings reuses a contract loaded before in the process while every file its load read
// (the contract and its `$ref`ed schema files) holds the same text: each case loads once, edits one
// file (or nothing), and loads again.
const CONTRACT = `${contractHead("orders")}  order_placed:
    direction: server-to-client
    states: [open]
    payload:
      type: object
      required: [customer]
      additionalProperties: false
      properties:
        customer: { $ref: "./schemas/customer.schema.json" }
    examples:
      - { customer: { id: c-9 } }
`;
const CUSTOMER = JSON.stringify({ type: "object", required: ["id"], properties: { id: { type: "string" } } });

interface Case {
  name: string;
  /** Files rewritten between the two loads (relative to the project folder). */
  edit: Record<string, string>;
  /** Whether the second load returns the first load's contract object. */
  reused: boolean;
  /** What the second load's contract says, or the problem code it fails with. */
  then: { version: string } | { problem: string };
}

const cases: Case[] = [
  { name: "nothing changed", edit: {}, reused: true, then: { version: "1.0.0" } },
  { name: "the same text written again", edit: { "orders.contract.yaml": CONTRACT }, reused: true, then: { version: "1.0.0" } },
  { name: "the contract changed", edit: { "orders.contract.yaml": CONTRACT.replace("1.0.0", "1.1.0") }, reused: false, then: { version: "1.1.0" } },
  {
    name: "a $ref'd schema changed (its example no longer fits)",
    edit: { "schemas/customer.schema.json": CUSTOMER.replace('"string"', '"number"') },
    reused: false,
    then: { problem: "example-invalid" },
  },
  { name: "the contract broke", edit: { "orders.contract.yaml": "covenant: 1\nname: [\n" }, reused: false, then: { problem: "yaml-syntax" } },
];

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

function load(dir: string) {
  try {
    const [setting, ...rest] = loadContractSettings({ dir, contracts: ["*.contract.yaml"], bindings: {} });
    expect(rest).toEqual([]);
    return setting!.contract;
  } catch (error) {
    if (!(error instanceof CovenantError)) throw error;
    return { problems: error.problems.map((p) => p.code) };
  }
}

describe("loadContractSettings: a contract is loaded again only when a file it read changed", () => {
  let root = "";
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-contract-settings-"));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each(cases.map((c, i) => [c.name, c, i] as const))("%s", (_name, c, index) => {
    const dir = path.join(root, `case-${index}`);
    writeFiles(dir, { "orders.contract.yaml": CONTRACT, "schemas/customer.schema.json": CUSTOMER });
    const first = load(dir);
    expect(first).toMatchObject({ name: "orders", version: "1.0.0" });
    writeFiles(dir, c.edit);
    const second = load(dir);
    if ("version" in c.then) expect(second).toMatchObject({ name: "orders", version: c.then.version });
    else expect((second as { problems: string[] }).problems).toContain(c.then.problem);
    expect(second === first).toBe(c.reused);
  });

  it("reports a broken contract's problems on every load (a failed load is not kept)", () => {
    const dir = path.join(root, "broken");
    writeFiles(dir, { "orders.contract.yaml": "covenant: 1\nname: [\n" });
    expect(load(dir)).toEqual(load(dir));
    expect((load(dir) as { problems: string[] }).problems).toContain("yaml-syntax");
    writeFiles(dir, { "orders.contract.yaml": CONTRACT.replace("./schemas/customer.schema.json", "#/$defs/Customer") + `$defs:\n  Customer: ${CUSTOMER}\n` });
    expect(load(dir)).toMatchObject({ name: "orders", version: "1.0.0" });
  });
});
