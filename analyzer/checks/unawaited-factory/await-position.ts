import { perTypeScript, ts } from "../typescript.js";

const TOP_LEVEL_AWAIT_MODULES = perTypeScript(
  () =>
    new Set([
      ts.ModuleKind.ES2022,
      ts.ModuleKind.ESNext,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- a TypeScript 5 project may still use it, and allows top-level await there
      ts.ModuleKind.System,
      ts.ModuleKind.Node16,
      ts.ModuleKind.Node18,
      ts.ModuleKind.Node20,
      ts.ModuleKind.NodeNext,
      ts.ModuleKind.Preserve,
    ]),
);

/** Whether `await` may stand at the top level of this file: an ES module under a module setting that allows it. */
export function allowsTopLevelAwait(program: ts.Program, sourceFile: ts.SourceFile): boolean {
  const options = program.getCompilerOptions();
  if (options.target !== undefined && options.target < ts.ScriptTarget.ES2017) return false;
  // Without `module`, TypeScript 6 emits ES2022 for modern targets.
  const moduleKind = options.module ?? (options.target === undefined || options.target >= ts.ScriptTarget.ES2022 ? ts.ModuleKind.ES2022 : ts.ModuleKind.ES2015);
  if (!TOP_LEVEL_AWAIT_MODULES().has(moduleKind)) return false;
  if (sourceFile.isDeclarationFile || !ts.isExternalModule(sourceFile)) return false;
  // Under node16/nodenext (and preserve) a `.cts` / CommonJS-scoped `.ts` file cannot await at the top.
  return sourceFile.impliedNodeFormat !== ts.ModuleKind.CommonJS;
}

function isAsyncFunction(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false);
}

/**
 * Whether `await` is valid where `node` stands: inside an async function (the nearest enclosing
 * function, not an outer one: a non-async callback inside an async function cannot await), or at the
 * top level of an ES module. Never in parameter initializers, class field initializers, static blocks
 * or decorators.
 */
export function canAwaitAt(program: ts.Program, node: ts.Node): boolean {
  for (let current: ts.Node = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return isAsyncFunction(current);
    if (ts.isParameter(current) || ts.isClassStaticBlockDeclaration(current) || ts.isPropertyDeclaration(current) || ts.isDecorator(current)) return false;
    if (ts.isComputedPropertyName(current)) return false;
    if (ts.isSourceFile(current)) return allowsTopLevelAwait(program, current);
  }
  return false;
}

/** The edits that put `await` in front of `expr`, parenthesised where the expression is the head of an access or call. */
export function getAddAwaitEdits(expr: ts.Expression): { start: number; end: number; text: string }[] | undefined {
  const parent = expr.parent;
  const isHead =
    ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent) || ts.isTaggedTemplateExpression(parent)) &&
      (ts.isTaggedTemplateExpression(parent) ? parent.tag : parent.expression) === expr) ||
    (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken && parent.left === expr);
  const start = expr.getStart();
  if (!isHead) return [{ start, end: start, text: "await " }];
  // `(await a?.b()).c` would change what `?.` short-circuits: no fix offered there.
  if (ts.isOptionalChain(parent) && !parent.questionDotToken) return undefined;
  return [
    { start, end: start, text: "(await " },
    { start: expr.getEnd(), end: expr.getEnd(), text: ")" },
  ];
}
