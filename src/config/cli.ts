/**
 * The command line:
 *   telemute [--config FILE] [--dns ADDR:PORT]... [--upstream URL]... [--admin ADDR:PORT|off]
 *            [--state DIR] [--volatile DIR] [--blocklist FILE]... [--log-level LEVEL]
 *   telemute passwd [--config FILE] [--state DIR]
 * Flags override the config file; repeated flags replace the file's list, they do not add to it.
 */

export interface CliArgs {
  command: 'serve' | 'passwd' | 'help' | 'version';
  config: string | null;
  dns: string[];
  upstream: string[];
  admin: string | null;
  state: string | null;
  volatile: string | null;
  blocklist: string[];
  logLevel: string | null;
}

export class UsageError extends Error {}

export const USAGE = `usage: telemute [--config FILE] [--dns ADDR:PORT]... [--upstream URL]... [--admin ADDR:PORT|off]
                [--state DIR] [--volatile DIR] [--blocklist FILE]... [--log-level debug|info|warn|error]
       telemute passwd [--config FILE] [--state DIR]     set the admin password (read from stdin)
       telemute --version | --help`;

const REPEATABLE = { '--dns': 'dns', '--upstream': 'upstream', '--blocklist': 'blocklist' } as const;
const SINGLE = { '--config': 'config', '--admin': 'admin', '--state': 'state', '--volatile': 'volatile', '--log-level': 'logLevel' } as const;

/** Parses argv (without node and the script); throws UsageError with a clear message. */
export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { command: 'serve', config: null, dns: [], upstream: [], admin: null, state: null, volatile: null, blocklist: [], logLevel: null };
  let i = 0;
  if (argv[0] === 'passwd') {
    args.command = 'passwd';
    i = 1;
  }
  for (; i < argv.length; i++) {
    let flag = argv[i];
    let value: string | undefined;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    if (flag === '--help' || flag === '-h') return { ...args, command: 'help' };
    if (flag === '--version' || flag === '-V') return { ...args, command: 'version' };
    const key = (REPEATABLE as Record<string, keyof CliArgs>)[flag] ?? (SINGLE as Record<string, keyof CliArgs>)[flag];
    if (key === undefined) throw new UsageError(`unknown argument '${argv[i]}'`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    }
    if (flag in REPEATABLE) (args[key] as string[]).push(value);
    else (args as unknown as Record<string, string>)[key] = value;
  }
  return args;
}
