// Batch SHA-256 → Parquet PLAIN BYTE_ARRAY values (u32 length 64 + lowercase hex), in one call per
// column chunk. Node's per-call crypto.hash tops out near 2M hashes/s per core; here the per-value cost is
// OpenSSL's SHA256 (SHA-NI where the CPU has it) plus hex encoding. Output equals node:crypto's.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <node_api.h>

#include "napi_args.h"
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

static const char HEX[] = "0123456789abcdef";

// Lowercase hex of a digest, two characters per byte from a 256-entry table.
static uint16_t HEX_PAIRS[256];

static void init_hex_pairs(void) {
  for (int b = 0; b < 256; b++) {
    unsigned char pair[2] = {(unsigned char)HEX[b >> 4], (unsigned char)HEX[b & 15]};
    memcpy(&HEX_PAIRS[b], pair, 2);
  }
}

static void write_hex(const unsigned char digest[32], unsigned char *out) {
  for (int b = 0; b < 32; b++) memcpy(out + 2 * b, &HEX_PAIRS[digest[b]], 2);
}

// ---- SHA-256 with the x86 SHA extensions (SHA-NI), used when the CPU has them ------------------------
// One call per value through OpenSSL's SHA256_Init/Update/Final costs ~110 ns for a short value; the
// compression function straight on SHA-NI with the padding done here costs less than half of that.
// Values are hashed whole (full blocks, then one or two padded blocks). Where the CPU lacks SHA-NI (or
// this is not x86-64) OpenSSL does the work; both give the same digest (parquet.test.ts checks it).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHANI_CODE 1

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// Four rounds: the schedule words m (W[t..t+3]) plus their constants, two sha256rnds2 of two rounds each.
#define ROUNDS4(m, g)                                                                  \
  do {                                                                                 \
    __m128i k_ = _mm_add_epi32((m), _mm_loadu_si128((const __m128i *)(K256 + 4 * (g)))); \
    s1 = _mm_sha256rnds2_epu32(s1, s0, k_);                                            \
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k_, 0x0e));                   \
  } while (0)
// W[t..t+3] into a (which held W[t-16..t-13]): msg1 adds σ0, alignr brings W[t-7..t-4], msg2 adds σ1.
#define SCHEDULE(a, b, c, d) \
  a = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(a, b), _mm_alignr_epi8(d, c, 4)), d)

// state: the eight working words in the ABEF/CDGH layout sha256rnds2 wants; blocks: n × 64 bytes.
__attribute__((target("sha,sse4.1,ssse3"))) static void shani_blocks(__m128i *abef, __m128i *cdgh,
                                                                       const unsigned char *blocks, size_t n) {
  const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i s0 = *abef, s1 = *cdgh;
  for (size_t b = 0; b < n; b++) {
    const unsigned char *p = blocks + 64 * b;
    const __m128i save0 = s0, save1 = s1;
    __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), swap);
    __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), swap);
    __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), swap);
    __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), swap);
    ROUNDS4(w0, 0);
    ROUNDS4(w1, 1);
    ROUNDS4(w2, 2);
    ROUNDS4(w3, 3);
    for (int g = 4; g < 16; g += 4) {
      SCHEDULE(w0, w1, w2, w3);
      ROUNDS4(w0, g);
      SCHEDULE(w1, w2, w3, w0);
      ROUNDS4(w1, g + 1);
      SCHEDULE(w2, w3, w0, w1);
      ROUNDS4(w2, g + 2);
      SCHEDULE(w3, w0, w1, w2);
      ROUNDS4(w3, g + 3);
    }
    s0 = _mm_add_epi32(s0, save0);
    s1 = _mm_add_epi32(s1, save1);
  }
  *abef = s0;
  *cdgh = s1;
}

static void state_digest(__m128i abef, __m128i cdgh, unsigned char digest[32]);

__attribute__((target("sha,sse4.1,ssse3"))) static void shani_sha256(const unsigned char *in, size_t len,
                                                                      unsigned char digest[32]) {
  // H0 = 6a09e667 bb67ae85 3c6ef372 a54ff53a 510e527f 9b05688c 1f83d9ab 5be0cd19 as ABEF / CDGH.
  __m128i abef = _mm_set_epi32(0x6a09e667, 0xbb67ae85, 0x510e527f, 0x9b05688c);
  __m128i cdgh = _mm_set_epi32(0x3c6ef372, 0xa54ff53a, 0x1f83d9ab, 0x5be0cd19);
  size_t full = len / 64;
  shani_blocks(&abef, &cdgh, in, full);
  unsigned char tail[128];
  size_t rest = len - 64 * full;
  memcpy(tail, in + 64 * full, rest);
  tail[rest] = 0x80;
  size_t tail_len = rest < 56 ? 64 : 128;
  memset(tail + rest + 1, 0, tail_len - rest - 1);
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) tail[tail_len - 1 - i] = (unsigned char)(bits >> (8 * i));
  shani_blocks(&abef, &cdgh, tail, tail_len / 64);
  state_digest(abef, cdgh, digest);
}

// ABEF/CDGH back to A..H, big-endian.
static void state_digest(__m128i abef, __m128i cdgh, unsigned char digest[32]) {
  uint32_t a[4], c[4];
  _mm_storeu_si128((__m128i *)a, abef);
  _mm_storeu_si128((__m128i *)c, cdgh);
  const uint32_t h[8] = {a[3], a[2], c[3], c[2], a[1], a[0], c[1], c[0]};
  for (int i = 0; i < 8; i++) {
    digest[4 * i] = (unsigned char)(h[i] >> 24);
    digest[4 * i + 1] = (unsigned char)(h[i] >> 16);
    digest[4 * i + 2] = (unsigned char)(h[i] >> 8);
    digest[4 * i + 3] = (unsigned char)h[i];
  }
}

// Two single-block messages at once: sha256rnds2 is slow to give its result but quick to take the next
// one, so two independent chains run in about the time of one. Each block is already padded.
#define ROUNDS4X2(ma, mb, g)                                                              \
  do {                                                                                    \
    const __m128i kk_ = _mm_loadu_si128((const __m128i *)(K256 + 4 * (g)));              \
    __m128i ka_ = _mm_add_epi32((ma), kk_), kb_ = _mm_add_epi32((mb), kk_);               \
    a1 = _mm_sha256rnds2_epu32(a1, a0, ka_);                                              \
    b1 = _mm_sha256rnds2_epu32(b1, b0, kb_);                                              \
    a0 = _mm_sha256rnds2_epu32(a0, a1, _mm_shuffle_epi32(ka_, 0x0e));                     \
    b0 = _mm_sha256rnds2_epu32(b0, b1, _mm_shuffle_epi32(kb_, 0x0e));                     \
  } while (0)

__attribute__((target("sha,sse4.1,ssse3"))) static void shani_block_x2(const unsigned char *pa,
                                                                         const unsigned char *pb,
                                                                         __m128i out[4]) {
  const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  const __m128i h0 = _mm_set_epi32(0x6a09e667, 0xbb67ae85, 0x510e527f, 0x9b05688c);
  const __m128i h1 = _mm_set_epi32(0x3c6ef372, 0xa54ff53a, 0x1f83d9ab, 0x5be0cd19);
  __m128i a0 = h0, a1 = h1, b0 = h0, b1 = h1;
  __m128i x0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)pa), swap);
  __m128i x1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pa + 16)), swap);
  __m128i x2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pa + 32)), swap);
  __m128i x3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pa + 48)), swap);
  __m128i y0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)pb), swap);
  __m128i y1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pb + 16)), swap);
  __m128i y2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pb + 32)), swap);
  __m128i y3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pb + 48)), swap);
  ROUNDS4X2(x0, y0, 0);
  ROUNDS4X2(x1, y1, 1);
  ROUNDS4X2(x2, y2, 2);
  ROUNDS4X2(x3, y3, 3);
  for (int g = 4; g < 16; g += 4) {
    SCHEDULE(x0, x1, x2, x3);
    SCHEDULE(y0, y1, y2, y3);
    ROUNDS4X2(x0, y0, g);
    SCHEDULE(x1, x2, x3, x0);
    SCHEDULE(y1, y2, y3, y0);
    ROUNDS4X2(x1, y1, g + 1);
    SCHEDULE(x2, x3, x0, x1);
    SCHEDULE(y2, y3, y0, y1);
    ROUNDS4X2(x2, y2, g + 2);
    SCHEDULE(x3, x0, x1, x2);
    SCHEDULE(y3, y0, y1, y2);
    ROUNDS4X2(x3, y3, g + 3);
  }
  out[0] = _mm_add_epi32(a0, h0);
  out[1] = _mm_add_epi32(a1, h1);
  out[2] = _mm_add_epi32(b0, h0);
  out[3] = _mm_add_epi32(b1, h1);
}

// One message of at most 55 bytes as its single padded block.
static void pad_block(const unsigned char *in, size_t len, unsigned char block[64]) {
  memcpy(block, in, len);
  block[len] = 0x80;
  memset(block + len + 1, 0, 63 - len);
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) block[63 - i] = (unsigned char)(bits >> (8 * i));
}

static int cpu_has_shani(void) {
  unsigned int eax, ebx, ecx, edx;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
  int sha = (ebx >> 29) & 1;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  int sse41 = (ecx >> 19) & 1, ssse3 = (ecx >> 9) & 1;
  return sha && sse41 && ssse3;
}
#endif

static int use_shani = 0;

static void sha256(const unsigned char *in, size_t len, unsigned char digest[32]) {
#ifdef HAVE_SHANI_CODE
  if (use_shani) {
    shani_sha256(in, len, digest);
    return;
  }
#endif
  // The low-level calls, not SHA256(): in OpenSSL 3 that one fetches the EVP algorithm on every call.
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, in, len);
  SHA256_Final(digest, &ctx);
}

static int is_lower_hex64(const unsigned char *p, size_t n) {
  if (n != 64) return 0;
  for (size_t i = 0; i < 64; i++) {
    unsigned char c = p[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
  }
  return 1;
}

// sha256HexPlain(input: Buffer, ends: Uint32Array, present: Uint8Array, count, out: Buffer, at): number
// Value i spans input[ends[i-1], ends[i]) (from 0 for i = 0); values with present[i] == 0 are skipped.
static napi_value sha256_hex_plain(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!call_args(env, info, 6, argv)) return fail(env, "6 arguments expected");
  unsigned char *in;
  size_t in_len;
  if (napi_get_buffer_info(env, argv[0], (void **)&in, &in_len) != napi_ok) return fail(env, "input must be a Buffer");
  napi_typedarray_type type;
  size_t ends_len, present_len, byte_offset;
  uint32_t *ends;
  uint8_t *present;
  napi_value arraybuffer;
  if (napi_get_typedarray_info(env, argv[1], &type, &ends_len, (void **)&ends, &arraybuffer, &byte_offset) != napi_ok ||
      type != napi_uint32_array)
    return fail(env, "ends must be a Uint32Array");
  if (napi_get_typedarray_info(env, argv[2], &type, &present_len, (void **)&present, &arraybuffer, &byte_offset) != napi_ok ||
      type != napi_uint8_array)
    return fail(env, "present must be a Uint8Array");
  uint32_t count, at;
  if (napi_get_value_uint32(env, argv[3], &count) != napi_ok) return fail(env, "count must be a number");
  unsigned char *out;
  size_t out_len;
  if (napi_get_buffer_info(env, argv[4], (void **)&out, &out_len) != napi_ok) return fail(env, "out must be a Buffer");
  if (napi_get_value_uint32(env, argv[5], &at) != napi_ok) return fail(env, "at must be a number");
  if (ends_len < count || present_len < count) return fail(env, "ends/present shorter than count");
  size_t values = 0;
  for (uint32_t i = 0; i < count; i++) values += present[i] ? 1 : 0;
  if ((size_t)at + values * 68 > out_len) return fail(env, "out too small");

  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned char *p = out + at;
#ifdef HAVE_SHANI_CODE
  // A short value waits for the next one so that the two are hashed together (shani_block_x2).
  unsigned char waiting_block[64], block[64];
  unsigned char *waiting_out = NULL;
#endif
  uint32_t start = 0;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t end = ends[i];
    if (start > end || end > in_len) return fail(env, "ends out of range");
    if (present[i]) {
      const unsigned char *value = in + start;
      size_t len = end - start;
      p[0] = 64;
      p[1] = p[2] = p[3] = 0;
      if (is_lower_hex64(value, len)) {
        memcpy(p + 4, value, 64);
      }
#ifdef HAVE_SHANI_CODE
      else if (use_shani && len <= 55) {
        if (waiting_out == NULL) {
          pad_block(value, len, waiting_block);
          waiting_out = p + 4;
        } else {
          pad_block(value, len, block);
          __m128i states[4];
          shani_block_x2(waiting_block, block, states);
          state_digest(states[0], states[1], digest);
          write_hex(digest, waiting_out);
          state_digest(states[2], states[3], digest);
          write_hex(digest, p + 4);
          waiting_out = NULL;
        }
      }
#endif
      else {
        sha256(value, len, digest);
        write_hex(digest, p + 4);
      }
      p += 68;
    }
    start = end;
  }
#ifdef HAVE_SHANI_CODE
  if (waiting_out != NULL) {
    __m128i abef = _mm_set_epi32(0x6a09e667, 0xbb67ae85, 0x510e527f, 0x9b05688c);
    __m128i cdgh = _mm_set_epi32(0x3c6ef372, 0xa54ff53a, 0x1f83d9ab, 0x5be0cd19);
    shani_blocks(&abef, &cdgh, waiting_block, 1);
    state_digest(abef, cdgh, digest);
    write_hex(digest, waiting_out);
  }
#endif
  napi_value result;
  napi_create_uint32(env, (uint32_t)(p - out), &result);
  return result;
}

// setShaNi(on): SHA-NI on (when the CPU has it) or off; returns whether it is in use. Tests compare both.
static napi_value set_shani(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  bool on = true;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= 1) napi_get_value_bool(env, argv[0], &on);
#ifdef HAVE_SHANI_CODE
  use_shani = on && cpu_has_shani();
#endif
  napi_value result;
  napi_get_boolean(env, use_shani != 0, &result);
  return result;
}

// copyWithin(buffer, target, start, end): memmove. Buffer#copyWithin on memory shared between threads
// copies with relaxed atomics, several times slower than memmove for the multi-MB moves of a row group.
static napi_value copy_within(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!call_args(env, info, 4, argv)) return fail(env, "4 arguments expected");
  unsigned char *data;
  size_t length;
  uint32_t range[3];
  if (napi_get_buffer_info(env, argv[0], (void **)&data, &length) != napi_ok) return fail(env, "buffer must be a Buffer");
  if (!uint32_args(env, argv, 1, 3, range)) return fail(env, "target, start and end must be numbers");
  const uint32_t target = range[0], start = range[1], end = range[2];
  if (start > end || end > length || target > length - (end - start)) return fail(env, "range out of bounds");
  memmove(data + target, data + start, end - start);
  return NULL;
}

void register_sha256(napi_env env, napi_value exports) {
  init_hex_pairs();
#ifdef HAVE_SHANI_CODE
  use_shani = cpu_has_shani();
#endif
  napi_value fn;
  napi_create_function(env, "setShaNi", NAPI_AUTO_LENGTH, set_shani, NULL, &fn);
  napi_set_named_property(env, exports, "setShaNi", fn);
  napi_create_function(env, "sha256HexPlain", NAPI_AUTO_LENGTH, sha256_hex_plain, NULL, &fn);
  napi_set_named_property(env, exports, "sha256HexPlain", fn);
  napi_create_function(env, "copyWithin", NAPI_AUTO_LENGTH, copy_within, NULL, &fn);
  napi_set_named_property(env, exports, "copyWithin", fn);
}
