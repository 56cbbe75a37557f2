/**
 * The map of covenant's rooms: which may import which. `npm run lint:deps` (part of `npm test`) fails on
 * a violation; `npx depcruise --config .dependency-cruiser.cjs --output-type archi <rooms> | dot -T svg`
 * draws the graph. The rooms, lowest first:
 *
 *   common/      errors, user-file IO: imports no room
 *   contracts/   the contract format, loader, generators, diff, bindings: imports common/ only
 *                (contracts/runtime/ is the generated files' runtime, read as text: imports only itself and zod)
 *   analyzer/    project loading, checks, engine, reporters, daemon: imports contracts/ and common/
 *   rules/       the ESLint plugin, a thin adapter over analyzer/checks
 *   cli/         every command: parses options, calls the rooms below, renders, exit code
 *   bin/         the executables: argv -> cli/
 *
 * Inside analyzer/: project/ and config/ load; checks/ analyze (never engine/, report/, cli/ or eslint);
 * engine/ runs checks and applies suppressions and baselines; report/ renders a Report (pure: no fs).
 */
const ROOMS = ["common", "contracts", "analyzer", "rules", "cli", "bin"];
const below = (room) => ROOMS.slice(0, ROOMS.indexOf(room));
const above = (room) => ROOMS.slice(ROOMS.indexOf(room) + 1);

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A module cycle: split the shared part into a module both can import.",
      from: {},
      to: { circular: true },
    },
    ...ROOMS.filter((room) => above(room).length > 0).map((room) => ({
      name: `${room}-not-upward`,
      severity: "error",
      comment: `${room}/ may import only ${below(room).join(", ") || "no other room"}.`,
      from: { path: `^${room}/` },
      to: { path: `^(${above(room).join("|")})/` },
    })),
    {
      name: "checks-stay-checks",
      severity: "error",
      comment: "A check sees the program and the type checker only: no engine, reporter, command, config loading or ESLint.",
      from: { path: "^analyzer/checks/" },
      to: { path: ["^analyzer/(engine|report|daemon|config|project)/", "^cli/", "node_modules/(eslint|@typescript-eslint)/"] },
    },
    {
      name: "checks-read-the-hosts-typescript",
      severity: "error",
      comment:
        "A check reads SyntaxKind, TypeFlags, the ts.is* predicates and helpers through analyzer/checks/typescript.ts: the TypeScript of the program being checked (the project's under ESLint, whose enums number differently). From typescript itself (or common/typescript.cjs, covenant's own) only `import type`; ts-api-utils loads covenant's own TypeScript, so not at all.",
      from: { path: "^analyzer/checks/" },
      to: { path: ["node_modules/(typescript|ts-api-utils)/", "^common/typescript\\.c[jt]s$"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "checks-not-each-other",
      severity: "error",
      comment: "A check's folder is private: share through analyzer/checks/shared/ (or connection-state/ for the contract checks).",
      from: { path: "^analyzer/checks/([^/]+)/", pathNot: "^analyzer/checks/(shared|connection-state)/" },
      to: { path: "^analyzer/checks/[^/]+/", pathNot: ["^analyzer/checks/$1/", "^analyzer/checks/(shared|connection-state)/"] },
    },
    {
      name: "runtime-self-contained",
      severity: "error",
      comment: "contracts/runtime/ is inlined into generated files, which import nothing of covenant: it imports only itself and zod.",
      from: { path: "^contracts/runtime/" },
      to: { pathNot: ["^contracts/runtime/", "node_modules/zod/"] },
    },
    {
      name: "runtime-read-as-text",
      severity: "error",
      comment: "The generator reads contracts/runtime/ as text (contracts/generate/runtime-source.ts); the build does not compile it.",
      from: { pathNot: "^contracts/runtime/" },
      to: { path: "^contracts/runtime/" },
    },
    {
      name: "reporters-are-pure",
      severity: "error",
      comment: "A reporter is a pure (report) => string: no fs, no process.",
      from: { path: "^analyzer/report/" },
      to: { path: ["^(node:)?(fs|child_process|net)$", "^analyzer/(engine/run|project|config|daemon)"] },
    },
    {
      name: "typescript-7-behind-one-module",
      severity: "error",
      comment:
        "Every call into TypeScript 7's JS API (typescript-7/sync, typescript-7/ast) is in analyzer/engine/ts7/api.ts: its entry points moved three times in six months, so the next move is a one-file change.",
      from: { pathNot: "^analyzer/engine/ts7/api\\.ts$" },
      to: { path: "node_modules/typescript-7/" },
    },
    {
      name: "fs-only-where-files-are-loaded-or-written",
      severity: "error",
      comment: "Only the rooms that load or write files touch node:fs.",
      from: {
        path: "^(analyzer|contracts|rules|common)/",
        pathNot: [
          "^common/(user-files|package|safe-fs|file-lock)\\.ts$",
          "^analyzer/(project|config|daemon|engine)/",
          "^analyzer/infer/",
          "^contracts/(load|generate/write-atomic\\.ts|diff/sources\\.ts)",
          "^rules/(index|settings|to-eslint-rule|program-typescript)\\.ts$",
        ],
      },
      to: { path: "^(node:)?fs(/promises)?$", dependencyTypes: ["core"] },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "@types/sarif is a types-only package.",
      from: {},
      to: { couldNotResolve: true, pathNot: "^sarif$" },
    },
    {
      name: "no-orphans",
      severity: "error",
      comment: "A module nothing imports: delete it, or import it from where it belongs.",
      from: { orphan: true, pathNot: ["\\.d\\.ts$", "(^|/)\\.[^/]+\\.(c|m)?js$", "^bin/", "^index\\.ts$", "^common/typescript\\.cts$", "^rules/index\\.ts$"] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|fixtures|examples|test|bench|scripts)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".cts", ".js", ".json"],
    },
  },
};
