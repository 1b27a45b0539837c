// Reachability: which statements can run, and how each frame's body can end. A structured walk over
// statement lists (the shape of a control-flow graph for a language without goto): a statement after
// one that cannot complete normally starts an unreachable region; loops, try/finally and `with` are
// handled by what can leave them (break, return, raise, exceptions a context manager may swallow).
import { constantTruth } from './constants';
import type { ImportMap } from './imports';
import type { SyntaxNode } from './parser';
import type { Site } from './types';

/** Why control cannot continue past a statement. */
export interface Termination {
  kind: 'return' | 'raise' | 'break' | 'continue' | 'exit' | 'loop' | 'hang' | 'constant';
  /** The statement, call or loop responsible. */
  node: SyntaxNode;
  /** Short reason for messages: "after `return`", "`while True` never exits". */
  reason: string;
  /** The root cause elsewhere (the loop that never exits inside the awaited coroutine, maybe in another file). */
  origin?: { site: Site; reason: string };
}

/** Where a node of the analysed file (or, with `file`, of another module's tree) is. */
export function siteOf(node: SyntaxNode, file?: string): Site {
  const range = {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
  return file === undefined ? { range } : { range, file };
}

/** A maximal run of statements that can never run. */
export interface UnreachableRegion {
  first: SyntaxNode;
  last: SyntaxNode;
  cause: Termination;
  /** The rest of a block after a terminating statement (deleting it leaves valid code). */
  trailing: boolean;
}

/** How a statement (or block) can end. */
export interface Flow {
  completes: boolean;
  /** A reachable `break` leaves the innermost enclosing loop. */
  breaks: boolean;
  /** A reachable `return` exists. */
  returns: boolean;
  /** Some path ends by raising (an exception a `with` might suppress). */
  raises: boolean;
  /** When !completes: the first reason. */
  cause?: Termination;
}

/** What the walker asks about expressions it cannot judge by syntax alone. */
export interface FlowOracle {
  imports: ImportMap;
  /** If evaluating this expression statement's top-level expression never completes normally, why. */
  expressionOutcome(expr: SyntaxNode): Termination | undefined;
  /** If leaving this `with`/`async with` statement never completes (e.g. a TaskGroup awaiting a task that hangs), why. */
  withExitOutcome?(statement: SyntaxNode): Termination | undefined;
}

/** The result of analysing one frame's body. */
export interface FrameFlow {
  /** Control can reach the end of the body. */
  completes: boolean;
  /** A reachable `return` exists. */
  returns: boolean;
  raises: boolean;
  cause?: Termination;
}

const COMPLETES: Flow = { completes: true, breaks: false, returns: false, raises: false };

function stop(cause: Termination, extra: Partial<Flow> = {}): Flow {
  return { completes: false, breaks: false, returns: false, raises: false, cause, ...extra };
}

/** Walks statement lists; collects unreachable regions into `regions`. */
export class FlowWalker {
  readonly regions: UnreachableRegion[] = [];

  constructor(private readonly oracle: FlowOracle) {}

  /** Analyses a frame body (module, function or class block). */
  frame(body: SyntaxNode | null): FrameFlow {
    if (!body) return { completes: true, returns: false, raises: false };
    const f = this.block(body);
    return { completes: f.completes, returns: f.returns, raises: f.raises, cause: f.cause };
  }

  /** A block (or module): statements in order; everything after a non-completing one is unreachable. */
  block(block: SyntaxNode): Flow {
    return this.sequence(block.namedChildren.filter((s): s is SyntaxNode => !!s && s.type !== 'comment'));
  }

  /** Statements run in order, as in a block (the incremental analysis walks the module's own code this way). */
  sequence(statements: readonly SyntaxNode[]): Flow {
    let acc: Flow = { ...COMPLETES };
    for (let i = 0; i < statements.length; i++) {
      const f = this.statement(statements[i]);
      acc = { completes: f.completes, breaks: acc.breaks || f.breaks, returns: acc.returns || f.returns, raises: acc.raises || f.raises, cause: f.cause };
      if (!f.completes) {
        if (i + 1 < statements.length && f.cause) {
          this.regions.push({ first: statements[i + 1], last: statements[statements.length - 1], cause: f.cause, trailing: true });
        }
        break;
      }
    }
    return acc;
  }

  private unreachable(body: SyntaxNode | null, cause: Termination): void {
    if (!body) return;
    const statements = body.type === 'block' || body.type === 'module'
      ? body.namedChildren.filter((s): s is SyntaxNode => !!s && s.type !== 'comment')
      : [body];
    if (statements.length) this.regions.push({ first: statements[0], last: statements[statements.length - 1], cause, trailing: false });
  }

  private statement(s: SyntaxNode): Flow {
    switch (s.type) {
      case 'return_statement': return stop({ kind: 'return', node: s, reason: 'after `return`' }, { returns: true });
      case 'raise_statement': return stop({ kind: 'raise', node: s, reason: 'after `raise`' }, { raises: true });
      case 'break_statement': return stop({ kind: 'break', node: s, reason: 'after `break`' }, { breaks: true });
      case 'continue_statement': return stop({ kind: 'continue', node: s, reason: 'after `continue`' });
      case 'assert_statement':
        if (constantTruth(s.namedChild(0), this.oracle.imports) === false) {
          return stop({ kind: 'raise', node: s, reason: 'after `assert False`' }, { raises: true });
        }
        return COMPLETES;
      case 'expression_statement': {
        const expr = s.namedChild(0);
        const outcome = expr ? this.oracle.expressionOutcome(expr) : undefined;
        if (!outcome) return COMPLETES;
        return stop(outcome, { raises: outcome.kind === 'exit' || outcome.kind === 'raise' });
      }
      case 'if_statement': return this.ifStatement(s);
      case 'while_statement': return this.whileStatement(s);
      case 'for_statement': return this.forStatement(s);
      case 'try_statement': return this.tryStatement(s);
      case 'with_statement': return this.withStatement(s);
      case 'match_statement': return this.matchStatement(s);
      case 'decorated_definition': case 'function_definition': case 'class_definition':
        // Defining runs no body; class bodies are frames analysed on their own.
        return COMPLETES;
      default: return COMPLETES;
    }
  }

  private ifStatement(s: SyntaxNode): Flow {
    const clauses: Array<{ condition: SyntaxNode | null; body: SyntaxNode | null }> = [
      { condition: s.childForFieldName('condition'), body: s.childForFieldName('consequence') },
    ];
    let elseBody: SyntaxNode | null = null;
    for (const alt of s.childrenForFieldName('alternative')) {
      if (!alt) continue;
      if (alt.type === 'elif_clause') clauses.push({ condition: alt.childForFieldName('condition'), body: alt.childForFieldName('consequence') });
      else if (alt.type === 'else_clause') elseBody = alt.childForFieldName('body');
    }
    let result: Flow = { completes: false, breaks: false, returns: false, raises: false };
    let alwaysTaken: Termination | undefined; // set once a clause's condition is constantly true
    const merge = (f: Flow) => {
      result = { completes: result.completes || f.completes, breaks: result.breaks || f.breaks, returns: result.returns || f.returns, raises: result.raises || f.raises, cause: result.cause ?? f.cause };
    };
    for (const clause of clauses) {
      if (alwaysTaken) { this.unreachable(clause.body, alwaysTaken); continue; }
      const truth = constantTruth(clause.condition, this.oracle.imports);
      if (truth === false) {
        this.unreachable(clause.body, { kind: 'constant', node: clause.condition!, reason: `\`${clause.condition!.text}\` is always false` });
        continue;
      }
      if (clause.body) merge(this.block(clause.body));
      if (truth === true) alwaysTaken = { kind: 'constant', node: clause.condition!, reason: `\`${clause.condition!.text}\` is always true` };
    }
    if (alwaysTaken) {
      this.unreachable(elseBody, alwaysTaken);
    } else if (elseBody) {
      merge(this.block(elseBody));
    } else {
      merge(COMPLETES);
    }
    // Control stops after the whole `if`; keep the branches' origin (an endless awaited coroutine…) for related info.
    if (!result.completes) result.cause = { kind: result.cause?.kind ?? 'return', node: s, reason: 'after an `if` whose every branch leaves', origin: result.cause?.origin };
    return result;
  }

  private loopElse(s: SyntaxNode): SyntaxNode | null {
    const alt = s.childForFieldName('alternative');
    return alt?.childForFieldName('body') ?? null;
  }

  private whileStatement(s: SyntaxNode): Flow {
    const condition = s.childForFieldName('condition');
    const body = s.childForFieldName('body');
    const elseBody = this.loopElse(s);
    const truth = constantTruth(condition, this.oracle.imports);
    if (truth === false) {
      this.unreachable(body, { kind: 'constant', node: condition!, reason: `\`${condition!.text}\` is always false` });
      return elseBody ? this.block(elseBody) : COMPLETES;
    }
    const b = body ? this.block(body) : COMPLETES;
    if (truth === true) {
      const loop: Termination = { kind: 'loop', node: s, reason: `\`while ${condition!.text}\` never exits` };
      // The else clause runs only when the condition turns false: never.
      this.unreachable(elseBody, loop);
      if (b.breaks) return { completes: true, breaks: false, returns: b.returns, raises: b.raises };
      return { completes: false, breaks: false, returns: b.returns, raises: b.raises, cause: b.returns || b.raises ? { ...loop, kind: 'return', reason: 'after a `while True` loop left only by `return`/`raise`' } : loop };
    }
    return this.loopExit(b, elseBody);
  }

  private forStatement(s: SyntaxNode): Flow {
    const body = s.childForFieldName('body');
    const b = body ? this.block(body) : COMPLETES;
    return this.loopExit(b, this.loopElse(s));
  }

  /** A loop that may end by exhausting its condition/iterator: through `else` (if any) or `break`. */
  private loopExit(b: Flow, elseBody: SyntaxNode | null): Flow {
    const e = elseBody ? this.block(elseBody) : COMPLETES;
    const completes = e.completes || b.breaks;
    return { completes, breaks: e.breaks, returns: b.returns || e.returns, raises: b.raises || e.raises, cause: completes ? undefined : e.cause };
  }

  private tryStatement(s: SyntaxNode): Flow {
    const body = s.childForFieldName('body');
    const b = body ? this.block(body) : COMPLETES;
    let handlersComplete = false;
    let acc: Flow = { completes: false, breaks: b.breaks, returns: b.returns, raises: false };
    let elseBody: SyntaxNode | null = null;
    let finallyBlock: SyntaxNode | null = null;
    let hasHandler = false;
    for (const child of s.namedChildren) {
      if (!child) continue;
      if (child.type === 'except_clause' || child.type === 'except_group_clause') {
        hasHandler = true;
        const block = child.namedChildren.find((c) => c?.type === 'block') ?? null;
        const h = block ? this.block(block) : COMPLETES;
        handlersComplete ||= h.completes;
        acc = { ...acc, breaks: acc.breaks || h.breaks, returns: acc.returns || h.returns, raises: acc.raises || h.raises };
      } else if (child.type === 'else_clause') {
        elseBody = child.childForFieldName('body');
      } else if (child.type === 'finally_clause') {
        finallyBlock = child.namedChildren.find((c) => c?.type === 'block') ?? null;
      }
    }
    // Exceptions not caught by a handler propagate (unless a bare handler exists, which we cannot know).
    if (!hasHandler) acc.raises ||= b.raises;
    let mainCompletes = b.completes;
    if (elseBody) {
      if (b.completes) {
        const e = this.block(elseBody);
        mainCompletes = e.completes;
        acc = { ...acc, breaks: acc.breaks || e.breaks, returns: acc.returns || e.returns, raises: acc.raises || e.raises };
      } else if (b.cause) {
        this.unreachable(elseBody, b.cause);
      }
    }
    let completes = mainCompletes || handlersComplete;
    let cause: Termination | undefined = completes ? undefined : { kind: 'return', node: s, reason: 'after a `try` whose every path leaves' };
    if (finallyBlock) {
      const f = this.block(finallyBlock);
      acc = { ...acc, breaks: acc.breaks || f.breaks, returns: acc.returns || f.returns, raises: acc.raises || f.raises };
      if (!f.completes) { completes = false; cause = f.cause; }
    }
    return { ...acc, completes, cause };
  }

  private withStatement(s: SyntaxNode): Flow {
    const body = s.childForFieldName('body');
    const b = body ? this.block(body) : COMPLETES;
    const exit = this.oracle.withExitOutcome?.(s);
    if (exit && b.completes) return stop(exit, { returns: b.returns, breaks: b.breaks });
    // A context manager's __exit__ may swallow an exception (contextlib.suppress), so a body that
    // ends by raising may still fall through.
    const completes = b.completes || b.raises;
    return { ...b, completes, cause: completes ? undefined : b.cause };
  }

  private matchStatement(s: SyntaxNode): Flow {
    const body = s.childForFieldName('body');
    let completes = false;
    let irrefutable = false;
    let acc: Flow = { completes: false, breaks: false, returns: false, raises: false };
    for (const clause of body?.namedChildren ?? []) {
      if (!clause || clause.type !== 'case_clause') continue;
      const pattern = clause.namedChildren.find((c) => c?.type === 'case_pattern');
      const guarded = clause.childForFieldName('guard') !== null;
      if (!guarded && pattern && (pattern.text === '_' || /^[a-z_][a-z0-9_]*$/i.test(pattern.text))) irrefutable = true;
      const consequence = clause.childForFieldName('consequence');
      const f = consequence ? this.block(consequence) : COMPLETES;
      completes ||= f.completes;
      acc = { ...acc, breaks: acc.breaks || f.breaks, returns: acc.returns || f.returns, raises: acc.raises || f.raises, cause: acc.cause ?? f.cause };
    }
    completes ||= !irrefutable;
    return { ...acc, completes, cause: completes ? undefined : { kind: 'return', node: s, reason: 'after a `match` whose every case leaves' } };
  }
}
