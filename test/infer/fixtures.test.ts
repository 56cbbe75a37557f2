// The infer fixtures are small real projects: each type-checks as it is, so what infer reads is
// code a compiler accepts.
import fs from "node:fs";
import path from "node:path";
import { getFixtureTypeErrors } from "../utils/fixtures.js";
import { FIXTURES } from "./harness.js";

const PROJECTS = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("fixtures/infer", () => {
  it("has the cases the tests name", () => {
    expect(PROJECTS).toEqual(["chat", "collisions", "emitter", "endpoints", "flat", "generic-defaults", "none", "shapes", "unconvertible"]);
  });

  it.each(PROJECTS)("%s type-checks", (name) => {
    expect(getFixtureTypeErrors(path.join(FIXTURES, name))).toEqual([]);
  });
});
