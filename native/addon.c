// idbridge's optional native addon: batch SHA-256 (sha256_batch.c) and the CSV field scanner (csv_scan.c)
// for prepare. Everything in it has a JavaScript twin that gives the same output; it is only faster.
#include <node_api.h>

void register_sha256(napi_env env, napi_value exports);
void register_csv_scan(napi_env env, napi_value exports);

NAPI_MODULE_INIT() {
  register_sha256(env, exports);
  register_csv_scan(env, exports);
  return exports;
}
