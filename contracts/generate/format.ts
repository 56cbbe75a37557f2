import { format } from "prettier";

/**
 * Fixed prettier options for generated TypeScript. Passed explicitly (no config file lookup), so
 * the bytes depend only on the contract and the pinned prettier version.
 */
export const PRETTIER_OPTIONS = {
  parser: "typescript",
  printWidth: 120,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  quoteProps: "as-needed",
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
} as const;

export async function formatTypeScript(source: string): Promise<string> {
  // A `.ts` file path spares the parser its guess at JSX, a regular expression run over the whole
  // text (a fifth of the time on a contract with a thousand events).
  return format(source, { ...PRETTIER_OPTIONS, filepath: "generated.ts" });
}
