/**
 * Strings for a JSON Schema pattern at a wanted length, for the differential corpus: a small
 * parser for the regular-expression subset AWS's resource schemas use (literals, escapes, classes,
 * groups, alternation, quantifiers, anchors, lookaheads), a seeded random walk over it, and the
 * real RegExp as the judge — a candidate is only returned when `new RegExp(pattern, "u")` accepts it.
 */

type Node =
  | { t: "seq"; items: Node[] }
  | { t: "alt"; options: Node[] }
  | { t: "set"; ranges: Array<[number, number]>; negate: boolean }
  | { t: "rep"; node: Node; min: number; max: number }
  | { t: "none" };

const ANY: Array<[number, number]> = [[0x20, 0x7e]];
const DIGIT: Array<[number, number]> = [[0x30, 0x39]];
const WORD: Array<[number, number]> = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
const SPACE: Array<[number, number]> = [
  [0x09, 0x0d],
  [0x20, 0x20],
];

class Parser {
  i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new Error(`unexpected ${this.src[this.i]} in ${this.src}`);
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === "|") {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { t: "alt", options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      let atom = this.atom();
      atom = this.quantified(atom);
      items.push(atom);
    }
    return { t: "seq", items };
  }

  private quantified(atom: Node): Node {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === "+") [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY;
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.src[this.i] === "?") this.i++; // lazy: same language
    return { t: "rep", node: atom, min, max };
  }

  private atom(): Node {
    const c = this.src[this.i]!;
    if (c === "^" || c === "$") {
      this.i++;
      return { t: "none" };
    }
    if (c === "(") {
      this.i++;
      let lookaround = false;
      if (this.src.startsWith("?:", this.i)) this.i += 2;
      else if (/^\?<?[=!]/.test(this.src.slice(this.i))) {
        lookaround = true;
        this.i += this.src[this.i + 1] === "<" ? 3 : 2;
      }
      const inner = this.alternation();
      if (this.src[this.i] !== ")") throw new Error(`unclosed group in ${this.src}`);
      this.i++;
      // A lookaround constrains without consuming: generate nothing, let the RegExp judge.
      return lookaround ? { t: "none" } : inner;
    }
    if (c === "[") return this.cls();
    if (c === ".") {
      this.i++;
      return { t: "set", ranges: ANY, negate: false };
    }
    if (c === "\\") return this.escape(false) as Node;
    this.i++;
    const cp = c.codePointAt(0)!;
    return { t: "set", ranges: [[cp, cp]], negate: false };
  }

  /** An escape; inside a class it returns ranges. */
  private escape(inClass: boolean): Node | Array<[number, number]> {
    this.i++;
    const c = this.src[this.i]!;
    this.i++;
    const set = (ranges: Array<[number, number]>, negate = false): Node | Array<[number, number]> =>
      inClass ? ranges : { t: "set", ranges, negate };
    switch (c) {
      case "d":
        return set(DIGIT);
      case "w":
        return set(WORD);
      case "s":
        return set(SPACE);
      case "D":
        return inClass ? [[0x41, 0x5a]] : set(DIGIT, true);
      case "W":
        return inClass ? [[0x21, 0x2f]] : set(WORD, true);
      case "S":
        return inClass ? [[0x21, 0x7e]] : set(SPACE, true);
      case "t":
        return set([[9, 9]]);
      case "n":
        return set([[10, 10]]);
      case "r":
        return set([[13, 13]]);
      case "u": {
        const hex = this.src.slice(this.i, this.i + 4);
        this.i += 4;
        const cp = Number.parseInt(hex, 16);
        return set([[cp, cp]]);
      }
      case "x": {
        const cp = Number.parseInt(this.src.slice(this.i, this.i + 2), 16);
        this.i += 2;
        return set([[cp, cp]]);
      }
      default: {
        const cp = c.codePointAt(0)!;
        return set([[cp, cp]]);
      }
    }
  }

  private cls(): Node {
    this.i++;
    let negate = false;
    if (this.src[this.i] === "^") {
      negate = true;
      this.i++;
    }
    const ranges: Array<[number, number]> = [];
    const single = (): Array<[number, number]> => {
      if (this.src[this.i] === "\\") return this.escape(true) as Array<[number, number]>;
      const cp = this.src.codePointAt(this.i)!;
      this.i += cp > 0xffff ? 2 : 1;
      return [[cp, cp]];
    };
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== "]" || first)) {
      first = false;
      const from = single();
      if (this.src[this.i] === "-" && this.src[this.i + 1] !== "]" && from.length === 1) {
        this.i++;
        const to = single();
        ranges.push([from[0]![0], to[0]![1]]);
      } else ranges.push(...from);
    }
    this.i++;
    return { t: "set", ranges, negate };
  }
}

/** A seeded PRNG (mulberry32): the corpus is the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters a set allows, preferring printable ASCII so documents stay readable. */
function pick(node: Extract<Node, { t: "set" }>, rnd: () => number): string {
  const inSet = (cp: number) => node.ranges.some(([lo, hi]) => cp >= lo && cp <= hi) !== node.negate;
  const ascii: number[] = [];
  for (let cp = 0x20; cp <= 0x7e; cp++) if (inSet(cp)) ascii.push(cp);
  if (ascii.length) return String.fromCodePoint(ascii[Math.floor(rnd() * ascii.length)]!);
  for (const [lo] of node.ranges) if (!node.negate && lo > 0) return String.fromCodePoint(lo);
  return "\u00e9";
}

function walk(node: Node, rnd: () => number, stretch: number): string {
  switch (node.t) {
    case "none":
      return "";
    case "set":
      return pick(node, rnd);
    case "seq":
      return node.items.map((item) => walk(item, rnd, stretch)).join("");
    case "alt":
      return walk(node.options[Math.floor(rnd() * node.options.length)]!, rnd, stretch);
    case "rep": {
      const top = Math.min(node.max, node.min + stretch);
      const count = node.min + Math.floor(rnd() * (top - node.min + 1));
      let out = "";
      for (let k = 0; k < count; k++) out += walk(node.node, rnd, stretch);
      return out;
    }
  }
}

export const length = (s: string) => [...s].length;

const cache = new Map<string, Node>();

/**
 * A string of `min`..`max` code points that the pattern accepts, as long as possible when `longest`,
 * else as short as possible; undefined when none was found.
 */
export function matching(
  pattern: string | undefined,
  min: number,
  max: number,
  seed: number,
  longest = false,
): string | undefined {
  const fill = (n: number, rnd: () => number) => {
    let s = "";
    for (let k = 0; k < n; k++) s += "abcdefghijklmnopqrstuvwxyz"[Math.floor(rnd() * 26)];
    return s;
  };
  const rnd = random(seed);
  if (pattern === undefined) {
    const n = longest ? max : min;
    return Number.isFinite(n) ? fill(n, rnd) : fill(Math.max(min, 12), rnd);
  }
  const regex = new RegExp(pattern, "u");
  let ast = cache.get(pattern);
  if (!ast) {
    ast = new Parser(pattern).parse();
    cache.set(pattern, ast);
  }
  const target = longest ? (Number.isFinite(max) ? max : Math.max(min, 40)) : min;
  let best: string | undefined;
  const better = (s: string) => {
    const n = length(s);
    if (n < min || n > max || !regex.test(s)) return;
    if (best === undefined || Math.abs(n - target) < Math.abs(length(best) - target)) best = s;
  };
  for (let attempt = 0; attempt < 400 && !(best !== undefined && length(best) === target); attempt++) {
    const stretch = longest ? Math.min(target, 1 + Math.floor(attempt * (target / 40 + 1))) : attempt % 4;
    const s = walk(ast, rnd, stretch);
    better(s);
    // Unanchored patterns (and trailing classes) often accept padding at either end.
    for (const pad of ["a", "0", "_", " "]) {
      let grown = s;
      while (length(grown) < target && regex.test(grown + pad)) grown += pad;
      better(grown);
      grown = s;
      while (length(grown) < target && regex.test(pad + grown)) grown = pad + grown;
      better(grown);
    }
  }
  return best;
}

/** A string of `min`..`max` code points that the pattern rejects; undefined when every string matches. */
export function notMatching(pattern: string, min: number, max: number): string | undefined {
  const regex = new RegExp(pattern, "u");
  const n = Math.max(min, 1);
  if (n > max) return undefined;
  for (const c of ["#", "\u0001", "!", "~", " ", "A", "a", "0", "-", "/", ":", "\u00e9", "\u{1F600}"]) {
    const s = c.repeat(n);
    if (length(s) <= max && !regex.test(s)) return s;
  }
  return undefined;
}
