#!/usr/bin/env node
import { main } from "../analyzer/cli/main.js";

process.exitCode = await main(process.argv);
