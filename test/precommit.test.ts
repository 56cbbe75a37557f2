import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";

// The pre-commit integration, for real: a temporary git repository holding a small TypeScript
// project with covenant installed the way a devDependency is (node_modules/.bin/covenant, here a
// shim to this repository's built CLI), and a git pre-commit hook that runs the `covenant-check`
// hook exactly as `.pre-commit-hooks.yaml` declares it, the way the pre-commit framework does:
// the staged files (added, copied, modified, renamed) whose names match `files`, appended to
// `entry` + `args`, run once from the repository root, the commit refused on a non-zero exit.
// A broken entry, a wrong `files` pattern or a hook that does not take file names fails these
// tests. The framework itself (Python) is not needed. The husky line of docs/pre-commit.md is run
// the same way, as written there. Needs `npm run build` (npm test builds first).
const REPO = path.resolve(import.meta.dirname, "..");
const CLI = path.join(REPO, "dist/bin/covenant.js");

interface HookDefinition {
  id: string;
  name: string;
  entry: string;
  language: string;
  args?: string[];
  files?: string;
  exclude?: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
}

function readHooks(): HookDefinition[] {
  return parse(fs.readFileSync(path.join(REPO, ".pre-commit-hooks.yaml"), "utf8")) as HookDefinition[];
}

/** The environment a developer's shell gives git: none of the npm_* variables of the npm running these tests. */
function cleanEnv(home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return { ...env, HOME: home, GIT_CONFIG_NOSYSTEM: "1", NO_COLOR: "1" };
}

/**
 * What the pre-commit framework does for one hook at `git commit` (pre_commit/commands/run.py):
 * the staged names (`git diff --staged --name-only --diff-filter=ACMRTUXB -z`), kept when they
 * match `files` (Python `re.search`, the same as JavaScript's here) and not `exclude`; none left,
 * the hook is skipped; otherwise `shlex.split(entry) + args + names` is run from the repository root.
 */
function frameworkScript(hook: HookDefinition): string {
  return `const { execFileSync, spawnSync } = require("node:child_process");
const hook = ${JSON.stringify(hook)};
const staged = execFileSync("git", ["diff", "--staged", "--name-only", "--diff-filter=ACMRTUXB", "-z"], { encoding: "utf8" }).split("\\0").filter(Boolean);
const files = staged.filter((f) => new RegExp(hook.files ?? "").test(f) && !new RegExp(hook.exclude ?? "^$").test(f));
if (hook.pass_filenames !== false && files.length === 0) {
  console.log(hook.name + "...(no files to check)Skipped");
  process.exit(0);
}
const [command, ...entryArgs] = hook.entry.split(/\\s+/);
const result = spawnSync(command, [...entryArgs, ...(hook.args ?? []), ...(hook.pass_filenames === false ? [] : files)], { stdio: "inherit" });
console.log(hook.name + "..." + (result.status === 0 ? "Passed" : "Failed"));
process.exit(result.status ?? 1);
`;
}

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

const PROJECT = {
  "package.json": JSON.stringify({ name: "app", private: true, devDependencies: { covenant: "*" } }, null, 2),
  ".gitignore": "node_modules/\n",
  "tsconfig.json": JSON.stringify(
    { compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: [] }, include: ["src"] },
    null,
    2,
  ),
  "src/events.ts": "export interface AppEvent {\n  type: string;\n}\n\nexport interface ClickEvent extends AppEvent {\n  x: number;\n  y: number;\n}\n",
  "src/handler.ts":
    'import type { AppEvent } from "./events.js";\n\nexport class Handler {\n  handle(event: AppEvent): string {\n    return event.type;\n  }\n}\n',
};

const LISKOV_VIOLATION =
  'import type { ClickEvent } from "./events.js";\nimport { Handler } from "./handler.js";\n\nexport class ClickHandler extends Handler {\n  override handle(event: ClickEvent): string {\n    return `${event.type} at ${event.x},${event.y}`;\n  }\n}\n';

const FIXED =
  'import type { AppEvent, ClickEvent } from "./events.js";\nimport { Handler } from "./handler.js";\n\nfunction isClick(event: AppEvent): event is ClickEvent {\n  return "x" in event;\n}\n\nexport class ClickHandler extends Handler {\n  override handle(event: AppEvent): string {\n    return isClick(event) ? `${event.type} at ${event.x},${event.y}` : super.handle(event);\n  }\n}\n';

/** A temporary git repository holding PROJECT, covenant linked as a devDependency, and a pre-commit hook. */
class TempRepo {
  readonly tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "covenant-precommit-")));
  readonly root = path.join(this.tmp, "app");
  readonly env: NodeJS.ProcessEnv;

  constructor(hook: Record<string, string>) {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} does not exist: run \`npm run build\` first (npm test does).`);
    fs.mkdirSync(path.join(this.tmp, "home"));
    fs.mkdirSync(this.root);
    this.env = cleanEnv(path.join(this.tmp, "home"));
    this.gitOrThrow("init", "-q", "-b", "main");
    this.gitOrThrow("config", "user.email", "dev@example.com");
    this.gitOrThrow("config", "user.name", "Dev");
    this.gitOrThrow("config", "commit.gpgsign", "false");
    write(this.root, PROJECT);
    // covenant as `npm install --save-dev @covenant-dev/covenant` leaves it for `npx --no-install covenant`.
    write(this.root, { "node_modules/.bin/covenant": `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n` });
    fs.chmodSync(path.join(this.root, "node_modules/.bin/covenant"), 0o755);
    write(path.join(this.root, ".git/hooks"), hook);
    fs.chmodSync(path.join(this.root, ".git/hooks/pre-commit"), 0o755);
  }

  write(files: Record<string, string>): void {
    write(this.root, files);
  }

  git(...args: string[]) {
    return spawnSync("git", args, { cwd: this.root, encoding: "utf8", env: this.env });
  }

  gitOrThrow(...args: string[]): string {
    const result = this.git(...args);
    if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
    return result.stdout;
  }

  commits(): number {
    return Number(this.gitOrThrow("rev-list", "--count", "HEAD").trim());
  }

  commit(message: string): { status: number | null; output: string } {
    const result = this.git("commit", "-m", message);
    return { status: result.status, output: result.stdout + result.stderr };
  }

  remove(): void {
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

describe("the covenant-check hook of .pre-commit-hooks.yaml, run as the pre-commit framework runs it", () => {
  let repo: TempRepo;
  let root = "";
  const gitOrThrow = (...args: string[]) => repo.gitOrThrow(...args);
  const commit = (message: string) => repo.commit(message);
  const commits = () => repo.commits();

  beforeAll(() => {
    const [hook] = readHooks();
    repo = new TempRepo({
      "framework.cjs": frameworkScript(hook!),
      "pre-commit": `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} "$(git rev-parse --git-dir)/hooks/framework.cjs"\n`,
    });
    root = repo.root;
  });

  afterAll(() => repo?.remove());

  it("lets a new repository's first commit through", () => {
    gitOrThrow("add", ".");
    const result = commit("initial");
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("covenant check...Passed");
    expect(commits()).toBe(1);
  });

  it("refuses a commit that adds a Liskov violation, printing the finding", () => {
    write(root, { "src/click-handler.ts": LISKOV_VIOLATION });
    gitOrThrow("add", "src/click-handler.ts");
    const result = commit("add click handler");
    expect(result.status, result.output).not.toBe(0);
    expect(result.output).toContain("src/click-handler.ts");
    expect(result.output).toMatch(/5:\d+\s+error\s+.*ClickEvent.*liskov-override/);
    expect(result.output).toContain("covenant check...Failed");
    expect(commits()).toBe(1);
  });

  it("lets a clean commit through", () => {
    write(root, { "src/click-handler.ts": FIXED });
    gitOrThrow("add", "src/click-handler.ts");
    const result = commit("add click handler");
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("covenant check...Passed");
    expect(commits()).toBe(2);
    expect(gitOrThrow("show", "--stat", "--format=%s", "HEAD")).toContain("src/click-handler.ts");
  });

  it("runs on .mts and .cts files too", () => {
    write(root, {
      "src/tap-handler.mts": LISKOV_VIOLATION.replace(/ClickHandler/g, "TapHandler"),
      "src/key-handler.cts": LISKOV_VIOLATION.replace(/ClickHandler/g, "KeyHandler"),
    });
    gitOrThrow("add", "src/tap-handler.mts", "src/key-handler.cts");
    const result = commit("add tap and key handlers");
    expect(result.status, result.output).not.toBe(0);
    expect(result.output).toMatch(/src\/tap-handler\.mts\s+5:\d+\s+error\s+.*liskov-override/);
    expect(result.output).toMatch(/src\/key-handler\.cts\s+5:\d+\s+error\s+.*liskov-override/);
    gitOrThrow("rm", "-q", "--cached", "src/tap-handler.mts", "src/key-handler.cts");
    fs.rmSync(path.join(root, "src/tap-handler.mts"));
    fs.rmSync(path.join(root, "src/key-handler.cts"));
    expect(commits()).toBe(2);
  });

  it("does not run for a commit that touches no TypeScript file", () => {
    write(root, { "NOTES.md": "# notes\n" });
    gitOrThrow("add", "NOTES.md");
    const result = commit("notes");
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("covenant check...(no files to check)Skipped");
    expect(commits()).toBe(3);
  });

  it("reports only on the committed files: neither an untracked file nor an old violation elsewhere blocks a commit", () => {
    // A violation committed with the hook bypassed, as a legacy codebase has them.
    write(root, { "src/legacy-handler.ts": LISKOV_VIOLATION.replace(/ClickHandler/g, "LegacyHandler") });
    gitOrThrow("add", "src/legacy-handler.ts");
    gitOrThrow("commit", "-q", "--no-verify", "-m", "legacy");
    // Work in progress, never staged (`covenant check --changed` would report on it).
    write(root, { "src/draft-handler.ts": LISKOV_VIOLATION.replace(/ClickHandler/g, "DraftHandler") });
    write(root, { "src/events.ts": `${PROJECT["src/events.ts"]}\nexport type EventName = AppEvent["type"];\n` });
    gitOrThrow("add", "src/events.ts");
    const result = commit("event names");
    expect(result.status, result.output).toBe(0);
    expect(commits()).toBe(5);
    // Both are there to find: checking the whole project fails on both.
    const full = spawnSync(process.execPath, [CLI, "check"], { cwd: root, encoding: "utf8", env: repo.env });
    expect(full.status).toBe(1);
    expect(full.stdout).toContain("src/legacy-handler.ts");
    expect(full.stdout).toContain("src/draft-handler.ts");
  });
});

describe("the husky line of docs/pre-commit.md, as a plain git hook", () => {
  let repo: TempRepo;

  beforeAll(() => {
    const docs = fs.readFileSync(path.join(REPO, "docs/pre-commit.md"), "utf8");
    const line = /```sh\n# \.husky\/pre-commit\n(.+)\n```/.exec(docs)?.[1];
    if (!line) throw new Error("docs/pre-commit.md has no `# .husky/pre-commit` block");
    repo = new TempRepo({ "pre-commit": `#!/bin/sh\n${line}\n` });
  });

  afterAll(() => repo?.remove());

  it("runs covenant on the staged TypeScript files only, and only when there are some", () => {
    repo.gitOrThrow("add", ".");
    const first = repo.commit("initial");
    expect(first.status, first.output).toBe(0);
    // An old violation and an untracked draft: covenant run without file names would fail on both.
    repo.write({ "src/legacy-handler.ts": LISKOV_VIOLATION.replace(/ClickHandler/g, "LegacyHandler") });
    repo.gitOrThrow("add", "src/legacy-handler.ts");
    repo.gitOrThrow("commit", "-q", "--no-verify", "-m", "legacy");
    repo.write({ "src/draft-handler.ts": LISKOV_VIOLATION.replace(/ClickHandler/g, "DraftHandler"), "NOTES.md": "# notes\n" });
    repo.gitOrThrow("add", "NOTES.md");
    const notes = repo.commit("notes");
    expect(notes.status, notes.output).toBe(0);
    expect(notes.output).not.toContain("liskov-override");
    expect(repo.commits()).toBe(3);
  });

  it("refuses a commit that adds a Liskov violation, printing the finding", () => {
    repo.write({ "src/click-handler.ts": LISKOV_VIOLATION });
    repo.gitOrThrow("add", "src/click-handler.ts");
    const result = repo.commit("add click handler");
    expect(result.status, result.output).not.toBe(0);
    expect(result.output).toMatch(/src\/click-handler\.ts\s+5:\d+\s+error\s+.*ClickEvent.*liskov-override/);
    expect(result.output).not.toContain("src/draft-handler.ts");
    expect(repo.commits()).toBe(3);
  });
});

describe(".pre-commit-hooks.yaml", () => {
  const hooks = readHooks();
  const [hook] = hooks;

  it("declares one hook, covenant-check, running the project's own covenant on the staged files", () => {
    expect(hooks).toHaveLength(1);
    expect(hook).toMatchObject({ id: "covenant-check", name: expect.any(String), language: "system", require_serial: true });
    // `language: system`: nothing is installed by the framework; npx finds the project's devDependency and never downloads.
    expect(hook!.entry).toMatch(/^npx --no-install covenant check(\s|$)/);
    expect(hook!.entry).not.toMatch(/["'\\]|--changed/);
    expect(hook!.pass_filenames ?? true).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain("covenant");
  });

  it("matches TypeScript files by name, .mts and .cts included (identify gives those no ts tag)", () => {
    const files = new RegExp(hook!.files!);
    const match = (name: string) => files.test(name);
    expect(["src/a.ts", "src/b.tsx", "src/c.mts", "src/d.cts", "types/e.d.ts", "f.d.mts"].filter((f) => !match(f))).toEqual([]);
    expect(["README.md", "package.json", "tsconfig.json", "src/a.js", "src/b.mjs", "src/c.tsbuildinfo", "src/d.ts.snap", "src/ts"].filter(match)).toEqual([]);
    expect(hook).not.toHaveProperty("types");
    expect(hook).not.toHaveProperty("types_or");
  });
});

describe("the YAML in docs/pre-commit.md and docs/ci.md", () => {
  const yamlBlocks = (doc: string) => [...fs.readFileSync(path.join(REPO, "docs", doc), "utf8").matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it("parses, and the local hook declares what .pre-commit-hooks.yaml does", () => {
    const blocks = [...yamlBlocks("pre-commit.md"), ...yamlBlocks("ci.md")];
    expect(blocks.length).toBeGreaterThan(4);
    for (const block of blocks) expect(() => parse(block), block).not.toThrow();
    const [shipped] = readHooks();
    const local = yamlBlocks("pre-commit.md")
      .map((b) => parse(b) as { repos?: { repo: string; hooks: HookDefinition[] }[] })
      .flatMap((c) => c.repos ?? [])
      .find((r) => r.repo === "local")?.hooks[0];
    expect(local).toMatchObject({ id: shipped!.id, entry: shipped!.entry, language: shipped!.language, files: shipped!.files, require_serial: true });
  });

  it("gives the SARIF upload the permissions it needs, and skips it for pull requests from forks", () => {
    interface Step {
      uses?: string;
      if?: string;
    }
    const workflow = yamlBlocks("ci.md")
      .map((b) => parse(b) as { permissions?: Record<string, string>; jobs?: Record<string, { steps: Step[] }> })
      .find((w) => Object.values(w.jobs ?? {}).some((j) => j.steps.some((step) => step.uses?.includes("upload-sarif"))));
    expect(workflow?.permissions).toMatchObject({ "security-events": "write", actions: "read", contents: "read" });
    const upload = Object.values(workflow!.jobs!)
      .flatMap((j) => j.steps)
      .find((step) => step.uses?.includes("upload-sarif"));
    expect(upload!.uses).toBe("github/codeql-action/upload-sarif@v4");
    expect(upload!.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
  });
});
