// Stagger: a job's offset in [0, staggerMs), fixed by its id, so a fleet of jobs on the same
// cadence spreads its runs over the window instead of firing together, and a restart keeps each
// job's place. FNV-1a over the UTF-16 code units, then a murmur3 finaliser so ids that differ
// only in their last character still land far apart.

export function staggerOffset(id: string, staggerMs: number | undefined): number {
  if (staggerMs === undefined || staggerMs <= 0) return 0;
  return Math.floor((hash32(id) / 2 ** 32) * staggerMs);
}

export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
