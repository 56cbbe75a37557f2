import ts from "typescript";
import { Project } from "ts-morph";
import { describe, expect, it } from "vitest";
import { createVirtualProgram, getProgramErrors } from "./utils/program.js";

describe("test harness", () => {
  it("compiles in-memory files with the real lib and reports type errors", () => {
    expect(getProgramErrors(createVirtualProgram({ "src/a.ts": "export const x: Promise<number> = Promise.resolve(1);" }))).toEqual([]);
    expect(getProgramErrors(createVirtualProgram({ "src/a.ts": "export const x: number = 'no';" }))).toHaveLength(1);
  });

  it("uses one TypeScript: ts-morph's bundled compiler is the same version as ours", async () => {
    // The check core imports `typescript`; the CLI feeds it nodes from ts-morph's program.
    expect(new Project({ useInMemoryFileSystem: true }).getTypeChecker().compilerObject).toBeDefined();
    const morphTs = (await import("ts-morph")).ts;
    expect(morphTs.version).toBe(ts.version);
  });
});
