import { runEslintTable } from "../eslint-table.js";

await runEslintTable("lifecycle-order");
