import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { CovenantError, type Problem } from "../../common/errors.js";
import { getChangedFiles } from "../../analyzer/engine/changed-files.js";
import { TempProject } from "./temp-project.js";

// getChangedFiles in real temporary git repositories: what `--changed` reports on.
describe("getChangedFiles", () => {
  let project: TempProject | undefined;
  afterEach(() => project?.remove());

  function repo(files: Record<string, string>): TempProject {
    project = new TempProject(files);
    git("init", "-q", "-b", "main");
    return project;
  }

  function git(...args: string[]): void {
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", ...args], {
      cwd: project!.dir,
      stdio: "pipe",
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" },
    });
  }

  function changed(ref = "HEAD"): string[] {
    return [...getChangedFiles(project!.dir, ref)].map((f) => f.slice(project!.dir.length + 1)).sort();
  }

  function refError(ref: string): Problem {
    try {
      getChangedFiles(project!.dir, ref);
    } catch (error) {
      if (error instanceof CovenantError && error.problems.length === 1) return error.problems[0]!;
      throw error;
    }
    throw new Error(`--changed=${ref} did not fail`);
  }

  it("reports committed-since, staged, unstaged and untracked files, not deleted or ignored ones", () => {
    repo({ ".gitignore": "out/\n", "src/a.ts": "a\n", "src/b.ts": "b\n", "src/c.ts": "c\n", "src/d.ts": "d\n" });
    git("add", ".");
    git("commit", "-q", "-m", "base");
    expect(changed()).toEqual([]);
    project!.write({ "src/a.ts": "a2\n", "src/b.ts": "b2\n", "src/new.ts": "new\n", "out/built.ts": "x\n" });
    git("add", "src/b.ts");
    git("rm", "-q", "src/d.ts");
    expect(changed()).toEqual(["src/a.ts", "src/b.ts", "src/new.ts"]);
  });

  it("before the first commit, HEAD means the empty tree: every staged, tracked and untracked file is changed", () => {
    repo({ ".gitignore": "out/\n", "src/staged.ts": "s\n", "src/untracked.ts": "u\n", "out/built.ts": "x\n" });
    git("add", ".gitignore", "src/staged.ts");
    expect(changed()).toEqual([".gitignore", "src/staged.ts", "src/untracked.ts"]);
    // A file staged and then deleted from the working tree has nothing to report on.
    project!.write({ "src/gone.ts": "g\n" });
    git("add", "src/gone.ts");
    execFileSync("rm", [project!.path("src/gone.ts")]);
    expect(changed()).toEqual([".gitignore", "src/staged.ts", "src/untracked.ts"]);
    // The first commit goes through the same way, and afterwards HEAD is the commit.
    git("commit", "-q", "-m", "first");
    expect(changed()).toEqual(["src/untracked.ts"]);
  });

  it("an explicit ref that names no commit stays an error, before the first commit too", () => {
    repo({ "src/a.ts": "a\n" });
    expect(refError("main")).toMatchObject({
      code: "changed-unknown-ref",
      file: "--changed",
      message: expect.stringMatching(/^"main" is not a commit in this repository/),
    });
    git("add", ".");
    git("commit", "-q", "-m", "base");
    expect(refError("nope")).toMatchObject({ code: "changed-unknown-ref", message: expect.stringMatching(/^"nope" is not a commit/) });
    expect(refError("src/a.ts").message).toContain("write `--changed=HEAD src/a.ts`");
  });

  it("a detached HEAD names a commit and works as usual", () => {
    repo({ "src/a.ts": "a\n" });
    git("add", ".");
    git("commit", "-q", "-m", "base");
    git("checkout", "-q", "--detach");
    project!.write({ "src/a.ts": "a2\n" });
    expect(changed()).toEqual(["src/a.ts"]);
  });
});
