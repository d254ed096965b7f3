// The Thrift compact protocol, only as much as Parquet's metadata needs: structs of i32, i64, binary,
// lists and nested structs (https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md).
const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

export class CompactWriter {
  private bytes: number[] = [];
  private lastField: number[] = [0];

  fieldI32(id: number, value: number): this {
    this.header(id, I32);
    this.varint(zigzag32(value));
    return this;
  }

  fieldI64(id: number, value: number): this {
    this.header(id, I64);
    this.varintBig(zigzag64(BigInt(value)));
    return this;
  }

  fieldString(id: number, value: string): this {
    this.header(id, BINARY);
    this.binary(value);
    return this;
  }

  fieldStruct(id: number, write: (w: this) => void): this {
    this.header(id, STRUCT);
    this.struct(write);
    return this;
  }

  fieldListI32(id: number, values: number[]): this {
    this.header(id, LIST);
    this.listHeader(values.length, I32);
    for (const value of values) this.varint(zigzag32(value));
    return this;
  }

  fieldListString(id: number, values: string[]): this {
    this.header(id, LIST);
    this.listHeader(values.length, BINARY);
    for (const value of values) this.binary(value);
    return this;
  }

  fieldListStruct<T>(id: number, items: T[], write: (w: this, item: T) => void): this {
    this.header(id, LIST);
    this.listHeader(items.length, STRUCT);
    for (const item of items) this.struct((w) => write(w, item));
    return this;
  }

  /** A top-level struct: the fields written by `write`, then STOP. */
  struct(write: (w: this) => void): this {
    this.lastField.push(0);
    write(this);
    this.bytes.push(0);
    this.lastField.pop();
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }

  private header(id: number, type: number): void {
    const last = this.lastField[this.lastField.length - 1]!;
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.bytes.push((delta << 4) | type);
    else {
      this.bytes.push(type);
      this.varint(zigzag32(id));
    }
    this.lastField[this.lastField.length - 1] = id;
  }

  private listHeader(size: number, type: number): void {
    if (size < 15) this.bytes.push((size << 4) | type);
    else {
      this.bytes.push(0xf0 | type);
      this.varint(size);
    }
  }

  private binary(value: string): void {
    const data = Buffer.from(value, "utf8");
    this.varint(data.length);
    for (const byte of data) this.bytes.push(byte);
  }

  private varint(value: number): void {
    let v = value >>> 0;
    while (v >= 0x80) {
      this.bytes.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.bytes.push(v);
  }

  private varintBig(value: bigint): void {
    let v = value;
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }
}

function zigzag32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

function zigzag64(n: bigint): bigint {
  return n >= 0n ? n << 1n : (-n << 1n) - 1n;
}
