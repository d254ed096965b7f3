// Batch SHA-256 → Parquet PLAIN BYTE_ARRAY values (u32 length 64 + lowercase hex), in one call per
// column chunk. Node's per-call crypto.hash tops out near 2M hashes/s per core; here the per-value cost is
// OpenSSL's SHA256 (SHA-NI where the CPU has it) plus hex encoding. Output equals node:crypto's.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

static const char HEX[] = "0123456789abcdef";

static int is_lower_hex64(const unsigned char *p, size_t n) {
  if (n != 64) return 0;
  for (size_t i = 0; i < 64; i++) {
    unsigned char c = p[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
  }
  return 1;
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

// sha256HexPlain(input: Buffer, ends: Uint32Array, present: Uint8Array, count, out: Buffer, at): number
// Value i spans input[ends[i-1], ends[i]) (from 0 for i = 0); values with present[i] == 0 are skipped.
static napi_value sha256_hex_plain(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6) return fail(env, "6 arguments expected");
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
  SHA256_CTX ctx;
  unsigned char *p = out + at;
  uint32_t start = 0;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t end = ends[i];
    if (start > end || end > in_len) return fail(env, "ends out of range");
    if (present[i]) {
      p[0] = 64;
      p[1] = p[2] = p[3] = 0;
      if (is_lower_hex64(in + start, end - start)) {
        memcpy(p + 4, in + start, 64);
      } else {
        // The low-level calls, not SHA256(): in OpenSSL 3 that one fetches the EVP algorithm on every call.
        SHA256_Init(&ctx);
        SHA256_Update(&ctx, in + start, end - start);
        SHA256_Final(digest, &ctx);
        for (int b = 0; b < SHA256_DIGEST_LENGTH; b++) {
          p[4 + 2 * b] = HEX[digest[b] >> 4];
          p[5 + 2 * b] = HEX[digest[b] & 15];
        }
      }
      p += 68;
    }
    start = end;
  }
  napi_value result;
  napi_create_uint32(env, (uint32_t)(p - out), &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "sha256HexPlain", NAPI_AUTO_LENGTH, sha256_hex_plain, NULL, &fn);
  napi_set_named_property(env, exports, "sha256HexPlain", fn);
  return exports;
}
