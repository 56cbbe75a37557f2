import { deepEqual, stableStringify } from "../../contracts/diff/schema/json.js";

/** deepEqual is stableStringify equality without the text: the same answer on every pair of these values. */
const VALUES: unknown[] = [
  undefined,
  null,
  0,
  -0,
  1,
  NaN,
  Infinity,
  "",
  "null",
  "0",
  true,
  false,
  [],
  {},
  [null],
  [undefined],
  [1, 2],
  [2, 1],
  [[]],
  [{}, []],
  [{ a: 1 }],
  ["a"],
  { "0": 1 },
  { a: 1 },
  { a: "1" },
  { a: 1, b: undefined },
  { b: undefined, a: 1 },
  { a: undefined },
  { a: null },
  { a: [1] },
  { a: [null] },
  { a: [undefined] },
  { a: { b: 1 } },
  { a: { b: 1, c: undefined } },
  { a: 1, b: 2 },
  { b: 2, a: 1 },
  { type: "object", properties: { x: { type: "string" } }, required: ["x"] },
  { required: ["x"], properties: { x: { type: "string" } }, type: "object" },
];

describe("deepEqual", () => {
  it.each(VALUES.map((a, i) => [i, a]))("value #%i: equal to exactly the values with the same stableStringify text", (_, a) => {
    for (const b of VALUES) expect([a, b, deepEqual(a, b)]).toEqual([a, b, stableStringify(a) === stableStringify(b)]);
  });
});
