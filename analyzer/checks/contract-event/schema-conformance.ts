/**
 * Does a payload, as the code builds it, fit the contract's JSON Schema for it? A structural
 * comparison of the payload's static type (and, for object and array literals, of the literal
 * itself, whose property types TypeScript would otherwise widen) with the schema: required fields,
 * primitive types, enums and consts as literal values, nested objects and arrays,
 * `additionalProperties: false`, `$ref`, `allOf`/`anyOf`/`oneOf`. Only definite mismatches are
 * problems: `any`, `unknown`, index signatures and keywords types cannot express (patterns,
 * bounds) say nothing.
 */
import { ts } from "../typescript.js";
import type { JsonSchema } from "../../../contracts/model.js";
import { skipValueWrappers } from "../shared/nodes.js";
import { describeSchema, getAllowedKinds, getTypeParts, getValueKind, kindAllowed } from "./json-kinds.js";
import { childRef, getShorthandValueType, isPresentByGuard, type PropertyRef } from "../shared/narrowing.js";

/**
 * A payload or a part of it: an expression, or a type. `ref` names the value at the emission
 * (`p.data` for the type of `data` in `emit("x", p)`), so guards on its fields can be read.
 */
export type PayloadValue = { kind: "node"; node: ts.Expression; ref?: PropertyRef } | { kind: "type"; type: ts.Type; ref?: PropertyRef };

export interface PayloadProblem {
  kind: "missingField" | "optionalField" | "fieldType" | "extraField";
  /** `run_id`, `result.items[0]`; empty for the payload itself. */
  path: string;
  expected?: string;
  actual?: string;
}

type Schema = Record<string, unknown>;

/** The properties of an object value: name → value, and whether unknown names may be present too. */
interface ObjectShape {
  /** `shown`: the field's declared type, for messages (`run_id?: string`, `string | undefined`). */
  fields: Map<string, { value: PayloadValue; mayBeAbsent: boolean; shown?: string }>;
  open: boolean;
}

const MAX_DEPTH = 8;

function join(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** A `patternProperties` key as a RegExp; one JavaScript cannot compile matches every name (nothing is claimed extra). */
function compilePattern(pattern: string): RegExp[] {
  try {
    return [new RegExp(pattern, "u")];
  } catch {
    return [/^/];
  }
}

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export class SchemaConformance {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly definitions: Record<string, JsonSchema>,
  ) {}

  /** Problems of a payload against its schema; `skipRequired` names fields the emitter adds itself. */
  check(value: PayloadValue, schema: JsonSchema, skipRequired: readonly string[] = []): PayloadProblem[] {
    return this.value(value, schema, "", 0, skipRequired);
  }

  private resolve(schema: JsonSchema): Schema | undefined {
    if (!isSchema(schema)) return undefined;
    const ref = schema.$ref;
    if (typeof ref !== "string") return schema;
    const target = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
    const resolved = target === undefined ? undefined : this.definitions[target];
    const { $ref: _, ...siblings } = schema;
    if (!isSchema(resolved)) return Object.keys(siblings).length ? siblings : undefined;
    return Object.keys(siblings).length ? { allOf: [resolved, siblings] } : resolved;
  }

  /**
   * `const payload = { … }; emit("x", payload)`: the literal, as written (its property types are
   * widened in the variable's type: `status: string` for `status: "completed"`).
   */
  private followConst(value: PayloadValue): PayloadValue {
    if (value.kind !== "node") return value;
    const start = skipValueWrappers(value.node);
    let node = start;
    for (let hops = 0; hops < 3 && ts.isIdentifier(node); hops++) {
      const declaration = this.checker.getSymbolAtLocation(node)?.valueDeclaration;
      if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const))
        break;
      if (declaration.type) break; // an annotation says what the variable holds
      node = skipValueWrappers(declaration.initializer);
    }
    if (!ts.isObjectLiteralExpression(node) && !ts.isArrayLiteralExpression(node)) return value;
    return node === start ? { kind: "node", node, ...(value.ref && { ref: value.ref }) } : { kind: "node", node, ref: value.ref ?? { node: start, path: [] } };
  }

  private value(input: PayloadValue, raw: JsonSchema, path: string, depth: number, skipRequired: readonly string[] = []): PayloadProblem[] {
    const value = this.followConst(input);
    const schema = this.resolve(raw);
    if (!schema || depth > MAX_DEPTH) return [];
    const problems: PayloadProblem[] = [];
    if (Array.isArray(schema.allOf)) for (const part of schema.allOf) problems.push(...this.value(value, part as JsonSchema, path, depth + 1, skipRequired));
    for (const key of ["anyOf", "oneOf"] as const) {
      const variants = schema[key];
      if (!Array.isArray(variants)) continue;
      // Each part of a union value must fit some variant (`string | number` against string-or-number).
      const fits = this.variantParts(value).every((part) => variants.some((v) => this.value(part, v as JsonSchema, path, depth + 1).length === 0));
      const expected = variants.map((v) => describeSchema(this.resolve(v as JsonSchema) ?? {})).join(" or ");
      if (!fits) problems.push({ kind: "fieldType", path, expected, actual: this.typeText(value) });
    }
    if (value.kind === "node") {
      const node = skipValueWrappers(value.node);
      if (ts.isConditionalExpression(node)) {
        return [
          ...problems,
          ...this.value({ kind: "node", node: node.whenTrue }, raw, path, depth, skipRequired),
          ...this.value({ kind: "node", node: node.whenFalse }, raw, path, depth, skipRequired),
        ];
      }
    }
    const kindProblem = this.checkKinds(value, schema, path);
    if (kindProblem) return [...problems, kindProblem];
    return [...problems, ...this.checkValues(value, schema, path), ...this.checkStructure(value, schema, path, depth, skipRequired)];
  }

  /** A value split into the members of its union type; literals stay whole. */
  private variantParts(value: PayloadValue): PayloadValue[] {
    if (value.kind === "node") {
      const node = skipValueWrappers(value.node);
      if (ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node) || ts.isLiteralExpression(node)) return [value];
    }
    const parts = getTypeParts(this.typeOf(value)).filter((t) => getValueKind(this.checker, t) !== "absent");
    return parts.length > 1 ? parts.map((type) => ({ kind: "type", type })) : [value];
  }

  private typeOf(value: PayloadValue): ts.Type {
    return value.kind === "type" ? value.type : this.checker.getTypeAtLocation(value.node);
  }

  private typeText(value: PayloadValue): string {
    if (value.kind === "node") {
      const node = skipValueWrappers(value.node);
      if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node)) return node.getText();
    }
    return this.checker
      .typeToString(this.typeOf(value), undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType)
      .replace(/'/g, '"');
  }

  /** The literal parts of a value (from the literal itself where TypeScript widens it). */
  private literalParts(value: PayloadValue): readonly ts.Type[] {
    if (value.kind === "node") {
      const node = skipValueWrappers(value.node);
      if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) {
        // A literal expression's type at its location is its literal type, even where the property is widened.
        return getTypeParts(this.checker.getTypeAtLocation(node));
      }
    }
    return getTypeParts(this.typeOf(value));
  }

  private checkKinds(value: PayloadValue, schema: Schema, path: string): PayloadProblem | undefined {
    const allowed = getAllowedKinds(schema);
    if (!allowed) return undefined;
    const kinds = this.literalParts(value).map((t) => getValueKind(this.checker, t));
    const wrong = kinds.some((k) => k === "invalid" || k === "function" || (k !== "unknown" && k !== "absent" && !kindAllowed(k, allowed)));
    return wrong ? { kind: "fieldType", path, expected: describeSchema(schema), actual: this.typeText(value) } : undefined;
  }

  /** enum / const: every literal must be listed; a wide type (`string`) is not a listed value. integer: no fractions. */
  private checkValues(value: PayloadValue, schema: Schema, path: string): PayloadProblem[] {
    const listed = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : undefined;
    const integer = getAllowedKinds(schema)?.has("integer") && !getAllowedKinds(schema)?.has("number");
    for (const part of this.literalParts(value)) {
      const kind = getValueKind(this.checker, part);
      if (kind === "unknown" || kind === "absent") continue;
      const literal =
        part.isStringLiteral() || part.isNumberLiteral()
          ? part.value
          : part.flags & ts.TypeFlags.BooleanLiteral
            ? this.checker.typeToString(part) === "true"
            : undefined;
      if (listed && (kind === "string" || kind === "number" || kind === "boolean") && (literal === undefined || !listed.includes(literal))) {
        return [{ kind: "fieldType", path, expected: describeSchema(schema), actual: this.typeText(value) }];
      }
      if (integer && typeof literal === "number" && !Number.isInteger(literal))
        return [{ kind: "fieldType", path, expected: "an integer", actual: this.typeText(value) }];
    }
    return [];
  }

  private checkStructure(value: PayloadValue, schema: Schema, path: string, depth: number, skipRequired: readonly string[]): PayloadProblem[] {
    const problems: PayloadProblem[] = [];
    const wantsObject = isSchema(schema.properties) || Array.isArray(schema.required) || schema.additionalProperties !== undefined;
    const wantsArray = schema.items !== undefined || Array.isArray(schema.prefixItems);
    for (const part of this.structuralParts(value)) {
      const kind = part.kind === "node" ? this.nodeKind(part.node) : getValueKind(this.checker, part.type);
      if (kind === "object" && wantsObject) problems.push(...this.checkObject(this.getShape(part), schema, path, depth, skipRequired));
      if (kind === "array" && wantsArray) problems.push(...this.checkArray(part, schema, path, depth));
    }
    return problems;
  }

  private nodeKind(node: ts.Expression): string {
    const inner = skipValueWrappers(node);
    if (ts.isObjectLiteralExpression(inner)) return "object";
    if (ts.isArrayLiteralExpression(inner)) return "array";
    return getValueKind(this.checker, this.checker.getTypeAtLocation(inner));
  }

  /** Literals stay syntax (their own property types); other values become their type's parts. */
  private structuralParts(value: PayloadValue): PayloadValue[] {
    if (value.kind === "node") {
      const node = skipValueWrappers(value.node);
      if (ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node)) return [{ ...value, node }];
      // `x as T` means T; other expressions mean their type.
      const ref = value.ref ?? { node, path: [] };
      return getTypeParts(this.checker.getTypeAtLocation(value.node)).map((type) => ({ kind: "type", type, ref }));
    }
    return getTypeParts(value.type).map((type) => ({ kind: "type", type, ...(value.ref && { ref: value.ref }) }));
  }

  private mayBeAbsent(type: ts.Type): boolean {
    return getTypeParts(type).some((t) => t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void));
  }

  private getShape(value: PayloadValue): ObjectShape {
    if (value.kind === "node" && ts.isObjectLiteralExpression(value.node)) return this.getLiteralShape(value.node, value.ref);
    const type = value.kind === "type" ? value.type : this.checker.getTypeAtLocation(value.node);
    const shape: ObjectShape = { fields: new Map(), open: this.checker.getIndexInfosOfType(type).length > 0 || (type.flags & ts.TypeFlags.NonPrimitive) !== 0 };
    for (const property of this.checker.getPropertiesOfType(type)) {
      const propertyType = this.checker.getTypeOfSymbol(property);
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      const shown = optional
        ? `optional \`${this.checker.typeToString(this.withoutUndefined(propertyType))}\``
        : `\`${this.checker.typeToString(propertyType)}\``;
      const ref = value.ref && childRef(value.ref, property.name);
      shape.fields.set(property.name, {
        value: { kind: "type", type: this.withoutUndefined(propertyType), ...(ref && { ref }) },
        mayBeAbsent: optional || this.mayBeAbsent(propertyType),
        shown,
      });
    }
    return shape;
  }

  private withoutUndefined(type: ts.Type): ts.Type {
    if (!type.isUnion()) return type;
    const kept = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    return kept.length === type.types.length ? type : kept.length === 1 ? kept[0]! : type;
  }

  /** `ref`: the literal reached through a const (`const payload = { … }; emit("x", payload)`). */
  private getLiteralShape(node: ts.ObjectLiteralExpression, ref?: PropertyRef): ObjectShape {
    const shape: ObjectShape = { fields: new Map(), open: false };
    for (const element of node.properties) {
      if (ts.isSpreadAssignment(element)) {
        const spread = this.getShape({
          kind: "type",
          type: this.checker.getTypeAtLocation(element.expression),
          ref: ref ?? { node: element.expression, path: [] },
        });
        for (const [name, field] of spread.fields) shape.fields.set(name, field);
        shape.open ||= spread.open;
        continue;
      }
      const name =
        element.name && (ts.isIdentifier(element.name) || ts.isStringLiteralLike(element.name) || ts.isNumericLiteral(element.name))
          ? element.name.text
          : undefined;
      if (name === undefined) {
        shape.open = true; // a computed key could be anything
        continue;
      }
      // Through a const, the field is `payload.name` where the payload is emitted; otherwise its own expression.
      const fieldRef = ref ? childRef(ref, name) : undefined;
      if (ts.isPropertyAssignment(element)) {
        const type = this.checker.getTypeAtLocation(element.initializer);
        const value: PayloadValue = { kind: "node", node: element.initializer, ...(fieldRef && { ref: fieldRef }) };
        shape.fields.set(name, { value, mayBeAbsent: this.mayBeAbsent(type), shown: `\`${this.checker.typeToString(type)}\`` });
      } else if (ts.isShorthandPropertyAssignment(element)) {
        // The name as an expression: the variable's type narrowed at this point (`if (nick === undefined) return;`).
        const type = getShorthandValueType(this.checker, element);
        const valueRef = fieldRef ?? { node: element.name, path: [] };
        shape.fields.set(name, {
          value: { kind: "type", type: this.withoutUndefined(type), ref: valueRef },
          mayBeAbsent: this.mayBeAbsent(type),
          shown: `\`${this.checker.typeToString(type)}\``,
        });
      } else {
        shape.fields.set(name, { value: { kind: "type", type: this.checker.getAnyType() }, mayBeAbsent: false }); // a method or accessor
      }
    }
    return shape;
  }

  private checkObject(shape: ObjectShape, schema: Schema, path: string, depth: number, skipRequired: readonly string[]): PayloadProblem[] {
    const problems: PayloadProblem[] = [];
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    for (const name of required) {
      if (skipRequired.includes(name)) continue;
      const field = shape.fields.get(name);
      const expected = describeSchema(this.resolve(properties[name] as JsonSchema) ?? {});
      if (!field) {
        if (!shape.open) problems.push({ kind: "missingField", path: join(path, name), expected });
      } else if (field.mayBeAbsent && !(field.value.ref && isPresentByGuard(this.checker, field.value.ref))) {
        problems.push({ kind: "optionalField", path: join(path, name), expected, actual: field.shown ?? `\`${this.typeText(field.value)}\`` });
      }
    }
    const patterns = isSchema(schema.patternProperties) ? Object.keys(schema.patternProperties).flatMap(compilePattern) : [];
    for (const [name, field] of shape.fields) {
      if (name in properties) {
        problems.push(...this.value(field.value, properties[name] as JsonSchema, join(path, name), depth + 1));
      } else if (schema.additionalProperties === false && !patterns.some((p) => p.test(name)) && !this.isDroppedBySerialization(field.value)) {
        problems.push({ kind: "extraField", path: join(path, name) });
      } else if (isSchema(schema.additionalProperties) && !patterns.some((p) => p.test(name))) {
        problems.push(...this.value(field.value, schema.additionalProperties, join(path, name), depth + 1));
      }
    }
    return problems;
  }

  /** JSON.stringify leaves out functions and undefined. */
  private isDroppedBySerialization(value: PayloadValue): boolean {
    const kinds = getTypeParts(this.typeOf(value)).map((t) => getValueKind(this.checker, t));
    return kinds.every((k) => k === "function" || k === "absent");
  }

  private checkArray(value: PayloadValue, schema: Schema, path: string, depth: number): PayloadProblem[] {
    const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as JsonSchema[]) : [];
    const items = schema.items as JsonSchema | undefined;
    const schemaAt = (i: number): JsonSchema | undefined => prefix[i] ?? items;
    if (value.kind === "node" && ts.isArrayLiteralExpression(value.node)) {
      return value.node.elements.flatMap((element, i) => {
        const s = schemaAt(i);
        return s === undefined || ts.isSpreadElement(element) ? [] : this.value({ kind: "node", node: element }, s, join(path, i), depth + 1);
      });
    }
    const type = value.kind === "type" ? value.type : this.checker.getTypeAtLocation(value.node);
    const args = this.checker.getTypeArguments(type as ts.TypeReference);
    if (this.checker.isTupleType(type))
      return args.flatMap((t, i) => (schemaAt(i) === undefined ? [] : this.value({ kind: "type", type: t }, schemaAt(i)!, join(path, i), depth + 1)));
    const element = args[0];
    return element && items !== undefined ? this.value({ kind: "type", type: element }, items, join(path, 0), depth + 1) : [];
  }
}
