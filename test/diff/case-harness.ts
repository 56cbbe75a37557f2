/**
 * Diff cases: test/diff/cases/<case>/{old,new}.contract.yaml with expected.json. Witnesses are
 * checked with what the generator emits for each side (zod validators, lifecycle guard, run
 * monitor), imported for real from a git-ignored folder, never by comparing text.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { emitLifecycle, emitValidators } from "../../contracts/generate/index.js";
import { ExampleMaker } from "../../contracts/generate/examples.js";
import { toPascalCase } from "../../common/strings.js";
import { loadContract } from "../../contracts/index.js";
import type { Contract } from "../../contracts/model.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const CASES_DIR = path.join(here, "cases");
const GENERATED = path.resolve(here, "../__generated__/diff-cases");

export interface ExpectedChange {
  rule: string;
  kind: "breaking" | "warning" | "non-breaking";
  path?: string;
  witness: boolean;
}

export interface DiffCase {
  name: string;
  dir: string;
  expected: { description: string; breaking: boolean; changes: ExpectedChange[] };
}

export function listCases(): DiffCase[] {
  return fs
    .readdirSync(CASES_DIR)
    .filter((name) => fs.existsSync(path.join(CASES_DIR, name, "expected.json")))
    .sort()
    .map((name) => ({ name, dir: path.join(CASES_DIR, name), expected: JSON.parse(fs.readFileSync(path.join(CASES_DIR, name, "expected.json"), "utf8")) }));
}

export function loadCase(c: DiffCase): { old: Contract; new: Contract } {
  return { old: loadContract(path.join(c.dir, "old.contract.yaml")), new: loadContract(path.join(c.dir, "new.contract.yaml")) };
}

interface ParseResult {
  success: boolean;
  error?: { message: string };
}

/** What the generated code of one contract offers the checks. */
export interface GeneratedSide {
  contract: Contract;
  parseMessage(raw: unknown): ParseResult;
  /** Applies transitions from the initial state with the generated guard: the final state, or null when one throws. */
  follow(transitions: readonly string[]): string | null;
  /** Feeds one run to the generated run monitor (undefined when the contract has no runs: every run is accepted). */
  acceptsRun(events: readonly string[]): boolean;
  /**
   * Per-id uniqueness: the generated endpoint of `ids.receiver` takes the transitions, then emits the
   * messages its side sends and receives the others (each with `field` = `id`, the rest of the
   * message made from the schemas); its answer to the last, or a string saying what went wrong before.
   */
  answerIds(transitions: readonly string[], ids: IdsWitness): unknown;
}

export interface IdsWitness {
  field: string;
  id: string | number;
  messages: { event: string; by: "client" | "server" }[];
  receiver: "client" | "server";
}

interface Endpoint {
  transition(name: string): string;
  emit(event: string, payload: unknown, fields?: Record<string, unknown>): string;
  receive(raw: string): { kind: string; code?: number; reason?: string };
}

type LifecycleModule = Record<string, unknown>;

/** The generated files of one contract: the folder they are written to, and each module once imported. */
interface GeneratedFiles {
  dir: string;
  validators?: Promise<LifecycleModule>;
  lifecycle?: Promise<LifecycleModule>;
}

const generatedFiles = new Map<string, GeneratedFiles>();

/**
 * The generated side of a contract. Its files are generated once for every case whose contract is
 * the same apart from the folder it lies in (many cases share an old or a new side): the contract
 * model is plain data, so its JSON with `file` cut to the file's name is the whole input of the
 * generators. The validators always; the lifecycle guard (which imports them) when `lifecycle` is
 * set, the only witnesses that need no more than the validators being message witnesses: a side
 * whose guard was not generated throws when a check asks it for one.
 */
export async function generateSide(contract: Contract, label: string, lifecycle: boolean): Promise<GeneratedSide> {
  const key = JSON.stringify(contract, (name, value: unknown) => (name === "file" && typeof value === "string" ? path.basename(value) : value));
  let files = generatedFiles.get(key);
  if (!files) generatedFiles.set(key, (files = { dir: path.join(GENERATED, label) }));
  const source = path.basename(contract.file);
  const { dir } = files;
  files.validators ??= generateModule(dir, `${contract.name}.validators.ts`, () => emitValidators(contract, { source }));
  if (lifecycle) {
    const validatorsLoaded = files.validators;
    files.lifecycle ??= validatorsLoaded.then(() => generateModule(dir, `${contract.name}.lifecycle.ts`, () => emitLifecycle(contract, { source })));
  }
  return sideOf(contract, await files.validators, await files.lifecycle);
}

/** Writes one generated file (unless it is there already, unchanged from an earlier run) and imports it. */
async function generateModule(dir: string, name: string, emit: () => Promise<string>): Promise<LifecycleModule> {
  const file = path.join(dir, name);
  const text = await emit();
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, text);
  }
  return (await import(pathToFileURL(file).href)) as LifecycleModule;
}

/** What the checks use of a contract's generated validators and, when generated, lifecycle guard. */
function sideOf(contract: Contract, validators: LifecycleModule, lifecycleModule: LifecycleModule | undefined): GeneratedSide {
  const base = toPascalCase(contract.name);
  const lifecycle = (): LifecycleModule => {
    if (!lifecycleModule) throw new Error(`the lifecycle guard of ${contract.name} was not generated: the case's witnesses need it`);
    return lifecycleModule;
  };
  const parseMessage = validators[`parse${base}Message`] as (raw: unknown) => ParseResult;
  const createConnection = (o: { send: (text: string) => void }) =>
    (lifecycle()[`create${base}Connection`] as (o: { send: (text: string) => void }) => { transition(name: string): string; state: string })(o);
  const createRunMonitor = () => lifecycle()[`create${base}RunMonitor`] as (() => { observe(m: unknown): void; violations(): unknown[] }) | undefined;
  return {
    contract,
    parseMessage,
    follow(transitions) {
      const connection = createConnection({ send: () => {} });
      try {
        for (const t of transitions) connection.transition(t);
      } catch (error) {
        if ((error as Error).name === "LifecycleError") return null;
        throw error;
      }
      return connection.state;
    },
    answerIds(transitions, ids) {
      const create = lifecycle()[`create${base}${ids.receiver === "server" ? "Server" : "Client"}`] as (options: unknown) => Endpoint;
      const endpoint = create({ send: () => {}, close: () => {}, onDeliver: () => {}, clock: { setTimeout: () => 0, clearTimeout: () => {} } });
      for (const t of transitions) endpoint.transition(t);
      const examples = new ExampleMaker(contract.definitions);
      const { discriminator, payloadField } = contract.envelope;
      let answer: unknown;
      for (const [index, m] of ids.messages.entries()) {
        const event = contract.events.find((e) => e.name === m.event);
        if (!event) return `no event ${m.event}`;
        const inEnvelope = event.fields?.includes(ids.field) === true;
        let payload = event.payloadOptional ? undefined : examples.exampleFor(event.payload, event.examples)?.value;
        if (!inEnvelope) payload = { ...(payload as object), [ids.field]: ids.id };
        const fields: Record<string, unknown> = {};
        for (const name of event.fields ?? []) {
          const schema = contract.envelope.fields!.find((f) => f.name === name)!.schema;
          fields[name] = name === ids.field ? ids.id : examples.exampleFor(schema, [])?.value;
        }
        if (m.by === ids.receiver) {
          try {
            endpoint.emit(m.event, payload, event.fields ? fields : undefined);
          } catch (error) {
            return `emit(${m.event}) threw: ${(error as Error).message}`;
          }
          continue;
        }
        const raw = JSON.stringify({ [discriminator]: m.event, ...(payload === undefined ? {} : { [payloadField]: payload }), ...fields });
        const result = endpoint.receive(raw);
        if (index < ids.messages.length - 1 && result.kind !== "deliver") return `receive(${raw}) before the last: ${JSON.stringify(result)}`;
        answer =
          result.kind === "deliver"
            ? { outcome: "open" }
            : result.kind === "refused"
              ? { outcome: "closed", code: result.code, name: /\((\w+)\)$/.exec(result.reason ?? "")?.[1] }
              : { outcome: result.kind };
      }
      return answer;
    },
    acceptsRun(events) {
      const create = createRunMonitor();
      if (!create || !contract.runs) return true;
      const monitor = create();
      const { discriminator, payloadField } = contract.envelope;
      for (const event of events) monitor.observe({ [discriminator]: event, [payloadField]: { [contract.runs.key]: "run-1" } });
      return monitor.violations().length === 0;
    },
  };
}
