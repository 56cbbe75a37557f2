#!/usr/bin/env node
import { register } from "node:module";

// Before anything imports TypeScript: see common/typescript.cts. Only `check` and `infer` load it;
// the hook runs in a loader thread that every later import waits on (~0.2 s of CPU for the ~400
// modules of generate or diff), so the other commands and --help go without it.
const command = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
if (command === "check" || command === "infer") register("./typescript-hooks.js", import.meta.url);
const { main } = await import("../cli/main.js");

process.exitCode = await main(process.argv);
