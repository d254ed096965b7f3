import { parseCsv } from "../2-chunks/parse.ts";

export interface CsvHead {
  /** Byte offset of the first data record. */
  dataStart: number;
  delimiter: string;
  bom: boolean;
  header: string[];
}

export type EncodingProblem = "utf-16" | "utf-32" | "binary" | "invalid-utf-8";

const CANDIDATES = [",", ";", "\t", "|"];

/** Refuses encodings other than UTF-8 by their byte-order marks or NUL bytes (UTF-16 text is full of them). */
export function encodingProblem(head: Buffer): EncodingProblem | null {
  if (head[0] === 0x00 && head[1] === 0x00 && head[2] === 0xfe && head[3] === 0xff) return "utf-32";
  if (head[0] === 0xff && head[1] === 0xfe && head[2] === 0x00 && head[3] === 0x00) return "utf-32";
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return "utf-16";
  const sample = head.subarray(0, 4096);
  const nuls = sample.filter((byte) => byte === 0).length;
  if (nuls > 0) return nuls * 4 >= sample.length ? "utf-16" : "binary";
  return null;
}

/**
 * Reads the header record from the first bytes of the file and picks the delimiter: the candidate that
 * splits the header into the most fields (ties go to the earlier candidate, comma first).
 */
export function readHead(head: Buffer, wholeFile: boolean): CsvHead | null {
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const start = bom ? 3 : 0;
  let end = headerEnd(head, start);
  if (end === -1 && wholeFile && head.length > start) end = head.length;
  if (end === -1) return null;
  const text = head.subarray(start, end).toString("utf8");
  let best = { delimiter: ",", header: [] as string[] };
  for (const delimiter of CANDIDATES) {
    let header: string[] = [];
    parseCsv(text, delimiter, (fields) => {
      if (header.length === 0) header = fields;
    });
    if (header.length > best.header.length) best = { delimiter, header };
  }
  return { dataStart: end + 1, delimiter: best.delimiter, bom, header: best.header };
}

// The newline that ends the header record (outside quotes), or -1 when the head holds no complete header.
function headerEnd(head: Buffer, start: number): number {
  let quoted = false;
  for (let i = start; i < head.length; i++) {
    const byte = head[i];
    if (byte === 34) quoted = !quoted;
    else if (byte === 10 && !quoted) return i;
  }
  return -1;
}
