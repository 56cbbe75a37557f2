/** covenant's own package.json, read once: the version every output names. */
import fs from "node:fs";
import path from "node:path";

let cached: { name: string; version: string } | undefined;

/**
 * The nearest package.json above this module: the package root, from the sources (run by vitest) and
 * from dist/ (built) alike. Read as data, never imported.
 */
export function getOwnPackage(): { name: string; version: string } {
  if (cached) return cached;
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const data = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      cached = { name: data.name ?? "covenant", version: data.version ?? "0.0.0" };
      return cached;
    }
    if (path.dirname(dir) === dir) return (cached = { name: "covenant", version: "0.0.0" });
  }
}
