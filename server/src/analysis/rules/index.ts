// Every rule, in code order. Adding a rule: one file in this folder, one line here, a fixture in
// server/test/fixtures/CODE.py and a page in docs/rules/CODE.md.
import type { Rule } from './rule';
import { rule as CORO100 } from './CORO100-await-outside-async';
import { rule as CORO101 } from './CORO101-yield-from-in-async';
import { rule as CORO102 } from './CORO102-return-value-in-async-generator';
import { rule as CORO110 } from './CORO110-coroutine-not-awaited';
import { rule as CORO111 } from './CORO111-coroutine-stored-never-awaited';
import { rule as CORO112 } from './CORO112-coroutine-in-boolean-context';
import { rule as CORO113 } from './CORO113-await-not-awaitable';
import { rule as CORO114 } from './CORO114-async-callback';
import { rule as CORO120 } from './CORO120-task-dropped';
import { rule as CORO130 } from './CORO130-loop-in-coroutine';
import { rule as CORO131 } from './CORO131-legacy-loop-boilerplate';
import { rule as CORO200 } from './CORO200-unreachable-await';
import { rule as CORO201 } from './CORO201-await-never-completes';
import { rule as CORO300 } from './CORO300-blocking-sleep';
import { rule as CORO301 } from './CORO301-blocking-http';
import { rule as CORO302 } from './CORO302-blocking-process';
import { rule as CORO303 } from './CORO303-blocking-file-io';
import { rule as CORO304 } from './CORO304-blocking-input';
import { rule as CORO305 } from './CORO305-blocking-sync-primitive';
import { rule as CORO310 } from './CORO310-busy-wait';
import { rule as CORO311 } from './CORO311-timeout-without-await';
import { rule as CORO400 } from './CORO400-swallowed-cancellation';
import { rule as CORO401 } from './CORO401-async-without-await';

export const RULES: readonly Rule[] = [
  CORO100,
  CORO101,
  CORO102,
  CORO110,
  CORO111,
  CORO112,
  CORO113,
  CORO114,
  CORO120,
  CORO130,
  CORO131,
  CORO200,
  CORO201,
  CORO300,
  CORO301,
  CORO302,
  CORO303,
  CORO304,
  CORO305,
  CORO310,
  CORO311,
  CORO400,
  CORO401,
];

export type { Rule } from './rule';
