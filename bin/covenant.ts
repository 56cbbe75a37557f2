#!/usr/bin/env node
import { register } from "node:module";

// Before anything imports TypeScript: see common/typescript.cts.
register("./typescript-hooks.js", import.meta.url);
const { main } = await import("../cli/main.js");

process.exitCode = await main(process.argv);
