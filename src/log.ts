/**
 * The process log: one line per event on stderr, which procd hands to logd on the router
 * (`logread -e telemute`). Network noise goes to debug; repeated errors are rate-limited so a
 * flood of bad packets cannot flood the log or the flash behind it.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold = ORDER.info;

/** Sets the lowest level that is printed. */
export function setLogLevel(level: Level): void {
  threshold = ORDER[level];
}

/** Writes one log line. */
export function log(level: Level, message: string): void {
  if (ORDER[level] < threshold) return;
  process.stderr.write(`telemute: ${level}: ${message}\n`);
}

const lastByKey = new Map<string, { at: number; suppressed: number }>();

/** Logs at most once per `intervalMs` for a key, counting what it held back. */
export function logLimited(level: Level, key: string, message: string, intervalMs = 10_000, now = Date.now()): void {
  const last = lastByKey.get(key);
  if (last && now - last.at < intervalMs) {
    last.suppressed++;
    return;
  }
  const held = last?.suppressed ? ` (${last.suppressed} similar suppressed)` : '';
  if (lastByKey.size > 1000) lastByKey.clear(); // keys are few and fixed; this only guards a bug
  lastByKey.set(key, { at: now, suppressed: 0 });
  log(level, message + held);
}
