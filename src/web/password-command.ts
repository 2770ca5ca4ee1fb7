/** `telemute passwd`: sets the admin password, read from stdin (prompted twice on a terminal). */
import { runPasswd } from './passwd.js';

/** Runs the command; resolves with the exit code. */
export function passwdCommand(stateDir: string): Promise<number> {
  return runPasswd(stateDir, { stdin: process.stdin, isTTY: Boolean(process.stdin.isTTY) });
}
