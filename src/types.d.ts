// Buffer's latin1Slice is public on Buffer.prototype in every Node we run (18, 20, 22) but missing
// from @types/node. It is the cheapest way to turn name bytes into a Map key (no encoding dispatch).
declare global {
  interface Buffer {
    latin1Slice(start?: number, end?: number): string;
  }
}
export {};
