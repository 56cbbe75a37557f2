import fs from "node:fs";
import type { Report } from "../../analyzer/engine/report.js";
import { runCheck } from "../../analyzer/engine/run-check.js";
import { loadProject } from "../../analyzer/project/load-project.js";
import { ProgramCache } from "../../analyzer/project/program-cache.js";
import { TempProject, TSCONFIG } from "./temp-project.js";

// What `covenant check --daemon` keeps between runs: every run with the cache must report exactly
// what a cold run reports, whatever changed on disk in between.

const ANIMALS = 'export class Animal { name = "a"; }\nexport class Dog extends Animal { bark(): void {} }\n';
// With Dog no wider than Animal, the override below no longer narrows anything.
const ANIMALS_ALIKE = 'export class Animal { name = "a"; }\nexport class Dog extends Animal {}\n';
const SHELTER =
  'import { Animal, Dog } from "./animals.js";\nexport class Shelter {\n  admit(animal: Animal): void {}\n}\nexport class DogShelter extends Shelter {\n  override admit(dog: Dog): void {}\n}\n';
const KENNEL =
  'import { Animal, Dog } from "./animals.js";\nexport class Kennel {\n  take(animal: Animal): void {}\n}\nexport class DogKennel extends Kennel {\n  override take(dog: Dog): void {}\n}\n';

let project: TempProject;
afterEach(() => project?.remove());

const withoutDuration = (report: Report) => ({ ...report, summary: { ...report.summary, durationMs: 0 } });
const keys = (report: Report) => report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`);

describe("ProgramCache", () => {
  it("reports what a cold run reports after edits, an edit of a file another depends on, added and deleted files, and changed options", () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, "src/animals.ts": ANIMALS, "src/shelter.ts": SHELTER });
    const cache = new ProgramCache();
    const run = (): string[] => {
      const warm = runCheck({ cwd: project.dir, programCache: cache });
      const cold = runCheck({ cwd: project.dir });
      expect(withoutDuration(warm)).toEqual(withoutDuration(cold));
      return keys(warm);
    };
    expect(run()).toEqual(["src/shelter.ts:6:12 liskov-override"]);
    expect(run()).toEqual(["src/shelter.ts:6:12 liskov-override"]);
    // shelter.ts is unchanged; what it means changed with animals.ts.
    project.write({ "src/animals.ts": ANIMALS_ALIKE });
    expect(run()).toEqual([]);
    project.write({ "src/animals.ts": ANIMALS, "src/kennel.ts": KENNEL });
    expect(run()).toEqual(["src/kennel.ts:6:12 liskov-override", "src/shelter.ts:6:12 liskov-override"]);
    fs.rmSync(project.path("src/kennel.ts"));
    expect(run()).toEqual(["src/shelter.ts:6:12 liskov-override"]);
    project.write({ "src/kennel.ts": KENNEL });
    expect(run()).toHaveLength(2);
    project.write({ "src/kennel.ts": "export {};\n" });
    expect(run()).toEqual(["src/shelter.ts:6:12 liskov-override"]);
    // Parameters compared bivariantly by TypeScript, strictly by the rule: both settings of strictness agree.
    project.write({ "tsconfig.json": TSCONFIG.replace('"strict": true', '"strict": false') });
    expect(run()).toEqual(["src/shelter.ts:6:12 liskov-override"]);
  });

  it("hands TypeScript the same syntax tree for a file that did not change, and a new one for a file that did", () => {
    project = new TempProject({ "tsconfig.json": TSCONFIG, "src/animals.ts": ANIMALS, "src/shelter.ts": SHELTER });
    const cache = new ProgramCache();
    const tsconfig = project.path("tsconfig.json");
    const first = loadProject({ tsconfig, cache }).units[0]!.program;
    const second = loadProject({ tsconfig, cache }).units[0]!.program;
    expect(second).not.toBe(first);
    expect(second.getSourceFile(project.path("src/shelter.ts"))).toBe(first.getSourceFile(project.path("src/shelter.ts")));
    project.write({ "src/shelter.ts": `${SHELTER}// edited\n` });
    const third = loadProject({ tsconfig, cache }).units[0]!.program;
    expect(third.getSourceFile(project.path("src/shelter.ts"))).not.toBe(second.getSourceFile(project.path("src/shelter.ts")));
    expect(third.getSourceFile(project.path("src/shelter.ts"))!.text).toContain("// edited");
    expect(third.getSourceFile(project.path("src/animals.ts"))).toBe(second.getSourceFile(project.path("src/animals.ts")));
  });

  it("shares the files of tsconfigs with the same options (a monorepo's packages), not of ones whose options differ", () => {
    const shared = 'declare module "shared" { export interface Pet { name: string } }\n';
    // Each package's tsconfig: its own outDir (as the configFilePath TypeScript records), the shared declarations included.
    const tsconfig = (outDir: string, target = "ES2022") => {
      const { compilerOptions } = JSON.parse(TSCONFIG) as { compilerOptions: Record<string, unknown> };
      return JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: undefined, outDir, target }, include: ["src", "../types"] });
    };
    project = new TempProject({
      "a/tsconfig.json": tsconfig("dist-a"),
      "a/src/animals.ts": ANIMALS,
      "a/src/shelter.ts": SHELTER,
      "b/tsconfig.json": tsconfig("dist-b"),
      "b/src/animals.ts": ANIMALS,
      "c/tsconfig.json": tsconfig("dist-c", "ES2020"),
      "c/src/animals.ts": ANIMALS,
      "types/shared.d.ts": shared,
    });
    const cache = new ProgramCache();
    const program = (name: string) => loadProject({ tsconfig: project.path(`${name}/tsconfig.json`), cache }).units[0]!.program;
    const [a, b, c] = [program("a"), program("b"), program("c")];
    const lib = (p: typeof a) => p.getSourceFiles().find((sf) => p.isSourceFileDefaultLibrary(sf))!;
    for (const p of [a, b, c]) {
      expect(lib(p)).toBeDefined();
      expect(p.getSourceFile(project.path("types/shared.d.ts"))).toBeDefined();
    }
    expect(lib(b)).toBe(lib(a));
    expect(b.getSourceFile(project.path("types/shared.d.ts"))).toBe(a.getSourceFile(project.path("types/shared.d.ts")));
    expect(lib(c)).not.toBe(lib(a));
    expect(c.getSourceFile(project.path("types/shared.d.ts"))).not.toBe(a.getSourceFile(project.path("types/shared.d.ts")));
    // TypeScript's lib files are the process's: another cache, or a run without one, gets the same; the declarations they share are the cache's.
    const [fresh, uncached] = [new ProgramCache(), undefined].map(
      (other) => loadProject({ tsconfig: project.path("a/tsconfig.json"), cache: other }).units[0]!.program,
    );
    expect(lib(fresh!)).toBe(lib(a));
    expect(lib(uncached!)).toBe(lib(a));
    expect(fresh!.getSourceFile(project.path("types/shared.d.ts"))).not.toBe(a.getSourceFile(project.path("types/shared.d.ts")));
    // Each package still reports what a cold run reports.
    for (const name of ["a", "b", "c"]) {
      const options = { cwd: project.path(name), project: project.path(`${name}/tsconfig.json`), config: false as const };
      expect(withoutDuration(runCheck({ ...options, programCache: cache }))).toEqual(withoutDuration(runCheck(options)));
    }
  });
});
