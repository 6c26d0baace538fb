/* TIMManager.h: lifecycle, login, configuration, network/kick/UserSig/log
 * events, and the user-profile JSON keys. */
#ifndef TIMD_TIM_MANAGER_H_
#define TIMD_TIM_MANAGER_H_

#include "TIMCloudDef.h"
#include "TIMErrorCode.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Enums -------------------------------------------------------------- */

enum TIMNetworkStatus {
    kTIMConnected = 0,
    kTIMDisconnected = 1,
    kTIMConnecting = 2,
    kTIMConnectFailed = 3,
};

enum TIMLogLevel {
    kTIMLog_Off = 0,
    kTIMLog_Test = 1,
    kTIMLog_Verbose = 2,
    kTIMLog_Debug = 3,
    kTIMLog_Info = 4,
    kTIMLog_Warn = 5,
    kTIMLog_Error = 6,
    kTIMLog_Assert = 7,
};

enum TIMLoginStatus {
    kTIMLoginStatus_Logined = 1,
    kTIMLoginStatus_Logining = 2,
    kTIMLoginStatus_UnLogined = 3,
    kTIMLoginStatus_Logouting = 4,
};

enum TIMGenderType {
    kTIMGenderType_Unknown = 0,
    kTIMGenderType_Male = 1,
    kTIMGenderType_Female = 2,
};
#define kTIMGenderType_Unkown kTIMGenderType_Unknown

enum TIMProfileAddPermission {
    kTIMProfileAddPermission_Unknown = 0,
    kTIMProfileAddPermission_AllowAny = 1,
    kTIMProfileAddPermission_NeedConfirm = 2,
    kTIMProfileAddPermission_DenyAny = 3,
};

enum TIMProfileChangeType {
    kTIMProfileChange_None = 0,
    kTIMProfileChange_Profile = 1,
};

/* ---- Event callbacks ---------------------------------------------------- */

/* Link between the library and the IM server (via timd). code/desc matter
 * mainly for kTIMConnectFailed; otherwise code is ERR_SUCC. */
typedef void (*TIMNetworkStatusListenerCallback)(enum TIMNetworkStatus status, int32_t code, const char* desc, const void* user_data);
/* The account was logged in elsewhere while online. */
typedef void (*TIMKickedOfflineCallback)(const void* user_data);
/* The login credential expired. */
typedef void (*TIMUserSigExpiredCallback)(const void* user_data);
/* One plain-text log line at `level` (filter: set_config_callback_log_level). */
typedef void (*TIMLogCallback)(enum TIMLogLevel level, const char* log, const void* user_data);

/* ---- JSON keys ---------------------------------------------------------- */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-variable"

/* SdkConfig (TIMInit). timd's own keys are in TIMCloud.h. */
static const char* kTIMSdkConfigConfigFilePath = "sdk_config_config_file_path";
static const char* kTIMSdkConfigLogFilePath = "sdk_config_log_file_path";
static const char* kTIMSdkConfigMainThreadId = "sdk_config_main_thread_id";
static const char* kTIMSdkConfigDeviceType = "sdk_config_device_type";
static const char* kTIMSdkConfigBrandType = "sdk_config_brand_type";
static const char* kTIMSdkConfigSystemVersion = "sdk_config_system_version";

/* SetConfig (TIMSetConfig) */
static const char* kTIMSetConfigLogLevel = "set_config_log_level";
static const char* kTIMSetConfigCallbackLogLevel = "set_config_callback_log_level";
static const char* kTIMSetConfigIsLogOutputConsole = "set_config_is_log_output_console";
static const char* kTIMSetConfigUserConfig = "set_config_user_config";
static const char* kTIMSetConfigUserDefineData = "set_config_user_define_data";
static const char* kTIMSetConfigHttpProxyInfo = "set_config_http_proxy_info";
static const char* kTIMSetConfigSocks5ProxyInfo = "set_config_socks5_proxy_info";
static const char* kTIMSetConfigPACProxyInfo = "set_config_pac_proxy_info";
static const char* kTIMSetConfigIsOnlyLocalDNSSource = "set_config_is_only_local_dns_source";
#define kTIMSetConfigCackBackLogLevel kTIMSetConfigCallbackLogLevel

/* UserConfig */
static const char* kTIMUserConfigIsDisableStorage = "user_config_is_is_disable_storage";
static const char* kTIMUserConfigIsReadReceipt = "user_config_is_read_receipt";
static const char* kTIMUserConfigIsIgnoreGroupTipsUnRead = "user_config_is_ignore_grouptips_unread";
static const char* kTIMUserConfigIsSyncReport = "user_config_is_sync_report";
#define kTIMUserConfigIsIngoreGroupTipsUnRead kTIMUserConfigIsIgnoreGroupTipsUnRead

/* HttpProxyInfo / Socks5ProxyInfo */
static const char* kTIMHttpProxyInfoIp = "http_proxy_info_ip";
static const char* kTIMHttpProxyInfoPort = "http_proxy_info_port";
static const char* kTIMHttpProxyInfoUserName = "http_proxy_info_username";
static const char* kTIMHttpProxyInfoPassword = "http_proxy_info_password";
static const char* kTIMSocks5ProxyInfoIp = "socks5_proxy_info_ip";
static const char* kTIMSocks5ProxyInfoPort = "socks5_proxy_info_port";
static const char* kTIMSocks5ProxyInfoUserName = "socks5_proxy_info_username";
static const char* kTIMSocks5ProxyInfoPassword = "socks5_proxy_info_password";

/* UserProfile */
static const char* kTIMUserProfileIdentifier = "user_profile_identifier";
static const char* kTIMUserProfileNickName = "user_profile_nick_name";
static const char* kTIMUserProfileGender = "user_profile_gender";
static const char* kTIMUserProfileFaceUrl = "user_profile_face_url";
static const char* kTIMUserProfileFriendRemark = "user_profile_friend_remark";
static const char* kTIMUserProfileSelfSignature = "user_profile_self_signature";
static const char* kTIMUserProfileAddPermission = "user_profile_add_permission";
static const char* kTIMUserProfileLocation = "user_profile_location";
static const char* kTIMUserProfileLanguage = "user_profile_language";
static const char* kTIMUserProfileBirthDay = "user_profile_birthday";
static const char* kTIMUserProfileLevel = "user_profile_level";
static const char* kTIMUserProfileRole = "user_profile_role";
static const char* kTIMUserProfileCustomStringArray = "user_profile_custom_string_array";
static const char* kTIMUserProfileCustomStringInfoKey = "user_profile_custom_string_info_key";
static const char* kTIMUserProfileCustomStringInfoValue = "user_profile_custom_string_info_value";
#define kTIMUserProfileCustemStringInfoKey kTIMUserProfileCustomStringInfoKey
#define kTIMUserProfileCustemStringInfoValue kTIMUserProfileCustomStringInfoValue

/* UserProfileItem */
static const char* kTIMUserProfileItemNickName = "user_profile_item_nick_name";
static const char* kTIMUserProfileItemGender = "user_profile_item_gender";
static const char* kTIMUserProfileItemFaceUrl = "user_profile_item_face_url";
static const char* kTIMUserProfileItemSelfSignature = "user_profile_item_self_signature";
static const char* kTIMUserProfileItemAddPermission = "user_profile_item_add_permission";
static const char* kTIMUserProfileItemLocation = "user_profile_item_location";
static const char* kTIMUserProfileItemLanguage = "user_profile_item_language";
static const char* kTIMUserProfileItemBirthDay = "user_profile_item_birthday";
static const char* kTIMUserProfileItemLevel = "user_profile_item_level";
static const char* kTIMUserProfileItemRole = "user_profile_item_role";
static const char* kTIMUserProfileItemCustomStringArray = "user_profile_item_custom_string_array";
#define kTIMUserProfileItemLoaction kTIMUserProfileItemLocation

/* ProfileChangeElem (elem_type kTIMElem_ProfileChange) */
static const char* kTIMProfileChangeElemChangeType = "profile_change_elem_change_type";
static const char* kTIMProfileChangeElemFromIdentifier = "profile_change_elem_from_identifier";
static const char* kTIMProfileChangeElemUserProfileItem = "profile_change_elem_user_profile_item";
#define kTIMProfileChangeElemFromIndentifier kTIMProfileChangeElemFromIdentifier

/* FriendShipGetProfileListParam */
static const char* kTIMFriendShipGetProfileListParamIdentifierArray = "friendship_getprofilelist_param_identifier_array";

#pragma GCC diagnostic pop

/* ---- Functions ---------------------------------------------------------- */

/* Starts the library. sdk_app_id is accepted and ignored (timd holds the
 * account). json_sdk_config: SdkConfig JSON, or NULL/"" for defaults; see
 * TIMCloud.h for timd's keys. Returns a TIMResult. */
TIM_API int TIMInit(uint64_t sdk_app_id, const char* json_sdk_config);
/* Stops the library: no callback fires after it returns. */
TIM_API int TIMUninit(void);
/* Version string of the library. */
TIM_API const char* TIMGetSDKVersion(void);
/* json_config: SetConfig JSON; cb (may be NULL) gets the resulting config. */
TIM_API int TIMSetConfig(const char* json_config, TIMCommCallback cb, const void* user_data);
/* Logs in, or attaches to timd's existing login (see TIMCloud.h). */
TIM_API int TIMLogin(const char* user_id, const char* user_sig, TIMCommCallback cb, const void* user_data);
/* Detaches this app from timd's login; TIMLogoutEx in TIMCloud.h. */
TIM_API int TIMLogout(TIMCommCallback cb, const void* user_data);
/* Copies the logged-in user ID, NUL-terminated, into a buffer of at least
 * 128 bytes. Returns a TIMResult. */
TIM_API int TIMGetLoginUserID(char* user_id_buffer);
TIM_API enum TIMLoginStatus TIMGetLoginStatus(void);

TIM_API void TIMSetNetworkStatusListenerCallback(TIMNetworkStatusListenerCallback cb, const void* user_data);
TIM_API void TIMSetKickedOfflineCallback(TIMKickedOfflineCallback cb, const void* user_data);
TIM_API void TIMSetUserSigExpiredCallback(TIMUserSigExpiredCallback cb, const void* user_data);
TIM_API void TIMSetLogCallback(TIMLogCallback cb, const void* user_data);

#ifdef __cplusplus
}
#endif

#endif /* TIMD_TIM_MANAGER_H_ */
