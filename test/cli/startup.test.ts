import path from "node:path";
import { TempProject, TSCONFIG } from "../engine/temp-project.js";
import { createLoadLog } from "../utils/loaded-modules.js";
import { runCliProcess } from "./run-cli.js";

/**
 * What a run of the built CLI loads, by the path it takes: every `covenant` process pays for the
 * modules it loads (TypeScript 6 is a quarter of a second of CPU, TypeScript 7's client and the
 * contract stack about as much), so `--help`, a mistyped command and an error found before the
 * compiler is needed load none of it, and a ts6 run does not load TypeScript 7's client. Each row
 * also names what it must load, so a hook that logged nothing could not pass.
 * (The daemon client's row is in daemon.test.ts, beside its warm daemon.)
 */
const REPO = path.resolve(import.meta.dirname, "../..");
/** What only a command's own work needs: the compilers, the contract stack, ts-morph. */
const HEAVY = ["typescript", "typescript-7", "zod", "ajv", "yaml", "prettier", "json-schema-to-typescript", "ts-morph"];
const COMMAND_MODULES = ["check", "generate", "diff", "export", "import", "infer", "init", "sarif-merge"].map((name) => `cli/${name}.js`);

const SRC = { "tsconfig.json": TSCONFIG, "src/a.ts": "export class A {\n  handle(x: string): void {}\n}\n" };
let project: TempProject;
let ts6Project: TempProject;
let noTsconfig: TempProject;
const log = createLoadLog();
beforeAll(() => {
  project = new TempProject(SRC);
  ts6Project = new TempProject({ ...SRC, "covenant.config.json": '{\n  "engine": "ts6"\n}\n' });
  noTsconfig = new TempProject({ "a.ts": "export const a = 1;\n" });
});
afterAll(() => {
  project.remove();
  ts6Project.remove();
  noTsconfig.remove();
  log.remove();
});

const ROWS: {
  name: string;
  args: string[];
  cwd: () => string;
  status: number;
  loads: { packages?: string[]; own?: string[] };
  notLoads: { packages?: string[]; own?: string[] };
}[] = [
  { name: "--help", args: ["--help"], cwd: () => REPO, status: 0, loads: { packages: ["commander"] }, notLoads: { packages: HEAVY, own: COMMAND_MODULES } },
  {
    name: "a mistyped command",
    args: ["chek"],
    cwd: () => REPO,
    status: 2,
    loads: { packages: ["commander"], own: ["cli/commands.js"] },
    notLoads: { packages: HEAVY, own: COMMAND_MODULES },
  },
  {
    name: "check without a tsconfig",
    args: ["check"],
    cwd: () => noTsconfig.dir,
    status: 2,
    loads: { own: ["cli/check.js"] },
    notLoads: { packages: ["typescript", "typescript-7"], own: ["analyzer/engine/run-check.js"] },
  },
  {
    name: "check with a config that is not a regular file",
    args: ["check", "-c", "/dev/zero"],
    cwd: () => project.dir,
    status: 2,
    loads: { packages: ["zod"], own: ["analyzer/engine/prepare-run.js"] },
    notLoads: { packages: ["typescript", "typescript-7"], own: ["analyzer/engine/run-check.js"] },
  },
  {
    name: 'check, "engine": "ts6" in the config',
    args: ["check"],
    cwd: () => ts6Project.dir,
    status: 0,
    loads: { packages: ["typescript"], own: ["analyzer/engine/run-check.js"] },
    notLoads: { packages: ["typescript-7"], own: ["analyzer/engine/ts7/api.js"] },
  },
  {
    name: "check, auto (the default): ts7",
    args: ["check"],
    cwd: () => project.dir,
    status: 0,
    loads: { packages: ["typescript-7"], own: ["analyzer/engine/ts7/api.js"] },
    notLoads: {},
  },
];

describe.runIf(process.platform !== "win32")("what a covenant process loads", () => {
  it.each(ROWS)("$name", ({ args, cwd, status, loads, notLoads }) => {
    const result = runCliProcess(args, cwd(), { NO_COLOR: "1", FORCE_COLOR: undefined, ...log.env });
    expect(result.status, result.stderr).toBe(status);
    const loaded = log.read();
    for (const kind of ["packages", "own"] as const) {
      expect(loaded[kind]).toEqual(expect.arrayContaining(loads[kind] ?? []));
      expect(loaded[kind].filter((name) => notLoads[kind]?.includes(name))).toEqual([]);
    }
  });
});
