/**
 * Reading a password from stdin for `telemute passwd`: one line from a pipe, or typed at a terminal
 * with echo off (raw mode), with backspace, Ctrl-C and Ctrl-D handled by hand since raw mode turns
 * the terminal's own line editing off.
 */
import { StringDecoder } from 'node:string_decoder';

/** A line, or why there is none. */
export type LineResult = { kind: 'line'; text: string } | { kind: 'eof' } | { kind: 'interrupt' };

/** Reads lines one by one; text typed ahead (a paste of two lines) waits for the next call. */
export interface LineReader {
  next(): Promise<LineResult>;
  /** Stops reading so the process can exit; restores the terminal. */
  close(): void;
}

/** Longest line kept, characters: a runaway pipe must not fill the router's RAM. */
const MAX_LINE = 4096;

/** Opens a line reader over stdin. With `isRaw`, echo is off and control keys are interpreted. */
export function lineReader(stdin: NodeJS.ReadableStream, isRaw: boolean): LineReader {
  const tty = stdin as NodeJS.ReadableStream & { setRawMode?: (on: boolean) => void };
  if (isRaw) tty.setRawMode?.(true);
  const decoder = new StringDecoder('utf8');
  const ready: LineResult[] = [];
  let line = '';
  let afterCr = false;
  let ended = false;
  let wake: (() => void) | undefined;

  function take(char: string): void {
    if (afterCr && char === '\n') return; // the LF of a CRLF pair
    afterCr = char === '\r';
    if (char === '\r' || char === '\n') {
      ready.push({ kind: 'line', text: line });
      line = '';
    } else if (isRaw && char === '\u0003') ready.push({ kind: 'interrupt' });
    else if (isRaw && char === '\u0004' && line === '') ready.push({ kind: 'eof' });
    else if (isRaw && (char === '\u007f' || char === '\b')) line = [...line].slice(0, -1).join('');
    else if (line.length < MAX_LINE) line += char;
  }
  const onData = (chunk: Buffer | string) => {
    for (const char of typeof chunk === 'string' ? chunk : decoder.write(chunk)) take(char);
    wake?.();
  };
  const onEnd = () => {
    // A last line without a newline still counts (`printf %s pw | telemute passwd`).
    if (line !== '') ready.push({ kind: 'line', text: line });
    line = '';
    ended = true;
    wake?.();
  };
  stdin.on('data', onData);
  stdin.once('end', onEnd);
  stdin.once('error', onEnd); // a closed or broken stdin reads as end of input, not a crash
  stdin.resume();

  return {
    async next() {
      while (ready.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      return ready.shift() ?? { kind: 'eof' };
    },
    close() {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onEnd);
      stdin.pause();
      if (isRaw) tty.setRawMode?.(false);
    },
  };
}
