import type TS from "typescript";

/**
 * The TypeScript the checks talk to: the module that built the program being checked, not the one
 * covenant depends on. A check reads `ts.SyntaxKind`, `ts.TypeFlags`, `ts.is*` and the other helpers
 * from here (`import { ts } from "../typescript.js"`), never from "typescript" itself: enum numbers
 * differ between TypeScript versions (TypeFlags between 5.9 and 6.0), so a check that read its own
 * copy would misread the trees and types of another. The CLI gives its TypeScript 6; the ESLint
 * plugin gives the one typescript-eslint loaded in the user's project (5.x or 6.x).
 *
 * `ts` is a live binding, set around every `check()` call by defineCheck from `context.ts` (checks are
 * synchronous, so the binding cannot change under a running check, and two hosts in one process, as
 * the tests run the CLI path and ESLint on TypeScript 5.9, each get theirs). Outside a check it is
 * undefined: a module-level constant that reads it fails on import (use `perTypeScript`).
 * Why a binding and not a `ts` parameter through every helper: docs/architecture.md.
 */
// `var`, not `let`: only a var merges with the type namespace below (values from the host, types from TypeScript's declarations).
// eslint-disable-next-line no-var
export var ts: typeof TS = undefined as unknown as typeof TS;

/**
 * The TypeScript types the checks name as `ts.X`: types are erased, so they may come from covenant's
 * TypeScript. Add the one a check needs (a compile error names it); more than the checks use today.
 * @public
 */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace ts {
  // Enums used as types (their values come from the host's module above).
  export type SyntaxKind = TS.SyntaxKind;
  export type TypeFlags = TS.TypeFlags;
  export type ObjectFlags = TS.ObjectFlags;
  export type SymbolFlags = TS.SymbolFlags;
  export type NodeFlags = TS.NodeFlags;
  export type ModifierFlags = TS.ModifierFlags;
  export type TypeFormatFlags = TS.TypeFormatFlags;
  export type ModuleKind = TS.ModuleKind;
  export type ScriptTarget = TS.ScriptTarget;
  export type SignatureKind = TS.SignatureKind;
  export type IndexKind = TS.IndexKind;
  // Program, checker, types and symbols.
  export type Program = TS.Program;
  export type CompilerOptions = TS.CompilerOptions;
  export type TypeChecker = TS.TypeChecker;
  export type Type = TS.Type;
  export type ObjectType = TS.ObjectType;
  export type InterfaceType = TS.InterfaceType;
  export type TypeReference = TS.TypeReference;
  export type TypeParameter = TS.TypeParameter;
  export type UnionType = TS.UnionType;
  export type IntersectionType = TS.IntersectionType;
  export type UnionOrIntersectionType = TS.UnionOrIntersectionType;
  export type LiteralType = TS.LiteralType;
  export type StringLiteralType = TS.StringLiteralType;
  export type NumberLiteralType = TS.NumberLiteralType;
  export type TemplateLiteralType = TS.TemplateLiteralType;
  export type StringMappingType = TS.StringMappingType;
  export type IndexType = TS.IndexType;
  export type IndexedAccessType = TS.IndexedAccessType;
  export type ConditionalType = TS.ConditionalType;
  export type Signature = TS.Signature;
  export type Symbol = TS.Symbol;
  export type __String = TS.__String;
  export type SymbolTable = TS.SymbolTable;
  export type JSDocTagInfo = TS.JSDocTagInfo;
  export type SymbolDisplayPart = TS.SymbolDisplayPart;
  export type Diagnostic = TS.Diagnostic;
  export type TextRange = TS.TextRange;
  export type CommentRange = TS.CommentRange;
  export type CommentKind = TS.CommentKind;
  // Nodes.
  export type Node = TS.Node;
  export type NodeArray<T extends TS.Node> = TS.NodeArray<T>;
  export type SourceFile = TS.SourceFile;
  export type Statement = TS.Statement;
  export type Expression = TS.Expression;
  export type LeftHandSideExpression = TS.LeftHandSideExpression;
  export type Declaration = TS.Declaration;
  export type NamedDeclaration = TS.NamedDeclaration;
  export type DeclarationName = TS.DeclarationName;
  export type PropertyName = TS.PropertyName;
  export type EntityName = TS.EntityName;
  export type BindingName = TS.BindingName;
  export type Identifier = TS.Identifier;
  export type PrivateIdentifier = TS.PrivateIdentifier;
  export type StringLiteral = TS.StringLiteral;
  export type StringLiteralLike = TS.StringLiteralLike;
  export type NumericLiteral = TS.NumericLiteral;
  export type NoSubstitutionTemplateLiteral = TS.NoSubstitutionTemplateLiteral;
  export type TemplateExpression = TS.TemplateExpression;
  export type ComputedPropertyName = TS.ComputedPropertyName;
  export type CallExpression = TS.CallExpression;
  export type NewExpression = TS.NewExpression;
  export type CallLikeExpression = TS.CallLikeExpression;
  export type PropertyAccessExpression = TS.PropertyAccessExpression;
  export type ElementAccessExpression = TS.ElementAccessExpression;
  export type AccessExpression = TS.AccessExpression;
  export type BinaryExpression = TS.BinaryExpression;
  export type ConditionalExpression = TS.ConditionalExpression;
  export type PrefixUnaryExpression = TS.PrefixUnaryExpression;
  export type PostfixUnaryExpression = TS.PostfixUnaryExpression;
  export type AwaitExpression = TS.AwaitExpression;
  export type VoidExpression = TS.VoidExpression;
  export type ParenthesizedExpression = TS.ParenthesizedExpression;
  export type NonNullExpression = TS.NonNullExpression;
  export type AsExpression = TS.AsExpression;
  export type SatisfiesExpression = TS.SatisfiesExpression;
  export type TypeAssertion = TS.TypeAssertion;
  export type SpreadElement = TS.SpreadElement;
  export type ArrayLiteralExpression = TS.ArrayLiteralExpression;
  export type ObjectLiteralExpression = TS.ObjectLiteralExpression;
  export type ObjectLiteralElementLike = TS.ObjectLiteralElementLike;
  export type PropertyAssignment = TS.PropertyAssignment;
  export type ShorthandPropertyAssignment = TS.ShorthandPropertyAssignment;
  export type SpreadAssignment = TS.SpreadAssignment;
  export type FunctionExpression = TS.FunctionExpression;
  export type ArrowFunction = TS.ArrowFunction;
  export type ConciseBody = TS.ConciseBody;
  export type FunctionLikeDeclaration = TS.FunctionLikeDeclaration;
  export type FunctionDeclaration = TS.FunctionDeclaration;
  export type SignatureDeclaration = TS.SignatureDeclaration;
  export type ParameterDeclaration = TS.ParameterDeclaration;
  export type TypeParameterDeclaration = TS.TypeParameterDeclaration;
  export type VariableDeclaration = TS.VariableDeclaration;
  export type VariableDeclarationList = TS.VariableDeclarationList;
  export type VariableStatement = TS.VariableStatement;
  export type BindingElement = TS.BindingElement;
  export type ClassLikeDeclaration = TS.ClassLikeDeclaration;
  export type ClassDeclaration = TS.ClassDeclaration;
  export type ClassExpression = TS.ClassExpression;
  export type ClassElement = TS.ClassElement;
  export type ClassStaticBlockDeclaration = TS.ClassStaticBlockDeclaration;
  export type InterfaceDeclaration = TS.InterfaceDeclaration;
  export type TypeAliasDeclaration = TS.TypeAliasDeclaration;
  export type EnumDeclaration = TS.EnumDeclaration;
  export type ModuleDeclaration = TS.ModuleDeclaration;
  export type TypeElement = TS.TypeElement;
  export type PropertyDeclaration = TS.PropertyDeclaration;
  export type PropertySignature = TS.PropertySignature;
  export type MethodDeclaration = TS.MethodDeclaration;
  export type MethodSignature = TS.MethodSignature;
  export type ConstructorDeclaration = TS.ConstructorDeclaration;
  export type GetAccessorDeclaration = TS.GetAccessorDeclaration;
  export type SetAccessorDeclaration = TS.SetAccessorDeclaration;
  export type AccessorDeclaration = TS.AccessorDeclaration;
  export type HeritageClause = TS.HeritageClause;
  export type ExpressionWithTypeArguments = TS.ExpressionWithTypeArguments;
  export type Decorator = TS.Decorator;
  export type ModifierLike = TS.ModifierLike;
  export type TypeNode = TS.TypeNode;
  export type TypeReferenceNode = TS.TypeReferenceNode;
  export type TypeLiteralNode = TS.TypeLiteralNode;
  export type Block = TS.Block;
  export type ExpressionStatement = TS.ExpressionStatement;
  export type ReturnStatement = TS.ReturnStatement;
  export type ThrowStatement = TS.ThrowStatement;
  export type IfStatement = TS.IfStatement;
  export type SwitchStatement = TS.SwitchStatement;
  export type CaseClause = TS.CaseClause;
  export type DefaultClause = TS.DefaultClause;
  export type TryStatement = TS.TryStatement;
  export type CatchClause = TS.CatchClause;
  export type LabeledStatement = TS.LabeledStatement;
  export type BreakStatement = TS.BreakStatement;
  export type ContinueStatement = TS.ContinueStatement;
  export type IterationStatement = TS.IterationStatement;
  export type ForStatement = TS.ForStatement;
  export type ForInStatement = TS.ForInStatement;
  export type ForOfStatement = TS.ForOfStatement;
  export type WhileStatement = TS.WhileStatement;
  export type DoStatement = TS.DoStatement;
  export type ImportDeclaration = TS.ImportDeclaration;
  export type ImportSpecifier = TS.ImportSpecifier;
  export type ExportSpecifier = TS.ExportSpecifier;
  export type TaggedTemplateExpression = TS.TaggedTemplateExpression;
  export type JSDocTag = TS.JSDocTag;
}

/**
 * Runs `run` with `ts` bound to `typescript`, then restores the binding (so a host may nest). Only
 * defineCheck calls it, around a check.
 */
export function withTypeScript<T>(typescript: typeof TS, run: () => T): T {
  const previous = ts;
  ts = typescript;
  try {
    return run();
  } finally {
    ts = previous;
  }
}

/**
 * A value derived from the TypeScript in use (a set of SyntaxKinds, a mask of TypeFlags), computed
 * once per TypeScript module: the lazy stand-in for a module-level constant.
 */
export function perTypeScript<T>(compute: (typescript: typeof TS) => T): () => T {
  const values = new WeakMap<typeof TS, T>();
  return () => {
    let value = values.get(ts);
    if (value === undefined) values.set(ts, (value = compute(ts)));
    return value;
  };
}
