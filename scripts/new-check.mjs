#!/usr/bin/env node
/**
 * Scaffolds a new check: `npm run new-check <rule-id>` writes
 *
 *   analyzer/checks/<id>/index.ts    the check (defineCheck: meta, messages, options, check)
 *   test/checks/<id>.cases.ts        its table (named valid and invalid cases)
 *   test/checks/<id>.test.ts         runs the table through the CLI path and ESLint
 *   docs/rules/<id>.md               its docs page (❌/✅ examples the meta-test runs)
 *   fixtures/<id>/                   a small project with a finding marked and a clean/ set
 *
 * and registers the id in analyzer/checks/rule-ids.ts (RULE_IDS) and analyzer/checks/index.ts (the
 * registry), the only two places a check is listed. The new check reports nothing yet, so the meta-test,
 * the table and the fixture fail until it is written: that is the to-do list. `--root <dir>` scaffolds
 * into another checkout (the test uses it). Refuses an id that is not kebab-case or already exists.
 */
import fs from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const rootFlag = args.indexOf("--root");
const root = rootFlag >= 0 ? path.resolve(args[rootFlag + 1] ?? ".") : process.cwd();
const id = args.find((arg, i) => !arg.startsWith("--") && (rootFlag < 0 || i !== rootFlag + 1));

function fail(message) {
  process.stderr.write(`new-check  error  ${message}\n`);
  process.exit(2);
}

if (!id || !/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(id)) fail("Give a kebab-case rule id of two words or more: npm run new-check <rule-id>.");
const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const at = (rel) => path.join(root, rel);
const ruleIds = at("analyzer/checks/rule-ids.ts");
const registry = at("analyzer/checks/index.ts");
const ruleIdsText = fs.readFileSync(ruleIds, "utf8");
if (ruleIdsText.includes(`"${id}"`)) fail(`${id} is already a rule id (analyzer/checks/rule-ids.ts).`);
if (fs.existsSync(at(`analyzer/checks/${id}`))) fail(`analyzer/checks/${id}/ exists already.`);

const files = {
  [`analyzer/checks/${id}/index.ts`]: `import { ts } from "../typescript.js";
import { defineCheck, noOptions } from "../define-check.js";

/**
 * ${id}: TODO one sentence on what it reports. Private helpers go beside this file; what other checks
 * need too goes to ../shared/.
 */
export default defineCheck({
  id: "${id}",
  meta: {
    description: "TODO: what it reports, in one line",
    defaultSeverity: "error",
  },
  messages: {
    // What is wrong, with the names involved; why it matters; what to do.
    ${camel}: "TODO \`{name}\`: why it breaks. What to do instead.",
  },
  options: noOptions,
  check(context) {
    const visit = (node: ts.Node): void => {
      // TODO: context.report({ node, messageId: "${camel}", data: { name: ... } });
      node.forEachChild(visit);
    };
    visit(context.sourceFile);
  },
});
`,
  [`test/checks/${id}.cases.ts`]: `import type { CheckTable } from "../utils/check-tester.js";

const table: CheckTable = {
  valid: [
    {
      name: "TODO: a shape that must not be reported",
      code: \`export const ok = 1;\`,
    },
  ],
  invalid: [
    {
      name: "TODO: the shape it reports",
      code: \`export const TODO = 1;\`,
      errors: [{ messageId: "${camel}", line: 1, column: 1 }],
    },
  ],
};

export default table;
`,
  [`test/checks/${id}.test.ts`]: `import check from "../../analyzer/checks/${id}/index.js";
import { runRuleTable } from "../utils/rule-table.js";
import table from "./${id}.cases.js";

runRuleTable(check, table);
`,
  [`docs/rules/${id}.md`]: `# ${id}

TODO: what it reports.

- Default severity: **error**
- Type information: required

## Why

TODO: the failure it prevents.

## Examples

❌ Incorrect

\`\`\`ts
export const TODO = 1;
\`\`\`

✅ Correct

\`\`\`ts
export const ok = 1;
\`\`\`

## Options

None.
`,
  [`fixtures/${id}/tsconfig.json`]: `${JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      include: ["src"],
    },
    null,
    2,
  )}\n`,
  [`fixtures/${id}/src/reported.ts`]: `export const TODO = 1; // expect: ${id}\n`,
  [`fixtures/${id}/src/clean/ok.ts`]: `export const ok = 1;\n`,
};

for (const rel of Object.keys(files)) {
  if (fs.existsSync(at(rel))) fail(`${rel} exists already.`);
}
for (const [rel, text] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(at(rel)), { recursive: true });
  fs.writeFileSync(at(rel), text);
  process.stdout.write(`wrote ${rel}\n`);
}

const idsEnd = ruleIdsText.indexOf("] as const;");
if (idsEnd < 0) fail("analyzer/checks/rule-ids.ts: RULE_IDS not found.");
fs.writeFileSync(ruleIds, `${ruleIdsText.slice(0, idsEnd)}  "${id}",\n${ruleIdsText.slice(idsEnd)}`);
const registryText = fs.readFileSync(registry, "utf8");
const firstImport = registryText.indexOf("import ");
const close = registryText.lastIndexOf("};");
if (firstImport < 0 || close < 0) fail("analyzer/checks/index.ts: the registry was not found.");
const withEntry = `${registryText.slice(0, close)}  "${id}": ${camel},\n${registryText.slice(close)}`;
fs.writeFileSync(registry, `${withEntry.slice(0, firstImport)}import ${camel} from "./${id}/index.js";\n${withEntry.slice(firstImport)}`);
process.stdout.write(
  `registered ${id} in analyzer/checks/rule-ids.ts and analyzer/checks/index.ts\nNext: write the check until npx vitest run test/checks/${id}.test.ts test/meta.test.ts test/fixtures.test.ts passes; add it to the README's rule table.\n`,
);
