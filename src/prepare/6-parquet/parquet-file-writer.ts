import { type FileHandle, open } from "node:fs/promises";
import type { EncodedRowGroup } from "./column-chunk.ts";
import { CompactWriter } from "./thrift-compact.ts";

const MAGIC = Buffer.from("PAR1");
const BYTE_ARRAY = 6;
const REQUIRED = 0;
const OPTIONAL = 1;
const UTF8 = 0;
const PLAIN = 0;
const RLE = 3;
const RLE_DICTIONARY = 8;
const UNCOMPRESSED = 0;

interface WrittenRowGroup {
  rows: number;
  bytes: number;
  columns: Array<{ offset: number; length: number; numValues: number; dictionaryLength?: number }>;
}

/** A Parquet file of string columns, written row group by row group (memory stays one row group). */
export class ParquetFileWriter {
  private position = MAGIC.length;
  private readonly rowGroups: WrittenRowGroup[] = [];
  private readonly pending = new Set<Promise<void>>();

  private constructor(
    private readonly file: FileHandle,
    private readonly columnNames: string[],
    private readonly required: boolean[],
  ) {}

  static async create(path: string, columnNames: string[], required: boolean[]): Promise<ParquetFileWriter> {
    const file = await open(path, "w");
    try {
      await file.write(MAGIC, 0, MAGIC.length, 0);
    } catch (error) {
      await file.close();
      throw error;
    }
    return new ParquetFileWriter(file, columnNames, required);
  }

  get rows(): number {
    return this.rowGroups.reduce((sum, group) => sum + group.rows, 0);
  }

  /**
   * Places the row group at the end of the file and starts writing it; the promise settles when its bytes
   * are written. Several writes may be in flight (positional writes), so the caller keeps computing
   * while the kernel copies — the footer waits for all of them.
   */
  write(group: EncodedRowGroup): Promise<void> {
    if (group.rows === 0) return Promise.resolve();
    const start = this.position;
    this.position += group.buffer.length;
    const written = this.file.write(group.buffer, 0, group.buffer.length, start).then(() => undefined);
    this.pending.add(written);
    written.then(
      () => this.pending.delete(written),
      () => this.pending.delete(written),
    );
    this.rowGroups.push({
      rows: group.rows,
      bytes: group.buffer.length,
      columns: group.columns.map((c) => ({
        offset: start + c.offset,
        length: c.length,
        numValues: c.numValues,
        dictionaryLength: c.dictionaryLength,
      })),
    });
    return written;
  }

  /** Writes the footer and closes the file. */
  async close(): Promise<void> {
    try {
      await Promise.all(this.pending);
      const footer = this.footer();
      const tail = Buffer.alloc(8);
      tail.writeUInt32LE(footer.length, 0);
      MAGIC.copy(tail, 4);
      await this.file.write(Buffer.concat([footer, tail]), 0, footer.length + 8, this.position);
    } finally {
      await this.file.close();
    }
  }

  /** Closes without a footer (the caller deletes the file). */
  async abort(): Promise<void> {
    await Promise.allSettled(this.pending);
    await this.file.close();
  }

  private footer(): Buffer {
    const names = this.columnNames;
    return new CompactWriter()
      .struct((w) =>
        w
          .fieldI32(1, 1)
          .fieldListStruct(2, [null, ...names.map((_, i) => i)], (s, index) => {
            if (index === null) {
              s.fieldString(4, "schema").fieldI32(5, names.length);
              return;
            }
            s.fieldI32(1, BYTE_ARRAY)
              .fieldI32(3, this.required[index] ? REQUIRED : OPTIONAL)
              .fieldString(4, names[index]!)
              .fieldI32(6, UTF8)
              .fieldStruct(10, (logical) => logical.fieldStruct(1, () => {}));
          })
          .fieldI64(3, this.rows)
          .fieldListStruct(4, this.rowGroups, (g, group) =>
            g
              .fieldListStruct(1, group.columns, (c, column) => {
                const index = group.columns.indexOf(column);
                const dictionary = column.dictionaryLength;
                c.fieldI64(2, column.offset).fieldStruct(3, (m) => {
                  m.fieldI32(1, BYTE_ARRAY)
                    .fieldListI32(2, dictionary === undefined ? [PLAIN, RLE] : [PLAIN, RLE, RLE_DICTIONARY])
                    .fieldListString(3, [names[index]!])
                    .fieldI32(4, UNCOMPRESSED)
                    .fieldI64(5, column.numValues)
                    .fieldI64(6, column.length)
                    .fieldI64(7, column.length)
                    .fieldI64(9, column.offset + (dictionary ?? 0));
                  if (dictionary !== undefined) m.fieldI64(11, column.offset);
                });
              })
              .fieldI64(2, group.bytes)
              .fieldI64(3, group.rows),
          )
          .fieldString(6, "idbridge prepare"),
      )
      .toBuffer();
  }
}
