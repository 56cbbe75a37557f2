#!/usr/bin/env node
// Placeholder entry: replaced by the CLI (analyzer/cli).
console.error("covenant: not yet implemented");
process.exitCode = 2;
