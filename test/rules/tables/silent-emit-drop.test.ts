import { runEslintTable } from "../eslint-table.js";

await runEslintTable("silent-emit-drop");
