// Same-file function index: resolves a call to the `def` it runs (module functions, functions nested
// in enclosing functions, `self.m()` / `cls.m()` / `ClassName.m()` in the same class) and summarises
// how each function ends — returns, always raises, or never returns because it loops forever.
import { FlowWalker, type FlowOracle, type Termination } from './flow';
import { calleeName, dottedText, type ImportMap } from './imports';
import type { SyntaxNode } from './parser';
import type { Scope, ScopeModel } from './scopes';

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
  | { kind: 'raises'; node: SyntaxNode }
  /** Never returns: `node` is the loop (or await) responsible. */
  | { kind: 'hangs'; node: SyntaxNode; reason: string };

const NO_RETURN = /(^|\.)(NoReturn|Never)$/;
/** Decorators that keep a function's calling behaviour; any other may replace it. */
const TRANSPARENT_DECORATORS = new Set(['staticmethod', 'classmethod', 'override', 'typing.override', 'typing_extensions.override', 'functools.cache', 'cache']);

export class FunctionIndex {
  private readonly byScope = new Map<Scope, FunctionInfo>();
  private readonly endings = new Map<FunctionInfo, Ending>();
  private readonly inProgress = new Set<FunctionInfo>();

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
   * methods that only raise (a subclass may override them) count as returning.
   */
  ending(fn: FunctionInfo): Ending {
    const known = this.endings.get(fn);
    if (known) return known;
    if (this.inProgress.has(fn)) return { kind: 'returns' }; // recursion: assume it returns
    this.inProgress.add(fn);
    let result: Ending = { kind: 'returns' };
    try {
      result = this.computeEnding(fn);
    } finally {
      this.inProgress.delete(fn);
    }
    this.endings.set(fn, result);
    return result;
  }

  private computeEnding(fn: FunctionInfo): Ending {
    if (fn.noReturnAnnotation) return { kind: 'raises', node: fn.scope.node.childForFieldName('return_type') ?? fn.scope.node };
    if (fn.isGenerator) return { kind: 'returns' };
    if (fn.decorators.some((d) => !TRANSPARENT_DECORATORS.has(d))) return { kind: 'returns' };
    const body = fn.scope.node.childForFieldName('body');
    const flow = new FlowWalker(this.oracleFor(fn.scope)).frame(body);
    if (flow.completes || flow.returns) return { kind: 'returns' };
    if (flow.raises) {
      if (fn.owner || /raise\s+NotImplementedError/.test(body?.text ?? '')) return { kind: 'returns' };
      return { kind: 'raises', node: flow.cause?.node ?? fn.scope.node };
    }
    if (flow.cause && (flow.cause.kind === 'loop' || flow.cause.kind === 'hang')) {
      return { kind: 'hangs', node: flow.cause.node, reason: flow.cause.reason };
    }
    return { kind: 'returns' };
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
