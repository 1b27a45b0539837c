// Facts about one module that several rules share, computed lazily once per analysis: imports, the
// function index, the hang finder and reachability of every frame.
import { FlowWalker, type FlowOracle, type Termination, type UnreachableRegion } from './flow';
import { FunctionIndex, knownNoReturn } from './functions';
import { HangFinder } from './hangs';
import { calleeName, collectImports, dottedText, type ImportMap } from './imports';
import { frameOf, localBinding } from './locals';
import { absolutize } from './project';
import type { SyntaxNode } from './parser';
import type { Scope, ScopeModel } from './scopes';
import type { ExternalEnding, ProjectContext } from './types';

function unwrapStatementExpression(expr: SyntaxNode): SyntaxNode {
  // `x = await f()`, `x: T = f()`, `x += await f()`: the right-hand side runs first.
  while (expr.type === 'assignment' || expr.type === 'augmented_assignment') {
    const right = expr.childForFieldName('right');
    if (!right) break;
    expr = right;
  }
  while (expr.type === 'parenthesized_expression' && expr.namedChild(0)) expr = expr.namedChild(0)!;
  return expr;
}

/** An `async` or `await` word (as `\\b(?:async|await)\\b`, written so that a search can start mid-text). */
const ASYNC_WORD = /(?<!\w)(?:async|await)(?!\w)/g;

export class ModuleFacts {
  readonly imports: ImportMap;
  readonly functions: FunctionIndex;
  readonly hangs: HangFinder;
  /**
   * Told of each question to other modules, with the scope asking and the absolute name asked about
   * (undefined: unknown) — the incremental analysis tracks which results depend on other files.
   */
  projectUse?: (scope: Scope, qualified: string | undefined) => void;
  /** Regions per frame, so analyses of different parts of the module share the walks. */
  private readonly frameRegions = new Map<Scope, UnreachableRegion[]>();
  private regions?: UnreachableRegion[];

  /** `imports`: the module's imports when the caller already has them (the incremental analysis keeps them per unit). */
  constructor(readonly scopes: ScopeModel, readonly project?: ProjectContext, imports?: ImportMap) {
    this.imports = imports ?? collectImports(scopes.module.node);
    this.functions = new FunctionIndex(scopes, this.imports, (scope) => this.oracle(scope, false));
    this.hangs = new HangFinder(this.functions, this.imports, (call, scope) => this.externalEnding(call, scope));
  }

  /**
   * How a call to a function imported from another workspace module ends, when it never returns
   * normally (the project's verdict). Only callees written through an import (`jobs.consumer()`,
   * `consumer()` after `from .jobs import consumer`) are asked about; same-file functions are the
   * function index's.
   */
  externalEnding(call: SyntaxNode, scope: Scope, forRegion = false): ExternalEnding | undefined {
    const project = this.project;
    if (!project?.ending) return undefined;
    const fn = call.childForFieldName('function');
    const written = fn && dottedText(fn);
    const head = written?.split('.')[0];
    if (!head || !this.imports.has(head)) return undefined;
    // Asking costs parsing the other module. Code after a call can only hold a CORO200 finding if an
    // async keyword follows the call in its frame; other regions are never reported.
    if (forRegion && !this.asyncWordAfter(call, scope)) return undefined;
    // A name bound again (a parameter, `consumer = other`) may not be the import any more.
    for (let s: Scope | undefined = frameOf(scope); s; s = s.parent) {
      if (s.kind !== 'class' && localBinding(head, s).bindings > 0) return undefined;
    }
    const name = calleeName(call, this.imports);
    const absolute = name && absolutize(name, project.module, project.isPackage);
    if (!absolute) return undefined;
    this.projectUse?.(scope, absolute);
    return project.ending(absolute);
  }

  /**
   * The oracle the flow walker consults for statements of the frame `scope`. `forRegions`: the walk
   * only looks for unreachable code holding async operations (CORO200), not for how the frame ends.
   */
  oracle(scope: Scope, forRegions = true): FlowOracle {
    return {
      imports: this.imports,
      expressionOutcome: (raw) => this.expressionOutcome(unwrapStatementExpression(raw), scope, forRegions),
      withExitOutcome: (statement) => this.taskGroupHang(statement, scope),
    };
  }

  /** The module's text, for asyncWordAfter (comments and strings are searched too: a superset is safe). */
  private moduleText?: string;

  /** Whether an `async` or `await` word follows `node` inside the frame `scope` (nested frames included). */
  private asyncWordAfter(node: SyntaxNode, scope: Scope): boolean {
    // Searched from the node to the end of its frame only: listing every async/await word of the module
    // up front cost the language server a module's worth of match objects per keystroke.
    const text = (this.moduleText ??= this.scopes.module.node.text);
    const end = scope.kind === 'module' ? text.length : scope.node.endIndex;
    if (node.endIndex >= end) return false;
    // The window starts one character early so that the lookbehind sees what precedes the search.
    const from = node.endIndex > 0 ? node.endIndex - 1 : 0;
    ASYNC_WORD.lastIndex = node.endIndex - from;
    return ASYNC_WORD.test(text.slice(from, end));
  }

  private expressionOutcome(expr: SyntaxNode, scope: Scope, forRegion: boolean): Termination | undefined {
    if (expr.type === 'await') {
      const awaited = expr.namedChild(0);
      if (!awaited) return undefined;
      const hang = this.hangs.awaited(awaited, scope);
      if (hang) return { kind: 'hang', node: expr, reason: `after \`${clip(expr.text)}\`, which never completes`, origin: hang };
      if (awaited.type === 'call') {
        const fn = this.functions.resolveCall(awaited, scope);
        const ext = fn ? undefined : this.externalEnding(awaited, scope, forRegion);
        const raises = fn ? fn.isAsync && this.functions.ending(fn).kind === 'raises' : ext?.kind === 'raises' && ext.isAsync;
        if (raises) return { kind: 'raise', node: expr, reason: `after \`${clip(expr.text)}\`, which always raises`, origin: ext && originOf(ext) };
      }
      return undefined;
    }
    if (expr.type !== 'call') return undefined;
    const known = knownNoReturn(expr, this.imports);
    if (known) return known;
    const fn = this.functions.resolveCall(expr, scope);
    // Calling a coroutine function only creates the coroutine.
    const ext = fn ? undefined : this.syncExternalEnding(expr, scope, forRegion);
    const ending = fn ? (fn.isAsync ? undefined : this.functions.ending(fn)) : ext;
    const origin = ext && originOf(ext);
    if (ending?.kind === 'raises') return { kind: 'raise', node: expr, reason: `after \`${clip(expr.text)}\`, which always raises`, origin };
    if (ending?.kind === 'hangs') return { kind: 'loop', node: expr, reason: `after \`${clip(expr.text)}\`, which never returns`, origin };
    return undefined;
  }

  private syncExternalEnding(call: SyntaxNode, scope: Scope, forRegion: boolean): ExternalEnding | undefined {
    const ext = this.externalEnding(call, scope, forRegion);
    return ext && !ext.isAsync ? ext : undefined;
  }

  /**
   * `async with asyncio.TaskGroup() as tg:` waits at its exit for every task created in it; if one of
   * them never returns, neither does the `async with`.
   */
  taskGroupHang(statement: SyntaxNode, scope: Scope): Termination | undefined {
    if (statement.firstChild?.type !== 'async') return undefined;
    const clause = statement.namedChildren.find((c) => c?.type === 'with_clause');
    for (const item of clause?.namedChildren ?? []) {
      const value = item?.childForFieldName('value');
      if (value?.type !== 'as_pattern') continue;
      const call = value.namedChild(0);
      const alias = value.childForFieldName('alias')?.namedChild(0);
      if (!call || call.type !== 'call' || !alias || calleeName(call, this.imports) !== 'asyncio.TaskGroup') continue;
      const body = statement.childForFieldName('body');
      for (const c of body?.descendantsOfType('call') ?? []) {
        const fn = c?.childForFieldName('function');
        if (!c || fn?.type !== 'attribute' || fn.childForFieldName('object')?.text !== alias.text || fn.childForFieldName('attribute')?.text !== 'create_task') continue;
        const hang = this.hangs.awaited(c, scope);
        if (hang) return { kind: 'hang', node: statement, reason: 'after this TaskGroup, which waits for a task that never completes', origin: hang };
      }
    }
    return undefined;
  }

  /** Every unreachable region of the frames in `scopes` (default: every analysed scope of the module). */
  unreachableRegions(scopes: readonly Scope[] = this.scopes.all): UnreachableRegion[] {
    if (scopes === this.scopes.all && this.regions) return this.regions;
    const regions: UnreachableRegion[] = [];
    for (const scope of scopes) regions.push(...this.regionsOfFrame(scope));
    // A frame nested in an unreachable region is unreachable as a whole; keep only outermost regions.
    regions.sort((a, b) => a.first.startIndex - b.first.startIndex || b.last.endIndex - a.last.endIndex);
    const outer: UnreachableRegion[] = [];
    for (const r of regions) {
      const last = outer[outer.length - 1];
      if (last && r.first.startIndex >= last.first.startIndex && r.last.endIndex <= last.last.endIndex) continue;
      outer.push(r);
    }
    if (scopes === this.scopes.all) this.regions = outer;
    return outer;
  }

  /** Records a frame's regions found by other means (see reuse.ts), so they are not walked again. */
  knownRegions(scope: Scope, regions: UnreachableRegion[]): void {
    this.frameRegions.set(scope, regions);
  }

  /** The unreachable regions of one frame's own statements. */
  regionsOfFrame(scope: Scope): UnreachableRegion[] {
    let regions = this.frameRegions.get(scope);
    if (regions) return regions;
    let body: SyntaxNode | null = null;
    if (scope.kind === 'module') body = scope.node;
    else if (scope.kind === 'function' || scope.kind === 'class') body = scope.node.childForFieldName('body');
    if (body) {
      const walker = new FlowWalker(this.oracle(scope));
      walker.frame(body);
      regions = walker.regions;
    } else {
      regions = [];
    }
    this.frameRegions.set(scope, regions);
    return regions;
  }
}

/** Related information for a verdict from another module: where, in that file, and why. */
function originOf(ext: ExternalEnding): Termination['origin'] {
  return { site: ext.site, reason: ext.kind === 'raises' ? `\`${ext.name}()\` (${ext.module}) always raises here` : `\`${ext.name}()\` (${ext.module}) never returns: ${ext.reason}` };
}

/** Shortens code quoted in messages. */
export function clip(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}
