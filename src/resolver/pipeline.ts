/**
 * The query path: the ordered list of stages and the runner that drives a query through them.
 * The order lives here and nowhere else; README.md beside this file says why each stage stands
 * where it does.
 *
 * Stages on the cache-hit path return synchronously; the runner awaits only when a stage hands
 * back a promise (upstream), so a hit costs no microtask.
 */
import { RCODE } from '../dns/constants.js';
import { errorReply, headerOnlyReply } from '../dns/reply.js';
import { logLimited } from '../log.js';
import type { Query, Verdict } from './query.js';

/** One step of the query path. */
export interface Stage {
  /** Lowercase, the same as the file name. */
  name: string;
  /** What the runner does if run() throws: go on without this stage, or answer SERVFAIL. */
  onError: 'skip' | 'servfail';
  /** question: until an answer or reply exists; answer: only with q.answer; always: every query. */
  when: 'question' | 'answer' | 'always';
  run(q: Query): Verdict | Promise<Verdict>;
}

/** Sends the final reply bytes for a query (the transport's job); null: the query is dropped, send nothing. */
export type Send = (reply: Buffer | null, q: Query) => void;

export interface Pipeline {
  /** Runs the query through every stage; calls send exactly once, with the reply or null (dropped). */
  handle(q: Query, send: Send): void;
  /** Errors thrown by each stage since start. */
  stageErrors: Record<string, number>;
}

/**
 * Builds the runner. `beforeSend` ends with respond; `afterSend` (record) runs once the reply is
 * on its way: a slow log or statistics write must never delay the LAN's answer.
 */
export function createPipeline(beforeSend: Stage[], afterSend: Stage[]): Pipeline {
  const stageErrors: Record<string, number> = {};
  for (const s of [...beforeSend, ...afterSend]) stageErrors[s.name] = 0;

  function failed(stage: Stage, q: Query, err: unknown): Verdict | null {
    stageErrors[stage.name]++;
    logLimited('error', `stage:${stage.name}`, `stage ${stage.name} failed: ${(err as Error)?.stack ?? err}`);
    if (stage.onError === 'skip') return null;
    q.answer = null;
    const bytes = q.questionEnd > 0 ? errorReply(q, RCODE.SERVFAIL) : headerOnlyReply(q.raw, RCODE.SERVFAIL);
    return { kind: 'reply', reply: bytes, reason: 'servfail' };
  }

  function apply(q: Query, v: Verdict | null): boolean {
    if (v === null) return true;
    switch (v.kind) {
      case 'next':
      case 'answer':
        return true;
      case 'reply':
        q.reply = v.reply;
        q.reason = v.reason;
        return true;
      case 'drop':
        q.reason = v.reason;
        q.reply = null;
        return false;
    }
  }

  function runFrom(q: Query, start: number, send: Send): void {
    for (let i = start; i < beforeSend.length; i++) {
      const stage = beforeSend[i];
      if (stage.when === 'question' ? q.answer !== null || q.reply !== null : stage.when === 'answer' && q.answer === null) continue;
      let v: Verdict | Promise<Verdict> | null;
      try {
        v = stage.run(q);
      } catch (err) {
        v = failed(stage, q, err);
      }
      if (v instanceof Promise) {
        v.then(
          (r) => (apply(q, r) ? runFrom(q, i + 1, send) : finish(q, send)),
          (err) => (apply(q, failed(stage, q, err)) ? runFrom(q, i + 1, send) : finish(q, send)),
        );
        return;
      }
      if (!apply(q, v)) return finish(q, send);
    }
    finish(q, send);
  }

  function finish(q: Query, send: Send): void {
    try {
      send(q.reply, q);
    } catch (err) {
      logLimited('debug', 'send', `send failed: ${(err as Error).message}`);
    }
    for (const stage of afterSend) {
      try {
        const v = stage.run(q);
        if (v instanceof Promise) v.catch((err) => failed(stage, q, err));
      } catch (err) {
        failed(stage, q, err);
      }
    }
  }

  return {
    handle: (q, send) => runFrom(q, 0, send),
    stageErrors,
  };
}

/** The stages of the query path, made by their factories (see resolver.ts). */
export interface StageSet {
  decode: Stage;
  access: Stage;
  identify: Stage;
  policy: Stage;
  local: Stage;
  cache: Stage;
  upstream: Stage;
  inspect: Stage;
  respond: Stage;
  record: Stage;
}

/** The order of the query path: the one place it is written down. */
export function orderStages(s: StageSet): { beforeSend: Stage[]; afterSend: Stage[] } {
  return {
    beforeSend: [
      s.decode, // first: every later stage reads what it parsed; malformed queries stop here
      s.access, // before any work is spent on a client that may not use us (never an open resolver)
      s.identify, // before policy: policy is per device
      s.policy, // before the cache: a new block must apply to names already cached
      s.local, // before the cache and upstreams: local names never leave the house
      s.cache, // before upstream: a hit ends the question stages
      s.upstream, // only for misses; fills the cache
      s.inspect, // after cache and upstream: CNAME cloaking and geography only show in the answer
      s.respond, // last before the send: copy-and-patch the answer, truncate for UDP
    ],
    afterSend: [
      s.record, // after the send: counting and logging never delay an answer
    ],
  };
}
