// CSV field ranges straight from the bytes: the C twin of scanCsv in src/prepare/2-chunks/scan.ts, record for
// record the same answers (csv-paths.test.ts compares the two), a few times faster than the JS loop.
#include <node_api.h>

#include "napi_args.h"
#include <stdint.h>
#include <string.h>

#define FIELD_NON_ASCII 1
#define FIELD_ESCAPED 2
#define QUOTE 34
#define LF 10
#define CR 13

// scanCsvBatch(bytes, delimiter, capacity, maxRecords, starts, ends, flags, counts, rows, state): number
// state (Int32Array): [0] position to go on from, [1] row number of the record there, [2] set to 1 when
// the scan stopped at a record it leaves to the text parser (position = that record's start), [3] set to
// 1 when it reached the end of the bytes. Record r's fields are at [r * capacity, r * capacity + count).
// Returns how many records it emitted (at most maxRecords).
static napi_value scan_csv_batch(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  if (!call_args(env, info, 10, argv)) return fail(env, "10 arguments expected");
  const unsigned char *bytes;
  size_t n;
  if (napi_get_buffer_info(env, argv[0], (void **)&bytes, &n) != napi_ok) return fail(env, "bytes must be a Buffer");
  uint32_t numbers[3];
  if (!uint32_args(env, argv, 1, 3, numbers) || numbers[1] == 0)
    return fail(env, "delimiter, capacity and maxRecords must be numbers (capacity > 0)");
  const uint32_t delimiter = numbers[0], capacity = numbers[1], max_records = numbers[2];
  int32_t *starts, *ends, *counts, *rows, *state;
  uint8_t *flags;
  size_t starts_len, ends_len, flags_len, counts_len, rows_len, state_len;
  if (!typed_array(env, argv[4], napi_int32_array, (void **)&starts, &starts_len) ||
      !typed_array(env, argv[5], napi_int32_array, (void **)&ends, &ends_len) ||
      !typed_array(env, argv[6], napi_uint8_array, (void **)&flags, &flags_len) ||
      !typed_array(env, argv[7], napi_int32_array, (void **)&counts, &counts_len) ||
      !typed_array(env, argv[8], napi_int32_array, (void **)&rows, &rows_len) ||
      !typed_array(env, argv[9], napi_int32_array, (void **)&state, &state_len))
    return fail(env, "starts/ends/counts/rows/state must be Int32Arrays and flags a Uint8Array");
  size_t cells = (size_t)capacity * max_records;
  if (starts_len < cells || ends_len < cells || flags_len < cells || counts_len < max_records || rows_len < max_records ||
      state_len < 4 || n > INT32_MAX)
    return fail(env, "arrays too short for capacity × maxRecords");

  size_t i = (size_t)state[0];
  int32_t row = state[1];
  uint32_t emitted = 0;
  state[2] = 0;
  state[3] = 0;
  while (i < n && emitted < max_records) {
    const size_t record_start = i;
    size_t base = (size_t)emitted * capacity;
    uint32_t f = 0;
    int quoted = 0;
    unsigned char c;
    for (;;) {
      size_t start, end;
      unsigned high = 0, flag = 0;
      c = i < n ? bytes[i] : LF;
      if (i < n && c == QUOTE) {
        quoted = 1;
        start = ++i;
        for (;;) {
          if (i >= n) goto irregular;
          c = bytes[i];
          if (c == QUOTE) {
            if (i + 1 >= n || bytes[i + 1] != QUOTE) break;
            flag = FIELD_ESCAPED;
            i += 2;
            continue;
          }
          high |= c;
          i++;
        }
        end = i++;
        if (i >= n)
          c = LF;
        else {
          c = bytes[i];
          if (c == CR && (i + 1 >= n || bytes[i + 1] == LF)) {
            i++;
            c = LF;
          }
          if (c != delimiter && c != LF) goto irregular;
        }
      } else {
        start = i;
        while (i < n && c != delimiter && c != LF) {
          high |= c;
          i++;
          c = i < n ? bytes[i] : LF;
        }
        end = i;
        if (i >= n) c = LF;
        if (c == LF && end > start && bytes[end - 1] == CR) end--;
      }
      if (f < capacity) {
        starts[base + f] = (int32_t)start;
        ends[base + f] = (int32_t)end;
        flags[base + f] = (uint8_t)((high & 0x80) ? (flag | FIELD_NON_ASCII) : flag);
      }
      f++;
      i++;
      if (c == LF) break;
    }
    // An empty line (or a lone CR) is no record; it still has a row number.
    if (f > 1 || quoted || ends[base] > starts[base]) {
      counts[emitted] = (int32_t)f;
      rows[emitted] = row;
      emitted++;
    }
    row++;
    continue;
  irregular:
    i = record_start;
    state[2] = 1;
    break;
  }
  if (i >= n && state[2] == 0) state[3] = 1;
  state[0] = (int32_t)(i > n ? n : i);
  state[1] = row;
  napi_value result;
  napi_create_uint32(env, emitted, &result);
  return result;
}

// countByte(buffer, byte, start, end): how many times `byte` occurs in buffer[start, end). The chunker's quote
// parity; a plain loop the compiler vectorizes.
static napi_value count_byte(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!call_args(env, info, 4, argv)) return fail(env, "4 arguments expected");
  const unsigned char *bytes;
  size_t n;
  uint32_t numbers[3];
  if (napi_get_buffer_info(env, argv[0], (void **)&bytes, &n) != napi_ok) return fail(env, "buffer must be a Buffer");
  if (!uint32_args(env, argv, 1, 3, numbers) || numbers[0] > 255 || numbers[1] > numbers[2] || numbers[2] > n)
    return fail(env, "byte, start and end must be numbers within the buffer");
  const unsigned char byte = (unsigned char)numbers[0];
  uint32_t count = 0;
  for (size_t i = numbers[1]; i < numbers[2]; i++) count += bytes[i] == byte;
  napi_value result;
  napi_create_uint32(env, count, &result);
  return result;
}

void register_csv_scan(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "countByte", NAPI_AUTO_LENGTH, count_byte, NULL, &fn);
  napi_set_named_property(env, exports, "countByte", fn);
  napi_create_function(env, "scanCsvBatch", NAPI_AUTO_LENGTH, scan_csv_batch, NULL, &fn);
  napi_set_named_property(env, exports, "scanCsvBatch", fn);
}
