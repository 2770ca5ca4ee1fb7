import { describe, expect, it } from 'vitest';
import { GeoPage } from '../../../src/web/pages/geo-page.js';
import { render } from './page-fixture.js';

describe('geo page', () => {
  describe('when registration lookups are off', () => {
    it('says what turning them on sends, and offers one button that turns them on', async () => {
      const html = await render(GeoPage({ layers: [], registration: { isOn: false, canSwitch: true } }));
      expect(html).toContain('Registration lookups are <strong>off</strong>');
      expect(html).toContain('never which device asked');
      expect(html).toContain('data-api="/api/geo/registration"');
      expect(html).toContain(`data-base="${'{&quot;enabled&quot;:true}'}"`);
      expect(html).toContain('Turn registration lookups on');
    });
  });

  describe('when they are on', () => {
    it('offers to turn them off', async () => {
      const html = await render(GeoPage({ layers: [], registration: { isOn: true, canSwitch: true } }));
      expect(html).toContain('Registration lookups are <strong>on</strong>');
      expect(html).toContain('Turn registration lookups off');
    });
  });

  describe('when this instance cannot look up registrations', () => {
    it('says so and offers no button', async () => {
      const html = await render(GeoPage({ layers: [], registration: { isOn: false, canSwitch: false } }));
      expect(html).toContain('Not available here');
      expect(html).not.toContain('/api/geo/registration');
    });
  });
});
