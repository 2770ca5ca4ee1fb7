/**
 * Checks that a datagram really answers our query: same ID, QR set, and the same question (names
 * compared case-blind, RFC 4343). This is the defence against spoofed and stray replies
 * (RFC 5452 §9.1): anything else is ignored and the wait goes on.
 */
import { HEADER_SIZE } from '../dns/constants.js';
import { skipName } from '../dns/message.js';

/** Whether `response` is an answer to `query`. */
export function answersQuery(query: Uint8Array, response: Uint8Array): boolean {
  if (response.length < HEADER_SIZE || response[0] !== query[0] || response[1] !== query[1]) return false;
  if (!(response[2] & 0x80) || (response[2] & 0x78) !== (query[2] & 0x78)) return false;
  if (response[4] !== 0 || response[5] !== 1) return false;
  const end = skipName(query, HEADER_SIZE) + 4;
  if (end > response.length) return false;
  for (let i = HEADER_SIZE; i < end; i++) {
    let a = query[i];
    let b = response[i];
    if (a >= 0x41 && a <= 0x5a) a += 32;
    if (b >= 0x41 && b <= 0x5a) b += 32;
    if (a !== b) return false;
  }
  return true;
}
