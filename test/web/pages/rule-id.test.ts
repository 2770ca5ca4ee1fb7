import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ruleId } from '../../../src/web/pages/format.js';

/** admin.js run as the browser would, with just enough of a document for it to load. */
function browserRuleId(): (prefix: string, device: string, name: string) => string {
  const source = readFileSync(new URL('../../../src/web/pages/assets/admin.js', import.meta.url), 'utf8');
  const window: { telemute?: { ruleId: (p: string, d: string, n: string) => string } } = {};
  vm.runInNewContext(source, { window, document: { addEventListener: () => {} } });
  return window.telemute!.ruleId;
}

describe('ruleId', () => {
  it.each([
    ['b', '64:09:80:3a:4b:5c', 'data.mistat.intl.xiaomi.com'],
    ['a', 'ip:192.168.1.20', 'example.org'],
    ['b', 'router', '<script>alert(1)</script>'],
    ['b', '64:09:80:3a:4b:5c', 'a-very-long-label-that-goes-on.and-on.example.net'],
    ['b', '64:09:80:3a:4b:5c', '---.example.org'],
    ['a', '64:09:80:3a:4b:5c', 'éxample.org'],
  ] as const)('is a valid policy id, the same on the server and in admin.js (%s %s %s)', (prefix, device, name) => {
    const id = ruleId(prefix, device, name);
    expect(id).toMatch(/^[a-z0-9][a-z0-9_-]{0,39}$/);
    expect(browserRuleId()(prefix, device, name)).toBe(id);
  });

  it('differs per device and per name, and is stable', () => {
    // Stable: pinned, so a change of hash or slug (which would orphan saved rule ids) fails here.
    expect(ruleId('b', 'router', 'example.org')).toBe('b-example-org-1rxxzfe');
    expect(ruleId('b', 'router', 'example.org')).not.toBe(ruleId('b', 'ip:192.168.1.2', 'example.org'));
    expect(ruleId('b', 'router', 'a.example.org')).not.toBe(ruleId('b', 'router', 'b.example.org'));
    expect(ruleId('b', 'router', 'metrics.example.org')).toMatch(/^b-metrics-example-org-[0-9a-z]+$/);
  });
});
