/**
 * The project `covenant infer` reads: the tsconfig is parsed (and its problems located) by the
 * analyzer's `loadProjectConfigs`, then its files and options go into a ts-morph Project, whose
 * navigation the inference is written in: the one program built. `paths` narrow where unions and calls are looked for;
 * a path may name a declaration file outside the project (a library's shipped types).
 */
import fs from "node:fs";
import path from "node:path";
import { Project, type SourceFile } from "ts-morph";
import { CovenantError } from "../../common/errors.js";
import { loadProjectConfigs, readSourceText } from "../project/load-project.js";

export interface InferProject {
  project: Project;
  /** The files to look in, sorted by path. */
  files: SourceFile[];
  /** The tsconfig's folder: what locations in the draft are relative to. */
  root: string;
}

const TS_FILE = /\.(d\.)?(ts|tsx|mts|cts)$/;
const NODE_MODULES = /[\\/]node_modules[\\/]/;

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isUnder(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

export function loadInferProject(tsconfig: string, paths: readonly string[], cwd: string): InferProject {
  const loaded = loadProjectConfigs(tsconfig);
  const project = new Project({ compilerOptions: loaded.configs[0]?.options ?? {}, skipAddingFilesFromTsConfig: true });
  // The files `covenant check` analyzes: each tsconfig's TypeScript files outside node_modules that
  // can be read (a FIFO or an oversized file matched by `include` is skipped), the first project's
  // copy of a file several reference; added in path order per project, as the checks see them.
  for (const file of loaded.configs.flatMap((config) => config.parsed.fileNames.map((f) => path.resolve(f)).sort(byPath))) {
    if (!TS_FILE.test(file) || NODE_MODULES.test(file) || project.getSourceFile(file)) continue;
    const text = readSourceText(file);
    if (text !== undefined) project.createSourceFile(file, text, { overwrite: true }); // in memory: the project is never saved
  }
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
  files.sort((a, b) => byPath(a.getFilePath(), b.getFilePath()));
  return { project, files, root: path.dirname(loaded.tsconfig) };
}
