/**
 * Whether a failed attempt is tried again, and after how long. Pure functions of the node's `retry`
 * policy (IR), the failure's class and where the node stands in its series, so they are tested alone.
 *
 * Defaults: with no `retry` option, infra failures get 3 attempts and everything else fails at once.
 * With a `retry` option and no rules, any non-zero exit and infra are retried; oom, timeout and killed
 * fail. A failure no rule matches: infra is retried, the rest fails.
 */
import { createHash } from 'node:crypto';
import type { FailureClass, RetryPolicy, RetryRuleIr } from '../options/retry-option.ts';

/** Total tries when the policy does not say. */
export const DEFAULT_ATTEMPTS = 3;
/** The backoff when the policy does not say (seconds, factor, seconds, fraction). */
export const DEFAULT_BACKOFF = { initial: 2, factor: 2, max: 60, jitter: 0.2 } as const;

const NO_OPTION: RetryPolicy = { attempts: DEFAULT_ATTEMPTS, rules: [{ failure: 'infra', action: 'retry' }] };
const NO_RULES: readonly RetryRuleIr[] = [{ failure: 'exit', action: 'retry' }, { failure: 'infra', action: 'retry' }];

/** The policy an Exec runs under: its own `retry`, or the default. */
export const effectivePolicy = (retry: RetryPolicy | undefined): RetryPolicy => retry ?? NO_OPTION;

/** Total tries of a policy. */
export const attemptsOf = (policy: RetryPolicy): number => policy.attempts ?? DEFAULT_ATTEMPTS;

/** True when `rule` matches a failure of class `failure` with exit code `exitCode`. */
function matches(rule: RetryRuleIr, failure: FailureClass, exitCode: number | undefined): boolean {
  if ('failure' in rule) return rule.failure === failure;
  if (failure !== 'exit' || exitCode === undefined) return false;
  return Array.isArray(rule.exitCode) ? rule.exitCode.includes(exitCode) : rule.exitCode === exitCode;
}

/** What the policy's rules say about a failure (first match wins), before attempts and budget. */
export function ruleAction(policy: RetryPolicy, failure: FailureClass, exitCode?: number): 'retry' | 'fail' {
  const rules = policy.rules ?? NO_RULES;
  for (const rule of rules) if (matches(rule, failure, exitCode)) return rule.action;
  return failure === 'infra' ? 'retry' : 'fail';
}

/** A number in [0, 1) from the run id, the node path and the try: the same inputs give the same jitter. */
export function jitterUnit(runId: string, path: string, attempt: number): number {
  const digest = createHash('sha256').update(`${runId}\n${path}\n${attempt}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/**
 * The wait in ms before try `attempt` (2 = the first retry): initial × factor^(attempt − 2), spread by
 * ± jitter (seeded by run id, node path and try), never above `max`.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, runId: string, path: string): number {
  const b = { ...DEFAULT_BACKOFF, ...policy.backoff };
  const base = Math.min(b.max, b.initial * b.factor ** Math.max(0, attempt - 2));
  const spread = b.jitter === 0 ? 1 : 1 + b.jitter * (2 * jitterUnit(runId, path, attempt) - 1);
  return Math.round(Math.min(b.max, base * spread) * 1000);
}
