import { BaseSequencer, type TestSpecification } from "vitest/node";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * The longest test files, longest first (measured with `--reporter=json`; the rule tables together
 * so that one worker process runs them one after another). Vitest orders by the durations of the
 * last run when it has them and by file size otherwise: on a fresh clone the rule tables (5-line
 * files whose cases live in *.cases.ts) would start last and leave the other worker idle at the end.
 */
const LONGEST_FIRST = [
  "test/cli/check.test.ts",
  "test/diff/cli.test.ts",
  "test/checks/unawaited-factory.test.ts",
  "test/checks/lifecycle-order.test.ts",
  "test/checks/liskov-override.test.ts",
  "test/checks/contract-event.test.ts",
  "test/checks/dual-interface.test.ts",
  "test/checks/silent-emit-drop.test.ts",
  "test/checks/permissive-mock.test.ts",
  "test/checks/lifecycle-order.config.test.ts",
  "test/contracts/generate-cli.test.ts",
  "test/diff/cases.test.ts",
  "test/precommit.test.ts",
  "test/cli/daemon.test.ts",
  "test/fixtures.test.ts",
  "test/runtime/example-generated.test.ts",
  "test/rules/recommended.test.ts",
  "test/cli/fixtures.test.ts",
  "test/cli/init.test.ts",
];

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.findIndex((name) => file.moduleId.endsWith(`/${name}`));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

// The rule tables (test/checks) share their worker process: each file would otherwise load
// TypeScript, ESLint and typescript-eslint again (a quarter of their CPU time; with --no-isolate the
// nine files took 45 CPU seconds instead of 61, 770 MB at most per worker). Every other file gets a
// process of its own (CLI spawns, servers, temp folders; memory returned when the file ends).
const RULE_TABLES = ["test/checks/**/*.test.ts"];

export default defineConfig({
  test: {
    globals: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two test files at a time, each in a child process: the machine this runs on has two cores.
    pool: "forks",
    maxWorkers: 2,
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      { extends: true, test: { name: "rule-tables", include: RULE_TABLES, isolate: false } },
      { extends: true, test: { name: "rest", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, ...RULE_TABLES] } },
    ],
  },
});
