/**
 * policy.json under --state: loaded at start, written through the counted flash writer when the
 * owner changes something — coalesced over a second, so a burst of admin clicks is one write.
 * A file that does not parse or validate is never used and never overwritten silently: telemute
 * starts on the defaults, says why, and keeps a copy (policy.json.bad) before the next save.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlashWriter } from '../store/flash.js';
import { defaultPolicyDoc, type PolicyDoc } from './policy-doc.js';
import { checkPolicyDoc, type KnownIds } from './policy-validate.js';

export const POLICY_FILE = 'policy.json';

export interface PolicyStore {
  /** The document on flash, or the defaults (with the reason in `problem`). */
  load(known: KnownIds): { doc: PolicyDoc; problem: string | null };
  /** Schedules a write of `doc` (the latest wins). */
  save(doc: PolicyDoc): void;
  /** Writes a pending change now (shutdown). */
  flush(): Promise<void>;
}

/** A store writing to `flash`; null flash keeps everything in RAM (tests, read-only state). */
export function createPolicyStore(flash: FlashWriter | null, onError: (message: string) => void, delayMs = 1000): PolicyStore {
  let pending: PolicyDoc | null = null;
  let timer: NodeJS.Timeout | null = null;
  let badKept = true;
  let writing: Promise<void> = Promise.resolve();

  const write = async () => {
    timer = null;
    const doc = pending;
    pending = null;
    if (!doc || !flash) return;
    if (!badKept) {
      badKept = true;
      try {
        copyFileSync(join(flash.dir, POLICY_FILE), join(flash.dir, `${POLICY_FILE}.bad`));
      } catch {
        // nothing to keep
      }
    }
    await flash.write(POLICY_FILE, JSON.stringify(doc, null, 1));
  };

  return {
    load(known) {
      if (!flash) return { doc: defaultPolicyDoc(), problem: null };
      let text: string;
      try {
        text = readFileSync(join(flash.dir, POLICY_FILE), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { doc: defaultPolicyDoc(), problem: null };
        return { doc: defaultPolicyDoc(), problem: `${POLICY_FILE}: ${(err as Error).message}` };
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        badKept = false;
        return { doc: defaultPolicyDoc(), problem: `${POLICY_FILE}: not JSON (${(err as Error).message})` };
      }
      const checked = checkPolicyDoc(parsed, known);
      if (checked.doc) return { doc: checked.doc, problem: null };
      badKept = false;
      return { doc: defaultPolicyDoc(), problem: `${POLICY_FILE}: ${checked.errors.slice(0, 5).join('; ')}` };
    },
    save(doc) {
      pending = doc;
      if (timer === null) {
        timer = setTimeout(() => (writing = writing.then(write).catch((err) => onError(`${POLICY_FILE} not written: ${(err as Error).message}`))), delayMs);
        timer.unref();
      }
    },
    async flush() {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
        const done = writing.then(write);
        // A failed flush is reported to the caller; the chain stays usable for later saves.
        writing = done.catch((err) => onError(`${POLICY_FILE} not written: ${(err as Error).message}`));
        await done;
      }
      await writing;
    },
  };
}
