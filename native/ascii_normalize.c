// The ASCII fast paths of src/normalize/ascii-bytes.ts in C, one column of a scanned batch of records per
// call: email, US/CA phone, all-digit postal codes, street addresses and third-party ids. Each answer is
// the bytes its JS twin writes, or "not mine" (the JS/string path decides); ascii-normalize.test.ts holds
// the two to the same output on generated values.
#include <node_api.h>

#include "napi_args.h"
#include <stdint.h>
#include <string.h>

#define KIND_EMAIL 1
#define KIND_PHONE_NANP 2
#define KIND_POSTAL_DIGITS 3
#define KIND_ADDRESS 4
#define KIND_LOWERCASE 5

// Per-record answers in `lengths`.
#define NOT_MINE -1
#define EMPTY -2
#define NO_FIELD -3

#define FNV_OFFSET 0x811c9dc5u
#define FNV_PRIME 0x01000193u

static int is_upper(unsigned c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(unsigned c) { return c >= 'a' && c <= 'z'; }
static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }
static int is_space(unsigned c) { return c == ' ' || (c >= 9 && c <= 13); }
static unsigned lower(unsigned c) { return is_upper(c) ? c | 32 : c; }

static unsigned char LOCAL_PART[128];

static void init_tables(void) {
  const char *atext = "abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~.-";
  for (const char *p = atext; *p; p++) LOCAL_PART[(unsigned char)*p] = 1;
}

// Each returns the bytes written at out, or -1.
static long email(const unsigned char *s, size_t n, unsigned char *out) {
  size_t i = 0, o = 0;
  for (; i < n; i++) {
    unsigned c = s[i];
    if (c == '@') break;
    c = lower(c);
    if (c >= 128 || !LOCAL_PART[c]) return -1;
    out[o++] = (unsigned char)c;
  }
  if (i == 0 || i == n) return -1;
  out[o++] = '@';
  size_t labels = 0, label = 0;
  int letters_only = 1;
  for (i++; i < n; i++) {
    unsigned c = lower(s[i]);
    if (c == '.') {
      if (label == 0) return -1;
      labels++;
      label = 0;
      letters_only = 1;
    } else if (is_lower(c))
      label++;
    else if (is_digit(c) || c == '-') {
      label++;
      letters_only = 0;
    } else
      return -1;
    out[o++] = (unsigned char)c;
  }
  return labels > 0 && label >= 2 && letters_only ? (long)o : -1;
}

static long phone_nanp(const unsigned char *s, size_t n, unsigned char *out) {
  unsigned char d[11];
  size_t digits = 0;
  int plus = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned c = s[i];
    if (is_digit(c)) {
      if (digits < 11) d[digits] = (unsigned char)c;
      digits++;
    } else if (c == '+')
      plus = 1;
    else if (!(c == ' ' || c == '(' || c == ')' || c == '-' || c == '.'))
      return -1;
  }
  size_t from;
  if (digits == 10 && !plus && d[0] >= '2')
    from = 0;
  else if (digits == 11 && d[0] == '1' && d[1] >= '2')
    from = 1;
  else
    return -1;
  out[0] = '1';
  memcpy(out + 1, d + from, 10);
  return 11;
}

static long postal_digits(const unsigned char *s, size_t n, size_t length, unsigned char *out) {
  size_t first = 0;
  while (first < n && !is_digit(s[first])) first++;
  if (first + length > n) return -1;
  for (size_t k = 0; k < length; k++) {
    if (!is_digit(s[first + k])) return -1;
    out[k] = s[first + k];
  }
  return (long)length;
}

struct word_table {
  const int32_t *slots;
  size_t mask;
  const int32_t *entries;
  const unsigned char *bytes;
};

static long address(const unsigned char *s, size_t n, const struct word_table *t, unsigned char *out) {
  const size_t limit = n + 16;
  size_t o = 0, i = 0;
  while (i < n) {
    unsigned c = lower(s[i]);
    if (!(is_lower(c) || is_digit(c))) {
      i++;
      continue;
    }
    const size_t token = i;
    uint32_t hash = FNV_OFFSET;
    while (i < n) {
      c = lower(s[i]);
      if (!(is_lower(c) || is_digit(c))) break;
      hash = (hash ^ c) * FNV_PRIME;
      i++;
    }
    const size_t length = i - token;
    long entry = -1;
    if (!is_digit(s[token])) {  // house numbers are never abbreviated
      for (size_t slot = hash & t->mask;; slot = (slot + 1) & t->mask) {
        int32_t e = t->slots[slot];
        if (e < 0) break;
        const int32_t *info = t->entries + 5 * (size_t)e;
        if ((uint32_t)info[0] != hash || (size_t)(info[2] - info[1]) != length) continue;
        size_t k = 0;
        while (k < length && t->bytes[info[1] + k] == lower(s[token + k])) k++;
        if (k == length) {
          entry = e;
          break;
        }
      }
    }
    if (entry >= 0) {
      const int32_t *info = t->entries + 5 * (size_t)entry;
      size_t value = (size_t)(info[4] - info[3]);
      if (o + value > limit) return -1;
      memcpy(out + o, t->bytes + info[3], value);
      o += value;
    } else {
      if (o + length > limit) return -1;
      for (size_t k = 0; k < length; k++) out[o++] = (unsigned char)lower(s[token + k]);
    }
  }
  return o == 0 ? -1 : (long)o;
}

static long lowercase(const unsigned char *s, size_t n, unsigned char *out) {
  for (size_t i = 0; i < n; i++) out[i] = (unsigned char)lower(s[i]);
  return (long)n;
}

// normalizeAsciiColumn(kind, param, src, capacity, records, field, starts, ends, flags, counts, out, lengths,
//                      slots, entries, words): number
// For record r (0 <= r < records) the field is at r * capacity + field. lengths[r] gets the normalized
// length (its bytes follow the previous record's in out), NOT_MINE, EMPTY or NO_FIELD. param: digits of a
// postal code; for KIND_ADDRESS slots/entries/words are the AddressWordTable (other kinds: anything).
// Values of exactly 64 characters are NOT_MINE when the kind is hashed (they may be digests passing
// through). Returns the bytes written to out.
static napi_value normalize_ascii_column(napi_env env, napi_callback_info info) {
  napi_value argv[15];
  if (!call_args(env, info, 15, argv)) return fail(env, "15 arguments expected");
  uint32_t head[2], shape[3];
  if (!uint32_args(env, argv, 0, 2, head) || !uint32_args(env, argv, 3, 3, shape) || shape[2] >= shape[0])
    return fail(env, "kind, param, capacity, records and field must be numbers (field < capacity)");
  const uint32_t kind = head[0], param = head[1], capacity = shape[0], records = shape[1], field = shape[2];
  const unsigned char *src;
  size_t src_len;
  if (napi_get_buffer_info(env, argv[2], (void **)&src, &src_len) != napi_ok) return fail(env, "src must be a Buffer");
  int32_t *starts, *ends, *counts, *lengths;
  uint8_t *flags, *out;
  size_t starts_len, ends_len, flags_len, counts_len, out_len, lengths_len;
  if (!typed_array(env, argv[6], napi_int32_array, (void **)&starts, &starts_len) ||
      !typed_array(env, argv[7], napi_int32_array, (void **)&ends, &ends_len) ||
      !typed_array(env, argv[8], napi_uint8_array, (void **)&flags, &flags_len) ||
      !typed_array(env, argv[9], napi_int32_array, (void **)&counts, &counts_len) ||
      !typed_array(env, argv[10], napi_uint8_array, (void **)&out, &out_len) ||
      !typed_array(env, argv[11], napi_int32_array, (void **)&lengths, &lengths_len))
    return fail(env, "starts/ends/counts/lengths must be Int32Arrays, flags/out Uint8Arrays");
  if (starts_len < (size_t)capacity * records || ends_len < (size_t)capacity * records ||
      flags_len < (size_t)capacity * records || counts_len < records || lengths_len < records)
    return fail(env, "arrays shorter than the batch");
  struct word_table table = {0};
  if (kind == KIND_ADDRESS) {
    size_t slots_len, entries_len, words_len;
    if (!typed_array(env, argv[12], napi_int32_array, (void **)&table.slots, &slots_len) ||
        !typed_array(env, argv[13], napi_int32_array, (void **)&table.entries, &entries_len) ||
        !typed_array(env, argv[14], napi_uint8_array, (void **)&table.bytes, &words_len) || slots_len == 0 ||
        (slots_len & (slots_len - 1)) != 0)
      return fail(env, "the address word table must be Int32Array slots (a power of two), entries and Uint8Array words");
    table.mask = slots_len - 1;
    // Every entry must point inside the words.
    for (size_t e = 0; e + 5 <= entries_len; e += 5)
      if (table.entries[e + 1] < 0 || table.entries[e + 4] < table.entries[e + 3] || (size_t)table.entries[e + 4] > words_len ||
          table.entries[e + 2] < table.entries[e + 1] || (size_t)table.entries[e + 2] > words_len)
        return fail(env, "word table entry out of range");
    for (size_t s = 0; s < slots_len; s++)
      if (table.slots[s] >= 0 && (size_t)table.slots[s] * 5 + 5 > entries_len) return fail(env, "word table slot out of range");
  }
  const int hashed = kind != KIND_LOWERCASE;
  size_t o = 0;
  for (uint32_t r = 0; r < records; r++) {
    if ((uint32_t)counts[r] <= field) {
      lengths[r] = NO_FIELD;
      continue;
    }
    size_t i = (size_t)r * capacity + field;
    int32_t start = starts[i], end = ends[i];
    if (flags[i] != 0 || start < 0 || end < start || (size_t)end > src_len) {
      lengths[r] = NOT_MINE;
      continue;
    }
    while (start < end && is_space(src[start])) start++;
    while (end > start && is_space(src[end - 1])) end--;
    size_t n = (size_t)(end - start);
    if (n == 0) {
      lengths[r] = EMPTY;
      continue;
    }
    if ((hashed && n == 64) || o + n + 16 > out_len) {
      lengths[r] = NOT_MINE;
      continue;
    }
    const unsigned char *s = src + start;
    long written;
    switch (kind) {
      case KIND_EMAIL: written = email(s, n, out + o); break;
      case KIND_PHONE_NANP: written = phone_nanp(s, n, out + o); break;
      case KIND_POSTAL_DIGITS: written = param > 0 && param <= 16 ? postal_digits(s, n, param, out + o) : -1; break;
      case KIND_ADDRESS: written = address(s, n, &table, out + o); break;
      case KIND_LOWERCASE: written = lowercase(s, n, out + o); break;
      default: written = -1;
    }
    if (written < 0) {
      lengths[r] = NOT_MINE;
      continue;
    }
    lengths[r] = (int32_t)written;
    o += (size_t)written;
  }
  napi_value result;
  napi_create_uint32(env, (uint32_t)o, &result);
  return result;
}

void register_ascii_normalize(napi_env env, napi_value exports) {
  init_tables();
  napi_value fn;
  napi_create_function(env, "normalizeAsciiColumn", NAPI_AUTO_LENGTH, normalize_ascii_column, NULL, &fn);
  napi_set_named_property(env, exports, "normalizeAsciiColumn", fn);
}

// valueIds(src, capacity, records, field, starts, ends, flags, counts, slots, hashes, keyStarts, keyEnds,
//          arena, state, ids): undefined
// Numbers the distinct raw values of one column across batches (names, cities, states repeat): ids[r] is
// the entry of record r's field bytes in a table the caller keeps in typed arrays — slots (power of two,
// -1 = free), per entry its FNV-1a hash and key range in arena — or -1 for a record without the field or
// with "" escapes (the JS path). New values get the next entry number. state = [size, arena used,
// generation, max entries]: when a batch might not fit (entries or arena), the table starts over first
// and the generation goes up, so the caller drops what it kept per entry.
static napi_value value_ids(napi_env env, napi_callback_info info) {
  napi_value argv[15];
  if (!call_args(env, info, 15, argv)) return fail(env, "15 arguments expected");
  const unsigned char *src;
  size_t src_len;
  if (napi_get_buffer_info(env, argv[0], (void **)&src, &src_len) != napi_ok) return fail(env, "src must be a Buffer");
  uint32_t shape[3];
  if (!uint32_args(env, argv, 1, 3, shape) || shape[2] >= shape[0]) return fail(env, "capacity, records and field must be numbers (field < capacity)");
  const uint32_t capacity = shape[0], records = shape[1], field = shape[2];
  int32_t *starts, *ends, *counts, *slots, *hashes, *key_starts, *key_ends, *state, *ids;
  uint8_t *flags, *arena;
  size_t starts_len, ends_len, flags_len, counts_len, slots_len, hashes_len, key_starts_len, key_ends_len, arena_len, state_len,
      ids_len;
  if (!typed_array(env, argv[4], napi_int32_array, (void **)&starts, &starts_len) ||
      !typed_array(env, argv[5], napi_int32_array, (void **)&ends, &ends_len) ||
      !typed_array(env, argv[6], napi_uint8_array, (void **)&flags, &flags_len) ||
      !typed_array(env, argv[7], napi_int32_array, (void **)&counts, &counts_len) ||
      !typed_array(env, argv[8], napi_int32_array, (void **)&slots, &slots_len) ||
      !typed_array(env, argv[9], napi_int32_array, (void **)&hashes, &hashes_len) ||
      !typed_array(env, argv[10], napi_int32_array, (void **)&key_starts, &key_starts_len) ||
      !typed_array(env, argv[11], napi_int32_array, (void **)&key_ends, &key_ends_len) ||
      !typed_array(env, argv[12], napi_uint8_array, (void **)&arena, &arena_len) ||
      !typed_array(env, argv[13], napi_int32_array, (void **)&state, &state_len) ||
      !typed_array(env, argv[14], napi_int32_array, (void **)&ids, &ids_len))
    return fail(env, "the batch, the table and ids must be typed arrays");
  const size_t cells = (size_t)capacity * records;
  if (starts_len < cells || ends_len < cells || flags_len < cells || counts_len < records || ids_len < records || state_len < 4 ||
      slots_len == 0 || (slots_len & (slots_len - 1)) != 0)
    return fail(env, "arrays shorter than the batch, or slots not a power of two");
  const size_t max_entries = (size_t)state[3];
  if (max_entries > hashes_len || max_entries > key_starts_len || max_entries > key_ends_len || max_entries * 2 > slots_len ||
      records > max_entries)
    return fail(env, "the table holds fewer entries than state says");
  // Room for the whole batch, or start over: ids handed out in this batch must stay valid to its end.
  size_t batch_bytes = 0;
  for (uint32_t r = 0; r < records; r++) {
    size_t i = (size_t)r * capacity + field;
    if ((uint32_t)counts[r] > field && ends[i] >= starts[i] && starts[i] >= 0 && (size_t)ends[i] <= src_len)
      batch_bytes += (size_t)(ends[i] - starts[i]);
  }
  if (batch_bytes > arena_len) {
    for (uint32_t r = 0; r < records; r++) ids[r] = -1;
    return NULL;
  }
  if ((size_t)state[0] + records > max_entries || (size_t)state[1] + batch_bytes > arena_len) {
    for (size_t s = 0; s < slots_len; s++) slots[s] = -1;
    state[0] = 0;
    state[1] = 0;
    state[2]++;
  }
  const size_t mask = slots_len - 1;
  for (uint32_t r = 0; r < records; r++) {
    size_t i = (size_t)r * capacity + field;
    if ((uint32_t)counts[r] <= field || (flags[i] & 2) || starts[i] < 0 || ends[i] < starts[i] || (size_t)ends[i] > src_len) {
      ids[r] = -1;
      continue;
    }
    const unsigned char *key = src + starts[i];
    const size_t length = (size_t)(ends[i] - starts[i]);
    uint32_t hash = FNV_OFFSET;
    for (size_t k = 0; k < length; k++) hash = (hash ^ key[k]) * FNV_PRIME;
    size_t slot = hash & mask;
    int32_t found = -1;
    for (;; slot = (slot + 1) & mask) {
      int32_t e = slots[slot];
      if (e < 0) break;
      if ((uint32_t)hashes[e] == hash && (size_t)(key_ends[e] - key_starts[e]) == length &&
          memcmp(arena + key_starts[e], key, length) == 0) {
        found = e;
        break;
      }
    }
    if (found < 0) {
      found = state[0]++;
      hashes[found] = (int32_t)hash;
      key_starts[found] = state[1];
      memcpy(arena + state[1], key, length);
      state[1] += (int32_t)length;
      key_ends[found] = state[1];
      slots[slot] = found;
    }
    ids[r] = found;
  }
  return NULL;
}

void register_value_ids(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "valueIds", NAPI_AUTO_LENGTH, value_ids, NULL, &fn);
  napi_set_named_property(env, exports, "valueIds", fn);
}
