#!/usr/bin/env node
import { register } from "node:module";

// Before anything imports TypeScript: see common/typescript.cts. Only `check` and `infer` load it;
// the hook runs in a loader thread that every later import waits on (~0.2 s of CPU for the ~400
// modules of generate or diff), so the other commands and --help go without it, and so does
// `check --daemon`, whose daemon does the analysis (0.15 -> 0.10 CPU-s a run; when no daemon can
// be had, the run in this process loads TypeScript the slower way).
const args = process.argv.slice(2);
const command = args.find((arg) => !arg.startsWith("-"));
if (command === "infer" || (command === "check" && !args.includes("--daemon"))) register("./typescript-hooks.js", import.meta.url);
const { main } = await import("../cli/main.js");

process.exitCode = await main(process.argv);
