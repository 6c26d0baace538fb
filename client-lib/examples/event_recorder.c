/* event_recorder: logs in and appends one line per received message,
 * "<message_msg_id> <text>", to the file given with --out (or env
 * EVENT_RECORDER_OUT). Runs until SIGINT/SIGTERM or --max messages. Network
 * status changes go to stdout as "network <status> <code> <desc>".
 *
 *   event_recorder --user alice --sig-file pw.txt --out FILE
 *                  [--socket S] [--consumer C] [--max N] [--all]
 * --all also records messages this account sent itself.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "TIMCloud.h"
#include "example_app.h"
#include "example_json.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long recorded = 0;
static FILE* out = NULL;
static int record_all = 0;

static long recorded_count(void) {
  long n;
  pthread_mutex_lock(&mu);
  n = recorded;
  pthread_mutex_unlock(&mu);
  return n;
}

static void record(const char* msg) {
  char id[256], text[4096];
  const char* elem;
  if (!record_all && ej_true(ej_member(msg, kTIMMsgIsFormSelf))) return;
  if (ej_string(ej_member(msg, kTIMMsgMsgId), id, sizeof id) != 0) strcpy(id, "-");
  text[0] = '\0';
  for (elem = ej_first(ej_member(msg, kTIMMsgElemArray)); elem; elem = ej_next(elem)) {
    const char* content = ej_member(elem, kTIMTextElemContent);
    if (content && ej_string(content, text, sizeof text) == 0) break;
  }
  pthread_mutex_lock(&mu);
  fprintf(out, "%s %s\n", id, text);
  fflush(out);
  ++recorded;
  pthread_mutex_unlock(&mu);
}

static void on_new_messages(const char* json_msg_array, const void* user_data) {
  const char* msg;
  (void)user_data;
  for (msg = ej_first(json_msg_array); msg; msg = ej_next(msg)) record(msg);
}

/* Read receipts (TIM callback #2) are written as "receipts <JSON array>". */
static void on_read_receipts(const char* json_msg_read_receipt_array, const void* user_data) {
  (void)user_data;
  pthread_mutex_lock(&mu);
  fprintf(out, "receipts %s\n", json_msg_read_receipt_array);
  fflush(out);
  pthread_mutex_unlock(&mu);
}

static void on_network(enum TIMNetworkStatus status, int32_t code, const char* desc, const void* user_data) {
  (void)user_data;
  printf("network %d %d %s\n", (int)status, code, desc);
  fflush(stdout);
}

int main(int argc, char** argv) {
  struct app_options options;
  int first;
  const char* path;
  if (app_parse(argc, argv, &options, &first) != 0 || !options.user) {
    fprintf(stderr,
            "usage: event_recorder --user ID --sig-file PATH --out FILE [--socket PATH] [--consumer NAME] "
            "[--max N] [--all]\n");
    return 2;
  }
  path = options.out ? options.out : getenv("EVENT_RECORDER_OUT");
  if (!path || !(out = fopen(path, "a"))) {
    fprintf(stderr, "event_recorder: cannot open the output file\n");
    return 2;
  }
  record_all = options.all;
  app_handle_signals();
  if (app_init(&options) != TIM_SUCC) {
    fprintf(stderr, "event_recorder: TIMInit failed\n");
    return 1;
  }
  TIMAddRecvNewMsgCallback(on_new_messages, NULL);
  TIMSetNetworkStatusListenerCallback(on_network, NULL);
  TIMSetMsgReadedReceiptCallback(on_read_receipts, NULL);
  if (app_login(&options) != TIM_SUCC) {
    TIMUninit();
    return 1;
  }
  printf("event_recorder ready\n");
  fflush(stdout);
  while (!app_stop && (options.max == 0 || recorded_count() < options.max)) app_sleep_ms(20);
  TIMUninit(); /* delivers what is queued and records our progress in timd */
  printf("event_recorder done, %ld messages\n", recorded_count());
  fclose(out);
  return 0;
}
