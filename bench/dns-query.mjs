// A DNS query for the bench scripts' own loads (plain .mjs: the tests' TypeScript builders are not
// importable here): one question, RD set, no EDNS.
export function query(name, type, id) {
  const labels = name.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]);
  return Buffer.concat([Buffer.from([(id >> 8) & 255, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), ...labels, Buffer.from([0, 0, type, 0, 1])]);
}
