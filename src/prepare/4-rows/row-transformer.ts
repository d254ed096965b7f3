import { trimAscii, trimAsciiEnd } from "../../normalize/index.ts";
import type { FieldOffsets } from "../2-chunks/scan.ts";
import type { StringColumn } from "../6-parquet/string-column.ts";
import { FieldFastPathTransformer, fieldText } from "./field-fast-paths.ts";
import { RaggedRowError } from "./string-path.ts";

/**
 * The byte path: records as byte ranges of the chunk (scan.ts), never decoded as a whole. The output is
 * byte for byte what the string path (`push`, string-path.ts) makes of the same records as strings
 * (csv-paths.test.ts and row-transformer.test.ts check it); each field takes its cheapest way in
 * (field-fast-paths.ts).
 */
export class RowTransformer extends FieldFastPathTransformer {
  /** A native scan batch is about to be pushed record by record: normalize its native columns at once. */
  beginBatch(src: Buffer, fields: FieldOffsets, records: number): void {
    if (!this.nativeColumns) return;
    this.flushPending(); // the previous batch's values leave the native buffers before run() overwrites them
    this.nativeColumns.run(src, fields, records);
    this.nativeReady = true;
  }

  /**
   * A whole native scan batch column by column, when it is regular: every record has the header's field
   * count and an unquoted ASCII id (or none), and every row is in the plan's country. First the rows with an
   * id are decided, then each identity column is appended in one loop over them, then the ids. False (and
   * nothing done) when the batch is not regular: then its records go to `pushRecord` one by one.
   */
  pushBatch(src: Buffer, fields: FieldOffsets, records: number): boolean {
    const plan = this.plan;
    const { starts, ends, flags, counts, rows, capacity } = fields;
    const idField = plan.idIndex;
    for (let k = 0; k < records; k++) {
      if (counts[k] !== plan.fieldCount || flags[k * capacity + idField] !== 0) return false;
    }
    if (plan.countryIndex >= 0) {
      for (let k = 0; k < records; k++) {
        fields.record = k;
        const country = this.countryOf(src, fields, k * capacity + plan.countryIndex) ?? plan.country;
        if (country !== plan.country) return false;
      }
    }
    // The rows with an id, and their ids' trimmed ranges.
    if (this.kept.length < records) {
      this.kept = new Int32Array(records);
      this.idStarts = new Int32Array(records);
      this.idEnds = new Int32Array(records);
      this.any = new Uint8Array(records);
    }
    const { kept, idStarts, idEnds, any } = this;
    const stats = this.stats;
    let n = 0;
    for (let k = 0; k < records; k++) {
      stats.rowsIn++;
      const cell = k * capacity + idField;
      const idStart = trimAscii(src, starts[cell]!, ends[cell]!);
      const idEnd = trimAsciiEnd(src, idStart, ends[cell]!);
      if (idStart === idEnd) {
        this.countMissingId(rows[k]!);
        continue;
      }
      this.countCountry(plan.country);
      kept[n] = k;
      idStarts[n] = idStart;
      idEnds[n] = idEnd;
      n++;
    }
    // Each identity column over the kept rows; `any` marks the rows that got a value other than a country.
    any.fill(0, 0, n);
    const identity = plan.identity;
    const first = this.columns[0]!.count;
    const counted = this.countsBefore();
    for (let c = 0; c < identity.length; c++) {
      const source = this.single[c]!;
      const marks = c !== this.countryColumn;
      if (source >= 0) {
        this.appendColumn(c, src, fields, source, kept, n, any, marks);
        continue;
      }
      for (let i = 0; i < n; i++) {
        const k = kept[i]!;
        const joined = joinFieldParts(src, fields, k * capacity, identity[c]!.sources);
        if (this.appendValue(c, this.value(c, joined, plan.country)) && marks) any[i] = 1;
      }
    }
    let all = true;
    for (let i = 0; i < n && all; i++) all = any[i] === 1;
    const ids = this.columns[0] as StringColumn;
    if (all) {
      for (let i = 0; i < n; i++) {
        ids.appendCopy(src, idStarts[i]!, idEnds[i]!);
        this.checkIdOrder();
      }
      return true;
    }
    // A row without identity values (rare): undo the columns and their counts, and append the kept rows
    // again one by one, dropping that row as pushRecord does. The dictionaries keep what the first pass
    // added, in the same order as this pass adds it.
    this.flushPending();
    for (let c = 1; c < this.columns.length; c++) this.columns[c]!.truncate(first);
    this.restoreCounts(counted);
    for (let i = 0; i < n; i++) {
      const k = kept[i]!;
      fields.record = k;
      const start = ids.count;
      let present = false;
      for (let c = 0; c < identity.length; c++) {
        const source = this.single[c]!;
        const value =
          source >= 0
            ? this.appendField(c, src, fields, k * capacity + source, plan.country)
            : this.appendValue(
                c,
                this.value(c, joinFieldParts(src, fields, k * capacity, identity[c]!.sources), plan.country),
              );
        if (value && c !== this.countryColumn) present = true;
      }
      if (!present) {
        this.dropIdentityValues(start);
        continue;
      }
      ids.appendCopy(src, idStarts[i]!, idEnds[i]!);
      this.checkIdOrder();
    }
    return true;
  }

  private kept = new Int32Array(0);
  private idStarts = new Int32Array(0);
  private idEnds = new Int32Array(0);
  private any = new Uint8Array(0);

  /** A copy of the per-column counts, to undo a batch's with `restoreCounts`. */
  private countsBefore(): number[][] {
    const { filled, empty, invalid, preHashed } = this.stats;
    return [filled.slice(), empty.slice(), invalid.slice(), preHashed.slice()];
  }

  private restoreCounts([filled, empty, invalid, preHashed]: number[][]): void {
    const stats = this.stats;
    stats.filled = filled!;
    stats.empty = empty!;
    stats.invalid = invalid!;
    stats.preHashed = preHashed!;
  }

  /** One record; `row` numbers it for counts and errors. */
  pushRecord(src: Buffer, fields: FieldOffsets, row: number): void {
    const plan = this.plan;
    const base = fields.base;
    if (fields.count !== plan.fieldCount) {
      if (fields.count === 1 && fields.ends[base] === fields.starts[base]) return; // a quoted empty line
      throw new RaggedRowError(row, plan.fieldCount, fields.count);
    }
    this.stats.rowsIn++;
    const idIndex = base + plan.idIndex;
    let idStart = fields.starts[idIndex]!;
    let idEnd = fields.ends[idIndex]!;
    let idText: string | null = null;
    if (fields.flags[idIndex] === 0) {
      idStart = trimAscii(src, idStart, idEnd);
      idEnd = trimAsciiEnd(src, idStart, idEnd);
    } else idText = fieldText(src, fields, idIndex).trim();
    if (idText === null ? idStart === idEnd : idText.length === 0) {
      this.countMissingId(row);
      return;
    }
    let country = plan.country;
    if (plan.countryIndex >= 0) country = this.countryOf(src, fields, base + plan.countryIndex) ?? country;
    this.countCountry(country);
    const identity = plan.identity;
    const start = this.columns[0]!.count;
    let any = false;
    for (let c = 0; c < identity.length; c++) {
      const source = this.single[c]!;
      const present =
        source >= 0
          ? this.appendField(c, src, fields, base + source, country)
          : this.appendValue(
              c,
              this.value(c, joinFieldParts(src, fields, base, identity[c]!.sources), country),
            );
      // A country alone identifies nobody: such a row counts as having no identity values.
      if (present && c !== this.countryColumn) any = true;
    }
    if (!any) {
      this.dropIdentityValues(start);
      return;
    }
    const ids = this.columns[0] as StringColumn;
    if (idText === null) ids.appendCopy(src, idStart, idEnd);
    else ids.append(idText);
    this.checkIdOrder();
  }
}

function joinFieldParts(src: Buffer, fields: FieldOffsets, base: number, sources: number[]): string {
  let joined = "";
  for (const source of sources) {
    const part = fieldText(src, fields, base + source).trim();
    if (part) joined = joined.length === 0 ? part : `${joined} ${part}`;
  }
  return joined;
}
