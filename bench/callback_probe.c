/* callback_probe: the app side of timclient_callback_bench. Logs in through
 * libtimclient (the shared login succeeds at once while timd holds it) and,
 * for every message TIMAddRecvNewMsgCallback hands over, appends
 * "<CLOCK_REALTIME ns at callback entry> <text>" to --out. Prints "ready"
 * once logged in; runs until SIGINT/SIGTERM.
 *
 *   callback_probe --user ID --sig-file PATH --out FILE [--socket S] [--consumer C]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "TIMCloud.h"
#include "example_app.h"
#include "example_json.h"

static FILE* out = NULL;

static long long realtime_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Callbacks run on the library's one callback thread: no locking needed. */
static void on_new_messages(const char* json_msg_array, const void* user_data) {
  const long long now = realtime_ns(); /* first: the figure is the time of entry */
  const char *msg, *elem;
  char text[1024];
  (void)user_data;
  for (msg = ej_first(json_msg_array); msg; msg = ej_next(msg)) {
    for (elem = ej_first(ej_member(msg, kTIMMsgElemArray)); elem; elem = ej_next(elem)) {
      const char* content = ej_member(elem, kTIMTextElemContent);
      if (content && ej_string(content, text, sizeof text) == 0) fprintf(out, "%lld %s\n", now, text);
    }
  }
  fflush(out);
}

int main(int argc, char** argv) {
  struct app_options options;
  int first;
  if (app_parse(argc, argv, &options, &first) != 0 || !options.user || !options.out) {
    fprintf(stderr, "usage: callback_probe --user ID --sig-file PATH --out FILE [--socket PATH] [--consumer NAME]\n");
    return 2;
  }
  if (!(out = fopen(options.out, "a"))) {
    fprintf(stderr, "callback_probe: cannot open %s\n", options.out);
    return 2;
  }
  app_handle_signals();
  if (app_init(&options) != TIM_SUCC) {
    fprintf(stderr, "callback_probe: TIMInit failed\n");
    return 1;
  }
  TIMAddRecvNewMsgCallback(on_new_messages, NULL);
  if (app_login(&options) != TIM_SUCC) {
    TIMUninit();
    return 1;
  }
  printf("ready\n");
  fflush(stdout);
  while (!app_stop) app_sleep_ms(20);
  TIMUninit();
  fclose(out);
  return 0;
}
