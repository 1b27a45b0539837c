// The shape of a rule module: metadata plus one check over the analysed module.
import type { RuleContext } from '../context';
import type { RuleMeta } from '../types';

export interface Rule {
  meta: RuleMeta;
  /** Reports this rule's findings through ctx.report; must not throw on any tree tree-sitter produces. */
  check(ctx: RuleContext): void;
}
