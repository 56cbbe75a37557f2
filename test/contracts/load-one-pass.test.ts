import path from "node:path";
import { CovenantError } from "../../common/errors.js";
import { loadContractFromText } from "../../contracts/load/load-contract.js";
import { contractHead } from "../utils/contract-text.js";

/**
 * A contract's mistakes arrive in one run: every independent problem is reported at once, and only what
 * an earlier problem makes meaningless is held back (issue 17: a contract needed three fix-and-rerun
 * rounds, and `states: [in_rom]` showed up only in the second).
 */
const FILE = path.join(import.meta.dirname, "one-pass.contract.yaml");

function problemsOf(text: string): string[] {
  try {
    loadContractFromText(text, FILE);
  } catch (error) {
    if (error instanceof CovenantError) return error.problems.map((p) => `${p.line}:${p.column} ${p.code}`);
    throw error;
  }
  return [];
}

const MANY_MISTAKES = `covenant: 1
name: room
version: "1.0"
lifecycle:
  initial: conecting
  states:
    connecting: { on: { accept: lobby, reject: closed }, descripton: waiting for the upgrade }
    lobby: { on: { join: in_room, close: closd } }
    in_room: { on: { leave: lobby, close: closed } }
    limbo: {}
    closed: { final: true, on: { reopen: lobby } }
events:
  user_joined:
    direction: sideways
    states: [in_rom, lobby]
    payload:
      type: object
      required: [name]
      properties:
        name: { type: string }
    examples:
      - { name: 7 }
  user_left:
    direction: server-to-client
    states: [lobby, lobby]
    payload:
      type: object
      requird: [name]
      properties:
        name: { type: string }
  message:
    direction: both
    states: [in_room]
    payload:
      type: object
      required: [text, run_id]
      properties:
        text: { type: string, maxLength: -1 }
        run_id: { type: string }
  typing:
    direction: client-to-server
    states: [in_room]
    payload: { $ref: "#/definitions/Typing" }
    examples:
      - { who: 3 }
  moved:
    direction: up
    states: []
definitions:
  Typing:
    type: object
    required: [who]
    properties:
      who: { type: string }
runs:
  key: run_id
  pattern: "message (typing | mesage)*"
`;

/** Each mistake and its fix; applied all at once, the contract loads. */
const FIXES: [string, string][] = [
  ['version: "1.0"', 'version: "1.0.0"'],
  ["initial: conecting", "initial: connecting"],
  ["descripton:", "description:"],
  ["close: closd", "close: closed"],
  ["    limbo: {}\n", ""],
  ["closed: { final: true, on: { reopen: lobby } }", "closed: { final: true }"],
  ["direction: sideways", "direction: server-to-client"],
  ["[in_rom, lobby]", "[in_room, lobby]"],
  ["{ name: 7 }", '{ name: "ada" }'],
  ["[lobby, lobby]", "[lobby]"],
  ["requird:", "required:"],
  ["maxLength: -1", "maxLength: 500"],
  ["{ who: 3 }", '{ who: "ada", run_id: r1 }'],
  ["direction: up\n    states: []", "direction: both\n    states: [lobby]"],
  [
    "required: [who]\n    properties:\n      who: { type: string }",
    "required: [who, run_id]\n    properties:\n      who: { type: string }\n      run_id: { type: string }",
  ],
  ["| mesage", "| message"],
];

describe("a contract with many independent mistakes", () => {
  it("reports every one of them in one run", () => {
    expect(problemsOf(MANY_MISTAKES)).toEqual([
      "3:10 invalid-version",
      "5:12 unknown-initial-state",
      "7:58 unknown-key",
      "8:42 unknown-target-state",
      "10:5 dead-end-state",
      "10:5 unreachable-state",
      "11:28 final-state-with-transitions",
      "14:16 invalid-value", // direction: sideways
      "15:14 unknown-event-state", // in_rom, in an event whose direction is also wrong
      "22:17 example-invalid", // checked although the event's direction is wrong
      "25:21 duplicate-event-state",
      "28:7 schema-unknown-keyword",
      "38:42 schema-invalid",
      "45:16 example-invalid", // through a sound shared schema, although other payloads are broken
      "47:16 invalid-value",
      "48:13 empty-value",
      "56:8 run-key-missing", // typing, although the pattern also names an unknown event
      "57:31 pattern-unknown-event",
    ]);
  });

  it("loads once they are all fixed: nothing was held back for a second round", () => {
    let fixed = MANY_MISTAKES;
    for (const [mistake, fix] of FIXES) {
      expect(fixed, mistake).toContain(mistake);
      fixed = fixed.replace(mistake, fix);
    }
    expect(problemsOf(fixed)).toEqual([]);
  });
});

const BASE = `${contractHead("room")}  said:
    direction: both
    states: [open]
    payload:
      type: object
      required: [text, run_id]
      properties:
        text: { type: string }
        run_id: { type: string }
    examples:
      - { text: hi, run_id: r1 }
runs:
  key: run_id
  pattern: "said*"
`;

const BAD_EXAMPLE: [string, string] = ["{ text: hi, run_id: r1 }", "{ text: 1, run_id: r1 }"];
const SHARED: [string, string] = [
  "    payload:\n      type: object\n      required: [text, run_id]\n      properties:\n        text: { type: string }\n        run_id: { type: string }\n",
  '    payload: { $ref: "#/$defs/Said" }\n',
];
const SHARED_DEFS: [string, string] = [
  "runs:\n",
  "$defs:\n  Said:\n    type: object\n    required: [text, run_id]\n    properties:\n      text: { type: string }\n      run_id: { type: string }\nruns:\n",
];

/** What a problem makes meaningless is held back: only the problem itself is reported. */
describe.each<[string, [string, string][], string[]]>([
  ["the base contract with a wrong example", [BAD_EXAMPLE], ["20:17 example-invalid"]],
  ["the base contract through a shared schema, with a wrong example", [SHARED, SHARED_DEFS, BAD_EXAMPLE], ["15:17 example-invalid"]],
  [
    "a misspelled `on` (a mapping under an unknown key): not a dead end, nothing unreachable",
    [["open: { on: { close: closed } }", "open: { transitions: { close: closed } }"]],
    ["7:13 unknown-key"],
  ],
  ["a misspelled `final` (a boolean under an unknown key): not a dead end", [["closed: { final: true }", "closed: { fnal: true }"]], ["8:15 unknown-key"]],
  ["a malformed `on`: its targets are not known", [["open: { on: { close: closed } }", "open: { on: [close] }"]], ["7:17 invalid-type"]],
  ["a state that is not a mapping", [["closed: { final: true }", "closed: final"]], ["8:13 invalid-type"]],
  ["an example against a payload with a problem", [["text: { type: string }", "text: { type: strin }"], BAD_EXAMPLE], ["17:23 schema-invalid"]],
  [
    "an example against a broken shared schema",
    [SHARED, SHARED_DEFS, ["    required: [text, run_id]\n    properties", "    requird: [text, run_id]\n    properties"], BAD_EXAMPLE],
    ["19:5 schema-unknown-keyword"],
  ],
  ["the run key of an event whose payload has a problem", [["required: [text, run_id]", "requird: [text, run_id]"]], ["15:7 schema-unknown-keyword"]],
  [
    "a missing `runs.key`: the pattern is still checked",
    [['  key: run_id\n  pattern: "said*"', '  pattern: "sad*"']],
    ["21:1 missing-key", "22:13 pattern-unknown-event"],
  ],
])("%s", (_name, edits, expected) => {
  it("is reported alone", () => {
    expect(problemsOf(BASE)).toEqual([]);
    let text = BASE;
    for (const [from, to] of edits) {
      expect(text, from).toContain(from);
      text = text.replace(from, to);
    }
    expect(problemsOf(text)).toEqual(expected);
  });
});
