// What the adapter offers beyond plain DAP: breakpoint modes for awaits and asyncio exception filters.
import type { DebugProtocol } from '@vscode/debugprotocol';

/** Breakpoint modes offered for source breakpoints (DAP `breakpointModes`). */
export const BREAKPOINT_MODES: DebugProtocol.BreakpointMode[] = [
  { mode: 'suspend', label: 'On suspend', description: 'Stop when a task suspends at this await', appliesTo: ['source'] },
  { mode: 'resume', label: 'On resume', description: 'Stop when a task resumes after this await', appliesTo: ['source'] },
];

/** Exception filters, named as the runtime names them (docs/runtime-protocol.md). */
export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'raised', label: 'Raised Exceptions', default: false, description: 'Stop where an exception is raised in (or propagates into) your code.' },
  { filter: 'uncaught', label: 'Uncaught in Task', default: true, description: 'Stop where an exception leaves a task\'s coroutine (the task fails) or the main module.' },
  { filter: 'unretrieved', label: 'Task Exception Never Retrieved', default: true, description: 'Stop where asyncio reports "Task exception was never retrieved".' },
  { filter: 'cancelled', label: 'Task Cancelled', default: false, description: 'Stop in your code where a CancelledError arrives.' },
];
