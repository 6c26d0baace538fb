/* TIMCloudDef.h: call results, conversation type, receive option and the
 * common result callback (the 8.x contents of this header). */
#ifndef TIMD_TIM_CLOUD_DEF_H_
#define TIMD_TIM_CLOUD_DEF_H_

#include "TIMCloudComm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Synchronous return value of every call that takes a TIMCommCallback. The
 * callback fires (exactly once) only when the call returned TIM_SUCC. */
enum TIMResult {
    TIM_SUCC = 0,            /* accepted; the callback will fire */
    TIM_ERR_SDKUNINIT = -1,  /* TIMInit has not been called */
    TIM_ERR_NOTLOGIN = -2,   /* not logged in */
    TIM_ERR_JSON = -3,       /* malformed JSON or a wrong JSON key */
    TIM_ERR_PARAM = -4,      /* bad argument */
    TIM_ERR_CONV = -5,       /* invalid conversation */
    TIM_ERR_GROUP = -6,      /* invalid group */
};

enum TIMConvType {
    kTIMConv_Invalid = 0,
    kTIMConv_C2C = 1,
    kTIMConv_Group = 2,
    kTIMConv_System = 3, /* deprecated; still used for group-system notices */
};

enum TIMReceiveMessageOpt {
    kTIMRecvMsgOpt_Receive = 0,
    kTIMRecvMsgOpt_Not_Receive = 1,
    kTIMRecvMsgOpt_Not_Notify = 2,
    kTIMRecvMsgOpt_Not_Notify_Except_At = 3,
    kTIMRecvMsgOpt_Not_Receive_Except_At = 4,
};

/* Asynchronous result. code: 0 (ERR_SUCC) or an ERR_* code (TIMErrorCode.h);
 * desc: error text; json_params: per-call JSON, possibly ""; user_data: the
 * pointer given to the call. Strings are valid only during the call. */
typedef void (*TIMCommCallback)(int32_t code, const char* desc, const char* json_params, const void* user_data);

#ifdef __cplusplus
}
#endif

#endif /* TIMD_TIM_CLOUD_DEF_H_ */
