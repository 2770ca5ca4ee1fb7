/**
 * The lookup queue: bounded (drop oldest, counted), de-duplicated, one start per `rateMs`
 * overall, 1–2 at a time, and a per-host pause after a 429 honouring Retry-After (RFC 6585 §4,
 * RFC 9110 §10.2.3), capped. Registries rate-limit hard (Verisign, CNNIC); a house that opens
 * a hundred new domains in a minute must trickle, not burst.
 * Timers use the real clock: the injected `now` only ages cache entries.
 */
import type { Outcome } from './rdap.js';
import { emptyRegistration, type Registration } from './types.js';

/** What the queue needs from its owner. */
export interface LookupQueueOptions {
  rateMs: number;
  concurrency: number;
  maxQueue: number;
  /** Longest pause a Retry-After can impose (ms). */
  maxBackoffMs: number;
  /** Pause after a 429 without Retry-After (ms). */
  defaultBackoffMs: number;
  /** The first host a lookup of `domain` contacts; '' when it contacts none. */
  hostOf(domain: string): string;
  /** Looks one domain up; should not reject (a rejection becomes an 'error' result). */
  work(domain: string): Promise<Outcome>;
  /** A final result (to cache). Not called for a result that will be retried. */
  done(outcome: Outcome): void;
  now(): number;
}

interface Job {
  domain: string;
  attempts: number;
  notBefore: number;
  waiters: Array<(reg: Registration) => void>;
}

/** The queue's API. */
export interface LookupQueue {
  /** Queues `domain` (no-op if queued or running). With `wait`, resolves with its result. */
  add(domain: string, wait?: boolean): Promise<Registration> | undefined;
  /** Drops every queued job, answering waiters with `reason`. */
  clear(reason: string): void;
  /** Starts work if allowed (after enabling). */
  pump(): void;
  counts(): { queued: number; inFlight: number; dropped: number; rateLimited: number };
  blockedUntil(host: string): number;
  /** Records a host's request to wait (429). */
  backOff(host: string, retryAfterMs: number | null): void;
}

const MAX_ATTEMPTS = 3;

/** Creates a queue; `isActive` says whether work may start (enabled and not stopped). */
export function createLookupQueue(options: LookupQueueOptions, isActive: () => boolean): LookupQueue {
  const queue: Job[] = [];
  const byDomain = new Map<string, Job>();
  const blocked = new Map<string, number>();
  let active = 0;
  let lastStart = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  let dropped = 0;
  let rateLimited = 0;

  const blockedUntil = (host: string) => blocked.get(host) ?? 0;

  function enqueue(job: Job, front: boolean): void {
    if (front) queue.unshift(job);
    else queue.push(job);
    while (queue.length > options.maxQueue) {
      // Drop the oldest background job (no one waits on it); only if all have waiters, the oldest.
      const i = queue.findIndex((j) => j.waiters.length === 0);
      const [old] = queue.splice(i < 0 ? 0 : i, 1);
      byDomain.delete(old.domain);
      dropped++;
      for (const w of old.waiters) w(emptyRegistration(old.domain, 'error', 'rdap', options.now(), 'queue full'));
    }
  }

  function arm(ms: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      pump();
    }, Math.max(1, ms));
    timer.unref?.(); // never keeps the process alive on its own
  }

  function pump(): void {
    if (!isActive()) return;
    while (active < options.concurrency && queue.length > 0) {
      const now = Date.now();
      let index = -1;
      let soonest = Infinity;
      for (let i = 0; i < queue.length; i++) {
        const host = options.hostOf(queue[i].domain);
        const at = Math.max(queue[i].notBefore, host ? blockedUntil(host) : 0);
        if (at <= now && (host === '' || now >= lastStart + options.rateMs)) {
          index = i;
          break;
        }
        soonest = Math.min(soonest, Math.max(at, host ? lastStart + options.rateMs : at));
      }
      if (index < 0) return arm(soonest - now);
      const [job] = queue.splice(index, 1);
      if (options.hostOf(job.domain)) lastStart = now; // local answers cost no rate
      active++;
      void run(job);
    }
  }

  async function run(job: Job): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await options.work(job.domain);
    } catch (err) {
      // A bug, not a network event: answer with data, keep the queue going.
      outcome = { reg: emptyRegistration(job.domain, 'error', 'rdap', options.now(), `internal: ${(err as Error).message}`), retry: false, requests: 0 };
    }
    active--;
    if (outcome.backoff) backOff(outcome.backoff.host, outcome.backoff.retryAfterMs);
    const waiters = job.waiters.splice(0);
    if (outcome.retry) rateLimited++;
    if (outcome.retry && ++job.attempts < MAX_ATTEMPTS && isActive()) {
      const host = outcome.backoff?.host ?? options.hostOf(job.domain);
      job.notBefore = Math.max(blockedUntil(host), Date.now() + options.rateMs);
      enqueue(job, false); // retried in the background; an admin waiting gets the 429 now
    } else {
      byDomain.delete(job.domain);
      try {
        options.done(outcome);
      } catch {
        // the store may be closed during shutdown; the result is simply not cached
      }
    }
    for (const w of waiters) w(outcome.reg);
    pump();
  }

  function backOff(host: string, retryAfterMs: number | null): void {
    const ms = Math.min(Math.max(retryAfterMs ?? options.defaultBackoffMs, options.rateMs), options.maxBackoffMs);
    if (blocked.size > 1000) blocked.clear(); // hosts are few; this only guards a bug
    blocked.set(host, Math.max(blockedUntil(host), Date.now() + ms));
  }

  return {
    add(domain, wait) {
      const known = byDomain.get(domain);
      const job: Job = known ?? { domain, attempts: 0, notBefore: 0, waiters: [] };
      // The executor runs now: the waiter is on the job before the bound is applied.
      const promise = wait ? new Promise<Registration>((resolve) => job.waiters.push(resolve)) : undefined;
      if (!known) {
        byDomain.set(domain, job);
        enqueue(job, !!wait); // an admin's question goes first
      } else if (wait && queue.indexOf(job) > 0) {
        queue.splice(queue.indexOf(job), 1);
        queue.unshift(job);
      }
      pump();
      return promise;
    },
    clear(reason) {
      for (const job of queue.splice(0)) {
        byDomain.delete(job.domain);
        for (const w of job.waiters) w(emptyRegistration(job.domain, 'unavailable', 'rdap', options.now(), reason));
      }
      if (timer) clearTimeout(timer);
      timer = null;
    },
    pump,
    counts: () => ({ queued: queue.length, inFlight: active, dropped, rateLimited }),
    blockedUntil,
    backOff,
  };
}
