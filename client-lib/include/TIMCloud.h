/* TIMCloud.h: everything libtimclient implements, in one include.
 *
 * libtimclient is a drop-in for Tencent IM's cross-platform C API (baseline:
 * IM SDK 8.6 headers). Instead of a cloud SDK it talks to the local timd
 * daemon over gRPC on a Unix socket. The split headers (TIMManager.h,
 * TIMMessageManager.h, ...) hold the definitions; this header includes them
 * all and adds timd's extensions below.
 *
 * Init config (TIMInit's json_sdk_config; NULL or "" means all defaults):
 *   "timd_socket"   (kTIMDSdkConfigSocket)   path of timd's Unix socket.
 *                   Default: env TIMD_SOCKET, else /run/timd/timd.sock.
 *   "timd_instance" (kTIMDSdkConfigInstance) name of a timd instance (the
 *                   systemd template unit timd@NAME): its socket is
 *                   $TIMD_RUNTIME_DIR/NAME.sock, else /run/timd/NAME.sock.
 *                   1-64 of [A-Za-z0-9._-], not starting with '.'; not
 *                   together with timd_socket.
 *   "timd_consumer" (kTIMDSdkConfigConsumer) this app's durable consumer name
 *                   (letters, digits, '.', '_', '-'; at most 64). Default:
 *                   the executable's basename. timd remembers, per consumer,
 *                   the last event the app was given; the next run first
 *                   replays what happened while it was away, through the
 *                   usual callbacks (like TIM's offline messages after login).
 *                   Two processes that should each see every event need
 *                   different names.
 *   "timd_callback_queue_events" (kTIMDSdkConfigCallbackQueueEvents) and
 *   "timd_callback_queue_bytes"  (kTIMDSdkConfigCallbackQueueBytes) bound the
 *                   events received from timd and not yet handed to the app's
 *                   callbacks (defaults 1024 events, 8 MiB; ranges 1..1048576
 *                   and 4096..1073741824). When callbacks are slower than
 *                   events arrive, the library stops taking events at the
 *                   bound and, once the callbacks have worked off half of the
 *                   queue, asks timd again from the last event it queued: no
 *                   event is lost or repeated, and memory stays bounded.
 *   TIM's own sdk_config_* keys are accepted and ignored.
 *
 * Shared login. timd holds one IM login that every app on the machine shares:
 *   - TIMLogin with the identity timd already holds succeeds at once, without
 *     a new server login; the app is attached and its callbacks start.
 *   - TIMLogin with a different identity fails with
 *     ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS (7501) until timd is logged out.
 *   - TIMLogout (= TIMLogoutEx(0, ...)) only detaches the calling app: its
 *     callbacks stop, the other apps stay online, and its durable cursor is
 *     kept, so the next TIMLogin replays everything it missed.
 *   - TIMLogoutEx(TIMD_LOGOUT_FLAG_SERVER, ...) logs timd's account out for
 *     every app.
 * No app can knock another offline by accident; ending the shared session
 * takes an explicit flag.
 *
 * Callbacks. All callbacks of a process run on one library thread, in event
 * order, and never inside the API call that caused them (a result callback
 * fires after its call returned). Strings handed to a callback are valid only
 * for the duration of that call: copy what you keep. A slow callback delays
 * only its own process.
 *
 * Events timd no longer has. timd keeps a bounded journal ([store]
 * journal_retention). If an app's cursor fell behind it (the app was away
 * too long), the library resumes at the oldest event timd still holds and
 * reports the lost range through the TIMSetLogCallback callback at
 * kTIMLog_Warn: "events lost: timd's journal dropped seqs A..B (at most N
 * events) before this app received them; resuming at seq C". */
#ifndef TIMD_TIM_CLOUD_H_
#define TIMD_TIM_CLOUD_H_

#include "TIMCloudComm.h"
#include "TIMCloudDef.h"
#include "TIMErrorCode.h"
#include "TIMManager.h"
#include "TIMMessageManager.h"
#include "TIMConversationManager.h"
#include "TIMFriendshipManager.h"
#include "TIMGroupManager.h"
#include "TIMCloudCallback.h"

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-variable"
/* timd's TIMInit config keys (see above). */
static const char* kTIMDSdkConfigSocket = "timd_socket";
static const char* kTIMDSdkConfigInstance = "timd_instance";
static const char* kTIMDSdkConfigConsumer = "timd_consumer";
static const char* kTIMDSdkConfigCallbackQueueEvents = "timd_callback_queue_events";
static const char* kTIMDSdkConfigCallbackQueueBytes = "timd_callback_queue_bytes";
#pragma GCC diagnostic pop

/* TIMLogoutEx flag: log timd's account out for every app, not just detach. */
#define TIMD_LOGOUT_FLAG_SERVER 0x1u

/* Logs out according to flags: 0 detaches this app only (same as TIMLogout);
 * TIMD_LOGOUT_FLAG_SERVER also logs timd's shared account out. Returns a
 * TIMResult; cb gets "" on success. */
TIM_DECL int TIMLogoutEx(uint32_t flags, TIMCommCallback cb, const void* user_data);

#ifdef __cplusplus
}
#endif

#endif /* TIMD_TIM_CLOUD_H_ */
