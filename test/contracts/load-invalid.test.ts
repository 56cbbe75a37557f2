import fs from "node:fs";
import path from "node:path";
import { CovenantError, type Problem } from "../../common/errors.js";
import { CONTRACT_MESSAGES, loadContract } from "../../contracts/index.js";

const INVALID = path.join(import.meta.dirname, "invalid");

interface Expected {
  code: string;
  line: number;
  column: number;
  /** Texts the message must contain (the names involved, the fix). */
  mentions?: string[];
  /** The file the problem is in, when not the contract (relative to test/contracts/invalid). */
  file?: string;
}

/**
 * Every file under test/contracts/invalid/ with the exact problems it must produce, in the loader's
 * order (file, line, column, code). Lines and columns are 1-based: a key problem points at the key, a
 * value problem at the value's first character, a run-pattern problem at the character in the pattern.
 */
const CASES: Record<string, Expected[]> = {
  // Lifecycle.
  "unknown-target-state.contract.yaml": [
    { code: "unknown-target-state", line: 7, column: 26, mentions: ["`closd`", "`close`", "`open`", "Did you mean `closed`?"] },
  ],
  // A typo'd target counts as the state it resembles (`paused` is not reported unreachable);
  // `limbo` is unreachable regardless.
  "unknown-target-and-unreachable.contract.yaml": [
    { code: "unknown-target-state", line: 7, column: 26, mentions: ["`pasued`", "Did you mean `paused`?"] },
    { code: "unreachable-state", line: 10, column: 5, mentions: ["`limbo`", "`open`"] },
  ],
  // Targets that resemble no state could be meant for any: `closed` is not reported unreachable, nor
  // `waiting` (or `open`) unable to finish.
  "unknown-target-unresolved.contract.yaml": [
    { code: "unknown-target-state", line: 7, column: 41, mentions: ["`shut`"] },
    { code: "unknown-target-state", line: 8, column: 28, mentions: ["`elsewhere`"] },
  ],
  "unreachable-state.contract.yaml": [{ code: "unreachable-state", line: 9, column: 5, mentions: ["`limbo`", "`open`"] }],
  "dead-end-state.contract.yaml": [{ code: "dead-end-state", line: 8, column: 5, mentions: ["`paused`", "final: true"] }],
  "final-state-with-transitions.contract.yaml": [{ code: "final-state-with-transitions", line: 10, column: 7, mentions: ["`closed`"] }],
  "unknown-initial-state.contract.yaml": [{ code: "unknown-initial-state", line: 5, column: 12, mentions: ["`opne`", "Did you mean `open`?"] }],
  "no-path-to-final.contract.yaml": [
    { code: "no-path-to-final", line: 8, column: 5, mentions: ["`waiting`", "`closed`"] },
    { code: "no-path-to-final", line: 9, column: 5, mentions: ["`polling`"] },
  ],

  // Shape: missing, unknown and repeated keys, wrong values.
  "missing-initial.contract.yaml": [{ code: "missing-key", line: 4, column: 1, mentions: ["`lifecycle`", "`initial`"] }],
  "missing-events.contract.yaml": [{ code: "missing-key", line: 2, column: 1, mentions: ["`events`"] }],
  "unknown-top-level-key.contract.yaml": [
    { code: "missing-key", line: 1, column: 1, mentions: ["`events`"] },
    { code: "unknown-key", line: 9, column: 1, mentions: ["`event`", "Did you mean `events`?"] },
  ],
  "unknown-state-key.contract.yaml": [{ code: "unknown-key", line: 7, column: 13, mentions: ["`transitions`", "`lifecycle.states.open`", "`on`"] }],
  "duplicate-event.contract.yaml": [{ code: "duplicate-key", line: 19, column: 3, mentions: ["`message`"] }],
  "yaml-syntax.contract.yaml": [{ code: "yaml-syntax", line: 12, column: 13, mentions: ["`[` is never closed"] }],
  "recursive-alias.contract.yaml": [{ code: "yaml-syntax", line: 13, column: 50, mentions: ["`*loop`"] }],
  "multiple-documents.contract.yaml": [{ code: "multiple-documents", line: 3, column: 1, mentions: ["`---`"] }],
  "non-json-number.contract.yaml": [{ code: "non-json-value", line: 18, column: 40, mentions: ["`.inf`"] }],
  "duplicate-key.contract.json": [{ code: "duplicate-key", line: 10, column: 7, mentions: ["`open`"] }],
  // A Latin-1 file: the first byte that is not UTF-8 (the comment's \xE9), not a silent U+FFFD.
  // 70 nested `items`: reported at the first level past 64, naming the payload.
  "schema-too-deep.contract.yaml": [{ code: "schema-too-deep", line: 14, column: 592, mentions: ["`events.message.payload`", "64 levels", "`$defs`"] }],
  "not-utf8.contract.yaml": [{ code: "file-not-utf8", line: 4, column: 25, mentions: ["0xE9", "Save the file as UTF-8"] }],
  "format-version.contract.yaml": [{ code: "unsupported-format-version", line: 1, column: 11, mentions: ["`covenant: 2`", "`covenant: 1`"] }],
  "contract-name.contract.yaml": [{ code: "invalid-contract-name", line: 2, column: 7, mentions: ["`ChatSocket`", "`chat-socket`"] }],
  "version-not-semver.contract.yaml": [{ code: "invalid-version", line: 3, column: 10, mentions: ["`v1.2`", "MAJOR.MINOR.PATCH"] }],
  "version-number.contract.yaml": [{ code: "invalid-version", line: 3, column: 10, mentions: ["`1.0`"] }],
  "direction.contract.yaml": [{ code: "invalid-value", line: 11, column: 16, mentions: ["`server-to-clients`", "`server-to-client`"] }],
  "event-states-string.contract.yaml": [{ code: "invalid-type", line: 12, column: 13, mentions: ["`events.message.states`", "a list", "`[open]`"] }],
  "event-states-empty.contract.yaml": [{ code: "empty-value", line: 12, column: 13, mentions: ["`events.message.states`"] }],
  "event-name-invalid.contract.yaml": [{ code: "invalid-name", line: 19, column: 3, mentions: ["event name `user joined`"] }],
  // `__proto__`, which zod's records drop silently: reported where it is written, nothing else follows from it.
  "proto-event-name.contract.yaml": [{ code: "invalid-name", line: 10, column: 3, mentions: ["event name `__proto__`"] }],
  "proto-state-name.contract.yaml": [
    { code: "invalid-name", line: 7, column: 19, mentions: ["transition name `__proto__`"] },
    { code: "invalid-name", line: 8, column: 5, mentions: ["state name `__proto__`"] },
  ],
  "proto-reserved.contract.yaml": [
    { code: "reserved-name", line: 9, column: 28, mentions: ["`envelope.discriminator`"] },
    { code: "reserved-name", line: 16, column: 18, mentions: ["a field name (in `events.message.payload`)"] },
    { code: "reserved-name", line: 18, column: 9, mentions: ["a field name"] },
    { code: "reserved-name", line: 20, column: 3, mentions: ["shared schema"] },
  ],
  "envelope-collision.contract.yaml": [{ code: "envelope-field-collision", line: 11, column: 17, mentions: ["`type`"] }],
  "envelope-fields-misuse.contract.yaml": [
    { code: "envelope-field-taken", line: 14, column: 5, mentions: ["`payload`", "`envelope.payloadField`"] },
    { code: "unknown-envelope-field", line: 19, column: 18, mentions: ["`idd`", "`subscribe`", "Did you mean `id`?"] },
    { code: "duplicate-envelope-field", line: 19, column: 23, mentions: ["`id`", "`subscribe`"] },
    { code: "invalid-type", line: 20, column: 22, mentions: ["payloadOptional"] },
  ],
  "not-a-mapping.contract.yaml": [{ code: "not-a-mapping", line: 1, column: 1, mentions: ["a list"] }],

  // Events.
  "event-unknown-state.contract.yaml": [{ code: "unknown-event-state", line: 12, column: 20, mentions: ["`message`", "`opened`", "Did you mean `open`?"] }],
  "event-duplicate-state.contract.yaml": [{ code: "duplicate-event-state", line: 12, column: 20, mentions: ["`open`", "`message`"] }],
  "event-name-collision.contract.yaml": [{ code: "name-collision", line: 19, column: 3, mentions: ["`Message`", "`message`", "`MessagePayload`"] }],
  "state-name-collision.contract.yaml": [{ code: "name-collision", line: 9, column: 5, mentions: ["state `Closed`", "state `closed`"] }],
  "definition-api-collision.contract.yaml": [{ code: "name-collision", line: 20, column: 3, mentions: ["`ChatMessage`", "generated API name"] }],

  // Runs.
  "pattern-syntax.contract.yaml": [{ code: "pattern-syntax", line: 21, column: 21, mentions: ["`(` is never closed", "`)`"] }],
  "pattern-unknown-event.contract.yaml": [{ code: "pattern-unknown-event", line: 21, column: 22, mentions: ["`reply`", "`message`"] }],
  "pattern-quantifier.contract.yaml": [{ code: "pattern-syntax", line: 21, column: 20, mentions: ["`*` follows another quantifier"] }],
  "run-key-missing.contract.yaml": [{ code: "run-key-missing", line: 20, column: 8, mentions: ["`run_id`", "`message`"] }],
  "run-key-optional.contract.yaml": [{ code: "run-key-optional", line: 21, column: 8, mentions: ["`run_id`", "`message`", "`required`"] }],

  // Openness.
  "openness-no-union.contract.yaml": [
    { code: "openness-no-union", line: 18, column: 5, mentions: ["`openness.events.client-to-server`", "no event flows client-to-server"] },
  ],
  "openness-bad-value.contract.yaml": [{ code: "invalid-value", line: 16, column: 10, mentions: ["open"] }],
  // `x-covenant-openness` belongs next to an `enum`/`const` (or a oneOf/anyOf of them); on an object,
  // a plain string or a `$ref` it is an error at the key, and its value is `open` or `closed`.
  "openness-no-enum.contract.yaml": [
    { code: "openness-no-enum", line: 15, column: 7, mentions: ["`events.message.payload`", "additionalProperties"] },
    { code: "openness-no-enum", line: 19, column: 31, mentions: ["`events.message.payload.properties.text`"] },
    { code: "invalid-value", line: 20, column: 53, mentions: ["`ajar`", "`open`, `closed`"] },
    { code: "openness-no-enum", line: 21, column: 37, mentions: ["`events.message.payload.properties.tag`"] },
  ],

  // Close codes, out-of-state policies, timeouts, event-taken transitions, `states: "*"`.
  "inbound-policy-server-to-client.contract.yaml": [
    { code: "policy-on-server-to-client-event", line: 26, column: 5, mentions: ["`notice`", "server-to-client only", "Remove `outOfState`"] },
  ],
  "inbound-policy-bad-value.contract.yaml": [
    { code: "missing-key", line: 12, column: 12, mentions: ["`inbound.outOfState`", "`reject: <close code name>`"] },
    { code: "unknown-key", line: 12, column: 26, mentions: ["`rejct`", "Did you mean `reject`?"] },
    { code: "unknown-close-code", line: 12, column: 58, mentions: ["`bad_request`", "`closeCodes`", "`unauthorized` or `init_timeout`"] },
    {
      code: "invalid-type",
      line: 23,
      column: 17,
      mentions: ["`events.message.outOfState`", "`hold` or `{ reject: <close code name> }`", "the string `reject`"],
    },
  ],
  // 1006 is never sent, 5000 is outside every range, 2999 is below the IANA-registered 3000-3999 (which may be declared).
  "close-code-not-allowed.contract.yaml": [
    { code: "close-code-not-allowed", line: 15, column: 3, mentions: ["`1006`", "must never be sent"] },
    { code: "close-code-not-allowed", line: 16, column: 3, mentions: ["`5000`", "4000 to 4999"] },
    { code: "close-code-not-allowed", line: 17, column: 3, mentions: ["`2999`", "outside the codes a protocol may send", "3000 to 3999"] },
  ],
  "close-code-undeclared.contract.yaml": [{ code: "unknown-close-code", line: 22, column: 27, mentions: ["`unauthorised`", "Did you mean `unauthorized`?"] }],
  "close-code-duplicate-name.contract.yaml": [{ code: "duplicate-close-code-name", line: 15, column: 17, mentions: ["`4409`", "`unauthorized`", "`4401`"] }],
  "close-code-key-not-a-number.contract.yaml": [
    { code: "invalid-name", line: 15, column: 3, mentions: ["`bad_request`", "4000-4999"] },
    { code: "invalid-name", line: 16, column: 17, mentions: ["close code name `__proto__`", "Start with a letter"] },
  ],
  // Per-id uniqueness (`unique`).
  "unique-bad-events.contract.yaml": [
    { code: "unique-unknown-event", line: 24, column: 23, mentions: ["`operation`", "`compleet`", "Did you mean `complete`?"] },
    { code: "unique-duplicate-event", line: 24, column: 33, mentions: ["`complete`", "`until`"] },
    { code: "unique-event-opens-and-ends", line: 24, column: 43, mentions: ["`subscribe`", "Keep it in one of the two lists"] },
    { code: "unknown-close-code", line: 25, column: 12, mentions: ["`subscriber_exists`", "Did you mean `subscriber_already_exists`?"] },
  ],
  // `cancel` carries `id` through a `$ref`ed payload (valid); `start` has it optional, `progress` twice, `done` not at all.
  "unique-field-not-carried.contract.yaml": [
    { code: "unique-field-not-carried", line: 37, column: 12, mentions: ["`start`", "optional property", "required property"] },
    { code: "unique-field-ambiguous", line: 38, column: 13, mentions: ["`progress`", "both as an envelope field and as a property"] },
    { code: "unique-field-not-carried", line: 38, column: 23, mentions: ["`done`", "neither an envelope field"] },
  ],
  "unique-from-directions.contract.yaml": [
    { code: "unique-from-mixed-directions", line: 27, column: 21, mentions: ["`mixed`", "`request` (client-to-server)", "`push` (server-to-client)"] },
    { code: "unique-from-both-directions", line: 31, column: 11, mentions: ["`ping`", "flows both ways"] },
  ],
  "unique-shape.contract.yaml": [
    { code: "missing-key", line: 17, column: 3, mentions: ["`unique.requests`", "`close: <close code name>`"] },
    { code: "invalid-type", line: 19, column: 11, mentions: ["`unique.requests.from`", "an event name or a list of event names", "the number `7`"] },
    { code: "empty-value", line: 20, column: 12, mentions: ["`unique.requests.until`", "remove `until`"] },
    { code: "unknown-key", line: 21, column: 5, mentions: ["`closes`", "Did you mean `close`?"] },
  ],
  "timeout-on-final-state.contract.yaml": [{ code: "timeout-on-final-state", line: 11, column: 28, mentions: ["`closed`", "Remove `timeout`"] }],
  "timeout-bad-durations.contract.yaml": [
    { code: "invalid-type", line: 9, column: 25, mentions: ["`lifecycle.states.accepted.timeout.after`", "a string", "`after: 3s`"] },
    { code: "invalid-duration", line: 10, column: 70, mentions: ["`1.5s`", "`1500ms`"] },
    { code: "invalid-duration", line: 11, column: 70, mentions: ["`3 s`", "without a space"] },
    { code: "invalid-duration", line: 12, column: 68, mentions: ["`30d`", "`ms`, `s`, `m` or `h`"] },
    { code: "invalid-duration", line: 13, column: 70, mentions: ["`0s`", "positive"] },
    { code: "invalid-duration", line: 14, column: 56, mentions: ["`600h`", "2147483647 ms"] },
  ],
  "transition-unknown-event.contract.yaml": [
    { code: "unknown-transition-event", line: 8, column: 39, mentions: ["`init`", "`helo`", "Did you mean `hello`?"] },
  ],
  "transition-event-not-allowed.contract.yaml": [
    { code: "transition-event-not-allowed", line: 8, column: 39, mentions: ["`init`", "`message`", "`accepted`"] },
  ],
  "transition-event-duplicate.contract.yaml": [{ code: "duplicate-transition-event", line: 8, column: 76, mentions: ["`hello`", "`init`", "`close`"] }],
  // The `to` of `{ to, event }` is a target like any other: reported at `to`'s value.
  "transition-unknown-target.contract.yaml": [{ code: "unknown-target-state", line: 8, column: 25, mentions: ["`redy`", "Did you mean `ready`?"] }],
  "transition-bad-form.contract.yaml": [
    { code: "missing-key", line: 8, column: 13, mentions: ["`lifecycle.states.accepted.on.init`", "`event: <event>`"] },
    { code: "unknown-key", line: 8, column: 32, mentions: ["`evnt`", "Did you mean `event`?"] },
    { code: "invalid-type", line: 10, column: 27, mentions: ["a state name or `{ to: <state>, event: <event> }`", "the number `7`"] },
  ],
  // hello follows the default (`inbound.outOfState: hold`), again holds on its own: from `ready` neither can reach `accepted`.
  // message (held from `accepted` until `ready`) is fine.
  // The only state that allows the held event is unreachable: both are reported, the hold at the
  // first reachable state it would wait in forever (the endpoints never see such a contract).
  "hold-allowed-only-unreachable.contract.yaml": [
    { code: "unreachable-state", line: 10, column: 5, mentions: ["`limbo`"] },
    { code: "hold-never-delivered", line: 19, column: 17, mentions: ["`upload`", "`accepted`"] },
  ],
  "hold-never-delivered.contract.yaml": [
    { code: "hold-never-delivered", line: 12, column: 24, mentions: ["`hello`", "(the contract's default, `inbound.outOfState`)", "`ready`"] },
    { code: "hold-never-delivered", line: 23, column: 17, mentions: ["`again`", "`ready`", "`outOfState: { reject: <close code name> }`"] },
  ],
  "states-wildcard-mixed.contract.yaml": [{ code: "wildcard-state-mixed", line: 25, column: 14, mentions: ["`notice`", '`states: "*"`'] }],

  // Payload schemas.
  "schema-bad-type.contract.yaml": [
    { code: "schema-invalid", line: 18, column: 23, mentions: ["`events.message.payload.properties.text.type`", "`string`", "Did you mean `string`?"] },
  ],
  "schema-unknown-keyword.contract.yaml": [{ code: "schema-unknown-keyword", line: 15, column: 7, mentions: ["`requird`", "Did you mean `required`?"] }],
  "schema-nullable.contract.yaml": [{ code: "schema-unknown-keyword", line: 18, column: 31, mentions: ["`nullable`", '"null"'] }],
  "schema-required-not-declared.contract.yaml": [
    { code: "schema-required-not-declared", line: 15, column: 24, mentions: ["`sender`", "additionalProperties: false"] },
  ],
  "schema-unknown-format.contract.yaml": [{ code: "schema-unknown-format", line: 18, column: 39, mentions: ["`date-tim`", "Did you mean `date-time`?"] }],
  "schema-bad-regex.contract.yaml": [{ code: "schema-invalid-regex", line: 18, column: 40, mentions: ["`^[a-z+$`"] }],
  "schema-keyword-type-mismatch.contract.yaml": [{ code: "schema-keyword-type-mismatch", line: 18, column: 31, mentions: ["`minimum`", "string"] }],
  "schema-empty-enum.contract.yaml": [{ code: "schema-invalid", line: 18, column: 23, mentions: ["`enum` lists no values"] }],
  "schema-negative-length.contract.yaml": [{ code: "schema-invalid", line: 18, column: 42, mentions: ["`minLength`", ">= 0"] }],

  // $ref.
  "ref-unresolved-local.contract.yaml": [{ code: "ref-unresolved", line: 18, column: 23, mentions: ["`#/$defs/Txt`", "Did you mean `Text`?"] }],
  "ref-unresolved-file.contract.yaml": [{ code: "ref-unresolved", line: 18, column: 23, mentions: ["`missing.schema.yaml`", "no such file"] }],
  "ref-outside-root.contract.yaml": [{ code: "ref-outside-root", line: 18, column: 23, mentions: ["`../outside.schema.yaml`", "the contract's folder"] }],
  "ref-remote.contract.yaml": [{ code: "ref-remote", line: 18, column: 23, mentions: ["`https://example.com/text.schema.json`"] }],
  "ref-anchor.contract.yaml": [{ code: "ref-unsupported", line: 18, column: 23, mentions: ["`#text`"] }],
  "definition-ref-collision.contract.yaml": [{ code: "definition-name-collision", line: 18, column: 23, mentions: ["`Text`", "`#/$defs/Text`"] }],
  "external-syntax-error.contract.yaml": [{ code: "yaml-syntax", file: "shared/broken.schema.yaml", line: 3, column: 6 }],

  // Examples.
  "example-wrong-type.contract.yaml": [{ code: "example-invalid", line: 20, column: 17, mentions: ["example 0", "`message`", "`text` must be string"] }],
  "example-extra-field.contract.yaml": [{ code: "example-invalid", line: 21, column: 21, mentions: ["example 1", "`sender` is not allowed"] }],

  // Several problems in one file: all of them, not just the first.
  "many-problems.contract.yaml": [
    { code: "dead-end-state", line: 9, column: 5, mentions: ["`limbo`"] },
    { code: "unreachable-state", line: 9, column: 5, mentions: ["`limbo`"] },
    { code: "invalid-value", line: 12, column: 16, mentions: ["`sideways`"] },
    { code: "schema-unknown-keyword", line: 16, column: 7, mentions: ["`requird`"] },
  ],
};

function problemsOf(file: string): Problem[] {
  try {
    loadContract(path.join(INVALID, file));
  } catch (error) {
    if (error instanceof CovenantError) return error.problems;
    throw error;
  }
  throw new Error(`${file} loaded without error`);
}

describe("invalid contracts", () => {
  test.each(Object.entries(CASES))("%s", (file, expected) => {
    const problems = problemsOf(file);
    expect(problems.map(({ code, line, column, file: f }) => ({ code, line, column, file: f }))).toEqual(
      expected.map(({ code, line, column, file: f }) => ({ code, line, column, file: path.join(INVALID, f ?? file) })),
    );
    problems.forEach((problem, i) => {
      for (const text of expected[i]!.mentions ?? []) expect(problem.message).toContain(text);
      expect(problem.message).not.toMatch(/\{\w+\}|undefined|\[object Object\]/);
    });
  });

  test("every file under invalid/ has a case", () => {
    const files = fs.readdirSync(INVALID).filter((f) => /\.contract\.(ya?ml|json)$/.test(f));
    expect(files.sort()).toEqual(Object.keys(CASES).sort());
  });

  test("every problem code is documented and produced by a case here", () => {
    const docs = fs.readFileSync(path.join(import.meta.dirname, "../../docs/contract-format.md"), "utf8");
    // example-timeout needs the worker of the built code: test/hostile/contracts.test.ts has it.
    // schema-too-complex needs a `$ref` chain of thousands of schemas (the worker's 64 MB stack): untested.
    const produced = new Set([
      ...Object.values(CASES)
        .flat()
        .map((e) => e.code),
      "file-unreadable",
      "example-timeout",
      "schema-too-complex",
    ]);
    for (const code of Object.keys(CONTRACT_MESSAGES)) {
      expect(docs, code).toContain(`| \`${code}\` |`);
      expect(produced.has(code), code).toBe(true);
    }
  });

  test("a missing file is one located problem, not a stack trace", () => {
    const problems = problemsOf("does-not-exist.contract.yaml");
    expect(problems).toEqual([
      {
        code: "file-unreadable",
        file: path.join(INVALID, "does-not-exist.contract.yaml"),
        line: 0,
        column: 0,
        message: expect.stringContaining("no such file"),
      },
    ]);
  });
});
