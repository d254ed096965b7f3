// Argument checks shared by the addon's functions: every bad argument becomes a RangeError, never a crash.
#ifndef IDBRIDGE_NAPI_ARGS_H
#define IDBRIDGE_NAPI_ARGS_H
#include <node_api.h>
#include <stddef.h>

static inline napi_value fail(napi_env env, const char *message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

// The call's first `want` arguments into argv; 0 when there are fewer.
static inline int call_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  return napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= want;
}

// The data and element count of a typed array of type `want`; 0 when `value` is something else.
static inline int typed_array(napi_env env, napi_value value, napi_typedarray_type want, void **data, size_t *length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  return napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) == napi_ok && type == want;
}

// Reads `count` uint32 arguments starting at argv[first]; 0 when one is not a number.
static inline int uint32_args(napi_env env, napi_value *argv, size_t first, size_t count, uint32_t *out) {
  for (size_t i = 0; i < count; i++)
    if (napi_get_value_uint32(env, argv[first + i], &out[i]) != napi_ok) return 0;
  return 1;
}
#endif
