/**
 * The live tail (the admin's SSE stream): each subscriber has its own queue of at most `maxQueued`
 * entries. Delivery awaits the subscriber's callback (an SSE write that resolves when the socket
 * drains), so a slow browser makes its queue fill; then the oldest queued entries are dropped and
 * counted. Memory per subscriber is bounded (500 entries ≈ 250 KB), whatever the client does.
 */
import { matches, type LogEntry, type LogFilter } from './types.js';

/** Receives one entry; may return a promise, and the next entry waits for it. */
export type TailCallback = (e: LogEntry) => void | Promise<void>;

/** Options of one subscription. */
export interface TailOptions {
  /** Only entries matching this (time, limit and cursor are ignored). */
  filter?: LogFilter;
  /** Most entries waiting for a slow subscriber. Default 500. */
  maxQueued?: number;
}

/** The subscribers of the tail. */
export interface Tail {
  /** Adds a subscriber; returns the function that removes it. */
  subscribe(cb: TailCallback, options?: TailOptions): () => void;
  /** Hands new entries to every subscriber (called by the drain). */
  publish(entries: readonly LogEntry[]): void;
  /** Entries dropped for slow subscribers since start. */
  dropped(): number;
  subscribers(): number;
}

interface Subscriber {
  cb: TailCallback;
  filter: LogFilter | undefined;
  max: number;
  queue: LogEntry[];
  busy: boolean;
  closed: boolean;
}

/** An empty tail. */
export function createTail(onError: (err: unknown) => void = () => {}): Tail {
  const subs = new Set<Subscriber>();
  let dropped = 0;

  async function pump(s: Subscriber): Promise<void> {
    s.busy = true;
    try {
      while (s.queue.length > 0 && !s.closed) {
        const e = s.queue.shift()!;
        await s.cb(e);
      }
    } catch (err) {
      s.closed = true; // a broken stream: the route sees its socket closed and unsubscribes
      subs.delete(s);
      onError(err);
    } finally {
      s.busy = false;
    }
  }

  return {
    subscribe(cb, options = {}) {
      const s: Subscriber = { cb, filter: options.filter, max: Math.max(1, options.maxQueued ?? 500), queue: [], busy: false, closed: false };
      subs.add(s);
      return () => {
        s.closed = true;
        s.queue.length = 0;
        subs.delete(s);
      };
    },
    publish(entries) {
      for (const s of subs) {
        for (const e of entries) if (s.filter === undefined || matches(e, s.filter)) s.queue.push(e);
        const excess = s.queue.length - s.max;
        if (excess > 0) {
          s.queue.splice(0, excess); // oldest first: a tail shows what is happening now
          dropped += excess;
        }
        if (!s.busy && s.queue.length > 0) void pump(s);
      }
    },
    dropped: () => dropped,
    subscribers: () => subs.size,
  };
}
