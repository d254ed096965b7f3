/**
 * A small counter-based generator: the stream for (seed, salt, index) is a pure function of them, so
 * person #p is the same wherever it is generated (graph, CRM, truth) without keeping anyone in memory.
 */
export class Random {
  private state: number;

  constructor(seed: number, salt: number, index: number) {
    this.state = mix(mix(mix(seed >>> 0) ^ salt) ^ (index >>> 0)) ^ mix(Math.floor(index / 2 ** 32));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}

function mix(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
