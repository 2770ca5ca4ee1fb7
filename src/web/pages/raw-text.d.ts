/**
 * `import text from './file?raw'`: the file's content as a string. Vite (the tests) does this
 * natively; build.mjs's raw-text plugin does the same for the bundle.
 */
declare module '*?raw' {
  /** The file's text, UTF-8. */
  const text: string;
  export default text;
}
