/* echo_bot: answers every text message with "echo: <text>", using only the
 * TIM C API. Runs until SIGINT/SIGTERM, or after --max replies.
 *
 *   echo_bot --user alice --sig-file pw.txt [--socket S] [--consumer C] [--max N]
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "TIMCloud.h"
#include "example_app.h"
#include "example_json.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long replies_sent = 0;

static long replies(void) {
  long n;
  pthread_mutex_lock(&mu);
  n = replies_sent;
  pthread_mutex_unlock(&mu);
  return n;
}

static void on_sent(int32_t code, const char* desc, const char* json_params, const void* user_data) {
  (void)json_params;
  (void)user_data;
  if (code == 0) {
    pthread_mutex_lock(&mu);
    ++replies_sent;
    pthread_mutex_unlock(&mu);
  } else {
    fprintf(stderr, "echo_bot: reply failed: %d %s\n", code, desc);
  }
}

static void reply(const char* msg) {
  char peer[256], text[4096], quoted[8300], json[8400];
  const char* elem;
  const char* sender = ej_member(msg, kTIMMsgSender);
  if (ej_true(ej_member(msg, kTIMMsgIsFormSelf)) || !sender || ej_string(sender, peer, sizeof peer) != 0) return;
  for (elem = ej_first(ej_member(msg, kTIMMsgElemArray)); elem; elem = ej_next(elem)) {
    const char* content = ej_member(elem, kTIMTextElemContent);
    if (!content || ej_string(content, text, sizeof text) != 0) continue;
    {
      char body[4200];
      snprintf(body, sizeof body, "echo: %s", text);
      ej_quote(body, quoted, sizeof quoted);
    }
    snprintf(json, sizeof json, "{\"%s\":[{\"%s\":%d,\"%s\":%s}]}", kTIMMsgElemArray, kTIMElemType, kTIMElem_Text,
             kTIMTextElemContent, quoted);
    if (TIMMsgSendMessage(peer, kTIMConv_C2C, json, NULL, on_sent, NULL) != TIM_SUCC) {
      fprintf(stderr, "echo_bot: TIMMsgSendMessage refused the reply\n");
    }
  }
}

static void on_new_messages(const char* json_msg_array, const void* user_data) {
  const char* msg;
  (void)user_data;
  for (msg = ej_first(json_msg_array); msg; msg = ej_next(msg)) reply(msg);
}

int main(int argc, char** argv) {
  struct app_options options;
  int first;
  if (app_parse(argc, argv, &options, &first) != 0 || !options.user) {
    fprintf(stderr, "usage: echo_bot --user ID --sig-file PATH [--socket PATH] [--consumer NAME] [--max N]\n");
    return 2;
  }
  app_handle_signals();
  if (app_init(&options) != TIM_SUCC) {
    fprintf(stderr, "echo_bot: TIMInit failed\n");
    return 1;
  }
  TIMAddRecvNewMsgCallback(on_new_messages, NULL); /* before login: offline messages follow it */
  if (app_login(&options) != TIM_SUCC) {
    TIMUninit();
    return 1;
  }
  printf("echo_bot ready\n");
  fflush(stdout);
  while (!app_stop && (options.max == 0 || replies() < options.max)) app_sleep_ms(50);
  TIMUninit();
  printf("echo_bot done, %ld replies\n", replies());
  return 0;
}
