// What bench/list-compile.mjs needs from src/policy, src/store and src/dns, bundled in one step by bench/import-ts.mjs.
export { compileList, estimateBytes, openCompiledList } from '../src/policy/list-store.js';
export { parseInSlices } from '../src/policy/subscription-parse.js';
export { openVolatileStore } from '../src/store/volatile.js';
export { nameToWire } from '../src/dns/name.js';
