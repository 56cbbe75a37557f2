import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../../analyzer/config/load-config.js";
import { loadContract } from "../../contracts/index.js";
import { TempProject, TSCONFIG } from "../engine/temp-project.js";
import { expectInputError, runCli } from "./run-cli.js";

const REPO = path.resolve(import.meta.dirname, "../..");
let project: TempProject;
afterEach(() => project.remove());

describe("covenant init (CLI)", () => {
  it("writes a valid starter config and an example contract that loads and generates, then refuses to overwrite them", async () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, "src/a.ts": "export const a = 1;\n" });
    const first = await runCli(["init"], project.dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("wrote covenant.config.json\nwrote contracts/example.contract.yaml\n");

    const config = loadConfig({ searchFrom: project.dir });
    expect(config.file).toBe(project.path("covenant.config.json"));
    expect(config.rules).toMatchObject({ "liskov-override": "error", "silent-emit-drop": "warn" });
    expect(loadContract(project.path("contracts/example.contract.yaml")).name).toBe("example");

    // The schema paths name the package as npm installs it, and lead to the published schemas.
    const pkgName = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { name: string }).name;
    const schemaPaths = [
      [(JSON.parse(project.read("covenant.config.json")) as { $schema: string }).$schema, "schema/config.schema.json"],
      [/\$schema=(\S+)/.exec(project.read("contracts/example.contract.yaml"))![1]!, "schema/contract.schema.json"],
    ];
    for (const [schemaPath, published] of schemaPaths) {
      expect(schemaPath).toMatch(new RegExp(`^(\\./|\\.\\./)node_modules/${pkgName}/${published}$`));
      expect(fs.existsSync(path.join(REPO, published!))).toBe(true);
    }

    // The starter files work with the other commands as they are.
    expect(await runCli(["check"], project.dir)).toMatchObject({ status: 0, stdout: "" });
    const generated = await runCli(["generate"], project.dir);
    expect(generated.status, generated.stderr).toBe(0);
    expect(fs.readdirSync(path.join(project.dir, "src/generated")).sort()).toContain("example.types.ts");

    expectInputError(
      await runCli(["init"], project.dir),
      /^covenant\.config\.json {2}error {2}Already exists; nothing was written\. Pass --force to overwrite it\.\ncontracts\/example\.contract\.yaml {2}error/,
    );
    project.write({ "covenant.config.json": "{}" });
    expect((await runCli(["init", "--force"], project.dir)).status).toBe(0);
    expect(project.read("covenant.config.json")).toContain('"rules"');
  });
});
