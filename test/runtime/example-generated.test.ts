import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { runCli } from "../cli/run-cli.js";

const example = path.resolve(import.meta.dirname, "../../examples/agent-server");

describe("examples/agent-server", () => {
  it("commits generated code that `covenant generate --check` finds up to date with the bundled contract", async () => {
    const result = await runCli(["generate", "--check"], example);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/5 generated files are up to date/);
    expect(result.status).toBe(0);
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
    const result = spawnSync(process.execPath, [tsc, "-p", path.join(example, "tsconfig.json"), "--noEmit", "--tsBuildInfoFile", buildInfo], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
