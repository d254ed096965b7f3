/**
 * A column of optional strings kept as UTF-8 bytes, so normalized values die young instead of piling up
 * as JS strings until the row group is encoded (that was most of the GC time). Value i spans
 * bytes[end(i-1), end(i)); a null has zero length and present[i] = 0.
 */
export class StringColumn {
  bytes: Buffer = Buffer.allocUnsafe(1 << 16);
  ends: Uint32Array = new Uint32Array(1024);
  present: Uint8Array = new Uint8Array(1024);
  count = 0;
  nulls = 0;
  private used = 0;

  /** Empty again, keeping the buffers. */
  reset(): void {
    this.count = 0;
    this.nulls = 0;
    this.used = 0;
  }

  get byteLength(): number {
    return this.used;
  }

  appendNull(): void {
    if (this.count === this.ends.length) this.growRows();
    this.ends[this.count] = this.used;
    this.present[this.count] = 0;
    this.count++;
    this.nulls++;
  }

  append(value: string): void {
    if (this.count === this.ends.length) this.growRows();
    const length = value.length;
    if (this.used + length * 3 > this.bytes.length) this.growBytes(length * 3);
    const bytes = this.bytes;
    let at = this.used;
    let i = 0;
    for (; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code > 127) break;
      bytes[at + i] = code;
    }
    at += i < length ? bytes.write(value, at, "utf8") : length;
    this.used = at;
    this.ends[this.count] = at;
    this.present[this.count] = 1;
    this.count++;
  }

  /**
   * Room for a value of at most `maxBytes`, written straight into `bytes` from the returned offset; `commit`
   * with the offset after it makes it the next value.
   */
  reserve(maxBytes: number): number {
    if (this.count === this.ends.length) this.growRows();
    if (this.used + maxBytes > this.bytes.length) this.growBytes(maxBytes);
    return this.used;
  }

  commit(end: number): void {
    this.used = end;
    this.ends[this.count] = end;
    this.present[this.count] = 1;
    this.count++;
  }

  /** Appends src[start, end) as one value (already UTF-8): a short copy in JS beats a native call. */
  appendCopy(src: Uint8Array, start: number, end: number): void {
    let at = this.reserve(end - start);
    const bytes = this.bytes;
    for (let i = start; i < end; i++) bytes[at++] = src[i]!;
    this.commit(at);
  }

  /** Appends bytes[start, end) as one value (already UTF-8). */
  appendBytes(bytes: Buffer, start: number, end: number): void {
    if (this.count === this.ends.length) this.growRows();
    const length = end - start;
    if (this.used + length > this.bytes.length) this.growBytes(length);
    bytes.copy(this.bytes, this.used, start, end);
    this.used += length;
    this.ends[this.count] = this.used;
    this.present[this.count] = 1;
    this.count++;
  }

  /** Drops the values after the first `rows` (a row that turned out to be dropped). */
  truncate(rows: number): void {
    for (let i = rows; i < this.count; i++) if (this.present[i] === 0) this.nulls--;
    this.count = rows;
    this.used = rows === 0 ? 0 : this.ends[rows - 1]!;
  }

  start(index: number): number {
    return index === 0 ? 0 : this.ends[index - 1]!;
  }

  private growRows(): void {
    const ends = new Uint32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
    const present = new Uint8Array(this.present.length * 2);
    present.set(this.present);
    this.present = present;
  }

  private growBytes(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + extra));
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }
}
