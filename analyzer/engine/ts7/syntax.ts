import type TS from "typescript";

/**
 * The `ts.*` syntax helpers the checks call that TypeScript 7's `typescript/ast` module lacks or names
 * differently, written over the AST with TypeScript 6's semantics (TypeScript 6's
 * `src/compiler/utilities*.ts` / `factory/nodeTests.ts`). `k` is the SyntaxKind enum of the TypeScript
 * whose trees are read (7's numbers differ from 6's), `is` the predicates that exist under other names.
 * Pure functions over the nodes' own properties: nothing here talks to the compiler process.
 */
export interface AstBasics {
  SyntaxKind: typeof TS.SyntaxKind;
  NodeFlags: typeof TS.NodeFlags;
  ModifierFlags: typeof TS.ModifierFlags;
  isModifier: (node: TS.Node) => boolean;
  isDecorator: (node: TS.Node) => boolean;
  isJSDocDeprecatedTag: (node: TS.Node) => boolean;
  getJSDocTags: (node: TS.Node) => readonly TS.JSDocTag[];
}

type Kinds = Set<TS.SyntaxKind>;

export function createSyntaxHelpers(ast: AstBasics) {
  const k = ast.SyntaxKind;
  const kinds = (...list: TS.SyntaxKind[]): Kinds => new Set(list);
  const functionLikeDeclaration = kinds(
    k.FunctionDeclaration,
    k.MethodDeclaration,
    k.Constructor,
    k.GetAccessor,
    k.SetAccessor,
    k.FunctionExpression,
    k.ArrowFunction,
  );
  // JSDocFunctionType is not a SyntaxKind of TypeScript 7 (it has no JSDoc function types).
  const functionLike = new Set([
    ...functionLikeDeclaration,
    k.MethodSignature,
    k.CallSignature,
    k.JSDocSignature,
    k.ConstructSignature,
    k.IndexSignature,
    k.FunctionType,
    k.ConstructorType,
  ]);
  const modifiable = kinds(
    k.TypeParameter,
    k.Parameter,
    k.PropertySignature,
    k.PropertyDeclaration,
    k.MethodSignature,
    k.MethodDeclaration,
    k.Constructor,
    k.GetAccessor,
    k.SetAccessor,
    k.IndexSignature,
    k.ConstructorType,
    k.FunctionExpression,
    k.ArrowFunction,
    k.ClassExpression,
    k.VariableStatement,
    k.FunctionDeclaration,
    k.ClassDeclaration,
    k.InterfaceDeclaration,
    k.TypeAliasDeclaration,
    k.EnumDeclaration,
    k.ModuleDeclaration,
    k.ImportEqualsDeclaration,
    k.ImportDeclaration,
    k.ExportAssignment,
    k.ExportDeclaration,
  );
  const decoratable = kinds(k.Parameter, k.PropertyDeclaration, k.MethodDeclaration, k.GetAccessor, k.SetAccessor, k.ClassExpression, k.ClassDeclaration);
  const classElement = kinds(
    k.Constructor,
    k.PropertyDeclaration,
    k.MethodDeclaration,
    k.GetAccessor,
    k.SetAccessor,
    k.IndexSignature,
    k.ClassStaticBlockDeclaration,
    k.SemicolonClassElement,
  );
  const typeElement = kinds(k.ConstructSignature, k.CallSignature, k.PropertySignature, k.MethodSignature, k.IndexSignature, k.GetAccessor, k.SetAccessor);
  const declarationStatement = kinds(
    k.FunctionDeclaration,
    k.MissingDeclaration,
    k.ClassDeclaration,
    k.InterfaceDeclaration,
    k.TypeAliasDeclaration,
    k.EnumDeclaration,
    k.ModuleDeclaration,
    k.ImportDeclaration,
    k.ImportEqualsDeclaration,
    k.ExportDeclaration,
    k.ExportAssignment,
    k.NamespaceExportDeclaration,
  );
  const iteration = kinds(k.ForStatement, k.ForInStatement, k.ForOfStatement, k.DoStatement, k.WhileStatement);
  const optionalChainable = kinds(k.PropertyAccessExpression, k.ElementAccessExpression, k.CallExpression, k.NonNullExpression);
  const parameterPropertyModifiers = kinds(k.PublicKeyword, k.PrivateKeyword, k.ProtectedKeyword, k.ReadonlyKeyword, k.OverrideKeyword);

  const is = (set: Kinds) => (node: TS.Node | undefined) => node !== undefined && set.has(node.kind);
  const isParameter = (node: TS.Node) => node.kind === k.Parameter;
  const filterModifiers = (node: TS.Node, test: (n: TS.Node) => boolean) => {
    const list = (node as { modifiers?: readonly TS.Node[] }).modifiers;
    if (!list) return undefined;
    const kept = [...list].filter(test);
    return kept.length ? kept : undefined;
  };

  return {
    forEachChild<T>(node: TS.Node, cbNode: (node: TS.Node) => T | undefined, cbNodes?: (nodes: TS.NodeArray<TS.Node>) => T | undefined): T | undefined {
      return (node as unknown as { forEachChild(a: typeof cbNode, b?: typeof cbNodes): T | undefined }).forEachChild(cbNode, cbNodes);
    },
    findAncestor(node: TS.Node | undefined, callback: (element: TS.Node) => boolean | "quit"): TS.Node | undefined {
      while (node) {
        const result = callback(node);
        if (result === "quit") return undefined;
        if (result) return node;
        node = node.parent;
      }
      return undefined;
    },
    isFunctionLike: is(functionLike),
    isFunctionLikeDeclaration: is(functionLikeDeclaration),
    isClassLike: (node: TS.Node | undefined) => node !== undefined && (node.kind === k.ClassDeclaration || node.kind === k.ClassExpression),
    isAccessor: (node: TS.Node | undefined) => node !== undefined && (node.kind === k.GetAccessor || node.kind === k.SetAccessor),
    isClassElement: is(classElement),
    isTypeElement: is(typeElement),
    isDeclarationStatement: is(declarationStatement),
    isIterationStatement(node: TS.Node, lookInLabeledStatements: boolean): boolean {
      if (iteration.has(node.kind)) return true;
      return lookInLabeledStatements && node.kind === k.LabeledStatement && this.isIterationStatement((node as TS.LabeledStatement).statement, true);
    },
    isOptionalChain: (node: TS.Node) => optionalChainable.has(node.kind) && (node.flags & ast.NodeFlags.OptionalChain) !== 0,
    isStringLiteralLike: (node: TS.Node) => node.kind === k.StringLiteral || node.kind === k.NoSubstitutionTemplateLiteral,
    isParameterPropertyDeclaration: (node: TS.Node, parent: TS.Node) =>
      isParameter(node) && parent.kind === k.Constructor && filterModifiers(node, (m) => parameterPropertyModifiers.has(m.kind)) !== undefined,
    skipParentheses(node: TS.Node): TS.Node {
      while (node.kind === k.ParenthesizedExpression) node = (node as TS.ParenthesizedExpression).expression;
      return node;
    },
    canHaveModifiers: is(modifiable),
    canHaveDecorators: is(decoratable),
    getModifiers: (node: TS.Node) => filterModifiers(node, ast.isModifier),
    getDecorators: (node: TS.Node) => filterModifiers(node, ast.isDecorator),
    getJSDocDeprecatedTag: (node: TS.Node) => ast.getJSDocTags(node).find((tag) => ast.isJSDocDeprecatedTag(tag)),
    /** TypeScript 6's getCombinedNodeFlags: a variable's flags with its declaration list's and statement's (through binding patterns). */
    getCombinedNodeFlags(node: TS.Node): TS.NodeFlags {
      let current: TS.Node = node;
      if (current.kind === k.BindingElement) {
        let pattern: TS.Node = current.parent;
        while (pattern.parent.kind === k.BindingElement) pattern = pattern.parent.parent;
        current = pattern.parent;
      }
      let flags = current.flags;
      if (current.kind === k.VariableDeclaration) current = current.parent;
      if (current.kind === k.VariableDeclarationList) {
        flags |= current.flags;
        current = current.parent;
      }
      if (current.kind === k.VariableStatement) flags |= current.flags;
      return flags;
    },
  };
}
