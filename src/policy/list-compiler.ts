/**
 * Where a list is parsed, checked and compiled. Two ways, one set of checks (`parseAndCompile`):
 *
 * - In a child process (the bundle, on the router): `node telemute.mjs --compile-list JOB` reads
 *   the list's bytes on stdin and writes the compiled version into the same volatile LMDB
 *   environment (LMDB serves several processes: its lock file holds a process-shared mutex).
 *   The resolver then only opens the finished version. Why: the compile's garbage never enters
 *   the resolver. With 1M names and the router's V8 flags, the resolver's anon RSS after a load
 *   was 111.5 MB when it compiled the list itself and 82.9 MB with the child (glibc keeps what
 *   the parse and the LMDB writes freed; bench/anon-memory.sh). The compile's heap peak
 *   (28-32 MB) no longer adds to the resolver's `--max-old-space-size`, and a compile that runs
 *   out of memory kills the child, not DNS. The child runs at nice 10 so that DNS keeps the CPU
 *   on a single-core router.
 * - In this process (tests run from the TypeScript sources, which a child `node` cannot run).
 *
 * Child protocol, one line each on stdout: `progress <0..1>`, then `done` or `refused <JSON
 * string>`. Anything else (a crash, a kill, an exit code other than 0) is a failed compile.
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { openVolatileStore, type VolatileStore } from '../store/volatile.js';
import { compileList, estimateBytes, type CompiledList } from './list-store.js';
import { parseChunks, rejectReason } from './subscription-parse.js';

/** The command-line word that makes the bundle a list compiler instead of a resolver. */
export const COMPILE_LIST_COMMAND = '--compile-list';

/** One compile: which version of which list, and the room it may take. */
export interface CompileJob {
  id: string;
  /** Content hash of the bytes (the version's name). */
  hash: string;
  budgetBytes: number;
  /** Bytes the other active lists take from the budget. */
  usedByOthers: number;
}

/** How to run a compiler process: the bundle to start and the volatile directory it writes to. */
export interface ChildCompiler {
  entry: string;
  volatileDir: string;
  /** Kill a compile that takes longer, ms. Default 15 min (a router is 10-20x slower than a PC). */
  timeoutMs?: number;
  /** Node's flags for the child. Default: the resolver's own (`process.execArgv`). */
  nodeArgs?: string[];
}

/** A refused list: why, in words for the admin. */
export interface Refused {
  refused: string;
}

const MiB = 1024 * 1024;
/** Bytes as MiB with one decimal, for messages. */
export const mib = (n: number) => (n / MiB).toFixed(1);
const STDERR_KEPT = 2048;

/**
 * Parses the list (`chunks`, `size` bytes in all), refuses a bad or too big one, otherwise
 * compiles it into `store`.
 */
export async function parseAndCompile(store: VolatileStore, job: CompileJob, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, size: number, onProgress: (done: number) => void): Promise<CompiledList | Refused> {
  const parsed = await parseChunks(chunks, size, (p) => onProgress(p / 2));
  const reason = rejectReason(parsed);
  if (reason) return { refused: reason };
  const need = estimateBytes(parsed.names);
  if (job.usedByOthers + need > job.budgetBytes) {
    return { refused: `needs ${mib(need)} MiB, the budget is ${mib(job.budgetBytes)} MiB and other lists use ${mib(job.usedByOthers)} MiB` };
  }
  return compileList(store, job.id, job.hash, parsed.names, { onProgress: (p) => onProgress(0.5 + p / 2) });
}

/**
 * Compiles in a child process; resolves when the version is in the store (then open it with
 * `openCompiledList`) or with why the list was refused. Rejects if the child fails or is killed.
 */
export function compileInChild(compiler: ChildCompiler, job: CompileJob, bytes: Uint8Array, onProgress: (done: number) => void, signal?: AbortSignal): Promise<Refused | null> {
  return new Promise((resolve, reject) => {
    // The resolver's own node flags (execArgv, NODE_OPTIONS): the router's heap limits hold here too.
    const args = [...(compiler.nodeArgs ?? process.execArgv), compiler.entry, COMPILE_LIST_COMMAND, JSON.stringify({ ...job, volatileDir: compiler.volatileDir, size: bytes.length })];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let outcome: Refused | null | undefined;
    let stderr = '';
    try {
      if (child.pid !== undefined) setPriority(child.pid, 10);
    } catch {
      // not allowed here: the compile runs at the resolver's priority
    }
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(kill, compiler.timeoutMs ?? 15 * 60_000);
    signal?.addEventListener('abort', kill, { once: true });
    if (signal?.aborted) kill();
    child.stdin.on('error', () => {}); // EPIPE when the child dies early: its exit says why
    child.stdin.end(bytes);
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_KEPT)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('progress ')) onProgress(Number(line.slice(9)) || 0);
      else if (line === 'done') outcome = null;
      else if (line.startsWith('refused ')) outcome = { refused: refusal(line.slice(8)) };
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`compiler process: ${err.message}`));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      if (code === 0 && outcome !== undefined) return resolve(outcome);
      const how = sig ? `was killed (${sig}${signal?.aborted ? ', shutting down' : ''})` : `exited with ${code}`;
      const last = stderr.trim().split('\n').pop() ?? '';
      reject(new Error(`compiler process ${how}${last ? `: ${last}` : ''}`));
    });
  });
}

/** The child's reason, a JSON string; as it came if it is not one (nothing the child says may throw here). */
function refusal(text: string): string {
  try {
    return String(JSON.parse(text));
  } catch {
    return text;
  }
}

/** The child's side: `telemute.mjs --compile-list JOB`, the list on stdin. Returns the exit code. */
export async function runListCompiler(jobJson: string | undefined): Promise<number> {
  const job = parseJob(jobJson);
  if (typeof job === 'string') return process.stderr.write(`telemute: --compile-list: ${job}\n`), 2;
  const store = openVolatileStore(job.volatileDir);
  let shown = -1;
  const progress = (p: number) => {
    const pct = Math.floor(p * 100);
    if (pct > shown) process.stdout.write(`progress ${(shown = pct) / 100}\n`);
  };
  try {
    // Parsed as it arrives: the child never holds the whole list.
    const r = await parseAndCompile(store, job, process.stdin, job.size, progress);
    if ('refused' in r) process.stdout.write(`refused ${JSON.stringify(r.refused)}\n`);
    else {
      r.close();
      process.stdout.write('done\n');
    }
    return 0;
  } catch (err) {
    process.stderr.write(`telemute: --compile-list: ${(err as Error).message}\n`); // one line: the parent shows the last
    return 1;
  } finally {
    await store.close();
  }
}

type ChildJob = CompileJob & { volatileDir: string; size: number };

function parseJob(text: string | undefined): ChildJob | string {
  try {
    const j = JSON.parse(text ?? '') as Record<string, unknown>;
    const isText = (k: string) => typeof j[k] === 'string' && j[k] !== '';
    const isCount = (k: string) => typeof j[k] === 'number' && (j[k] as number) >= 0;
    if (!isText('id') || !isText('hash') || !isText('volatileDir') || !isCount('budgetBytes') || !isCount('usedByOthers') || !isCount('size')) {
      return 'the job needs id, hash, volatileDir (text) and budgetBytes, usedByOthers, size (numbers >= 0)';
    }
    return j as unknown as ChildJob;
  } catch {
    return 'the job is not JSON';
  }
}
