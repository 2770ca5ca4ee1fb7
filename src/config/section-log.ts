/**
 * `config log 'log'`: the query log and the statistics. Who is logged how (full, anonymous for
 * guests, off) is per device or group in the policy (admin), not here.
 *
 *   option enabled '1'            keep the query log and statistics; 0: counters only (benchmarks).
 *   option max_entries '100000'   entries kept at most (RAM: the log lives under volatile_dir).
 *   option max_mb '16'            bytes of entries kept at most, MiB: ~79 000 typical entries,
 *                                 ~24 MiB of LMDB pages; sized for a 256 MB router. Default 16.
 *   option retention_hours '168'  oldest entry kept, h. Default 7 days.
 *   option flush_minutes '15'     minutes between statistics writes to flash (state_dir: today's counts;
 *                               closed days once, as archives);
 *                                 a kill -9 loses at most this much. Default 15.
 *   option max_rate '4096'        queries recorded at most per second; beyond, they are counted as
 *                                 dropped (a flood cannot make the log cost more than ~2 % of a core).
 *   option metrics_public '0'     serve /metrics to the LAN without the API token. Default off.
 */
import { optionReader, type ConfigErrors } from './read-options.js';
import type { UciSection } from './uci.js';

export interface LogSettings {
  enabled: boolean;
  maxEntries: number;
  maxBytes: number;
  retentionHours: number;
  flushMinutes: number;
  metricsPublic: boolean;
  maxRate: number;
}

const KNOWN = ['enabled', 'max_rate', 'max_entries', 'max_mb', 'retention_hours', 'flush_minutes', 'metrics_public'];

/** Reads the log section (defaults when absent). */
export function readLogSection(section: UciSection | null, errors: ConfigErrors): LogSettings {
  const o = optionReader(section, errors, KNOWN);
  return {
    enabled: o.bool('enabled') ?? true,
    maxEntries: o.int('max_entries', 0, 10_000_000) ?? 100_000,
    maxBytes: (o.int('max_mb', 1, 4096) ?? 16) * 1024 * 1024,
    retentionHours: o.int('retention_hours', 1, 24 * 366) ?? 168,
    flushMinutes: o.int('flush_minutes', 1, 24 * 60) ?? 15,
    metricsPublic: o.bool('metrics_public') ?? false,
    maxRate: o.int('max_rate', 100, 1_000_000) ?? 4096,
  };
}
