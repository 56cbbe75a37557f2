import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CovenantError } from "../../common/errors.js";
import { loadContractSettings } from "../../analyzer/config/contract-settings.js";
import { loadConfig } from "../../analyzer/config/load-config.js";
import { runCheck } from "../../analyzer/engine/run-check.js";
import { getContractSettings, parseEslintSettings } from "../../rules/settings.js";
import { AGENT_CONTRACT } from "./contract-settings.js";

// The bindings of the contract rules as users write them: in covenant.config.json (shape errors and
// names unknown to the contract, each at its line and column) and in ESLint's settings.covenant.
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-bindings-"));
  fs.copyFileSync(AGENT_CONTRACT, path.join(dir, "agent.contract.yaml"));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ["src"] }));
  fs.mkdirSync(path.join(dir, "src"));
  fs.writeFileSync(path.join(dir, "src/index.ts"), "export const ready = true;\n");
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeConfig(bindings: unknown): string {
  const file = path.join(dir, "covenant.config.json");
  fs.writeFileSync(file, `${JSON.stringify({ contracts: ["*.contract.yaml"], bindings }, null, 2)}\n`);
  return file;
}

function problemsOf(fn: () => unknown): { file: string; line: number; column: number; code: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof CovenantError) return error.problems;
    throw error;
  }
  throw new Error("expected a CovenantError");
}

describe("bindings in covenant.config.json", () => {
  it("rejects unknown keys and incomplete entries, at their position", () => {
    writeConfig({
      "agent-websocket": {
        transitions: [{ transition: "accept", call: "accept", recieverType: "X" }],
        emits: [{ call: "emit" }],
        operations: [{ call: "send" }],
      },
    });
    const problems = problemsOf(() => loadConfig({ searchFrom: dir }));
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual([
      "11:11 config-unknown-key",
      "15:9 config-invalid-value",
      "20:9 config-invalid-type",
    ]);
    expect(problems[0]!.message).toContain('Did you mean "receiverType"?');
    expect(problems[1]!.message).toContain("exactly one of `event`, `eventArg` and `envelopeArg`");
  });

  it("says which bound a number or a list is below, and what type a position must be", () => {
    writeConfig({
      "agent-websocket": {
        emits: [
          { call: "emit", eventArg: -1, payloadArg: 1.5 },
          { call: [], event: "agent_started" },
          { call: "", event: "agent_started" },
        ],
      },
    });
    const problems = problemsOf(() => loadConfig({ searchFrom: dir }));
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code}: ${p.message}`)).toEqual([
      '10:23 config-invalid-value: "bindings.agent-websocket.emits[0].eventArg" must be ≥ 0 (found -1).',
      '11:25 config-invalid-type: "bindings.agent-websocket.emits[0].payloadArg" must be an integer (found 1.5).',
      '14:19 config-invalid-value: "bindings.agent-websocket.emits[1].call" must not be empty (found an empty array).',
      '18:19 config-invalid-value: "bindings.agent-websocket.emits[2].call" must not be empty (found "").',
    ]);
  });

  it("checks transitions, states and events against the contract, and the contract name", () => {
    writeConfig({
      "agent-websocket": {
        transitions: [{ transition: "acept", call: "accept" }],
        operations: [{ call: "send", requires: "open" }],
        emits: [{ call: "notify", event: "agent_begun" }],
        handlers: [{ function: "onReady", state: "ready_state" }],
      },
      "agent-websockets": {},
    });
    const problems = problemsOf(() => runCheck({ cwd: dir, rules: ["lifecycle-order"] }));
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.code}`)).toEqual([
      "covenant.config.json:32:25 config-unknown-contract",
      "covenant.config.json:9:25 config-invalid-binding",
      "covenant.config.json:16:23 config-invalid-binding",
      "covenant.config.json:22:20 config-invalid-binding",
      "covenant.config.json:28:20 config-invalid-binding",
    ]);
    expect(problems[1]!.message).toBe(
      '"acept" is not a transition of contract agent-websocket. Use one of: "accept", "reject", "authenticate", "close", "services_ready", "ready".',
    );
    expect(problems[0]!.message).toContain('bindings "agent-websockets" names no contract the config loads (agent-websocket)');
    expect(problems[3]!.message).toBe(
      '"agent_begun" is not an event of contract agent-websocket. Use one of: "agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed".',
    );
    expect(problems[4]!.message).toMatch(/^"ready_state" is not a state of contract agent-websocket\./);
  });

  it("checks receive bindings: one of event and eventArg, an event the contract has", () => {
    writeConfig({ "agent-websocket": { receives: [{ call: "handle" }, { call: "handle", event: "agent_started", eventArg: 0 }] } });
    const shape = problemsOf(() => loadConfig({ searchFrom: dir }));
    expect(shape.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual(["8:9 config-invalid-value", "11:9 config-invalid-value"]);
    expect(shape[0]!.message).toContain("exactly one of `event` and `eventArg`");
    writeConfig({
      "agent-websocket": {
        receives: [
          { call: "handle", event: "agent_begun" },
          { call: "handle", event: "agent_started" },
        ],
      },
    });
    const problems = problemsOf(() => runCheck({ cwd: dir, rules: ["contract-event"] }));
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.code}`)).toEqual(["covenant.config.json:10:20 config-invalid-binding"]);
    expect(problems[0]!.message).toMatch(/^"agent_begun" is not an event of contract agent-websocket\. Use one of: "agent_started"/);
  });

  it("reports every contract's problems and the valid contracts' binding problems in one run", () => {
    const broken = (name: string, target: string) =>
      `covenant: 1\nname: ${name}\nversion: 1.0.0\nlifecycle:\n  initial: open\n  states:\n    open: { on: { close: ${target} } }\n    closed: { final: true }\nevents:\n  ping: { direction: both, states: [open] }\n`;
    fs.writeFileSync(path.join(dir, "a-broken.contract.yaml"), broken("first", "shut"));
    fs.writeFileSync(path.join(dir, "b-broken.contract.yaml"), broken("second", "gone"));
    writeConfig({ "agent-websocket": { transitions: [{ transition: "acept", call: "accept" }] }, first: {} });
    const problems = problemsOf(() => runCheck({ cwd: dir, rules: ["lifecycle-order"] }));
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.code}`)).toEqual([
      "a-broken.contract.yaml:7:26 unknown-target-state",
      "b-broken.contract.yaml:7:26 unknown-target-state",
      // `first` did not load: its bindings entry is not called unknown on top of that.
      "covenant.config.json:9:25 config-invalid-binding",
    ]);
  });

  it("runs the rules with valid bindings", () => {
    writeConfig({
      "agent-websocket": {
        transitions: [{ transition: "accept", call: "accept", receiverType: "Upgrade" }],
        operations: [{ call: "send", receiverType: "Upgrade", requires: "accepted" }],
        emits: [{ call: "send", receiverType: "Upgrade", envelopeArg: 0 }],
      },
    });
    fs.writeFileSync(
      path.join(dir, "src/route.ts"),
      'interface Upgrade { accept(): void; send(data: string): void }\nexport function route(u: Upgrade) {\n  u.send(JSON.stringify({ type: "hello", data: {} }));\n  u.accept();\n}\n',
    );
    const report = runCheck({ cwd: dir });
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}/${f.messageId}`)).toEqual([
      "src/route.ts:3:3 contract-event/unknownEvent",
      "src/route.ts:3:3 lifecycle-order/operationBeforeTransition",
    ]);
  });
});

describe("bindings in ESLint's settings.covenant", () => {
  it("loads the contracts (globs relative to ESLint's cwd) with their bindings", () => {
    const settings = parseEslintSettings({
      contracts: ["*.contract.yaml"],
      bindings: { "agent-websocket": { transitions: [{ transition: "accept", call: "accept" }] } },
    });
    const contracts = getContractSettings(settings, dir);
    expect(contracts.map((c) => [c.contract.name, c.bindings])).toEqual([["agent-websocket", { transitions: [{ transition: "accept", call: "accept" }] }]]);
    expect(getContractSettings(settings, dir)).toBe(contracts); // loaded once
  });

  it("says what is wrong with bindings, naming the key", () => {
    expect(() => parseEslintSettings({ bindings: { "agent-websocket": { transition: [] } } })).toThrow(
      /✖ Unrecognized key: "transition"\n {4}→ at settings\.covenant\.bindings\.agent-websocket/,
    );
    const settings = parseEslintSettings({
      contracts: ["*.contract.yaml"],
      bindings: { "agent-websocket": { handlers: [{ function: "onReady", state: "live" }] } },
    });
    expect(() => getContractSettings(settings, dir)).toThrow(/"live" is not a state of contract agent-websocket/);
  });

  it("reports an invalid contract with its position", () => {
    fs.writeFileSync(path.join(dir, "broken.contract.yaml"), "covenant: 1\nname: broken\n");
    const settings = parseEslintSettings({ contracts: ["broken.contract.yaml"] });
    expect(() => getContractSettings(settings, dir)).toThrow(/broken\.contract\.yaml:\d+:\d+/);
  });
});

it("the engine and ESLint load the same contract settings", () => {
  const bindings = { "agent-websocket": { operations: [{ call: "send", requires: "accepted" }] } };
  const engine = loadContractSettings({ dir, contracts: ["*.contract.yaml"], bindings });
  const eslint = getContractSettings(parseEslintSettings({ contracts: ["*.contract.yaml"], bindings }), dir);
  expect(eslint.map((c) => [c.file, c.contract.name, c.bindings])).toEqual(engine.map((c) => [c.file, c.contract.name, c.bindings]));
});
