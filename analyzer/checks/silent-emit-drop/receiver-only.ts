/**
 * Emissions whose audience is the receiver itself: a notification that carries no payload and whose
 * visible implementation reaches nobody else. When such a receiver is missing, there is nobody the
 * notification was for, so nothing is dropped. The rule is about a missing transport or bridge.
 */
import { ts } from "../typescript.js";
import { isEmissionName, type EmissionCall } from "../shared/emissions.js";

/** Calls of the platform that carry data out of the process, whatever their name. */
const OUTBOUND_PLATFORM_CALLS = new Set([
  "fetch",
  "postMessage",
  "write",
  "writeln",
  "WebSocket",
  "EventSource",
  "Worker",
  "SharedWorker",
  "BroadcastChannel",
  "XMLHttpRequest",
]);
/** Logging methods: a log line is for whoever reads the log, not an event for a listener. */
const LOG_METHODS = new Set(["trace", "debug", "info", "log", "warn", "warning", "error"]);
/** Function bodies followed at most from one notification; beyond that, it is taken to reach out. */
const BODY_BUDGET = 40;

/**
 * `this.tracker?.notifyConnected()` where `notifyConnected()` is declared once, with a body, in a
 * class of the project, and that body (with every function of the project it calls, and the
 * callbacks it defines) only updates state: it calls no emission (`emit*`, `send*`, `notify*`,
 * `publish*`, `dispatch*`), no function value handed in from outside (a listener, a callback, a
 * parameter), nothing declared without a body outside the platform (an interface, a package's
 * `.d.ts`), and no platform call that carries data out (`fetch`, `postMessage`, `new WebSocket`).
 * Calls of the platform's own collections, timers and `Math`, and log lines, are fine.
 *
 * Only calls with no arguments: a payload handed to a method that stores it may be carried on later
 * by another method (a queue flushed on a timer), which this does not follow.
 */
export function isKeptByReceiver(emission: EmissionCall, program: ts.Program, checker: ts.TypeChecker): boolean {
  if (emission.call.arguments.length > 0) return false;
  const declarations = checker.getSymbolAtLocation(emission.callee.name)?.declarations ?? [];
  if (declarations.length !== 1) return false;
  const body = getProjectBody(declarations[0]!);
  if (!body) return false;
  const seen = new Set<ts.Node>([body]);
  const pending: ts.Node[] = [body];
  for (let next = pending.pop(); next; next = pending.pop()) {
    let reachesOut = false;
    const visit = (node: ts.Node): void => {
      if (reachesOut) return;
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const followed = classifyCall(node, program, checker);
        if (followed === "outbound") {
          reachesOut = true;
          return;
        }
        if (followed !== "local" && !seen.has(followed)) {
          if (seen.size >= BODY_BUDGET) {
            reachesOut = true;
            return;
          }
          seen.add(followed);
          pending.push(followed);
        }
        for (const argument of node.arguments ?? []) {
          if (passesFunctionFromOutside(argument, checker)) {
            reachesOut = true;
            return;
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(next);
    if (reachesOut) return false;
  }
  return true;
}

/**
 * What a call inside the implementation does: `"local"` (a platform call that stays in the process,
 * a log line), `"outbound"` (an emission, a callback, something without a visible body), or the
 * body of a project function it runs, to follow.
 */
function classifyCall(node: ts.CallExpression | ts.NewExpression, program: ts.Program, checker: ts.TypeChecker): "local" | "outbound" | ts.Node {
  const name = getCalledName(node.expression);
  if (name !== undefined && (isEmissionName(name) || OUTBOUND_PLATFORM_CALLS.has(name))) return "outbound";
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LOG_METHODS.has(node.expression.name.text)) return "local";
  if (ts.isCallExpression(node) && callsFunctionValue(node.expression, program, checker)) return "outbound";
  const declaration = checker.getResolvedSignature(node)?.declaration;
  if (!declaration || ts.isJSDocSignature(declaration)) return "outbound";
  if (isPlatformFile(declaration.getSourceFile(), program)) return "local";
  return getProjectBody(declaration) ?? "outbound";
}

/**
 * `listener(e)`, `this.onDone()`, `callbacks[i]()`: a call of a value (a parameter, a variable, a
 * property) rather than of a function or method the project or the platform declares. Whatever it
 * holds was handed in from elsewhere; an arrow or function the project initializes it with is followed.
 */
function callsFunctionValue(callee: ts.Expression, program: ts.Program, checker: ts.TypeChecker): boolean {
  const target = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  if (!target) return false;
  let symbol = checker.getSymbolAtLocation(target);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!declaration || isPlatformFile(declaration.getSourceFile(), program)) return false;
  const isValue =
    ts.isParameter(declaration) ||
    ts.isVariableDeclaration(declaration) ||
    ts.isBindingElement(declaration) ||
    ts.isPropertyDeclaration(declaration) ||
    ts.isPropertySignature(declaration) ||
    ts.isPropertyAssignment(declaration) ||
    ts.isShorthandPropertyAssignment(declaration);
  return isValue && getProjectBody(declaration) === undefined;
}

/** `f`, `a.b.f`, `new C`: the name the call uses, when it names one. */
function getCalledName(callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text.replace(/^#/, "");
  return undefined;
}

/**
 * An argument that hands a function the implementation did not write inline to someone who may
 * call it later (`setTimeout(this.onTimeout)`, `queueMicrotask(callback)`): where it goes is not
 * followed, so it counts as reaching out. An inline arrow or function is part of the body.
 */
function passesFunctionFromOutside(argument: ts.Expression, checker: ts.TypeChecker): boolean {
  if (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) return false;
  return checker.getTypeAtLocation(argument).getCallSignatures().length > 0;
}

/** The platform: TypeScript's default library files and Node's own typings. */
function isPlatformFile(file: ts.SourceFile, program: ts.Program): boolean {
  return program.isSourceFileDefaultLibrary(file) || file.fileName.includes("/node_modules/@types/node/");
}

/**
 * The body of a function declared in the project (not a `.d.ts`): a function, method, accessor or
 * constructor with a body, or a property or variable initialized with an arrow or function.
 */
function getProjectBody(declaration: ts.Node): ts.Node | undefined {
  if (declaration.getSourceFile().isDeclarationFile) return undefined;
  if ((ts.isPropertyDeclaration(declaration) || ts.isVariableDeclaration(declaration)) && declaration.initializer) {
    const initializer = declaration.initializer;
    return ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer) ? initializer.body : undefined;
  }
  if (ts.isFunctionLike(declaration) && "body" in declaration && declaration.body) return declaration.body;
  return undefined;
}
