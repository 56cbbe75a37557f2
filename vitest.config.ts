import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The longest test files, longest first (CPU seconds of each file in a full run, child processes
 * included, measured on the 2-core machine under load; see README): `npm run lint` (ESLint is most
 * of it), the hostile inputs (child processes with time and heap caps), then the rest. Vitest orders
 * by the durations of the last run when it has them and by file size otherwise: on a fresh clone the
 * heavy files would start late and leave the other worker idle at the end.
 */
const LONGEST_FIRST = [
  "test/lint.test.ts", // ~80
  "test/hostile/contracts.test.ts", // 46
  "test/hostile/analyzer.test.ts", // 29
  "test/asyncapi/asyncapi.test.ts", // 26
  "test/diff/cases.test.ts", // 22
  "test/contracts/generate.test.ts", // 20
  "test/precommit.test.ts", // 19
  "test/hostile/runtime.test.ts", // 17
  "test/cli/daemon.test.ts", // 15
  "test/cli/check.test.ts", // 15
  "test/checks/contract-event.test.ts", // 14
  "test/scripts/new-check.test.ts", // 14
  "test/checks/unawaited-factory.test.ts", // 14
  "test/cli/process.test.ts", // 12
  "test/checks/lifecycle-order.test.ts", // 12
  "test/checks/liskov-override.test.ts", // 10
  "test/diff/properties.test.ts", // 10
  "test/contracts/generate-cli.test.ts", // 10
  "test/infer/round-trip.test.ts", // 10
  "test/rules/recommended.test.ts", // 9
  "test/contracts/generate-prototype-names.test.ts", // 9
  "test/fixtures.test.ts", // 8
  "test/rules/suppressions.test.ts", // 8
  "test/cli/demo.test.ts", // 8
  "test/runtime/example-generated.test.ts", // 7
];

/**
 * Last: the tsc compile matrix runs its twelve compilers side by side, so it keeps both cores busy
 * while the other worker finishes; run beside the hostile inputs it starved their 20 s caps.
 */
const LAST = ["test/contracts/generate-compile-matrix.test.ts"];

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const is = (name: string) => file.moduleId.endsWith(`/${name}`);
      if (LAST.some(is)) return LONGEST_FIRST.length + 1;
      const index = LONGEST_FIRST.findIndex(is);
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
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
    // Two test files at a time, each worker a child process: the machine this runs on has two cores.
    pool: "forks",
    maxWorkers: 2,
    isolate: false,
    sequence: { sequencer: LongestFirstSequencer },
    include: ["test/**/*.test.ts"],
  },
});
