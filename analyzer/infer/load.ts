/**
 * The project `covenant infer` reads: the tsconfig is loaded (and its problems located) by the
 * analyzer's `loadProject`, then the same files and options go into a ts-morph Project, whose
 * navigation the inference is written in. `paths` narrow where unions and calls are looked for;
 * a path may name a declaration file outside the project (a library's shipped types).
 */
import fs from "node:fs";
import path from "node:path";
import { Project, type SourceFile } from "ts-morph";
import { CovenantError } from "../../common/errors.js";
import { loadProject } from "../project/load-project.js";

export interface InferProject {
  project: Project;
  /** The files to look in, sorted by path. */
  files: SourceFile[];
  /** The tsconfig's folder: what locations in the draft are relative to. */
  root: string;
}

const TS_FILE = /\.(d\.)?(ts|tsx|mts|cts)$/;

function isUnder(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

export function loadInferProject(tsconfig: string, paths: readonly string[], cwd: string): InferProject {
  const loaded = loadProject({ tsconfig });
  const options = loaded.units[0]?.program.getCompilerOptions() ?? {};
  const project = new Project({ compilerOptions: options, skipAddingFilesFromTsConfig: true });
  const own = loaded.units.flatMap((unit) => unit.files.map((f) => path.resolve(f.fileName)));
  for (const file of own) project.addSourceFileAtPath(file);
  let files: SourceFile[];
  if (paths.length === 0) {
    files = project.getSourceFiles();
  } else {
    const chosen = new Set<SourceFile>();
    for (const given of paths) {
      const target = path.resolve(cwd, given);
      if (!fs.existsSync(target)) {
        throw new CovenantError({
          code: "path-not-found",
          file: target,
          line: 0,
          column: 0,
          message: "No such file or folder. Pass files or folders of the project to look in.",
        });
      }
      if (fs.statSync(target).isFile()) {
        if (!TS_FILE.test(target)) {
          throw new CovenantError({
            code: "path-not-typescript",
            file: target,
            line: 0,
            column: 0,
            message: "Not a TypeScript file. Pass .ts or .d.ts files, or folders.",
          });
        }
        chosen.add(project.getSourceFile(target) ?? project.addSourceFileAtPath(target));
        continue;
      }
      for (const file of project.getSourceFiles()) if (isUnder(file.getFilePath(), target)) chosen.add(file);
    }
    files = [...chosen];
  }
  files.sort((a, b) => (a.getFilePath() < b.getFilePath() ? -1 : a.getFilePath() > b.getFilePath() ? 1 : 0));
  return { project, files, root: path.dirname(loaded.tsconfig) };
}
