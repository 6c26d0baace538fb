/* TIMCloudCallback.h: the monolithic SDK's home of the callback typedefs.
 * They now live in the manager headers; this name stays for old includes. */
#ifndef TIMD_TIM_CLOUD_CALLBACK_H_
#define TIMD_TIM_CLOUD_CALLBACK_H_

#include "TIMCloudDef.h"
#include "TIMManager.h"
#include "TIMMessageManager.h"
#include "TIMConversationManager.h"
#include "TIMFriendshipManager.h"
#include "TIMGroupManager.h"

#endif /* TIMD_TIM_CLOUD_CALLBACK_H_ */
