// TypeScript as a CommonJS module of our own. bin/typescript-hooks.ts points the CLI's
// `import ts from "typescript"` here: imported from ESM directly, Node scans the 9 MB
// lib/typescript.js for module syntax and for named exports first, about half a second of every
// `covenant check` (docs/performance.md). Required from CommonJS it is just loaded.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module on purpose (see above)
import ts = require("typescript");
export = ts;
