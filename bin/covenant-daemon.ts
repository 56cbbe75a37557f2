#!/usr/bin/env node
import { register } from "node:module";

// `covenant check --daemon` starts this (detached) with the socket to listen on.
register("./typescript-hooks.js", import.meta.url);
const { serve } = await import("../analyzer/daemon/server.js");

const socketPath = process.argv[2];
if (!socketPath) {
  process.stderr.write("usage: covenant-daemon <socket>\n");
  process.exit(2);
}
serve(socketPath);
