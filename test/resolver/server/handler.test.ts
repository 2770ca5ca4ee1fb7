import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../src/resolver/server/handler.js';
import type { Pipeline } from '../../../src/resolver/pipeline.js';

const query = Buffer.from([0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);

describe('handler', () => {
  describe('when the pipeline throws past its own guards', () => {
    const broken: Pipeline = {
      handle: () => {
        throw new Error('bug');
      },
      stageErrors: {},
    };

    it('answers SERVFAIL with the query ID and counts the crash', () => {
      const stats = { crashes: 0 };
      const sent: (Buffer | null)[] = [];
      createHandler(broken, stats)(query, { address: '127.0.0.1', port: 1 }, 'udp', (r) => sent.push(r));
      expect(stats.crashes).toBe(1);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.readUInt16BE(0)).toBe(0xabcd);
      expect(sent[0]![2] & 0x80).toBe(0x80);
      expect(sent[0]![3] & 0x0f).toBe(2);
    });

    it('sends nothing for a packet without a readable header, or a response', () => {
      const stats = { crashes: 0 };
      const sent: (Buffer | null)[] = [];
      const h = createHandler(broken, stats);
      h(Buffer.from([1, 2, 3]), { address: '127.0.0.1', port: 1 }, 'udp', (r) => sent.push(r));
      const response = Buffer.from(query);
      response[2] |= 0x80;
      h(response, { address: '127.0.0.1', port: 1 }, 'udp', (r) => sent.push(r));
      expect(sent).toEqual([null, null]);
      expect(stats.crashes).toBe(2);
    });

    it('survives a send that throws too', () => {
      const stats = { crashes: 0 };
      const h = createHandler(broken, stats);
      expect(() =>
        h(query, { address: '127.0.0.1', port: 1 }, 'udp', () => {
          throw new Error('socket closed');
        }),
      ).not.toThrow();
    });
  });
});
