// What bench/geo-lookup.mjs needs from src/geo, bundled in one step by bench/import-ts.mjs.
export { createGeo } from '../src/geo/geo.js';
export { defaultGeoSources } from '../src/geo/sources.js';
export { openMmdb } from '../src/geo/mmdb.js';
export { loadAsnCsv } from '../src/geo/asn-source.js';
