import { runEslintTable } from "../eslint-table.js";

await runEslintTable("permissive-mock");
