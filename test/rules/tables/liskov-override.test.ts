import { runEslintTable } from "../eslint-table.js";

await runEslintTable("liskov-override");
