/**
 * Setting the admin password: `telemute passwd` (interactive or piped) and TELEMUTE_ADMIN_PASSWORD
 * at startup. There is no default password: until one is set, login answers 503 `no_password`.
 */
import { adminFile } from './admin-file.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';
import { lineReader } from './secret-input.js';

/** Input of runPasswd. `output` (default stderr) gets prompts and messages. */
export interface PasswdInput {
  /** Password given directly; skips stdin. */
  password?: string;
  stdin: NodeJS.ReadableStream;
  /** stdin is a terminal: prompt twice, echo off. Otherwise read one line. */
  isTTY: boolean;
  output?: NodeJS.WritableStream;
}

/** Hashes and stores a new admin password (which also ends all sessions opened under the old one). */
export async function setPassword(stateDir: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await adminFile(stateDir).update((state) => ({ ...state, password: hash }));
}

/** Why a password is not acceptable, or undefined. */
export function passwordProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}

/**
 * Stores TELEMUTE_ADMIN_PASSWORD if set and different from the stored password. Verifies first
 * (one scrypt, well under a second) so a restart with the same value does not rewrite flash.
 * Throws, naming the variable, if the value is too short.
 */
export async function applyEnvPassword(
  stateDir: string,
  env: Record<string, string | undefined>,
): Promise<'absent' | 'unchanged' | 'updated'> {
  const password = env.TELEMUTE_ADMIN_PASSWORD;
  if (password === undefined || password === '') return 'absent';
  const problem = passwordProblem(password);
  if (problem) throw new Error(`TELEMUTE_ADMIN_PASSWORD: ${problem}`);
  const stored = (await adminFile(stateDir).read()).password;
  if (stored && (await verifyPassword(password, stored))) return 'unchanged';
  await setPassword(stateDir, password);
  return 'updated';
}

/**
 * `telemute passwd`: reads a new password and stores it. Returns the exit code: 0 set, 1 refused
 * or failed, 130 interrupted (Ctrl-C, as a shell reports SIGINT).
 *
 * @example echo 'correct horse battery' | telemute passwd
 */
export async function runPasswd(stateDir: string, input: PasswdInput): Promise<number> {
  const output = input.output ?? process.stderr;
  const say = (text: string) => output.write(`telemute passwd: ${text}\n`);
  const read = input.password !== undefined ? { kind: 'line' as const, text: input.password } : await readPassword(input, output);
  if (read.kind === 'interrupt') return 130;
  if (read.kind === 'eof') return say('no password given on stdin'), 1;
  if (read.kind === 'mismatch') return say('the passwords do not match; nothing changed'), 1;
  const problem = passwordProblem(read.text);
  if (problem) return say(`password ${problem}; nothing changed`), 1;
  try {
    await setPassword(stateDir, read.text);
  } catch (err) {
    return say(`cannot store the password: ${(err as Error).message}`), 1;
  }
  say('admin password set; sessions opened with the old one are closed');
  return 0;
}

type ReadOutcome = { kind: 'line'; text: string } | { kind: 'eof' } | { kind: 'interrupt' } | { kind: 'mismatch' };

async function readPassword(input: PasswdInput, output: NodeJS.WritableStream): Promise<ReadOutcome> {
  const reader = lineReader(input.stdin, input.isTTY);
  try {
    if (!input.isTTY) return await reader.next();
    output.write('New admin password: ');
    const first = await reader.next();
    output.write('\n'); // the user's Enter was not echoed
    if (first.kind !== 'line') return first;
    output.write('Repeat it: ');
    const second = await reader.next();
    output.write('\n');
    if (second.kind !== 'line') return second;
    return first.text === second.text ? first : { kind: 'mismatch' };
  } finally {
    reader.close();
  }
}
