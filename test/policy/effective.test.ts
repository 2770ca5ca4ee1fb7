import { describe, expect, it } from 'vitest';
import { BLOCK, OBSERVE, OFF, S_ALLOW, S_BLOCK, S_FLAG, activeLayers, foldLayers, isRunning } from '../../src/policy/effective.js';
import type { PolicySpec, Schedule } from '../../src/policy/policy-doc.js';

// Local time, as the router keeps it. 22 November 2026 is a Sunday (day 0).
const at = (day: number, hhmm: string) => new Date(2026, 10, 22 + day, Number(hhmm.slice(0, 2)), Number(hhmm.slice(3)));
const schedule = (days: number[], from: string, to: string, apply: Schedule['apply'] = { blockAll: true }, id = 's'): Schedule => ({ id, days, from, to, apply });

const CATALOGS = ['amazon', 'xiaomi', 'samsung'];
const LISTS = ['ads', 'malware'];
const fold = (...specs: PolicySpec[]) => foldLayers(specs.map((spec) => ({ spec, schedule: '' })), CATALOGS, LISTS);

describe('effective', () => {
  describe('isRunning', () => {
    it('starts on Sunday: the calendar the tests use', () => {
      expect(at(0, '12:00').getDay()).toBe(0);
      expect(at(6, '12:00').getDay()).toBe(6);
    });

    it.each([
      // a window within one day: from included, to excluded
      ['Mon 08:00–12:00', [1], '08:00', '12:00', 1, '08:00', true],
      ['Mon 08:00–12:00', [1], '08:00', '12:00', 1, '11:59', true],
      ['Mon 08:00–12:00', [1], '08:00', '12:00', 1, '12:00', false],
      ['Mon 08:00–12:00', [1], '08:00', '12:00', 1, '07:59', false],
      ['Mon 08:00–12:00', [1], '08:00', '12:00', 2, '09:00', false],
      // a window past midnight belongs to the day it starts
      ['Fri 22:00–06:00', [5], '22:00', '06:00', 5, '21:59', false],
      ['Fri 22:00–06:00', [5], '22:00', '06:00', 5, '22:00', true],
      ['Fri 22:00–06:00', [5], '22:00', '06:00', 5, '23:59', true],
      ['Fri 22:00–06:00', [5], '22:00', '06:00', 6, '00:00', true],
      ['Fri 22:00–06:00', [5], '22:00', '06:00', 6, '05:59', true],
      ['Fri 22:00–06:00', [5], '22:00', '06:00', 6, '06:00', false],
      ['Fri 22:00–06:00', [5], '22:00', '06:00', 5, '05:00', false], // Thursday night is not listed
      ['Fri 22:00–06:00', [5], '22:00', '06:00', 6, '22:00', false],
      // the week wraps: Saturday night runs into Sunday morning
      ['Sat 23:00–01:00', [6], '23:00', '01:00', 0, '00:30', true],
      ['Sat 23:00–01:00', [6], '23:00', '01:00', 0, '23:30', false],
      ['Sun 23:00–01:00', [0], '23:00', '01:00', 1, '00:59', true],
      ['Sun 23:00–01:00', [0], '23:00', '01:00', 6, '00:30', false],
      // ending at midnight: the whole evening, nothing after
      ['Mon 22:00–00:00', [1], '22:00', '00:00', 1, '23:59', true],
      ['Mon 22:00–00:00', [1], '22:00', '00:00', 2, '00:00', false],
      // starting at midnight
      ['Tue 00:00–07:00', [2], '00:00', '07:00', 2, '00:00', true],
      ['Tue 00:00–07:00', [2], '00:00', '07:00', 1, '23:59', false],
      // several days
      ['weekdays 21:30–07:00', [1, 2, 3, 4, 5], '21:30', '07:00', 1, '06:00', false], // Sunday night not listed
      ['weekdays 21:30–07:00', [1, 2, 3, 4, 5], '21:30', '07:00', 6, '06:59', true], // Friday night
      ['weekdays 21:30–07:00', [1, 2, 3, 4, 5], '21:30', '07:00', 6, '21:30', false],
    ])('%s on day %i at %s: %s', (_label, days, from, to, day, time, expected) => {
      expect(isRunning(schedule(days as number[], from as string, to as string), at(day as number, time as string))).toBe(expected);
    });
  });

  describe('activeLayers', () => {
    it('keeps the layers in order, each followed by its running schedules, skipping missing ones', () => {
      const night = schedule([1], '22:00', '06:00', { blockAll: true }, 'night');
      const day = schedule([1], '08:00', '12:00', { observe: true }, 'day');
      const household: PolicySpec = { safeSearch: 'moderate', schedules: [night, day] };
      const device: PolicySpec = { observe: false };
      const layers = activeLayers([household, undefined, device], at(1, '23:00'));
      expect(layers).toEqual([
        { spec: household, schedule: '' },
        { spec: night.apply, schedule: 'night' },
        { spec: device, schedule: '' },
      ]);
      expect(activeLayers([household], at(1, '09:00')).map((l) => l.schedule)).toEqual(['', 'day']);
    });
  });

  describe('foldLayers', () => {
    describe('when nothing is set', () => {
      it('gives the defaults: catalogs and lists off, sensitive flagged, guard on', () => {
        const e = fold({});
        expect(Array.from(e.catalogMode)).toEqual([OFF, OFF, OFF]);
        expect(Array.from(e.sensitiveMode)).toEqual([S_FLAG, S_FLAG, S_FLAG]);
        expect(e).toMatchObject({ lists: [], observe: false, blockAll: '', safeSearch: 'off', bypassGuard: true, blockDoh: false, geo: [], logMode: 'full' });
        expect(foldLayers([], CATALOGS, LISTS)).toMatchObject({ lists: [], blockAll: '', bypassGuard: true });
      });
    });

    describe('when maps merge per key', () => {
      it('lets a key beat * at the same layer', () => {
        const e = fold({ catalogs: { '*': 'block', xiaomi: 'observe' }, sensitive: { '*': 'allow', samsung: 'block' }, lists: { '*': 'observe', ads: 'block' } });
        expect(Array.from(e.catalogMode)).toEqual([BLOCK, OBSERVE, BLOCK]);
        expect(Array.from(e.sensitiveMode)).toEqual([S_ALLOW, S_ALLOW, S_BLOCK]);
        expect(e.lists).toEqual([
          { id: 'ads', mode: BLOCK },
          { id: 'malware', mode: OBSERVE },
        ]);
      });

      it('lets a lower layer beat an upper one, even its * against the upper key', () => {
        const e = fold({ catalogs: { xiaomi: 'block', amazon: 'block' } }, { catalogs: { '*': 'off', samsung: 'block' } });
        expect(Array.from(e.catalogMode)).toEqual([OFF, OFF, BLOCK]);
      });

      it('falls through a lower layer that does not name the key', () => {
        const e = fold({ catalogs: { '*': 'block' }, lists: { '*': 'block' } }, { catalogs: { xiaomi: 'off' }, lists: { malware: 'off' } }, { safeSearch: 'strict' });
        expect(Array.from(e.catalogMode)).toEqual([BLOCK, OFF, BLOCK]);
        expect(e.lists).toEqual([{ id: 'ads', mode: BLOCK }]);
        expect(e.safeSearch).toBe('strict');
      });
    });

    describe('when fields are set on several layers', () => {
      it('takes each field from the most specific layer that sets it', () => {
        const geo = [{ id: 'sg', action: 'block' as const, countries: ['SG'] }];
        const e = fold(
          { observe: true, safeSearch: 'moderate', bypassGuard: true, blockDoh: true, logMode: 'anonymous', geo: [{ id: 'all', action: 'flag', countries: ['RU'] }] },
          { safeSearch: 'strict', geo },
          { bypassGuard: false, logMode: 'off' },
        );
        expect(e).toMatchObject({ observe: true, safeSearch: 'strict', bypassGuard: false, blockDoh: true, logMode: 'off' });
        expect(e.geo).toBe(geo); // a layer's geo list replaces the one above
      });
    });

    describe('when schedules overlay their layer', () => {
      it('names the schedule blocking everything, or "policy" for a plain layer', () => {
        const night = { spec: { blockAll: true }, schedule: 'bedtime' };
        expect(foldLayers([{ spec: {}, schedule: '' }, night], CATALOGS, LISTS).blockAll).toBe('bedtime');
        expect(fold({ blockAll: true }).blockAll).toBe('policy');
        expect(fold({ blockAll: true }, { blockAll: false }).blockAll).toBe('');
      });

      it('overlays a running schedule on its layer and leaves the fields it does not set', () => {
        const household: PolicySpec = {
          catalogs: { '*': 'block' },
          safeSearch: 'off',
          schedules: [schedule([1], '15:00', '18:00', { catalogs: { amazon: 'off' }, safeSearch: 'strict' }, 'homework')],
        };
        const during = foldLayers(activeLayers([household], at(1, '16:00')), CATALOGS, LISTS);
        expect(Array.from(during.catalogMode)).toEqual([OFF, BLOCK, BLOCK]);
        expect(during.safeSearch).toBe('strict');
        const after = foldLayers(activeLayers([household], at(1, '18:00')), CATALOGS, LISTS);
        expect(Array.from(after.catalogMode)).toEqual([BLOCK, BLOCK, BLOCK]);
        expect(after.safeSearch).toBe('off');
      });

      it('lets a lower layer beat an upper layer’s running schedule', () => {
        const household: PolicySpec = { schedules: [schedule([1], '22:00', '06:00', { blockAll: true, safeSearch: 'strict' }, 'night')] };
        const e = foldLayers(activeLayers([household, { blockAll: false }], at(1, '23:00')), CATALOGS, LISTS);
        expect(e.blockAll).toBe('');
        expect(e.safeSearch).toBe('strict');
      });
    });
  });
});
