// Hover text for the editor, as Markdown (the LSP layer only wraps it): on an `await`, which suspend
// point of the function it is and what it waits for; on a call of a coroutine function, that the call
// only creates a coroutine.
import { coroutineCallee } from './coroutines';
import { clip, ModuleFacts } from './facts';
import { parse, type SyntaxNode } from './parser';
import { buildScopes, type Scope } from './scopes';
import { frameOf, suspendPointNodes } from './suspendPoints';
import type { Position } from './types';

/** Markdown describing the await or coroutine call at `position`, or undefined. */
export function describeAt(text: string, position: Position): string | undefined {
  const tree = parse(text);
  try {
    const scopes = buildScopes(tree);
    const facts = new ModuleFacts(scopes);
    const point = { row: position.line, column: position.character };
    let node: SyntaxNode | null = tree.rootNode.descendantForPosition(point);
    // The innermost await or call around the cursor.
    // (The `await` keyword token is also of type 'await', but unnamed.)
    while (node && !(node.isNamed && (node.type === 'await' || node.type === 'call')) && node.type !== 'module') node = node.parent;
    if (!node || node.type === 'module') return undefined;
    const owner = (list: (s: Scope) => SyntaxNode[]) => scopes.all.find((s) => list(s).some((n) => n.id === node!.id));

    if (node.type === 'await') {
      const scope = owner((s) => s.awaits);
      if (!scope) return undefined;
      const frame = frameOf(scope);
      const points = suspendPointNodes(frame);
      const k = points.findIndex((p) => p.id === node!.id) + 1;
      const where = frame.kind === 'function' ? `\`${frame.isAsync ? 'async def' : 'def'} ${frame.name ?? '?'}\`` : frame.kind === 'comprehension' ? 'a generator expression' : `the ${frame.kind}`;
      const lines = [`**Suspend point ${k} of ${points.length}** in ${where}: the task pauses here and the event loop runs other tasks until the awaited object is done.`];
      const awaited = node.namedChild(0);
      if (awaited) {
        lines.push('', `Awaits \`${clip(awaited.text, 80)}\``);
        if (awaited.type === 'call') {
          const callee = coroutineCallee(awaited, scope, facts);
          if (callee) lines.push(`— the coroutine \`${callee.name}\`${callee.definition ? ` (defined on line ${callee.definition.startPosition.row + 1})` : ''}.`);
        }
        const hang = facts.hangs.awaited(awaited, scope);
        if (hang) lines.push('', `⚠ **Never completes**: ${hang.reason} (${hang.site.file ? `${hang.site.file}, ` : ''}line ${hang.site.range.start.line + 1}).`);
      }
      return lines.join('\n');
    }

    const scope = owner((s) => s.calls);
    if (!scope) return undefined;
    const callee = coroutineCallee(node, scope, facts);
    if (!callee) return undefined;
    const awaited = node.parent?.type === 'await';
    return [
      `\`${callee.name}\` is a **coroutine function**${callee.definition ? ` (\`async def\` on line ${callee.definition.startPosition.row + 1})` : ''}.`,
      '',
      awaited
        ? 'Calling it creates a coroutine; the `await` here runs it to completion.'
        : 'Calling it only creates a coroutine object: nothing runs until it is awaited or wrapped in a task.',
    ].join('\n');
  } finally {
    tree.delete();
  }
}
