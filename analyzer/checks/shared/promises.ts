import { perTypeScript, ts } from "../typescript.js";

/** The members a promise exposes; a value probed for anything else is being treated as what it resolves to. */
export const PROMISE_METHODS: ReadonlySet<string> = new Set(["then", "catch", "finally"]);

const NULLISH = perTypeScript(() => ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void);

/** Whether a (flow) type admits null or undefined; `any`/`unknown` say nothing and do not count. */
export function isNullableType(type: ts.Type): boolean {
  if (type.flags & NULLISH()) return true;
  return type.isUnion() && type.types.some((t) => (t.flags & NULLISH()) !== 0);
}

/** The constituents of a type without null / undefined / void. */
export function getNonNullishParts(type: ts.Type): ts.Type[] {
  const parts = type.isUnion() ? type.types : [type];
  return parts.filter((part) => !(part.flags & NULLISH()));
}

/** Whether every declaration of the symbol is in one of TypeScript's default lib files (`lib.*.d.ts`). */
export function isDeclaredInDefaultLib(program: ts.Program, symbol: ts.Symbol | undefined): boolean {
  const declarations = symbol?.getDeclarations();
  if (!declarations?.length) return false;
  return declarations.every((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()));
}

function hasCallableProperty(checker: ts.TypeChecker, type: ts.Type, name: string): boolean {
  const property = type.getProperty(name);
  if (!property) return false;
  const propertyType = checker.getTypeOfSymbol(property);
  return getNonNullishParts(propertyType).some((t) => t.getCallSignatures().length > 0);
}

/** Some constituent has a callable `then` (anything `await` unwraps). Used for slots (a parameter typed `PromiseLike<T>`, `T | Thenable`). */
export function mayBeThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some((t) => mayBeThenable(checker, t));
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = checker.getBaseConstraintOfType(type);
    return constraint !== undefined && constraint !== type && mayBeThenable(checker, constraint);
  }
  if (!(type.flags & ts.TypeFlags.Object) && !type.isIntersection()) return false;
  return hasCallableProperty(checker, type, "then");
}

/**
 * A value whose whole API is the promise API: the lib's `Promise<T>` / `PromiseLike<T>`, a subclass
 * or a custom thenable with nothing but then/catch/finally. Thenables that carry an API of their own
 * (query builders, fastify instances, supertest requests) are used as that API on purpose and are not
 * treated as promises.
 */
export function isPurePromiseType(program: ts.Program, checker: ts.TypeChecker, type: ts.Type): boolean {
  if (!(type.flags & ts.TypeFlags.Object) && !type.isIntersection()) return false;
  const symbol = type.getSymbol();
  if (symbol && (symbol.name === "Promise" || symbol.name === "PromiseLike") && isDeclaredInDefaultLib(program, symbol)) return true;
  if (!hasCallableProperty(checker, type, "then")) return false;
  // Well-known symbols (Symbol.toStringTag) have names starting with "__@".
  return checker.getPropertiesOfType(type).every((p) => PROMISE_METHODS.has(p.name) || p.name.startsWith("__@"));
}

export interface PromiseOfFactory {
  /** The promise type, null / undefined removed (an optional call `f?.()` adds `undefined`). */
  promiseType: ts.Type;
  /** What it resolves to. */
  valueType: ts.Type;
}

/**
 * `Promise<T>` where T is a factory product (see `isFactoryProductType`); `undefined` for anything else,
 * including `Promise<T> | T` unions, which the author already treats as maybe-a-promise.
 */
export function getPromiseOfFactory(program: ts.Program, checker: ts.TypeChecker, type: ts.Type): PromiseOfFactory | undefined {
  const parts = getNonNullishParts(type);
  if (parts.length !== 1) return undefined;
  const promiseType = parts[0]!;
  if (!isPurePromiseType(program, checker, promiseType)) return undefined;
  const valueType = checker.getAwaitedType(promiseType);
  if (!valueType || !isFactoryProductType(program, checker, valueType)) return undefined;
  return { promiseType, valueType };
}

/** At most this many properties are looked at for a callable one (types resolve lazily, one per property). */
const MAX_PROPERTIES_EXAMINED = 64;

/**
 * What a factory makes: an object type with at least one method or function-valued property, such as
 * an emitter, a client, a repository. Not: primitives, `any`/`unknown`, arrays and tuples, functions
 * and constructors themselves, plain data shapes (no callable member), branded primitives (`void & { __throws?(e: E): void }`, `string & { __brand }`),
 * and the standard library's own types (`Map`, `Date`, `Response`, ...), which are data, not services. A union qualifies when one of its
 * non-nullish members does; a type parameter by its constraint.
 */
export function isFactoryProductType(program: ts.Program, checker: ts.TypeChecker, type: ts.Type, depth = 0): boolean {
  if (depth > 3) return false;
  if (type.isUnion()) return getNonNullishParts(type).some((t) => isFactoryProductType(program, checker, t, depth + 1));
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = checker.getBaseConstraintOfType(type);
    return constraint !== undefined && constraint !== type && isFactoryProductType(program, checker, constraint, depth + 1);
  }
  if (!(type.flags & ts.TypeFlags.Object) && !type.isIntersection()) return false;
  if (type.isIntersection() && type.types.some((t) => !(t.flags & (ts.TypeFlags.Object | ts.TypeFlags.TypeParameter)))) return false;
  if (checker.isArrayType(type) || checker.isTupleType(type)) return false;
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return false;
  if (!type.isIntersection() && isDeclaredInDefaultLib(program, type.getSymbol())) return false;
  const properties = checker.getPropertiesOfType(type).slice(0, MAX_PROPERTIES_EXAMINED);
  if (properties.some((p) => p.flags & ts.SymbolFlags.Method)) return true;
  return properties.some(
    (p) => !(p.flags & ts.SymbolFlags.Prototype) && getNonNullishParts(checker.getTypeOfSymbol(p)).some((t) => t.getCallSignatures().length > 0),
  );
}

/**
 * A slot that takes a promise without complaint but does not mean one: `any`, `unknown`, `object`,
 * `Object`, `{}`, `Record<string, any>`, or a union with one of those and no promise. Returns the text to show, or
 * `undefined` when the slot is anything else (a Promise-typed slot included).
 */
export function getLooseSlotText(program: ts.Program, checker: ts.TypeChecker, type: ts.Type): string | undefined {
  if (mayBeThenable(checker, type)) return undefined;
  const parts = type.isUnion() ? getNonNullishParts(type) : [type];
  for (const part of parts) {
    if (part.flags & ts.TypeFlags.Any) return "any";
    if (part.flags & ts.TypeFlags.Unknown) return "unknown";
    if (part.flags & ts.TypeFlags.NonPrimitive) return "object";
    if (part.flags & ts.TypeFlags.Object && isEmptyObjectType(program, checker, part)) return checker.typeToString(part);
  }
  return undefined;
}

/** `{}`, `Object`, an empty interface, or `Record<string, any>` (which any object is assignable to). */
function isEmptyObjectType(program: ts.Program, checker: ts.TypeChecker, type: ts.Type): boolean {
  const symbol = type.getSymbol();
  if (symbol?.name === "Object" && isDeclaredInDefaultLib(program, symbol)) return true;
  return (
    checker.getPropertiesOfType(type).length === 0 &&
    type.getCallSignatures().length === 0 &&
    type.getConstructSignatures().length === 0 &&
    checker.getIndexInfosOfType(type).every((info) => info.type.flags & ts.TypeFlags.Any)
  );
}
