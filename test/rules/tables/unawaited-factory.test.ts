import { runEslintTable } from "../eslint-table.js";

await runEslintTable("unawaited-factory");
