/**
 * Run ids sort by creation time: "20261122-074712-ab12" (UTC date, time, random suffix).
 */
import { randomBytes } from 'node:crypto';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A fresh run id for the given epoch ms. */
export function generateRunId(epochMs: number): string {
  const d = new Date(epochMs);
  const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  return `${date}-${time}-${randomBytes(2).toString('hex')}`;
}
