import { runEslintTable } from "../eslint-table.js";

await runEslintTable("dual-interface");
