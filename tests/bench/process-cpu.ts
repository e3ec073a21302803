import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux builds in use). */
const clockTicksPerSecond = 100;

/** Busy CPU time of all cores so far, in ms. */
export function machineBusyMs(): number {
  return cpus().reduce(
    (sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq,
    0,
  );
}

/**
 * CPU time (user and system, all threads) another process has used so far, in ms, read from /proc; undefined
 * where there is no such process or no /proc.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || pid <= 0) return undefined;
  try {
    // The fields after the command name, which sits in parentheses and may contain spaces: utime and stime
    // are the 14th and 15th of the whole line.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}

/** Cores another process kept busy between two `processCpuMs` readings over `wallMs`; undefined if unknown. */
export function coresBetween(before: number | undefined, after: number | undefined, wallMs: number) {
  return before === undefined || after === undefined ? undefined : (after - before) / wallMs;
}
