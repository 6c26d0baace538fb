/* tim_cli: runs TIM calls given as commands, one after the other, and prints
 * one line per result: "<command> <code> <payload or desc>". A small tour of
 * the core API, and a driver for the shared-login tests.
 *
 *   tim_cli [--socket S] [--consumer C] [--user ID --sig-file PATH] COMMAND...
 * Commands:
 *   login                 TIMLogin with --user/--sig-file
 *   login-as ID PATH      TIMLogin with another identity
 *   status                TIMGetLoginStatus
 *   userid                TIMGetLoginUserID
 *   send PEER TEXT        TIMMsgSendMessage (C2C text)
 *   history PEER COUNT    TIMMsgGetMsgList
 *   convs                 TIMConvGetConvList
 *   read PEER             TIMMsgReportReaded (up to the newest message)
 *   unread                TIMConvGetTotalUnreadMessageCount
 *   logout                TIMLogout (detach this app only)
 *   logout-server         TIMLogoutEx(TIMD_LOGOUT_FLAG_SERVER) (log timd out)
 * Exit status: 0 when every command succeeded, 1 otherwise, 2 on bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "TIMCloud.h"
#include "example_app.h"
#include "example_json.h"

/* Waits for the result of an accepted call and prints it. */
static int finish(const char* name, int rc, struct app_result* r) {
  if (rc == TIM_SUCC) {
    rc = app_result_wait(r);
    printf("%s %d %s\n", name, rc, rc == 0 ? app_result_json(r) : app_result_desc(r));
  } else {
    printf("%s %d refused\n", name, rc);
  }
  app_result_free(r);
  return rc;
}

static int send_text(const char* peer, const char* text) {
  char quoted[4200], json[4400], msg_id[128];
  struct app_result* r = app_result_new();
  int rc;
  ej_quote(text, quoted, sizeof quoted);
  snprintf(json, sizeof json, "{\"%s\":[{\"%s\":%d,\"%s\":%s}]}", kTIMMsgElemArray, kTIMElemType, kTIMElem_Text,
           kTIMTextElemContent, quoted);
  msg_id[0] = '\0';
  rc = TIMMsgSendMessage(peer, kTIMConv_C2C, json, msg_id, app_result_callback, r);
  if (rc == TIM_SUCC) printf("msgid %s\n", msg_id);
  return finish("send", rc, r);
}

static int history(const char* peer, const char* count) {
  char json[128];
  struct app_result* r = app_result_new();
  snprintf(json, sizeof json, "{\"%s\":%ld}", kTIMMsgGetMsgListParamCount, strtol(count, NULL, 10));
  return finish("history", TIMMsgGetMsgList(peer, kTIMConv_C2C, json, app_result_callback, r), r);
}

int main(int argc, char** argv) {
  struct app_options options;
  int i, failed = 0;
  if (app_parse(argc, argv, &options, &i) != 0 || i >= argc) {
    fprintf(stderr, "usage: tim_cli [--socket PATH] [--consumer NAME] [--user ID --sig-file PATH] COMMAND...\n");
    return 2;
  }
  if (app_init(&options) != TIM_SUCC) {
    fprintf(stderr, "tim_cli: TIMInit failed\n");
    return 1;
  }
  for (; i < argc; ++i) {
    const char* cmd = argv[i];
    int rc;
    if (strcmp(cmd, "login") == 0) {
      rc = app_login(&options);
    } else if (strcmp(cmd, "login-as") == 0 && i + 2 < argc) {
      struct app_options other = options;
      other.user = argv[++i];
      other.sig_file = argv[++i];
      rc = app_login(&other);
    } else if (strcmp(cmd, "status") == 0) {
      printf("status %d\n", (int)TIMGetLoginStatus());
      rc = 0;
    } else if (strcmp(cmd, "userid") == 0) {
      char id[128];
      rc = TIMGetLoginUserID(id);
      printf("userid %d %s\n", rc, id);
    } else if (strcmp(cmd, "send") == 0 && i + 2 < argc) {
      rc = send_text(argv[i + 1], argv[i + 2]);
      i += 2;
    } else if (strcmp(cmd, "history") == 0 && i + 2 < argc) {
      rc = history(argv[i + 1], argv[i + 2]);
      i += 2;
    } else if (strcmp(cmd, "convs") == 0) {
      struct app_result* r = app_result_new();
      rc = finish("convs", TIMConvGetConvList(app_result_callback, r), r);
    } else if (strcmp(cmd, "read") == 0 && i + 1 < argc) {
      struct app_result* r = app_result_new();
      rc = finish("read", TIMMsgReportReaded(argv[++i], kTIMConv_C2C, NULL, app_result_callback, r), r);
    } else if (strcmp(cmd, "unread") == 0) {
      struct app_result* r = app_result_new();
      rc = finish("unread", TIMConvGetTotalUnreadMessageCount(app_result_callback, r), r);
    } else if (strcmp(cmd, "logout") == 0) {
      struct app_result* r = app_result_new();
      rc = finish("logout", TIMLogout(app_result_callback, r), r);
    } else if (strcmp(cmd, "logout-server") == 0) {
      struct app_result* r = app_result_new();
      rc = finish("logout-server", TIMLogoutEx(TIMD_LOGOUT_FLAG_SERVER, app_result_callback, r), r);
    } else {
      fprintf(stderr, "tim_cli: unknown command or missing arguments: %s\n", cmd);
      TIMUninit();
      return 2;
    }
    fflush(stdout);
    if (rc != 0) failed = 1;
  }
  TIMUninit();
  return failed;
}
