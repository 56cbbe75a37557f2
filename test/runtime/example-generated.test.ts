import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { CLOSE_CODE_NAMES, CloseCode } from "../../examples/agent-server/src/server.js";
import { runCli } from "../cli/run-cli.js";

const example = path.resolve(import.meta.dirname, "../../examples/agent-server");

describe("examples/agent-server", () => {
  it("commits generated code that `covenant generate --check` finds up to date with its contract (agent-runs.covenant.yaml)", async () => {
    const result = await runCli(["generate", "--check"], example);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/6 generated files are up to date/);
    expect(result.status).toBe(0);
  });

  it("closes with the contract's close codes: the server's table is the contract's closeCodes, name for name", () => {
    const contract = parse(fs.readFileSync(path.join(example, "agent-runs.covenant.yaml"), "utf8")) as { closeCodes: Record<string, { name: string }> };
    const declared = Object.fromEntries(Object.entries(contract.closeCodes).map(([code, entry]) => [code, entry.name]));
    expect(Object.fromEntries(Object.entries(CLOSE_CODE_NAMES))).toEqual(declared);
    expect(Object.values(CloseCode).map(String).sort()).toEqual(Object.keys(declared).sort());
  });

  it("passes `covenant check` with every rule (the server follows what covenant asks of others)", async () => {
    const result = await runCli(["check", "-p", "tsconfig.json", "--format", "json"], example);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout).findings).toEqual([]);
    expect(result.status).toBe(0);
  });

  it("type-checks under its own tsconfig (what `npm run example:server` compiles)", () => {
    const tsc = path.resolve(import.meta.dirname, "../../node_modules/typescript/bin/tsc");
    const buildInfo = path.join(os.tmpdir(), `covenant-example-${process.pid}.tsbuildinfo`);
    const result = spawnSync(process.execPath, [tsc, "-p", path.join(example, "tsconfig.json"), "--noEmit", "--tsBuildInfoFile", buildInfo], {
      encoding: "utf8",
    });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
