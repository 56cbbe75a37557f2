// TypeScript as a CommonJS module of our own. The analyzer takes TypeScript's runtime from here
// (`import ts from "../../common/typescript.cjs"`), not from "typescript": imported from ESM
// directly, Node scans the 9 MB lib/typescript.js for module syntax and for named exports first,
// about a third of a second of every `covenant check` (docs/performance.md). Required from
// CommonJS it is just loaded. (A resolve hook pointed `typescript` here before: its loader thread
// cost every import of the CLI a round trip, ~0.2 s of CPU a `covenant check`.)
// typescript.cjs beside this file is the same module for running from the sources (the tests):
// Vite does not compile .cts files; the build compiles this one to dist/common/typescript.cjs.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module on purpose (see above)
import ts = require("typescript");
export = ts;
