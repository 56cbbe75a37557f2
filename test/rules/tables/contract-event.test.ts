import { runEslintTable } from "../eslint-table.js";

await runEslintTable("contract-event");
