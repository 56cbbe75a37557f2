import fs from "node:fs";
import path from "node:path";

/**
 * covenant's own package.json, read once: the name users install (`npm install --save-dev <name>`,
 * `<name>/eslint-plugin`, `./node_modules/<name>/schema/...`), the version the CLI, the ESLint plugin
 * and the reports print, and the repository the docs links point at. package.json is the one place
 * these are written; everything else derives them from here.
 */
export interface PackageInfo {
  /** The npm package name (not the binary, which is always `covenant`). */
  name: string;
  version: string;
  /** `https://github.com/<owner>/<repo>`, from package.json's `repository`. */
  repositoryUrl: string;
}

interface Manifest {
  name?: unknown;
  version?: unknown;
  bin?: unknown;
  repository?: unknown;
}

/**
 * The nearest package.json above this module that declares the `covenant` binary: the repository
 * root for the sources (common/package.ts, run by vitest) and the package root for the build
 * (dist/common/package.js), wherever npm installed it.
 */
function findManifest(start: string): { file: string; manifest: Manifest } {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
      if (typeof manifest.bin === "object" && manifest.bin !== null && "covenant" in manifest.bin) return { file, manifest };
    }
    if (path.dirname(dir) === dir) throw new Error(`covenant's package.json was not found above ${start}`);
  }
}

/** `git+https://github.com/o/r.git`, `https://github.com/o/r`, `github:o/r` or `o/r` to `https://github.com/o/r`. */
export function toRepositoryUrl(repository: unknown): string | undefined {
  const url =
    typeof repository === "string" ? repository : typeof repository === "object" && repository !== null && "url" in repository ? repository.url : undefined;
  if (typeof url !== "string") return undefined;
  const match = /^(?:git\+)?(?:https?:\/\/|git:\/\/|ssh:\/\/git@|git@)?(?:github\.com[/:]|github:)?([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? `https://github.com/${match[1]!}/${match[2]!}` : undefined;
}

const MANIFEST = findManifest(import.meta.dirname);

function readPackageInfo(): PackageInfo {
  const { file, manifest } = MANIFEST;
  const repositoryUrl = toRepositoryUrl(manifest.repository);
  if (typeof manifest.name !== "string" || typeof manifest.version !== "string" || repositoryUrl === undefined) {
    throw new Error(`${file} needs a name, a version and a GitHub repository`);
  }
  return { name: manifest.name, version: manifest.version, repositoryUrl };
}

export const PACKAGE: PackageInfo = readPackageInfo();

/** A link to a file of the repository as it is on `main`: `repositoryFileUrl("docs/rules/x.md")`. */
export function repositoryFileUrl(file: string): string {
  return `${PACKAGE.repositoryUrl}/blob/main/${file}`;
}

/**
 * A file of covenant's own package (one package.json's `files` ships), as text:
 * `readPackageFile("contracts/runtime/lifecycle.ts")`. Relative to the package root, which is the
 * repository root when run from the sources.
 */
export function readPackageFile(file: string): string {
  return fs.readFileSync(path.join(path.dirname(MANIFEST.file), file), "utf8");
}
