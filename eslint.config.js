// covenant lints itself: typescript-eslint's strict and stylistic type-checked configs, and covenant's
// own recommended config, loaded from the build (`npm test` builds first; run `npm run build` before
// `npm run lint:eslint`), so the plugin that lints this tree is the one the package ships.
import fs from "node:fs";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

const PLUGIN = new URL("./dist/rules/index.js", import.meta.url);
if (!fs.existsSync(PLUGIN)) {
  throw new Error("eslint.config.js: dist/rules/index.js is missing. Run `npm run build` first: the project lints itself with its built ESLint plugin.");
}
const { default: covenant } = await import(PLUGIN.href);

const TS_FILES = ["**/*.ts", "**/*.cts", "**/*.mts"];
const JS_FILES = ["**/*.js", "**/*.mjs", "**/*.cjs"];

export default defineConfig(
  {
    name: "covenant/ignores",
    ignores: [
      "dist/",
      "coverage/",
      ".bench/",
      ".covenant-cache/",
      // Deliberately wrong sample projects, the checks' and the CLI's test inputs.
      "fixtures/",
      "test/golden/", // generated files compared byte for byte
      "test/__generated__/",
      // A sample project with its own tsconfig and generated files.
      "examples/",
    ],
  },
  {
    name: "covenant/typescript",
    files: TS_FILES,
    extends: [...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // noUncheckedIndexedAccess types every guarded index, `.at(-1)` and `Map.get` after `has` as possibly undefined: `!` after the guard is the idiom.
      "@typescript-eslint/no-non-null-assertion": "off",
      // Counts and positions in messages are numbers; nullish values, booleans and objects stay reported (the rule's own defaults allow them all).
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowAny: false, allowBoolean: false, allowNullish: false, allowRegExp: false, allowNever: false },
      ],
      // TypeScript already rejects testing a void value; `(x) => set.add(x)` and `return report(...)` (a reporter that returns the branch's `undefined`) are deliberate.
      "@typescript-eslint/no-confusing-void-expression": "off",
      // `this: void` on a method declares it safe to pass around unbound (a check's `report`).
      "@typescript-eslint/no-invalid-void-type": ["error", { allowAsThisParameter: true }],
      // Breadth-first work lists grow while they are walked: the index loop says so.
      "@typescript-eslint/prefer-for-of": "off",
      // JSON values are plain objects: deleting a key of a copy is how they are edited.
      "@typescript-eslint/no-dynamic-delete": "off",
      // `||` on strings and booleans is a truthiness test on purpose (an empty first line falls back to the message).
      "@typescript-eslint/prefer-nullish-coalescing": ["error", { ignorePrimitives: { string: true, boolean: true } }],
      // A callback defined before the assignment reads the variable (`let connection!: Connection`).
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // The `_` prefix marks what a signature or a destructuring must name but does not use.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  { ...covenant.configs.recommended, files: TS_FILES },
  {
    name: "covenant/typed-program",
    files: TS_FILES,
    // One Program for the whole tree, from tsconfig.json (every linted .ts file is in it), instead of the project service
    // covenant.configs.recommended turns on. typescript-eslint's project service, in a single CLI run, reads each file from
    // one Program per tsconfig too, but only when ESLint's text of the file equals the Program's: ESLint turns a `#!` line
    // into a `//` comment, so bin/covenant.ts and bin/covenant-daemon.ts fell through to the project service proper, which
    // built a second Program of the same tsconfig (~4 of ~52 CPU-s, ~280 MB). `project` takes the Program's file as it is.
    languageOptions: { parserOptions: { projectService: false, project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname } },
  },
  {
    name: "covenant/compiler-api",
    files: ["analyzer/checks/**", "rules/**"],
    rules: {
      // The compiler API types `node.parent` as always set, yet a SourceFile's is undefined; the loops that walk up guard it on purpose.
      "@typescript-eslint/no-unnecessary-condition": "off",
    },
  },
  {
    name: "covenant/generated-runtime",
    files: ["contracts/runtime/**"],
    rules: {
      // The runtime the generated files inline checks what arrives over the wire, not what the types say: JSON.stringify
      // returns undefined for undefined, functions and symbols (lib.d.ts says string), and a state read back from user
      // callbacks may be one the types rule out. Its defensive checks are the point; changing them changes every generated file.
      "@typescript-eslint/no-unnecessary-condition": "off",
      // It prints values that are not objects here (symbols, bigints, functions) as String() does, on purpose.
      "@typescript-eslint/no-base-to-string": "off",
      // Written against a stand-in contract whose types coincide where a real contract's differ: the type arguments and
      // assertions the stand-in does not need are what makes the inlined copy compile for every contract.
      "@typescript-eslint/no-unnecessary-type-arguments": "off",
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
      // `result.success === false` narrows also where strictNullChecks is off (the generated files compile either way).
      "@typescript-eslint/no-unnecessary-boolean-literal-compare": "off",
      // The generated files' style (mapped and index-signature types, as json-schema-to-typescript writes them).
      "@typescript-eslint/consistent-indexed-object-style": "off",
      "@typescript-eslint/consistent-type-definitions": "off",
    },
  },
  {
    name: "covenant/ts-morph",
    files: ["analyzer/infer/**"],
    rules: {
      // ts-morph makes every node wrapper in its own factory, never by `new`, which this rule reads as "not an instance".
      "@typescript-eslint/no-unsafe-class-instance-assignment": "off",
    },
  },
  {
    name: "covenant/tests",
    files: ["test/**/*.ts"],
    rules: {
      // Tests read parsed JSON output (`any`) and poke at it; the assertions check the shape.
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // ws hands text frames over as Buffers and tests print payload fields of unknown type: String() of them is the text.
      "@typescript-eslint/no-base-to-string": "off",
      // Test doubles have empty methods on purpose.
      "@typescript-eslint/no-empty-function": "off",
      // `afterEach(() => project?.remove())`: a failed setup leaves the variable unassigned whatever its type says.
      "@typescript-eslint/no-unnecessary-condition": "off",
      // A failing test's message may print `undefined`: that is what it saw.
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowNullish: true, allowBoolean: true, allowAny: false, allowRegExp: false, allowNever: false },
      ],
    },
  },
  {
    name: "covenant/javascript",
    files: JS_FILES,
    extends: [...tseslint.configs.strict, ...tseslint.configs.stylistic],
  },
);
