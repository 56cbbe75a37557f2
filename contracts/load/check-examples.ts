import type { ErrorObject } from "ajv/dist/2020.js";
import type { JsonSchema } from "../model.js";
import { formatChoices, truncate } from "./contract-errors.js";
import { runExampleJob, runExampleJobInWorker, workerScript, type ExampleJob, type WorkerResult } from "./example-validation.js";
import { hasBacktrackingPattern } from "./regex-risk.js";
import type { BundledDefinition } from "./schema-bundle.js";
import { pickErrors, pointerSegments, type SchemaCheckContext } from "./schema-checks.js";
import type { JsonPath } from "./source-document.js";

export interface ExampleSet {
  event: string;
  payload: JsonSchema;
  /** Where each example list sits in the contract, with its items. */
  lists: { path: JsonPath; items: unknown[] }[];
  /** Where the payload schema sits (for compile errors). */
  payloadPath: JsonPath;
}

/**
 * How long checking one example may take when a pattern could backtrack (see `mayBacktrack`). An
 * honest example takes microseconds; a backtracking one takes exponential time, so a longer budget
 * would only let through near-matches a couple of characters longer, and make a pre-commit hook wait.
 */
export const EXAMPLE_BUDGET_MS = 1000;

/**
 * Compiles each bundled payload with Ajv (catching what the meta-schema cannot see) and validates
 * every example against it. In this thread when that is safe; in a worker when a `pattern` could take
 * exponential time on an example (the worker is stopped when one example takes `EXAMPLE_BUDGET_MS`), or when Ajv ran
 * out of stack compiling a long chain of `$ref`s (the worker's stack is larger).
 */
export function checkExamples(
  ctx: SchemaCheckContext,
  sets: readonly ExampleSet[],
  definitions: Readonly<Record<string, JsonSchema>>,
  origins: ReadonlyMap<string, BundledDefinition>,
): void {
  const job: ExampleJob = {
    definitions: { ...definitions },
    payloads: sets.map((set) => ({ schema: set.payload, lists: set.lists.map((list) => list.items) })),
  };
  const script = workerScript();
  const budgeted =
    script !== undefined && sets.some((set) => set.lists.length > 0) && hasBacktrackingPattern([job.definitions, ...job.payloads.map((p) => p.schema)]);
  let result: WorkerResult | undefined;
  if (!budgeted) {
    try {
      result = { kind: "done", outcomes: runExampleJob(job, ctx.ajv) };
    } catch (error) {
      if (!(error instanceof RangeError) || script === undefined) throw error;
    }
  }
  result ??= runExampleJobInWorker(script!, job, EXAMPLE_BUDGET_MS);
  if (result.kind === "timeout") return reportTimeout(ctx, sets, result);
  if (result.kind === "too-deep") {
    const set = sets[Math.max(0, result.payload)]!;
    ctx.problems.add("schema-too-complex", ctx.contract.file, ctx.contract.entryPosition(set.payloadPath), {
      where: `the payload of \`${set.event}\``,
      detail: "its chain of `$ref`s is too long to compile (several thousand schemas)",
    });
    return;
  }
  const source = ctx.contract;
  result.outcomes.forEach((outcome, index) => {
    const set = sets[index]!;
    if ("compileError" in outcome) return reportCompileError(ctx, set, origins, outcome.compileError);
    for (const failure of outcome.failures) {
      const list = set.lists[failure.list]!;
      for (const error of pickErrors(failure.errors)) {
        const instance = pointerSegments(error.instancePath);
        const at =
          error.keyword === "additionalProperties"
            ? source.entryPosition([...list.path, failure.index, ...instance, (error.params as { additionalProperty: string }).additionalProperty])
            : source.valuePosition([...list.path, failure.index, ...instance]);
        ctx.problems.add("example-invalid", source.file, at, { index: String(failure.index), event: set.event, detail: describeInstanceError(error) });
      }
    }
  });
}

function reportTimeout(ctx: SchemaCheckContext, sets: readonly ExampleSet[], at: { payload: number; list: number; index: number; ms: number }): void {
  const set = sets[Math.max(0, at.payload)]!;
  const list = at.list >= 0 ? set.lists[at.list] : undefined;
  const where = list && at.index >= 0 ? ctx.contract.valuePosition([...list.path, at.index]) : ctx.contract.entryPosition(set.payloadPath);
  ctx.problems.add("example-timeout", ctx.contract.file, where, {
    what: list && at.index >= 0 ? `example ${at.index} of event \`${set.event}\`` : `the examples of event \`${set.event}\``,
    seconds: String(at.ms / 1000),
  });
}

function reportCompileError(ctx: SchemaCheckContext, set: ExampleSet, origins: ReadonlyMap<string, BundledDefinition>, message: string): void {
  // Ajv names the schema location as `at "#/..."` or `at path "#/..."`.
  const pointer = /at (?:path )?"(?:urn:covenant:bundle)?#([^"]*)"/.exec(message)?.[1] ?? "";
  const segments = pointerSegments(pointer);
  let doc = ctx.contract;
  let at: JsonPath = set.payloadPath;
  if (segments[0] === "$defs" && typeof segments[1] === "string" && segments[1].startsWith("payload:")) {
    at = [...set.payloadPath, ...segments.slice(2)];
  } else if (segments[0] === "$defs" && typeof segments[1] === "string" && origins.has(segments[1])) {
    const origin = origins.get(segments[1])!.origin;
    doc = origin.doc;
    at = [...origin.path, ...segments.slice(2)];
  }
  ctx.problems.add("schema-invalid", doc.file, doc.entryPosition(at), {
    where: doc === ctx.contract ? `the payload of \`${set.event}\`` : `\`${ctx.displayFile(doc.file)}\``,
    detail: message.replace(/^strict mode: /, "").replace(/\s+/g, " "),
    fix: "Fix the schema.",
  });
}

/** "`run_id` must be a string" / "`extra` is not allowed" / "`agent_name` is missing". */
export function describeInstanceError(error: ErrorObject): string {
  const field = error.instancePath === "" ? "the payload" : `\`${pointerSegments(error.instancePath).join(".")}\``;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${error.instancePath === "" ? "" : `in ${field}, `}\`${String(params.missingProperty)}\` is missing`;
    case "additionalProperties":
      return `${error.instancePath === "" ? "" : `in ${field}, `}\`${String(params.additionalProperty)}\` is not allowed (not declared under \`properties\`)`;
    case "type":
      return `${field} must be ${String(params.type).replace(/,/g, " or ")}`;
    case "enum":
      return `${field} must be one of ${formatChoices((params.allowedValues as unknown[]).map((v) => truncate(JSON.stringify(v))))}`;
    case "const":
      return `${field} must be ${truncate(JSON.stringify(params.allowedValue))}`;
    default:
      return `${field} ${error.message ?? "is invalid"}`;
  }
}
