#!/usr/bin/env node
// node bench/lib/eslint-run.mjs <mode> <corpus pkg dir> [<result.json>]
//
// One ESLint run (Node API, flat config given inline, no config file looked up) over the TypeScript
// files of a corpus project's tsconfig, with typescript-eslint's parser and project service, so the
// program is built as editors and `eslint` runs build it. Modes:
//   parser          typed parser only, no rule          (what every typed ESLint run pays)
//   covenant        + covenant.configs.recommended     (the plugin's five rules)
//   floating        + @typescript-eslint/no-floating-promises only
//   typed           + typescript-eslint's recommendedTypeChecked (a common real setup)
//   typed+covenant  recommendedTypeChecked + covenant.configs.recommended
// Prints (and writes, when a path is given) {mode, files, messages by rule, fatal, internalErrors}.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import ts from "typescript";

const [mode, pkgArg, out] = process.argv.slice(2);
const pkgDir = path.resolve(pkgArg ?? ".");
const root = path.resolve(import.meta.dirname, "..", "..");
const distDir = path.resolve(process.env.COVENANT_DIST ?? path.join(root, "dist"));
const { default: covenant } = await import(pathToFileURL(path.join(distDir, "rules", "index.js")).href);

const tsconfig = path.join(pkgDir, "tsconfig.json");
const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
const files = parsed.fileNames.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !/\.d\.[cm]?ts$/.test(f)).sort();

const FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"];
const parserConfig = {
  files: FILES,
  languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: pkgDir } },
  linterOptions: { reportUnusedDisableDirectives: "off" },
};
const withFiles = (configs) => configs.map((c) => ({ ...c, files: FILES }));
const configsByMode = {
  parser: [parserConfig],
  covenant: [
    parserConfig,
    covenant.configs.recommended,
    { files: FILES, languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: pkgDir } } },
  ],
  floating: [parserConfig, { files: FILES, plugins: { "@typescript-eslint": tseslint.plugin }, rules: { "@typescript-eslint/no-floating-promises": "error" } }],
  typed: [...withFiles(tseslint.configs.recommendedTypeChecked), parserConfig],
  "typed+covenant": [
    ...withFiles(tseslint.configs.recommendedTypeChecked),
    parserConfig,
    covenant.configs.recommended,
    { files: FILES, languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: pkgDir } } },
  ],
};
const overrideConfig = configsByMode[mode];
if (!overrideConfig) {
  process.stderr.write(`eslint-run: unknown mode ${mode}; use one of ${Object.keys(configsByMode).join(", ")}\n`);
  process.exit(2);
}

const eslint = new ESLint({ cwd: pkgDir, overrideConfigFile: true, overrideConfig, errorOnUnmatchedPattern: false });
const results = await eslint.lintFiles(files);
const byRule = {};
let fatal = 0;
const internalErrors = [];
for (const result of results) {
  for (const message of result.messages) {
    if (message.fatal) fatal += 1;
    const rule = message.ruleId ?? "(fatal)";
    byRule[rule] = (byRule[rule] ?? 0) + 1;
    if (rule.startsWith("covenant/") && message.messageId === "covenantInternalError") {
      internalErrors.push(`${path.relative(pkgDir, result.filePath)}:${message.line}:${message.column} ${message.message}`);
    }
  }
}
const summary = { mode, files: results.length, messages: byRule, fatal, internalErrors };
if (out) fs.writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(summary)}\n`);
