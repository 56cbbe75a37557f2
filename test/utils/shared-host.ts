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
