import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A hook that logs what a Node process loads, for a child's environment: every ES module the loader
 * resolves (module.register's resolve hook, on the loader's thread) and, at exit, every CommonJS module
 * in require.cache (TypeScript 6 is CommonJS, required from dist/common/typescript.cjs; an ES module
 * loaded with require() is listed there too). One file URL a line, to $COVENANT_TEST_LOAD_LOG.
 */
const HOOK = `
import fs from "node:fs";
import { createRequire, register } from "node:module";
import { pathToFileURL } from "node:url";
const log = process.env.COVENANT_TEST_LOAD_LOG;
register("data:text/javascript," + encodeURIComponent(
  "import fs from 'node:fs';" +
  "export async function resolve(specifier, context, next) {" +
  "  const resolved = await next(specifier, context);" +
  "  fs.appendFileSync(" + JSON.stringify(log) + ", resolved.url + '\\\\n');" +
  "  return resolved;" +
  "}"));
process.on("exit", () => {
  const cache = createRequire(pathToFileURL(process.cwd() + "/").href).cache;
  fs.appendFileSync(log, Object.keys(cache).map((file) => pathToFileURL(file).href + "\\n").join(""));
});
`;

export interface LoadedModules {
  /** npm packages (by folder name under node_modules: `typescript`, `typescript-7`, `zod`, ...). */
  packages: string[];
  /** covenant's own modules, relative to the build (`cli/check.js`, `analyzer/engine/run-check.js`). */
  own: string[];
}

/** The environment (to add to a child's) that logs what it loads, and the reader of that log. */
export function createLoadLog(): { env: NodeJS.ProcessEnv; read(): LoadedModules; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-loads-"));
  const file = path.join(dir, "loaded.txt");
  return {
    env: {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=data:text/javascript,${encodeURIComponent(HOOK)}`.trim(),
      COVENANT_TEST_LOAD_LOG: file,
    },
    read() {
      const urls = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : [];
      const packages = new Set<string>();
      const own = new Set<string>();
      for (const url of urls.filter((u) => u.startsWith("file:"))) {
        const where = decodeURIComponent(new URL(url).pathname);
        const inPackage = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(where);
        if (inPackage) packages.add(inPackage[1]!);
        else if (where.includes("/dist/")) own.add(where.slice(where.lastIndexOf("/dist/") + "/dist/".length));
      }
      fs.rmSync(file, { force: true });
      return { packages: [...packages].sort(), own: [...own].sort() };
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
