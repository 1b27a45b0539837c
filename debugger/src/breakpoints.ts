// Turns DAP source breakpoints into the runtime's breakpoint specs, and decides up front which ones cannot
// be sent (unknown mode, a runtime without modes) so the user sees why instead of a silent downgrade.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RuntimeBreakpointSpec } from './runtimeProtocol';

/** The specs to send (with their index in the request) and a provisional answer for every breakpoint. */
export interface BreakpointPlan {
  sent: { index: number; spec: RuntimeBreakpointSpec }[];
  result: DebugProtocol.Breakpoint[];
}

/** Plans one setBreakpoints request; `toRuntimeLine` converts the client's line base. */
export function planBreakpoints(
  requested: DebugProtocol.SourceBreakpoint[],
  options: { modes: boolean; runtimeVersion?: string; toRuntimeLine: (line: number) => number },
): BreakpointPlan {
  const sent: BreakpointPlan['sent'] = [];
  const result = requested.map((bp, index): DebugProtocol.Breakpoint => {
    if (bp.mode && bp.mode !== 'suspend' && bp.mode !== 'resume') {
      return { verified: false, line: bp.line, message: `Unknown breakpoint mode '${bp.mode}'.` };
    }
    if (bp.mode && !options.modes) {
      const version = options.runtimeVersion ? ` ${options.runtimeVersion}` : '';
      return { verified: false, line: bp.line, message: `The Coroscope runtime${version} does not support "On ${bp.mode}" breakpoints.` };
    }
    const spec: RuntimeBreakpointSpec = { line: options.toRuntimeLine(bp.line) };
    if (bp.condition) spec.condition = bp.condition;
    if (bp.hitCondition) spec.hitCondition = bp.hitCondition;
    if (bp.logMessage) spec.logMessage = bp.logMessage;
    if (bp.mode) spec.mode = bp.mode as 'suspend' | 'resume';
    sent.push({ index, spec });
    return { verified: false, line: bp.line };
  });
  return { sent, result };
}
