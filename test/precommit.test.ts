import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";

// The pre-commit integration, for real: a temporary git repository holding a small TypeScript
// project, with a git pre-commit hook that runs the built CLI (`covenant check --changed`), as
// husky or the pre-commit framework would. A commit adding a Liskov violation is refused with the
// finding printed; a clean commit goes through. Needs `npm run build` (npm test builds first).
const REPO = path.resolve(import.meta.dirname, "..");
const CLI = path.join(REPO, "dist/bin/covenant.js");

function git(cwd: string, ...args: string[]) {
  return spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: cwd } });
}

function gitOrThrow(cwd: string, ...args: string[]): string {
  const result = git(cwd, ...args);
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

const PROJECT = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: [] }, include: ["src"] }, null, 2),
  "src/events.ts": "export interface AppEvent {\n  type: string;\n}\n\nexport interface ClickEvent extends AppEvent {\n  x: number;\n  y: number;\n}\n",
  "src/handler.ts": 'import type { AppEvent } from "./events.js";\n\nexport class Handler {\n  handle(event: AppEvent): string {\n    return event.type;\n  }\n}\n',
};

const LISKOV_VIOLATION =
  'import type { ClickEvent } from "./events.js";\nimport { Handler } from "./handler.js";\n\nexport class ClickHandler extends Handler {\n  override handle(event: ClickEvent): string {\n    return `${event.type} at ${event.x},${event.y}`;\n  }\n}\n';

const FIXED =
  'import type { AppEvent, ClickEvent } from "./events.js";\nimport { Handler } from "./handler.js";\n\nfunction isClick(event: AppEvent): event is ClickEvent {\n  return "x" in event;\n}\n\nexport class ClickHandler extends Handler {\n  override handle(event: AppEvent): string {\n    return isClick(event) ? `${event.type} at ${event.x},${event.y}` : super.handle(event);\n  }\n}\n';

describe("pre-commit hook running covenant check --changed", () => {
  let root = "";

  beforeAll(() => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} does not exist: run \`npm run build\` first (npm test does).`);
    root = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-precommit-"));
    gitOrThrow(root, "init", "-q", "-b", "main");
    gitOrThrow(root, "config", "user.email", "dev@example.com");
    gitOrThrow(root, "config", "user.name", "Dev");
    gitOrThrow(root, "config", "commit.gpgsign", "false");
    write(root, PROJECT);
    gitOrThrow(root, "add", ".");
    gitOrThrow(root, "commit", "-q", "-m", "initial");
    // The hook as docs/pre-commit.md installs it (husky's .husky/pre-commit holds the same line).
    const hook = path.join(root, ".git/hooks/pre-commit");
    fs.writeFileSync(hook, `#!/bin/sh\nexec node ${JSON.stringify(CLI)} check --changed\n`);
    fs.chmodSync(hook, 0o755);
  });

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("refuses a commit that adds a Liskov violation, printing the finding", () => {
    write(root, { "src/click-handler.ts": LISKOV_VIOLATION });
    gitOrThrow(root, "add", "src/click-handler.ts");
    const commit = git(root, "commit", "-m", "add click handler");
    const output = commit.stdout + commit.stderr;
    expect(commit.status, output).not.toBe(0);
    expect(output).toContain("src/click-handler.ts");
    expect(output).toMatch(/5:\d+\s+error\s+.*ClickEvent.*liskov-override/);
    expect(gitOrThrow(root, "rev-list", "--count", "HEAD").trim()).toBe("1");
  });

  it("lets a clean commit through", () => {
    write(root, { "src/click-handler.ts": FIXED });
    gitOrThrow(root, "add", "src/click-handler.ts");
    const commit = git(root, "commit", "-m", "add click handler");
    expect(commit.status, commit.stdout + commit.stderr).toBe(0);
    expect(gitOrThrow(root, "rev-list", "--count", "HEAD").trim()).toBe("2");
    expect(gitOrThrow(root, "show", "--stat", "--format=%s", "HEAD")).toContain("src/click-handler.ts");
  });

  it("reports only on changed files: an old violation elsewhere does not block an unrelated commit", () => {
    // Commit a violation with the hook bypassed, as a legacy codebase has them.
    write(root, { "src/legacy-handler.ts": LISKOV_VIOLATION.replace(/ClickHandler/g, "LegacyHandler") });
    gitOrThrow(root, "add", ".");
    gitOrThrow(root, "commit", "-q", "--no-verify", "-m", "legacy");
    write(root, { "src/events.ts": `${PROJECT["src/events.ts"]}\nexport type EventName = AppEvent["type"];\n` });
    gitOrThrow(root, "add", ".");
    const commit = git(root, "commit", "-m", "event names");
    expect(commit.status, commit.stdout + commit.stderr).toBe(0);
    // Without --changed, the whole project is checked and the legacy violation fails the run.
    const full = spawnSync("node", [CLI, "check"], { cwd: root, encoding: "utf8" });
    expect(full.status).toBe(1);
    expect(full.stdout).toContain("src/legacy-handler.ts");
  });
});

describe(".pre-commit-hooks.yaml", () => {
  it("declares the covenant-check hook as the pre-commit framework reads it", () => {
    const hooks = parse(fs.readFileSync(path.join(REPO, ".pre-commit-hooks.yaml"), "utf8")) as Record<string, unknown>[];
    expect(hooks).toHaveLength(1);
    const [hook] = hooks;
    expect(hook).toMatchObject({ id: "covenant-check", name: expect.any(String), entry: "covenant check --changed", language: "node", pass_filenames: false });
    // The entry names the package's own bin.
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain(String(hook!.entry).split(" ")[0]);
  });
});
