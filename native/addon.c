// idbridge's optional native addon for prepare: batch SHA-256 (sha256_batch.c), the CSV field scanner
// (csv_scan.c) and the ASCII normalizer fast paths (ascii_normalize.c). Everything in it has a JavaScript
// twin that gives the same output; it is only faster.
#include <node_api.h>

void register_sha256(napi_env env, napi_value exports);
void register_csv_scan(napi_env env, napi_value exports);
void register_ascii_normalize(napi_env env, napi_value exports);
void register_value_ids(napi_env env, napi_value exports);

NAPI_MODULE_INIT() {
  register_sha256(env, exports);
  register_csv_scan(env, exports);
  register_ascii_normalize(env, exports);
  register_value_ids(env, exports);
  return exports;
}
