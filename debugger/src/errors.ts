// DAP error ids and the messages users see (STYLE §16). Ids are stable so other clients can match on them.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ConfigError } from './launchConfig';
import { RuntimeError } from './runtimeClient';

export const enum ErrorId {
  /** A launch.json attribute is missing or has the wrong type. */
  BadConfiguration = 2001,
  /** The Python interpreter could not be started. */
  PythonNotFound = 2002,
  /** The debuggee ended (or never connected) before the runtime's handshake. */
  RuntimeDidNotConnect = 2003,
  /** Attach could not reach or authenticate with the runtime. */
  AttachFailed = 2004,
  /** A request needs a connected runtime but there is none. */
  NotConnected = 2005,
  /** The runtime refused a request (e.g. evaluate raised). */
  RuntimeRequestFailed = 2006,
  /** The runtime did not answer in time. */
  RuntimeTimeout = 2007,
  /** Anything unexpected inside the adapter. */
  Internal = 2099,
}

/** A failure with the id and text to put in a DAP error response. */
export class UserError extends Error {
  constructor(readonly id: ErrorId, message: string, readonly showUser = true) {
    super(message);
    this.name = 'UserError';
  }
}

/** Maps any thrown value to a DAP Message; `showUser` false for failures the UI reports on its own (hover). */
export function toDapMessage(error: unknown, quiet = false): DebugProtocol.Message {
  if (error instanceof UserError) return { id: error.id, format: error.message, variables: {}, showUser: error.showUser && !quiet };
  if (error instanceof ConfigError) return { id: ErrorId.BadConfiguration, format: error.message, variables: {}, showUser: true };
  if (error instanceof RuntimeError) {
    const id = error.kind === 'timeout' ? ErrorId.RuntimeTimeout : error.kind === 'disconnected' ? ErrorId.NotConnected : ErrorId.RuntimeRequestFailed;
    // A refused evaluate is an ordinary answer (the REPL prints it); only link trouble deserves a popup.
    return { id, format: error.message, variables: {}, showUser: error.kind !== 'failed' && !quiet };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { id: ErrorId.Internal, format: `Coroscope internal error: ${text}`, variables: {}, showUser: !quiet };
}
