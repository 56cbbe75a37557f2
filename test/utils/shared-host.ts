import path from "node:path";
import type ts from "typescript";

type TypeScript = typeof ts;

/** One DocumentRegistry per TypeScript (the suite loads 5.9 and 6.0), and the texts it was given. */
const registries = new Map<TypeScript, { registry: ts.DocumentRegistry; texts: Map<string, string | undefined> }>();

/**
 * A compiler host of `typescript` for `options` that parses and binds each file under node_modules
 * (TypeScript's lib files, zod's declarations) once per worker and shares it with every program whose
 * settings parse and bind it the same way, as tsserver shares them between projects: through
 * TypeScript's own DocumentRegistry, which keys them by the settings that affect a source file and
 * by the module format the file is read in. Files outside node_modules (the code under test, which
 * tests rewrite) are read afresh for each program, by `host` (an incremental host for a builder).
 */
export function createSharingCompilerHost(
  typescript: TypeScript,
  options: ts.CompilerOptions,
  host: ts.CompilerHost = typescript.createCompilerHost(options, true),
): ts.CompilerHost {
  let shared = registries.get(typescript);
  if (!shared) registries.set(typescript, (shared = { registry: typescript.createDocumentRegistry(), texts: new Map() }));
  const { registry, texts } = shared;
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    if (shouldCreateNewSourceFile || !fileName.split(/[\\/]/).includes("node_modules")) {
      return readSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    }
    const resolved = path.resolve(fileName);
    if (!texts.has(resolved)) texts.set(resolved, host.readFile(fileName));
    const text = texts.get(resolved);
    if (text === undefined) return readSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    const sourceFileOptions = typeof languageVersionOrOptions === "object" ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
    return registry.acquireDocument(fileName, options, typescript.ScriptSnapshot.fromString(text), "1", undefined, sourceFileOptions);
  };
  return host;
}

/**
 * What `tsc -p <tsconfig> --noEmit` of `typescript` reports, run through its API in this worker: the
 * config parsed by that TypeScript, its program over the shared host, and the config, options, syntax,
 * global, semantic and (when the project emits declarations) declaration diagnostics, formatted as
 * `--pretty false` prints them (paths relative to the tsconfig's folder); "" when it compiles. In a
 * worker that compiled before, TypeScript is loaded and its checker already compiled by V8: a `tsc`
 * process starts both cold, which took about twice the CPU.
 */
export function typeCheckProject(typescript: TypeScript, tsconfig: string): string {
  const parsed = typescript.getParsedCommandLineOfConfigFile(
    tsconfig,
    { noEmit: true },
    {
      ...typescript.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(typescript.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  const program = typescript.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host: createSharingCompilerHost(typescript, parsed.options),
    configFileParsingDiagnostics: typescript.getConfigFileParsingDiagnostics(parsed),
  });
  return typescript.formatDiagnostics(typescript.getPreEmitDiagnostics(program), {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => path.dirname(tsconfig),
    getNewLine: () => "\n",
  });
}
