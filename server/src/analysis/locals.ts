// Local names within one frame: how often a name is bound and used, and the value of a name bound once.
import type { SyntaxNode } from './parser';
import type { Scope } from './scopes';

export interface LocalBinding {
  /** The right-hand side of the sole plain assignment `name = value`, when bound exactly once. */
  value?: SyntaxNode;
  /** The assignment target node of that assignment. */
  target?: SyntaxNode;
  /** Times the name is bound (assignment, for target, `as`, walrus…); global/nonlocal count as many. */
  bindings: number;
  /** Every occurrence of the identifier in the frame, nested frames included (closures can use it). */
  occurrences: number;
}

const BINDING_PARENTS = new Set(['augmented_assignment', 'for_statement', 'for_in_clause', 'as_pattern_target', 'pattern_list', 'tuple_pattern', 'named_expression', 'list_pattern']);

/** The frame whose locals a scope's names refer to (comprehensions see their enclosing frame's). */
export function frameOf(scope: Scope): Scope {
  let s = scope;
  while (s.kind === 'comprehension' && s.parent) s = s.parent;
  return s;
}

/** How `name` is bound and used in the frame of `scope`. */
export function localBinding(name: string, scope: Scope): LocalBinding {
  const frame = frameOf(scope);
  const result: LocalBinding = { bindings: 0, occurrences: 0 };
  for (const node of frame.node.descendantsOfType('identifier')) {
    if (!node || node.text !== name) continue;
    result.occurrences++;
    const parent = node.parent;
    if (!parent) continue;
    if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === node.id) {
      result.bindings++;
      result.value = parent.childForFieldName('right') ?? undefined;
      result.target = node;
    } else if (parent.type === 'global_statement' || parent.type === 'nonlocal_statement') {
      result.bindings += 2;
    } else if (BINDING_PARENTS.has(parent.type)) {
      result.bindings += 2;
    }
  }
  if (result.bindings !== 1) { result.value = undefined; result.target = undefined; }
  return result;
}
