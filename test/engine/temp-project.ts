import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const TSCONFIG = JSON.stringify(
  { compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", types: [], noEmit: true }, include: ["src", "test"] },
  null,
  2,
);

/** A throwaway folder (real path) with files written into it. */
export class TempProject {
  readonly dir: string;
  constructor(files: Record<string, string> = {}) {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "covenant-engine-")));
    this.write(files);
  }
  write(files: Record<string, string>): this {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(this.dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    return this;
  }
  read(name: string): string {
    return fs.readFileSync(path.join(this.dir, name), "utf8");
  }
  path(name: string): string {
    return path.join(this.dir, name);
  }
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
