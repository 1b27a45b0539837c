// Where quick fixes insert module-level code: after the docstring and `from __future__` imports (which
// must stay first) for new imports, or after the last top-level import for new module variables.
import type { RuleContext } from './context';
import type { SyntaxNode } from './parser';

function topLevel(ctx: RuleContext): SyntaxNode[] {
  return ctx.scopes.module.node.namedChildren.filter((s): s is SyntaxNode => !!s && s.type !== 'comment');
}

/** The line before which a new `import` goes. */
export function importInsertionLine(ctx: RuleContext): number {
  const statements = topLevel(ctx);
  let line = 0;
  let i = 0;
  if (statements[0]?.type === 'expression_statement' && statements[0].namedChild(0)?.type === 'string') { line = statements[0].endPosition.row + 1; i = 1; }
  for (; i < statements.length && statements[i].type === 'future_import_statement'; i++) line = statements[i].endPosition.row + 1;
  return line;
}

/** The line before which a new module-level variable goes: after the last top-level import. */
export function definitionInsertionLine(ctx: RuleContext): number {
  let line = importInsertionLine(ctx);
  for (const s of topLevel(ctx)) {
    if (s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement') line = s.endPosition.row + 1;
  }
  return line;
}
