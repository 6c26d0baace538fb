/* TIMCloudComm.h: basic types and the export macros shared by every TIM header.
 * Part of timd's client library (libtimclient), a drop-in for Tencent IM's C API. */
#ifndef TIMD_TIM_CLOUD_COMM_H_
#define TIMD_TIM_CLOUD_COMM_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

#if defined(_WIN32)
#if defined(ENABLE_STATIC_LIB)
#define TIM_API
#elif defined(TIM_EXPORTS)
#define TIM_API __declspec(dllexport)
#else
#define TIM_API __declspec(dllimport)
#endif
#else
#define TIM_API __attribute__((visibility("default")))
#endif

/* The monolithic headers (4.4 to 7.3) used TIM_DECL; keep it working. */
#define TIM_DECL TIM_API

#endif /* TIMD_TIM_CLOUD_COMM_H_ */
