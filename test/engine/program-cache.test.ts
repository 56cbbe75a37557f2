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
});
