// Same-file function index: resolves a call to the `def` it runs (module functions, functions nested
// in enclosing functions, `self.m()` / `cls.m()` / `ClassName.m()` in the same class) and summarises
// how each function ends — returns, always raises, or never returns because it loops forever. Mutually
// recursive functions are answered together (fixpoint.ts), so a verdict never depends on which of them
// was asked about first.
import { FixpointSolver } from './fixpoint';
import { FlowWalker, siteOf, type FlowOracle, type Termination } from './flow';
import { calleeName, dottedText, type ImportMap } from './imports';
import type { SyntaxNode } from './parser';
import type { Scope, ScopeModel } from './scopes';
import type { Site } from './types';

export interface FunctionInfo {
  scope: Scope;
  name: string;
  isAsync: boolean;
  /** Contains `yield`: calling it only builds a generator, so its body's ending does not matter at the call. */
  isGenerator: boolean;
  /** The class whose body defines it, for methods. */
  owner?: Scope;
  /** Decorator expressions' text (without `@`). */
  decorators: string[];
  /** Annotated `-> NoReturn` / `-> Never`. */
  noReturnAnnotation: boolean;
}

/** How calling a function ends. */
export type Ending =
  | { kind: 'returns' }
  | { kind: 'raises'; site: Site }
  /** Never returns: `site` is the loop (or await) responsible. */
  | { kind: 'hangs'; site: Site; reason: string };

const RETURNS: Ending = { kind: 'returns' };

function sameSite(a: Site, b: Site): boolean {
  return a.file === b.file && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character
    && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
}

/** Whether two endings say the same (kind, cause and place). */
export function sameEnding(a: Ending, b: Ending): boolean {
  if (a.kind === 'returns' || b.kind === 'returns') return a.kind === b.kind;
  if (a.kind !== b.kind || !sameSite(a.site, b.site)) return false;
  return a.kind !== 'hangs' || a.reason === (b as typeof a).reason;
}

const NO_RETURN = /(^|\.)(NoReturn|Never)$/;
/** Decorators that keep a function's calling behaviour; any other may replace it. */
const TRANSPARENT_DECORATORS = new Set(['staticmethod', 'classmethod', 'override', 'typing.override', 'typing_extensions.override', 'functools.cache', 'cache']);

export class FunctionIndex {
  private readonly byScope = new Map<Scope, FunctionInfo>();
  /** Endings of this module's functions, recursion solved as a whole (see fixpoint.ts). */
  private readonly solver = new FixpointSolver<FunctionInfo, Ending>((fn) => this.bodyEnding(fn), {
    initial: RETURNS, same: sameEnding, order: (a, b) => a.scope.node.startIndex - b.scope.node.startIndex,
  });
  /** The file these functions are in, when it is not the analysed one (sites then name it). */
  file?: string;
  /**
   * Where ending() gets its answers instead of this index's own solver: the workspace's verdicts
   * (crossEndings.ts) solve recursion across modules in one solver.
   */
  endingSource?: (fn: FunctionInfo) => Ending;

  constructor(readonly scopes: ScopeModel, readonly imports: ImportMap, private readonly oracleFor: (scope: Scope) => FlowOracle) {}

  /** The info of a function scope, built on first use (most functions are never looked up). */
  info(scope: Scope): FunctionInfo | undefined {
    if (scope.kind !== 'function' || !scope.name) return undefined;
    let info = this.byScope.get(scope);
    if (!info) {
      const node = scope.node;
      const decorated = node.parent?.type === 'decorated_definition' ? node.parent : undefined;
      const decorators = decorated
        ? decorated.namedChildren.filter((c) => c?.type === 'decorator').map((c) => c!.text.replace(/^@\s*/, '').trim())
        : [];
      const returnType = node.childForFieldName('return_type')?.text.replace(/['"\s]/g, '') ?? '';
      info = {
        scope, name: scope.name, isAsync: scope.isAsync, isGenerator: scope.yields.length > 0,
        owner: scope.parent?.kind === 'class' ? scope.parent : undefined,
        decorators, noReturnAnnotation: NO_RETURN.test(returnType),
      };
      this.byScope.set(scope, info);
    }
    return info;
  }

  /** The function a call runs, resolved from the frame the call is evaluated in. */
  resolveCall(call: SyntaxNode, from: Scope): FunctionInfo | undefined {
    const fn = call.childForFieldName('function');
    return fn ? this.resolveReference(fn, from) : undefined;
  }

  /** The function an expression names (`f`, `self.m`, `Cls.m`, `super().m`), from the frame it is evaluated in. */
  resolveReference(fn: SyntaxNode, from: Scope): FunctionInfo | undefined {
    if (fn.type === 'identifier') return this.resolveName(fn.text, from);
    if (fn.type === 'attribute') {
      // super().m()
      const object = fn.childForFieldName('object');
      if (object?.type === 'call' && object.childForFieldName('function')?.text === 'super') {
        const method = fn.childForFieldName('attribute')?.text;
        return method ? this.superMethod(from, method) : undefined;
      }
    }
    const text = dottedText(fn);
    if (!text) return undefined;
    const parts = text.split('.');
    if (parts.length !== 2) return undefined;
    const [head, method] = parts;
    const cls = (head === 'self' || head === 'cls') ? this.enclosingClass(from) : this.resolveClass(head, from);
    if (!cls) return undefined;
    return this.methodOf(cls, method);
  }

  private resolveName(name: string, from: Scope): FunctionInfo | undefined {
    for (let s: Scope | undefined = from; s; s = s.parent) {
      // Class bodies are not enclosing scopes for names used inside their methods.
      if (s.kind === 'class' && s !== from) continue;
      const found = s.children.find((c) => c.kind === 'function' && c.name === name);
      if (found) return this.info(found);
    }
    return undefined;
  }

  private resolveClass(name: string, from: Scope): Scope | undefined {
    for (let s: Scope | undefined = from; s; s = s.parent) {
      const found = s.children.find((c) => c.kind === 'class' && c.name === name);
      if (found) return found;
    }
    return undefined;
  }

  /** The class a method's `self`/`cls` refers to: the class whose body defines the enclosing function. */
  enclosingClass(from: Scope): Scope | undefined {
    for (let s: Scope | undefined = from; s; s = s.parent) {
      if (s.kind === 'function' && s.parent?.kind === 'class') return s.parent;
    }
    return undefined;
  }

  /** A method of `cls` or of its base classes defined in the same file (depth-first, like a simple MRO). */
  methodOf(cls: Scope, name: string, seen = new Set<Scope>()): FunctionInfo | undefined {
    if (seen.has(cls)) return undefined;
    seen.add(cls);
    const found = cls.children.find((c) => c.kind === 'function' && c.name === name);
    if (found) return this.info(found);
    for (const base of cls.node.childForFieldName('superclasses')?.namedChildren ?? []) {
      if (base?.type !== 'identifier' || !cls.parent) continue;
      const baseScope = this.resolveClass(base.text, cls.parent);
      const inherited = baseScope && this.methodOf(baseScope, name, seen);
      if (inherited) return inherited;
    }
    return undefined;
  }

  /** `super().m()` from a method of `cls`: the first base (in the same file) defining `m`. */
  superMethod(from: Scope, name: string): FunctionInfo | undefined {
    const cls = this.enclosingClass(from);
    if (!cls || !cls.parent) return undefined;
    for (const base of cls.node.childForFieldName('superclasses')?.namedChildren ?? []) {
      if (base?.type !== 'identifier') continue;
      const baseScope = this.resolveClass(base.text, cls.parent);
      const found = baseScope && this.methodOf(baseScope, name);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * How calling (and, for coroutines, awaiting) the function ends. Conservative: decorated functions
   * (other than staticmethod/classmethod), generators, abstract stubs (`raise NotImplementedError`) and
   * methods that only raise (a subclass may override them) count as returning; so does a call that
   * recurses back into a function whose verdict is being worked out, until the whole recursive group
   * has settled on one answer.
   */
  ending(fn: FunctionInfo): Ending {
    return this.endingSource ? this.endingSource(fn) : this.solver.value(fn);
  }

  /**
   * The ending read from the function's own body, with the functions it calls answered by ending().
   * Public for the workspace's solver; everyone else asks ending().
   */
  bodyEnding(fn: FunctionInfo): Ending {
    const node = fn.scope.node;
    if (fn.noReturnAnnotation) return { kind: 'raises', site: siteOf(node.childForFieldName('return_type') ?? node, this.file) };
    if (fn.isGenerator) return RETURNS;
    if (fn.decorators.some((d) => !TRANSPARENT_DECORATORS.has(d))) return RETURNS;
    const body = node.childForFieldName('body');
    const flow = new FlowWalker(this.oracleFor(fn.scope)).frame(body);
    if (flow.completes || flow.returns) return RETURNS;
    if (flow.raises) {
      if (fn.owner || /raise\s+NotImplementedError/.test(body?.text ?? '')) return RETURNS;
      return { kind: 'raises', site: siteOf(flow.cause?.node ?? node, this.file) };
    }
    if (flow.cause && (flow.cause.kind === 'loop' || flow.cause.kind === 'hang')) {
      return { kind: 'hangs', site: siteOf(flow.cause.node, this.file), reason: flow.cause.reason };
    }
    return RETURNS;
  }

  /** A module-level function (`[name]`) or a method of a module-level class (`[class, name]`) by name. */
  byPath(path: readonly string[]): FunctionInfo | undefined {
    const module = this.scopes.module;
    if (path.length === 1) {
      const found = module.children.find((c) => c.kind === 'function' && c.name === path[0]);
      return found && this.info(found);
    }
    if (path.length !== 2) return undefined;
    const cls = module.children.find((c) => c.kind === 'class' && c.name === path[0]);
    return cls && this.methodOf(cls, path[1]);
  }
}

/** Calls that end the process or always raise, by qualified name. */
export const NO_RETURN_CALLS = new Set([
  'sys.exit', 'exit', 'quit', 'os._exit', 'os.abort', 'os.kill_self',
  'typing.assert_never', 'typing_extensions.assert_never', 'assert_never',
  'os.execv', 'os.execve', 'os.execvp', 'os.execvpe', 'os.execl', 'os.execle', 'os.execlp', 'os.execlpe',
]);

/** Termination of a call that never returns by its name alone (`sys.exit()`). */
export function knownNoReturn(call: SyntaxNode, imports: ImportMap): Termination | undefined {
  const name = calleeName(call, imports);
  if (name && NO_RETURN_CALLS.has(name)) return { kind: 'exit', node: call, reason: `after \`${name}()\`, which never returns` };
  return undefined;
}
