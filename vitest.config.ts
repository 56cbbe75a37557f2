import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The longest test files, longest first (wall seconds of each file in a full run on a clean clone,
 * measured on the 2-core machine by .ci/run; see README): `npm run lint` (ESLint is most of it), the
 * hostile inputs (child processes with time and heap caps), then the rest. Vitest orders by the
 * durations of the last run when it has them and by file size otherwise: on a fresh clone the heavy
 * files would start late and leave the other worker idle at the end.
 */
const LONGEST_FIRST = [
  "test/lint.test.ts", // 50
  "test/contracts/generate-compile-matrix.test.ts", // 20
  "test/cli/daemon.test.ts", // 16
  "test/hostile/analyzer.test.ts", // 15
  "test/hostile/contracts.test.ts", // 12
  "test/hostile/runtime.test.ts", // 11
  "test/precommit.test.ts", // 10
  "test/checks/unawaited-factory.test.ts", // 9
  "test/diff/cases.test.ts", // 8
  "test/asyncapi/asyncapi.test.ts", // 8
  "test/cli/process.test.ts", // 7
  "test/scripts/new-check.test.ts", // 6
  "test/checks/liskov-override.test.ts", // 6
  "test/rules/recommended.test.ts", // 6
  "test/runtime/agent-server-load.test.ts", // 6
  "test/checks/contract-event.test.ts", // 5
  "test/fixtures.test.ts", // 5
  "test/checks/lifecycle-order.test.ts", // 5
  "test/cli/demo.test.ts", // 4
  "test/cli/check.test.ts", // 4
  "test/bench/tree-rss.test.ts", // 4
  "test/checks/dual-interface.test.ts", // 4
  "test/contracts/graphql-ws-conformance.test.ts", // 3
  "test/cli/startup.test.ts", // 3
  "test/cli/engine.test.ts", // 3
];

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const is = (name: string) => file.moduleId.endsWith(`/${name}`);
      const index = LONGEST_FIRST.findIndex(is);
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

/** A positive whole number of workers from the environment, else 2. */
function workerCount(value: string | undefined): number {
  const count = Number(value);
  return Number.isInteger(count) && count > 0 ? count : 2;
}

// One worker process runs its test files one after another without a fresh module graph for each
// (isolate: false): each file would otherwise load TypeScript, ESLint, typescript-eslint and the
// contract stack again, about a second of CPU a file (25 light files: 78 CPU-s isolated, 50 not).
// The tests leave no global state behind: runCli and the one test that changes the cwd restore it.
export default defineConfig({
  test: {
    globals: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two test files at a time, each worker a child process: the machine this runs on has two cores
    // (COVENANT_TEST_WORKERS=<n> sets another count; three measured no faster here).
    pool: "forks",
    maxWorkers: workerCount(process.env.COVENANT_TEST_WORKERS),
    isolate: false,
    sequence: { sequencer: LongestFirstSequencer },
    include: ["test/**/*.test.ts"],
  },
});
