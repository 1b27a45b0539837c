// Every rule, in code order. Adding a rule: one file in this folder, one line here, a fixture in
// server/test/fixtures/CODE.py and a page in docs/rules/CODE.md.
import type { Rule } from './rule';
import { rule as CORO100 } from './CORO100-await-outside-async';

export const RULES: readonly Rule[] = [
  CORO100,
];

export type { Rule } from './rule';
