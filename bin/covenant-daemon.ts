#!/usr/bin/env node
import { serve } from "../analyzer/daemon/server.js";

// `covenant check --daemon` starts this (detached) with the socket to listen on.
const socketPath = process.argv[2];
if (!socketPath) {
  process.stderr.write("usage: covenant-daemon <socket>\n");
  process.exit(2);
}
serve(socketPath);
