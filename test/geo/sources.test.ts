import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultGeoSources } from '../../src/geo/sources.js';
import { ASN_CSV, COUNTRY_ALL } from './fixtures.js';

describe('defaultGeoSources', () => {
  it('finds the npm packages when they are installed', () => {
    expect(defaultGeoSources()).toEqual({ country: [COUNTRY_ALL], asn: ASN_CSV });
  });

  it('answers null where no package is installed, as on the router', () => {
    const bare = mkdtempSync(join(tmpdir(), 'geo-bare-'));
    expect(defaultGeoSources(pathToFileURL(join(bare, 'telemute.mjs')).href)).toBeNull();
  });
});
