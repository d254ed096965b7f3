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
          : this.appendValue(c, this.value(c, joinFieldParts(src, fields, identity[c]!.sources), country));
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

function joinFieldParts(src: Buffer, fields: FieldOffsets, sources: number[]): string {
  let joined = "";
  for (const source of sources) {
    const part = fieldText(src, fields, fields.base + source).trim();
    if (part) joined = joined.length === 0 ? part : `${joined} ${part}`;
  }
  return joined;
}
