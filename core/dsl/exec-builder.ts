/**
 * ExecBuilder: an immutable Exec value. Made by `exec(command, options)`, or returned by `get()`.
 */
import type { Command } from '../ir/codecs.ts';
import { applyOptions } from './apply-options.ts';
import { BUILDER_BRAND, hasBrand, normalizeCommand, type ExecDef } from './defs.ts';
import type { ExecOptions, NodeSettings } from './options.ts';
import { hookDef, type Hook, type OnOptions } from './hooks.ts';
import type { HookEvent } from '../ir/hook-codecs.ts';

/**
 * An Exec node as an immutable value: every method returns a new builder, so one Exec can be reused or
 * varied without affecting other places it is used. Graft it with `.add()` or compile it under a group.
 */
export class ExecBuilder {
  /** @internal */
  readonly [BUILDER_BRAND] = 'exec';

  /** @internal Brand check, so builders from another copy of the package are recognised. */
  static [Symbol.hasInstance](value: unknown): boolean { return hasBrand(value, 'exec'); }

  /** @internal The definition this builder wraps. */
  readonly def: ExecDef;
  /** @internal Where this node sits, for error messages ("/ci/test/unit", or "(exec)" when detached). */
  readonly where: string;

  /** @internal Use `exec()`. */
  constructor(def: ExecDef, where: string) {
    this.def = def;
    this.where = where;
  }

  /** Always "exec". */
  get kind(): 'exec' { return 'exec'; }

  /** The command (scripts already unindented); undefined for a native call. */
  get command(): Command | undefined { return this.def.command; }

  /** The options set on this node (validated), not including inherited values. */
  get options(): NodeSettings { return this.def.settings; }

  /** A new Exec with more options set; `env` merges per key, other options replace. */
  set(options: ExecOptions): ExecBuilder {
    return new ExecBuilder({ ...this.def, settings: applyOptions(this.def.settings, options, 'exec', this.where) }, this.where);
  }

  /** A new Exec with a hook on `event` (see GroupBuilder.on); `inherited` means nothing on an Exec. */
  on(event: HookEvent, hook: Hook, options?: OnOptions): ExecBuilder {
    return new ExecBuilder({ ...this.def, hooks: [...(this.def.hooks ?? []), hookDef(event, hook, options, this.where)] }, this.where);
  }

  /** A new Exec with another command and the same options (a native call becomes that command). */
  withCommand(command: string | string[]): ExecBuilder {
    const { call: _call, ...rest } = this.def;
    return new ExecBuilder({ ...rest, command: normalizeCommand(command, this.where) }, this.where);
  }
}
