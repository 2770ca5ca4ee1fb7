/** telemute's version, set by the build from package.json (esbuild define). */
declare const __TELEMUTE_VERSION__: string | undefined;
export const VERSION: string = typeof __TELEMUTE_VERSION__ === 'string' ? __TELEMUTE_VERSION__ : 'dev';
