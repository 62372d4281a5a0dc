/**
 * Errors about what the user wrote or typed: a command line, a builder call, an IR document, a node path.
 */
import { brandError, CaissonError, type ErrorOptions } from './caisson-error.ts';

/** Bad input to a command or call (a flag, a file, an export, a CA bundle, a fake script). */
export class UsageError extends CaissonError {
  /** The file the input names or came from, when there is one. */
  declare readonly file?: string;
  /** The flag, option or environment variable at fault ("--cpu", "caBundle", "CAISSON_CA_BUNDLE"). */
  declare readonly option?: string;
  /** The node path the input names, when there is one. */
  declare readonly path?: string;
  /**
   * @param message what is wrong and what to do, one line
   * @param data the file, option and node path involved, and the cause
   */
  constructor(message: string, data: { file?: string; option?: string; path?: string } & ErrorOptions = {}) {
    super('USAGE', message, data);
  }
}
brandError(UsageError, 'UsageError');

/** Builder misuse; the message names the node path and the option. */
export class DslError extends CaissonError {
  /** The node path ("/ci/checks/unit"), or the call ("image()", "(parallel)") for a value not yet in a tree. */
  declare readonly path?: string;
  /** The option at fault ("maxTime", "env.N"), when one is. */
  declare readonly option?: string;
  /**
   * @param message starts with the path (and option) it names
   * @param data the same path and option as fields
   */
  constructor(message: string, data: { path?: string; option?: string } = {}) {
    super('DSL', message, data);
  }
}
brandError(DslError, 'DslError');

/** One problem found while decoding an IR. */
export interface IrProblem {
  /** Node path ("/ci/checks/unit"), or "" for the document itself. */
  path: string;
  /** Field inside the node or document ("maxTime", "images.base.ref"). */
  field: string;
  /** What is wrong, in words a user can act on. */
  message: string;
}

/** decodePipeline's error: lists every problem, one per line. */
export class IrDecodeError extends CaissonError {
  /** Every problem found, in document order, for tools that show them one by one. */
  declare readonly problems: IrProblem[];
  /** @param problems every problem found; each becomes one line of the message */
  constructor(problems: IrProblem[]) {
    const lines = problems.map((p) => `${p.path || '(pipeline)'}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
    super('IR_INVALID', `invalid pipeline IR (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`, { problems });
  }
}
brandError(IrDecodeError, 'IrDecodeError');

/**
 * A node path names no node; the message lists a few of the known paths next to it so the user can
 * correct a typo.
 */
export class NodeNotFoundError extends CaissonError {
  /** The path that was looked up. */
  declare readonly path: string;
  /** Paths that do exist nearby. */
  declare readonly known: string[];
  /**
   * @param path the path that was looked up
   * @param known paths that do exist nearby (the first eight are listed in the message)
   */
  constructor(path: string, known: string[] = []) {
    const hint = known.length ? `; known children: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''}` : '';
    super('NODE_NOT_FOUND', `no node at ${path}${hint}`, { path, known });
  }
}
brandError(NodeNotFoundError, 'NodeNotFoundError');

/** A run operation (edit, kill, reset…) that does not apply to the node it names. */
export class RunOperationError extends CaissonError {
  /** The node the operation named. */
  declare readonly path: string;
  /** The operation ("edit", "kill"…). */
  declare readonly operation: string;
  /**
   * @param message why the operation does not apply and what to do instead
   * @param data the node path and the operation
   */
  constructor(message: string, data: { path: string; operation: string }) {
    super('RUN_OPERATION', message, data);
  }
}
brandError(RunOperationError, 'RunOperationError');
