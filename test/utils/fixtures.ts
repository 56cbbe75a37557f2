import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { createSharingCompilerHost } from "./shared-host.js";

export const FIXTURES_DIR = path.resolve(import.meta.dirname, "../../fixtures");

/** A marker written next to the code: `// expect: <rule-id>` or `// expect: <rule-id>:<messageId>` (comma-separated for several). */
export interface Marker {
  file: string; // relative to the fixture dir, `/` separators
  line: number;
  ruleId: string;
  messageId?: string;
}

const MARKER = /\/\/\s*expect:\s*([a-z0-9-]+(?::[A-Za-z0-9]+)?(?:\s*,\s*[a-z0-9-]+(?::[A-Za-z0-9]+)?)*)/;

export function readMarkers(fixtureDir: string, fileNames: readonly string[]): Marker[] {
  const markers: Marker[] = [];
  for (const fileName of fileNames) {
    const rel = path.relative(fixtureDir, fileName).split(path.sep).join("/");
    fs.readFileSync(fileName, "utf8")
      .split("\n")
      .forEach((text, index) => {
        const m = MARKER.exec(text);
        if (!m) return;
        for (const item of m[1]!.split(",")) {
          const [ruleId, messageId] = item.trim().split(":");
          markers.push({ file: rel, line: index + 1, ruleId: ruleId!, ...(messageId ? { messageId } : {}) });
        }
      });
  }
  return markers;
}

/** Every fixture project: a folder under fixtures/ with a tsconfig.json. */
export function listFixtureProjects(): string[] {
  return fs
    .readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(FIXTURES_DIR, d.name, "tsconfig.json")))
    .map((d) => path.join(FIXTURES_DIR, d.name))
    .sort();
}

/** Type-check diagnostics of a fixture (tsc --noEmit equivalent), formatted. */
export function getFixtureTypeErrors(fixtureDir: string): string[] {
  const configPath = path.join(fixtureDir, "tsconfig.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!parsed) return [`cannot read ${configPath}`];
  const options = { ...parsed.options, noEmit: true };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options, host: createSharingCompilerHost(ts, options) });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined ? `${path.relative(fixtureDir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}
