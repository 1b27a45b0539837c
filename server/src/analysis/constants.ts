// Truth values of conditions Python code uses as compile-time switches: `if False:`, `while True:`,
// `if TYPE_CHECKING:` (false at run time), `if 0:`, `not` of those.
import { qualifiedName, type ImportMap } from './imports';
import type { SyntaxNode } from './parser';

/** true / false when the condition is constant at run time, undefined when it depends on data. */
export function constantTruth(node: SyntaxNode | null, imports: ImportMap): boolean | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'true': return true;
    case 'false': case 'none': return false;
    case 'integer': {
      const value = Number(node.text.replace(/_/g, ''));
      return Number.isNaN(value) ? undefined : value !== 0;
    }
    case 'parenthesized_expression': return constantTruth(node.namedChild(0), imports);
    case 'not_operator': {
      const inner = constantTruth(node.childForFieldName('argument'), imports);
      return inner === undefined ? undefined : !inner;
    }
    case 'identifier': case 'attribute': {
      const name = qualifiedName(node, imports);
      if (name === 'typing.TYPE_CHECKING' || name === 'typing_extensions.TYPE_CHECKING' || name === 'TYPE_CHECKING') return false;
      return undefined;
    }
    default: return undefined;
  }
}
