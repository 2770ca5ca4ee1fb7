import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { RCODE } from '../../src/dns/constants.js';
import { createPipeline, orderStages, type Send, type Stage, type StageSet } from '../../src/resolver/pipeline.js';
import { ANSWERED, NEXT, drop, newQuery, reply, type Query, type Verdict } from '../../src/resolver/query.js';
import { buildQuery, parse } from '../helpers/packets.js';
import { decodedQuery } from './query-fixture.js';

/** A stage that logs its name and returns `verdict` (or what `fn` gives). */
function stage(log: string[], name: string, when: Stage['when'] = 'question', fn: (q: Query) => Verdict | Promise<Verdict> = () => NEXT, onError: Stage['onError'] = 'skip'): Stage {
  return { name, when, onError, run: (q) => (log.push(name), fn(q)) };
}

/** Runs q and resolves with what was sent. */
function handle(beforeSend: Stage[], afterSend: Stage[], q: Query = decodedQuery()) {
  const pipeline = createPipeline(beforeSend, afterSend);
  const sent = new Promise<{ reply: Buffer | null; q: Query }>((resolve) => pipeline.handle(q, (reply, sq) => resolve({ reply, q: sq })));
  return { pipeline, sent, q };
}

const fakeAnswer = {} as Query['answer'];

// Stage errors are logged to stderr: keep the test output clean and check the log line instead.
let stderr: MockInstance;
beforeEach(() => {
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  stderr.mockRestore();
});

describe('createPipeline', () => {
  describe('when every stage goes on', () => {
    it('runs the stages in order, sends, then runs the after-send stages', async () => {
      const log: string[] = [];
      const send = vi.fn<Send>(() => void log.push('send'));
      const p = createPipeline([stage(log, 'a'), stage(log, 'b', 'always'), stage(log, 'c', 'always', (q) => ((q.reply = Buffer.from('x')), NEXT))], [stage(log, 'rec', 'always')]);
      p.handle(decodedQuery(), send);
      expect(log).toEqual(['a', 'b', 'c', 'send', 'rec']);
      expect(send).toHaveBeenCalledTimes(1);
      expect(send.mock.calls[0][0]).toEqual(Buffer.from('x'));
    });

    it('starts every stage at zero errors', () => {
      const log: string[] = [];
      expect(createPipeline([stage(log, 'a'), stage(log, 'b')], [stage(log, 'c')]).stageErrors).toEqual({ a: 0, b: 0, c: 0 });
    });
  });

  describe('when a stage answers', () => {
    it('skips the question stages after a reply and runs the always stages', async () => {
      const log: string[] = [];
      const bytes = Buffer.from('reply');
      const { sent, q } = handle([stage(log, 'a', 'question', () => reply(bytes, 'blocked')), stage(log, 'b'), stage(log, 'ans', 'answer'), stage(log, 'respond', 'always')], []);
      expect((await sent).reply).toBe(bytes);
      expect(log).toEqual(['a', 'respond']);
      expect(q.reason).toBe('blocked');
    });

    it('skips the question stages after an answer and runs the answer stages', async () => {
      const log: string[] = [];
      const { sent } = handle(
        [stage(log, 'cache', 'question', (q) => ((q.answer = fakeAnswer), ANSWERED)), stage(log, 'upstream'), stage(log, 'inspect', 'answer'), stage(log, 'respond', 'always', (q) => ((q.reply = Buffer.from('r')), NEXT))],
        [],
      );
      await sent;
      expect(log).toEqual(['cache', 'inspect', 'respond']);
    });

    it('skips the answer stages without an answer', async () => {
      const log: string[] = [];
      await handle([stage(log, 'a'), stage(log, 'inspect', 'answer'), stage(log, 'respond', 'always')], []).sent;
      expect(log).toEqual(['a', 'respond']);
    });
  });

  describe('when a stage drops the query', () => {
    it('sends null at once and still runs the after-send stages', async () => {
      const log: string[] = [];
      const { sent, q } = handle([stage(log, 'decode', 'question', () => drop('dropped')), stage(log, 'respond', 'always')], [stage(log, 'record', 'always')], newQuery(Buffer.alloc(3), { address: '127.0.0.1', port: 1 }, 'udp', 0));
      expect((await sent).reply).toBeNull();
      expect(q.reason).toBe('dropped');
      expect(log).toEqual(['decode', 'record']);
    });
  });

  describe('when a stage is async', () => {
    it('awaits it before the next stage', async () => {
      const log: string[] = [];
      const { sent, q } = handle(
        [
          stage(log, 'slow', 'question', () => new Promise<Verdict>((r) => setTimeout(() => (log.push('slow done'), r(NEXT)), 10))),
          stage(log, 'respond', 'always', (q) => ((q.reply = Buffer.from('r')), NEXT)),
        ],
        [stage(log, 'record', 'always')],
      );
      expect(log).toEqual(['slow']);
      await sent;
      expect(log).toEqual(['slow', 'slow done', 'respond', 'record']);
      expect(q.reply).toEqual(Buffer.from('r'));
    });

    it('applies the verdict of an async stage', async () => {
      const log: string[] = [];
      const { sent } = handle([stage(log, 'up', 'question', async () => reply(Buffer.from('late'), 'resolved')), stage(log, 'more'), stage(log, 'respond', 'always')], []);
      expect((await sent).reply).toEqual(Buffer.from('late'));
      expect(log).toEqual(['up', 'respond']);
    });

    it('runs the sync stages of a hit without a microtask', () => {
      const log: string[] = [];
      const send = vi.fn();
      createPipeline([stage(log, 'a'), stage(log, 'respond', 'always', (q) => ((q.reply = Buffer.from('r')), NEXT))], []).handle(decodedQuery(), send);
      expect(send).toHaveBeenCalledTimes(1);
    });
  });

  describe('when a stage throws', () => {
    it("skips a 'skip' stage and counts the error", async () => {
      const log: string[] = [];
      const { sent, pipeline } = handle(
        [stage(log, 'flaky', 'question', () => { throw new Error('boom'); }), stage(log, 'next'), stage(log, 'respond', 'always', (q) => ((q.reply = Buffer.from('ok')), NEXT))],
        [],
      );
      expect((await sent).reply).toEqual(Buffer.from('ok'));
      expect(log).toEqual(['flaky', 'next', 'respond']);
      expect(pipeline.stageErrors).toEqual({ flaky: 1, next: 0, respond: 0 });
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain('stage flaky failed: Error: boom');
    });

    it("answers SERVFAIL for a 'servfail' stage", async () => {
      const log: string[] = [];
      const { sent, pipeline, q } = handle(
        [stage(log, 'strict', 'question', () => { throw new Error('boom'); }, 'servfail'), stage(log, 'next'), stage(log, 'respond', 'always')],
        [],
        decodedQuery({ id: 0x2222, name: 'www.example.org', edns: {} }),
      );
      const r = parse((await sent).reply!);
      expect(r.header).toMatchObject({ id: 0x2222, qr: true, rcode: RCODE.SERVFAIL, qdcount: 1 });
      expect(r.opt).not.toBeNull();
      expect(q.reason).toBe('servfail');
      expect(log).toEqual(['strict', 'respond']);
      expect(pipeline.stageErrors.strict).toBe(1);
    });

    it("answers a header-only SERVFAIL when the question was not read yet", async () => {
      const log: string[] = [];
      const raw = buildQuery({ id: 0x3333 });
      const q = newQuery(raw, { address: '127.0.0.1', port: 1 }, 'udp', 0);
      const { sent } = handle([stage(log, 'decode', 'question', () => { throw new Error('boom'); }, 'servfail')], [], q);
      const r = parse((await sent).reply!);
      expect(r.header).toMatchObject({ id: 0x3333, rcode: RCODE.SERVFAIL, qdcount: 0 });
    });

    it("drops the answer when a 'servfail' answer stage throws", async () => {
      const log: string[] = [];
      const { sent, q } = handle(
        [stage(log, 'cache', 'question', (q) => ((q.answer = fakeAnswer), ANSWERED)), stage(log, 'inspect', 'answer', () => { throw new Error('x'); }, 'servfail'), stage(log, 'respond', 'always')],
        [],
      );
      expect(parse((await sent).reply!).header.rcode).toBe(RCODE.SERVFAIL);
      expect(q.answer).toBeNull();
    });

    it('treats a rejected promise like a throw', async () => {
      const log: string[] = [];
      const { sent, pipeline } = handle([stage(log, 'up', 'question', () => Promise.reject(new Error('late boom')), 'servfail'), stage(log, 'respond', 'always')], []);
      expect(parse((await sent).reply!).header.rcode).toBe(RCODE.SERVFAIL);
      expect(pipeline.stageErrors.up).toBe(1);
      expect(log).toEqual(['up', 'respond']);
    });

    it('counts an after-send stage error without affecting the reply', async () => {
      const log: string[] = [];
      const send = vi.fn();
      const p = createPipeline([stage(log, 'respond', 'always', (q) => ((q.reply = Buffer.from('r')), NEXT))], [stage(log, 'record', 'always', () => { throw new Error('disk full'); })]);
      p.handle(decodedQuery(), send);
      expect(send).toHaveBeenCalledWith(Buffer.from('r'), expect.anything());
      expect(p.stageErrors.record).toBe(1);
    });

    it('survives a send that throws and still runs the after-send stages', () => {
      const log: string[] = [];
      const p = createPipeline([stage(log, 'respond', 'always', (q) => ((q.reply = Buffer.from('r')), NEXT))], [stage(log, 'record', 'always')]);
      expect(() => p.handle(decodedQuery(), () => { throw new Error('EPIPE'); })).not.toThrow();
      expect(log).toEqual(['respond', 'record']);
    });
  });
});

describe('orderStages', () => {
  const names = ['decode', 'access', 'identify', 'policy', 'local', 'cache', 'upstream', 'inspect', 'respond', 'record'] as const;
  const set = Object.fromEntries(names.map((n) => [n, { name: n, when: 'always', onError: 'skip', run: () => NEXT } satisfies Stage])) as unknown as StageSet;

  it('puts decode first, respond last before the send and record after it', () => {
    const { beforeSend, afterSend } = orderStages(set);
    expect(beforeSend.map((s) => s.name)).toEqual(['decode', 'access', 'identify', 'policy', 'local', 'cache', 'upstream', 'inspect', 'respond']);
    expect(afterSend.map((s) => s.name)).toEqual(['record']);
  });
});
