/* Compiled as strict C99 (-std=c99 -pedantic -Wall -Wextra -Werror): every
 * TIM header must be valid C. The values are checked from headers_test.cc. */
#include "TIMCloud.h"
#include "TIMCloudCallback.h"
#include "TIMCloudComm.h"
#include "TIMCloudDef.h"
#include "TIMConversationManager.h"
#include "TIMErrorCode.h"
#include "TIMFriendshipManager.h"
#include "TIMGroupManager.h"
#include "TIMManager.h"
#include "TIMMessageManager.h"

#include <string.h>

/* Callback shapes an old C app would write; assigning them checks the typedefs. */
static void OnNewMsg(const char* json_msg_array, const void* user_data) { (void)json_msg_array; (void)user_data; }
static void OnConv(enum TIMConvEvent ev, const char* json, const void* user_data) { (void)ev; (void)json; (void)user_data; }
static void OnNet(enum TIMNetworkStatus s, int32_t code, const char* desc, const void* user_data) {
    (void)s; (void)code; (void)desc; (void)user_data;
}
static void OnProgress(const char* json_msg, uint32_t index, uint32_t cur, uint32_t total, const void* user_data) {
    (void)json_msg; (void)index; (void)cur; (void)total; (void)user_data;
}
static void OnLog(enum TIMLogLevel level, const char* log, const void* user_data) { (void)level; (void)log; (void)user_data; }
static void OnComm(int32_t code, const char* desc, const char* json_params, const void* user_data) {
    (void)code; (void)desc; (void)json_params; (void)user_data;
}

int timd_c99_header_values(int which);
int timd_c99_header_values(int which) {
    TIMRecvNewMsgCallback recv = OnNewMsg;
    TIMConvEventCallback conv = OnConv;
    TIMNetworkStatusListenerCallback net = OnNet;
    TIMMsgElemUploadProgressCallback progress = OnProgress;
    TIMLogCallback log = OnLog;
    TIMCommCallback comm = OnComm;
    bool flag = true;
    (void)recv; (void)conv; (void)net; (void)progress; (void)log; (void)comm; (void)flag;
    switch (which) {
        case 0: return TIM_ERR_JSON;
        case 1: return kTIMConvEvent_Finish;
        case 2: return kTIMElem_Invalid;
        case 3: return kTIMLog_Assert;
        case 4: return ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS;
        case 5: return (int)strlen(kTIMMsgElemArray);
        case 6: return (int)TIMD_LOGOUT_FLAG_SERVER;
        case 7: return strcmp(kTIMDSdkConfigSocket, "timd_socket") == 0;
        case 8: return kTIMMemberRole_Owner;
        default: return 0;
    }
}
