import fs from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from "node:worker_threads";
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { LruMap } from "../../common/lru-map.js";

// This module imports nothing of covenant's own but common/lru-map.js, which imports nothing: it is also
// the entry point of the worker that validates examples under a time budget, and a worker loads it (and
// what it imports) as plain JavaScript, cheaply.

const requireModule = createRequire(import.meta.url);
let ajvModule: { Ajv2020: typeof Ajv2020; addFormats: (ajv: Ajv2020) => Ajv2020 } | undefined;
export function loadAjv(): NonNullable<typeof ajvModule> {
  // ajv and ajv-formats (CommonJS) are required on first use rather than imported: `covenant check`
  // loads the contract loader with the contract rules, and a project with no contracts should not pay for them.
  if (!ajvModule) {
    const formats = requireModule("ajv-formats") as { default?: unknown };
    ajvModule = {
      Ajv2020: (requireModule("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020 }).Ajv2020,
      addFormats: (formats.default ?? formats) as (ajv: Ajv2020) => Ajv2020,
    };
  }
  return ajvModule;
}

/**
 * One Ajv per load (only the payload validators it compiles outlive it, see `rememberedValidators`):
 * strict about keywords, formats and numbers. Schemas are not
 * re-validated on compile (`validateSchema: false`): the loader has already checked them against the
 * meta-schema, with positions.
 */
export function createAjv(): Ajv2020 {
  const { Ajv2020, addFormats } = loadAjv();
  const ajv = new Ajv2020({
    validateSchema: false,
    strict: true,
    // `required` listed inside `anyOf` branches and keyword/type combinations are legitimate JSON
    // Schema; the loader checks the unambiguous cases itself, with positions.
    strictRequired: false,
    strictTypes: false,
    strictTuples: false,
    allErrors: true,
    allowUnionTypes: true,
    validateFormats: true,
    // A field an object inherits (`constructor`, `toString`) is absent unless the value has it.
    ownProperties: true,
    // No optimizing pass over the generated code: a load compiles every payload once and runs it
    // on a few examples at most, and the pass was a sixth of a load's time. Same checks, same errors.
    code: { optimize: false },
  });
  addFormats(ajv);
  // covenant's openness annotation (docs/contract-format.md#openness): accepted, checked by the loader, never validated.
  ajv.addKeyword({ keyword: "x-covenant-openness", schemaType: "string" });
  return ajv;
}

/** Everything the example check needs, as plain data (it may cross to a worker). */
export interface ExampleJob {
  definitions: Record<string, unknown>;
  /** Per payload: its schema and its example lists. */
  payloads: { schema: unknown; lists: unknown[][] }[];
}

/** Per payload: why it did not compile, or the examples it rejects with Ajv's errors. */
export type ExampleOutcome = { compileError: string } | { failures: { list: number; index: number; errors: ErrorObject[] }[] };

const BUNDLE_ID = "urn:covenant:bundle";

/**
 * Compiles each payload with Ajv and validates every example against it. `progress`, when given,
 * holds [payload, list, example] (-1 while compiling) before each step, so whoever stops a run that
 * takes too long can say where it was.
 */
export function runExampleJob(job: ExampleJob, ajv: Ajv2020 = createAjv(), progress?: Int32Array): ExampleOutcome[] {
  // One bundle: the shared definitions and every payload side by side under `$defs`, so each shared
  // schema is compiled once. Payload keys contain `:`, which no definition name may.
  const $defs: Record<string, unknown> = { ...job.definitions };
  job.payloads.forEach((payload, index) => ($defs[`payload:${index}`] = payload.schema));
  ajv.addSchema({ $id: BUNDLE_ID, $defs });
  const remembered = rememberedValidators(JSON.stringify(job.definitions));
  return job.payloads.map((payload, index): ExampleOutcome => {
    progress?.set([index, -1, -1]);
    const text = JSON.stringify(payload.schema);
    // A payload that named another payload of the bundle (`#/$defs/payload:1`) would depend on more than the definitions.
    // The bundler's `$ref`s name definitions, never payloads; a payload whose text holds `payload:` anyway (in a
    // string) is only not remembered, which costs a compile, never a wrong answer.
    const key = text.includes("payload:") ? undefined : text;
    let validate: ValidateFunction | undefined = key === undefined ? undefined : remembered.get(key);
    if (!validate) {
      try {
        validate = ajv.getSchema(`${BUNDLE_ID}#/$defs/payload:${index}`);
      } catch (error) {
        if (error instanceof RangeError) throw error; // too deep for this stack: the caller retries with a larger one
        return { compileError: (error as Error).message };
      }
      if (validate && key !== undefined) remembered.set(key, validate);
    }
    const failures: { list: number; index: number; errors: ErrorObject[] }[] = [];
    if (!validate) return { failures };
    payload.lists.forEach((items, list) =>
      items.forEach((example, i) => {
        progress?.set([index, list, i]);
        if (!validate(example)) failures.push({ list, index: i, errors: validate.errors ?? [] });
      }),
    );
    return { failures };
  });
}

/**
 * The payload validators compiled by earlier loads in this process, by the text of the definitions
 * they were compiled with (the last few sets), then by the payload's text. A payload's validator
 * depends on nothing else (every load's Ajv has the same options), and compiling it was most of a
 * load: the two contracts of a diff share most of their payloads, and a process that loads a
 * contract again (a watch, the daemon, a diff against the same base) compiles none of them again.
 * Compile errors are not remembered (their message names the payload's place in the bundle).
 */
const validatorsByDefinitions = new LruMap<string, LruMap<string, ValidateFunction>>(8);

/** The validators remembered for a set of definitions (its JSON text): at most 256 payloads. */
function rememberedValidators(definitions: string): LruMap<string, ValidateFunction> {
  return validatorsByDefinitions.getOrCreate(definitions, () => new LruMap(256));
}

/** How the worker run ended. */
export type WorkerResult =
  | { kind: "done"; outcomes: ExampleOutcome[] }
  /** Where the worker was when it ran out of its budget of `ms` (list -1: starting or compiling). */
  | { kind: "timeout"; payload: number; list: number; index: number; ms: number }
  | { kind: "too-deep"; payload: number };

/**
 * The stack of the worker, in MB. The main thread's (about 1 MB) compiles a `$ref` chain of about
 * 100 schemas; Ajv compiles a chain recursively, and 64 MB takes one of several thousand.
 */
export const WORKER_STACK_MB = 64;

/** The worker's entry point, compiled next to this file; absent when running from the TypeScript sources. */
export function workerScript(): string | undefined {
  const file = fileURLToPath(import.meta.url);
  return file.endsWith(".js") && fs.existsSync(file) ? file : undefined;
}

/**
 * How long the worker may spend starting, or compiling one payload, before it is stopped. A chain of a
 * thousand `$ref`s compiles in under a second on a quiet machine and took 3.4 s at a load of 21 on two
 * cores (under the former 5 s budget for the whole run, that case was flaky); it also bounds the wait
 * should the worker die.
 */
export const COMPILE_BUDGET_MS = 30_000;

/** How often the waiting thread looks at the worker's progress. */
const POLL_MS = 25;

/**
 * Runs `runExampleJob` in a worker with a larger stack, and waits for it (synchronously: the loader is
 * synchronous). The budget is per step, so a contract with many examples is not cut short by their
 * number, nor by the worker's start: validating one example may take at most `exampleMs`, starting the
 * worker or compiling one payload at most `COMPILE_BUDGET_MS`. A worker past a budget is stopped, and
 * the result says at which step.
 */
export function runExampleJobInWorker(script: string, job: ExampleJob, exampleMs: number): WorkerResult {
  const shared = new SharedArrayBuffer(4 * 4);
  const state = new Int32Array(shared); // [done flag, payload, list, example]
  state.set([0, -1, -1, -1]);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(script, {
    workerData: { covenantExampleJob: job, port: port2, shared },
    transferList: [port2],
    resourceLimits: { stackSizeMb: WORKER_STACK_MB },
    // Not the process's own Node options (the default): the worker runs this compiled module and nothing
    // else, and some options stop a worker from starting (`--input-type`, given to `node -e` programs).
    execArgv: [],
  });
  worker.unref();
  // This thread waits synchronously, so a worker that fails is seen as one that never answers (a
  // timeout); its `error` event arrives afterwards and must not end the process.
  worker.on("error", () => undefined);
  const at = () => ({ payload: Atomics.load(state, 1), list: Atomics.load(state, 2), index: Atomics.load(state, 3) });
  try {
    let step = at();
    let stepStarted = performance.now();
    while (Atomics.wait(state, 0, 0, POLL_MS) === "timed-out") {
      const now = performance.now();
      const current = at();
      if (current.payload !== step.payload || current.list !== step.list || current.index !== step.index) {
        step = current;
        stepStarted = now;
      } else if (now - stepStarted >= (step.list >= 0 ? exampleMs : COMPILE_BUDGET_MS)) {
        return { kind: "timeout", ...step, ms: step.list >= 0 ? exampleMs : COMPILE_BUDGET_MS };
      }
    }
    const message = receiveMessageOnPort(port1)?.message as WorkerResult | { kind: "error"; message: string } | undefined;
    if (message === undefined) return { kind: "timeout", ...at(), ms: exampleMs };
    if (message.kind === "error") throw new Error(`example check worker failed: ${message.message}`);
    return message;
  } finally {
    void worker.terminate();
    port1.close();
  }
}

if (!isMainThread && (workerData as { covenantExampleJob?: unknown } | null)?.covenantExampleJob !== undefined) {
  const { covenantExampleJob, port, shared } = workerData as { covenantExampleJob: ExampleJob; port: MessagePort; shared: SharedArrayBuffer };
  const state = new Int32Array(shared);
  const progress = state.subarray(1);
  let result: WorkerResult | { kind: "error"; message: string };
  try {
    result = { kind: "done", outcomes: runExampleJob(covenantExampleJob, createAjv(), progress) };
  } catch (error) {
    result =
      error instanceof RangeError
        ? { kind: "too-deep", payload: progress[0]! }
        : { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(result);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
}
