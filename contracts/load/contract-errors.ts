import { closest } from "../../common/strings.js";
import { joinPath } from "../../common/json.js";
import { CovenantError, type Problem } from "../../common/errors.js";
import type { SourcePosition } from "../model.js";

/**
 * Every problem the contract loader reports, by code: one template each, saying what is wrong and
 * what to do. `{placeholders}` are filled from the problem's data; names are quoted with backticks.
 */
export const CONTRACT_MESSAGES = {
  // Reading and parsing.
  "file-unreadable": "cannot read `{file}`: {reason}. Check that the path exists and is a readable file.",
  "file-not-utf8": "{detail}. Save the file as UTF-8.",
  "yaml-syntax": "YAML syntax error: {detail}. Fix the YAML at this position.",
  "duplicate-key": "key `{key}` appears twice in this mapping. Remove or rename one of them: a mapping cannot repeat a key.",
  "multiple-documents": "the file holds more than one YAML document (`---`). Keep one contract per file.",
  "non-json-value": "`{value}` is not a number JSON can represent, and contracts are JSON data. Use a finite number (or remove the bound).",
  "not-a-mapping": "{what} must be a mapping of keys to values, not {found}. {fix}",

  // Shape (the zod schema of the format).
  "unknown-key": "unknown key `{key}` in {where}. {didYouMean}Allowed keys: {allowed}.",
  "missing-key": "{where} is missing the required key `{key}`. Add `{key}: {example}`.",
  "invalid-type": "{where} must be {expected}, not {found}. {fix}",
  "invalid-value": "{where} is `{value}`. Use one of: {allowed}.",
  "empty-value": "{where} is empty. {fix}",
  "unsupported-format-version": "`covenant: {value}` is not a contract format version this tool reads. Set `covenant: 1`.",
  "invalid-contract-name": "contract name `{value}` is not kebab-case. Use lower-case words joined by single dashes, such as `{suggestion}`.",
  "invalid-version": "version `{value}` is not a semantic version. Use MAJOR.MINOR.PATCH, such as `1.0.0`.",
  "invalid-name": "{kind} name `{name}` is not allowed. {rule}",
  "reserved-name": "`__proto__` cannot be {what}: JavaScript objects give this key a special meaning, so {why}. Rename it.",

  // Lifecycle.
  "unknown-initial-state": "initial state `{state}` is not declared under `lifecycle.states`. {didYouMean}Declare it, or use one of: {states}.",
  "unknown-target-state":
    "transition `{transition}` of state `{state}` targets `{target}`, which is not declared under `lifecycle.states`. {didYouMean}Declare it, or use one of: {states}.",
  "unreachable-state":
    "state `{state}` cannot be reached from the initial state `{initial}`. Add a transition into `{state}` from a reachable state, or remove it.",
  "dead-end-state":
    "state `{state}` is not final and has no transitions, so a connection in it can never leave. Add transitions under `on`, or mark it `final: true`.",
  "final-state-with-transitions": "state `{state}` is final but declares transitions. Remove `on`, or remove `final: true`.",
  "no-path-to-final":
    "no final state can be reached from state `{state}`, so a connection in it can never close. Add a transition from `{state}` towards a final state ({finals}).",

  // Events and envelope.
  "unknown-event-state": "event `{event}` is allowed in state `{state}`, which is not declared under `lifecycle.states`. {didYouMean}Use one of: {states}.",
  "duplicate-event-state": "state `{state}` is listed twice for event `{event}`. Remove the repetition.",
  "envelope-field-collision":
    "`envelope.discriminator` and `envelope.payloadField` are both `{field}`, but a message needs two different fields. Rename one of them.",
  "envelope-field-taken":
    "envelope field `{field}` has the name of `envelope.{other}`, so a message would hold two values under one field. Rename the envelope field.",
  "unknown-envelope-field":
    "event `{event}` carries envelope field `{field}`, which is not declared under `envelope.fields`. {didYouMean}Declare it there (`envelope: { fields: { {field}: <JSON Schema> } }`), or remove it from the event's `fields`.",
  "duplicate-envelope-field": "envelope field `{field}` is listed twice in the `fields` of event `{event}`. Remove the repetition.",
  "name-collision": "{kind} `{name}` and {otherKind} `{other}` both become `{identifier}` in generated code. Rename one of them.",

  // Close codes, inbound messages, timeouts, event-taken transitions.
  "close-code-not-allowed":
    "close code `{code}` cannot be declared: {why}. Use a code from 4000 to 4999 (the protocol's own), from 3000 to 3999 (registered with IANA), or a standard code that may be sent (1000-1003, 1007-1014).",
  "duplicate-close-code-name":
    "close code `{code}` is named `{name}`, as is close code `{other}`, so a reference to `{name}` would be ambiguous. Give each code its own name.",
  "unknown-close-code": "`{name}` is not the name of a declared close code. {didYouMean}{declared}",
  "policy-on-server-to-client-event":
    "event `{event}` flows server-to-client only, but declares `outOfState`: the policy says what the server does with a client message that arrives too early or too late, and clients never send `{event}`. Remove `outOfState` (the server only sends it in the states it lists).",
  "wildcard-state-mixed":
    '`"*"` (every non-final state) is listed with state names for event `{event}`. Write `states: "*"` alone, or list the states without `"*"`.',
  "unknown-transition-event":
    "transition `{transition}` of state `{state}` is taken by event `{event}`, which is not declared under `events`. {didYouMean}Use one of: {events}.",
  "duplicate-transition-event":
    "event `{event}` takes both transition `{other}` and transition `{transition}` of state `{state}`, so its arrival could lead to two states. Keep one.",
  "transition-event-not-allowed":
    "transition `{transition}` of state `{state}` is taken by event `{event}`, which is not allowed in `{state}`, so it can never arrive there. Add `{state}` to the event's `states`, or name another event.",
  "hold-never-delivered":
    "event `{event}` is held out of state{how}, but from state `{state}` no state that allows it can be reached, so a message held there would wait until the connection closes. Reject it there (`outOfState: { reject: <close code name> }`), or allow it in a state that follows.",
  "timeout-on-final-state":
    "state `{state}` is final, so a connection in it has already ended and cannot time out. Remove `timeout`, or move it to the state before.",
  "invalid-duration": "`{value}` is not a duration: {detail}.",

  // Per-id uniqueness (`unique`).
  "unique-unknown-event": "uniqueness rule `{rule}` names event `{event}` in `{key}`, which is not declared under `events`. {didYouMean}Use one of: {events}.",
  "unique-duplicate-event": "event `{event}` is listed twice in `{key}` of uniqueness rule `{rule}`. Remove the repetition.",
  "unique-event-opens-and-ends":
    "event `{event}` both opens (`from`) and ends (`until`) the ids of uniqueness rule `{rule}`, so a second one could not tell a reused live id from an end. Keep it in one of the two lists.",
  "unique-field-not-carried":
    "event `{event}` (in `{key}` of uniqueness rule `{rule}`) does not carry `{field}`: {detail}. List `{field}` in the event's `fields` (an envelope field declared under `envelope.fields`), or make it a required property of the event's payload.",
  "unique-field-ambiguous":
    "event `{event}` carries `{field}` both as an envelope field and as a property of its payload, so uniqueness rule `{rule}` could read either. Rename one of them.",
  "unique-from-both-directions":
    "event `{event}` opens the ids of uniqueness rule `{rule}` but flows both ways, and the ids of a rule are opened by one side and checked by the other. Name only events of one direction in `from` (a rule per side, if each side opens its own ids).",
  "unique-from-mixed-directions":
    "uniqueness rule `{rule}` opens ids with `{event}` ({direction}) and with `{other}` ({otherDirection}), and the ids of a rule are opened by one side and checked by the other. Split it into one rule per side.",

  // Runs.
  "pattern-syntax": "run pattern: {detail}. To fix: {hint}.",
  "pattern-unknown-event": "run pattern names `{event}`, which is not a declared event. {didYouMean}Declare it under `events`, or use one of: {events}.",
  "openness-no-union":
    "`openness.events.{direction}` is declared but no event flows {direction}, so there is no union to be open or closed. Remove the key, or add {direction} events.",
  "openness-no-enum":
    "`x-covenant-openness` is on {where}, which has no `enum` or `const` (nor a `oneOf`/`anyOf` of them), so there is no value set to be open or closed. Move it next to the `enum` it is meant for, or remove it (objects are opened or closed with `additionalProperties`).",
  "run-key-missing":
    "run key `{key}` is not a property of the payload of {events}. Every event in `runs.pattern` must declare `{key}` under `payload.properties` and list it in `required`.",
  "run-key-optional":
    "run key `{key}` is optional in the payload of {events}, so a monitor cannot tell which run such a message belongs to. Add `{key}` to the payload's `required` list.",

  // JSON Schema and $ref.
  "schema-invalid": "{where} is not valid JSON Schema: {detail}. {fix}",
  "schema-unknown-keyword": "`{keyword}` is not a JSON Schema keyword (in {where}). {fix}",
  "schema-unknown-format": "format `{format}` is unknown (in {where}). {didYouMean}Use one of: {formats}; or remove `format`.",
  "schema-invalid-regex": "`{keyword}` `{pattern}` is not a valid regular expression (in {where}): {reason}. Fix the expression.",
  "schema-required-not-declared":
    "`{property}` is required but not declared under `properties` (in {where}), and `additionalProperties: false` forbids it, so no value can be valid. {didYouMean}Declare `{property}` under `properties` or fix the name.",
  "schema-too-deep":
    "{where} nests schemas more than {limit} levels deep, which covenant does not generate code for. Move inner schemas into `$defs` and reference them with `$ref` (recursion through `$ref` has no such limit).",
  "schema-keyword-type-mismatch": "`{keyword}` has no effect on type {type} (in {where}): it applies to {applies}. Remove `{keyword}` or change `type`.",
  "ref-unresolved": "`$ref` `{ref}` does not resolve: {reason}. {fix}",
  "ref-outside-root": "`$ref` `{ref}` points to `{target}`, outside {root}. Copy the schema into the contract's folder and reference it from there.",
  "ref-remote":
    "`$ref` `{ref}` is a remote reference; covenant never fetches schemas. Copy the schema into the contract's folder and reference it as a relative file.",
  "ref-unsupported":
    "`$ref` `{ref}` is not supported: {reason}. Use a JSON pointer such as `#/$defs/Name`, or a relative file such as `./common.schema.yaml#/$defs/Name`.",
  "definition-name-collision":
    "`$ref` `{ref}` brings in a shared schema named `{name}`, but `{name}` already names {existing}. Rename one of them: all shared schemas end up in one `$defs`.",
  "example-timeout":
    "{what} could not be checked against its schema within {seconds} s: a `pattern` in the schema backtracks (a nested quantifier such as `^(a+)+$` takes exponential time on a near-match). Rewrite the pattern without nested quantifiers or alternation under `*`/`+`, or shorten the example.",
  "schema-too-complex": "{where} cannot be checked: {detail}. Shorten the chain, or split the schema.",
  "example-invalid": "example {index} of event `{event}` does not match the payload schema: {detail}. Fix the example or the schema.",
} as const satisfies Record<string, string>;

export type ContractErrorCode = keyof typeof CONTRACT_MESSAGES;

function render(template: string, data: Record<string, string>): string {
  return template
    .replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = data[key];
      if (value === undefined) throw new Error(`contract message placeholder {${key}} has no data in "${template}"`);
      return value;
    })
    .replace(/\s+$/, "");
}

/** Collects problems during one load; sorted, de-duplicated and thrown as one CovenantError. */
export class ProblemCollector {
  private readonly problems: Problem[] = [];
  private readonly seen = new Set<string>();

  add(code: ContractErrorCode, file: string, at: SourcePosition | undefined, data: Record<string, string> = {}): void {
    const problem: Problem = { code, file, line: at?.line ?? 0, column: at?.column ?? 0, message: render(CONTRACT_MESSAGES[code], data) };
    const key = `${problem.file}\0${problem.line}\0${problem.column}\0${problem.code}\0${problem.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push(problem);
  }

  get size(): number {
    return this.problems.length;
  }

  /** Problems sorted by file, line, column, code. */
  list(): Problem[] {
    return [...this.problems].sort(
      (a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.code, b.code) || compare(a.message, b.message),
    );
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new CovenantError(this.list());
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `events.agent_started.payload` / `examples[0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  const joined = joinPath(path);
  return joined === "" ? "the document" : `\`${joined}\``;
}

/** "`a`, `b` and `c`" (in the order given). */
export function formatList(items: readonly string[], limit = 12, conjunction: "and" | "or" = "and"): string {
  const quoted = items.slice(0, limit).map((item) => `\`${item}\``);
  if (items.length > limit) quoted.push(`… (${items.length - limit} more)`);
  return quoted.length <= 1 ? (quoted[0] ?? "(none)") : `${quoted.slice(0, -1).join(", ")} ${conjunction} ${quoted[quoted.length - 1] ?? ""}`;
}

/** "`a`, `b` or `c`": the choices after "use one of". */
export function formatChoices(items: readonly string[], limit = 12): string {
  return formatList(items, limit, "or");
}

/** "Did you mean `x`? " for the closest candidate within a small edit distance, else "". */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const best = closest(input, candidates);
  return best === undefined ? "" : `Did you mean \`${best}\`? `;
}

/** A short description of a JSON value's kind for messages: "a number", "a list", "nothing". */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string \`${truncate(value)}\``;
  if (typeof value === "number") return `the number \`${value}\``;
  return `the boolean \`${value === true ? "true" : "false"}\``;
}

export function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
