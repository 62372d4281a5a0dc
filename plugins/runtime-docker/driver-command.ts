/**
 * One command through a container's driver, the part Docker containers and Swarm tasks share: the frame
 * (nonce, kill token, payload), kills repeated until the command has ended, one last kill scan after an
 * abort, and the driver's outcome as a CommandResult (an OOM kill, the data-store probe). Only how a kill
 * scan reaches the container differs (`docker exec` on Docker, the task's control loop on Swarm).
 */
import { randomBytes } from 'node:crypto';
import type { CommandResult, CommandSpec } from '../../core/index.ts';
import type { DebugLog } from '../../core/plugin-kit.ts';
import { buildPayload } from './driver-script.ts';
import type { DriverSession } from './driver-session.ts';

/** How often a kill is repeated while the command has not ended (covers a process forked mid-scan). */
const KILL_RETRY_MS = 500;

/** The message Conducto users know for a memory kill. */
export const oomMessage = (mem: number): string => `killed: out of memory (mem=${mem} GB)`;

/** What runDriverCommand needs besides the command. */
export interface DriverCommandParts {
  /** The driver's session. */
  session: DriverSession;
  /** The env the command gets (the node's, over whatever the container adds). */
  env: Record<string, string>;
  /** The container's memory limit in GB, for the OOM message. */
  mem: number;
  /** One scan that SIGKILLs every process carrying `token` in its environment. */
  killScan(token: string): Promise<void> | void;
  /** The runtime's debug lines, and the container's short id for them. */
  log: DebugLog;
  container: string;
}

/** Runs `cmd` through the driver; rejects with DriverGoneError when the driver's transport ends mid-command. */
export async function runDriverCommand(cmd: CommandSpec, p: DriverCommandParts): Promise<CommandResult> {
  const nonce = `cz${randomBytes(12).toString('hex')}`;
  const killToken = randomBytes(12).toString('hex');
  const payload = buildPayload({ command: cmd.command, env: p.env, workdir: cmd.workdir, shell: cmd.shell, killToken });
  let killTimer: NodeJS.Timeout | undefined;
  const kill = () => {
    void p.killScan(killToken);
    killTimer = setTimeout(kill, KILL_RETRY_MS);
  };
  cmd.signal.addEventListener('abort', kill, { once: true });
  try {
    const out = await p.session.run(nonce, killToken, payload, (s, text) => cmd.onOutput(s, text), cmd.probe);
    if (cmd.signal.aborted) {
      // The command's shell is gone, but a child it forked while a kill scan was walking /proc can
      // outlive it (seen under load): one last scan before the container counts as free again.
      clearTimeout(killTimer);
      await p.killScan(killToken);
      return { exitCode: null, killed: 'signal' };
    }
    p.log('command ended', { container: p.container, path: cmd.path, status: out.status, oomKills: out.oomKills || undefined });
    const probed = out.probed !== undefined ? { probed: out.probed } : {};
    if (out.oomKills > 0 && out.status !== 0) return { exitCode: null, killed: 'oom', message: oomMessage(p.mem), ...probed };
    return { exitCode: out.status, ...probed };
  } finally {
    cmd.signal.removeEventListener('abort', kill);
    clearTimeout(killTimer);
  }
}
