/* An app that finds its timd by instance name: TIMInit with
 * {"timd_instance": NAME}, then one call that timd must answer. Built by
 * scratch_root_test.sh against the installed libtimclient-dev.
 * usage: instance_app NAME; prints the call's code and description. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "TIMCloud.h"

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t answered = PTHREAD_COND_INITIALIZER;
static int done;
static int result_code;
static char result_desc[256];

static void on_result(int32_t code, const char* desc, const char* json_params, const void* user_data) {
  (void)json_params;
  (void)user_data;
  pthread_mutex_lock(&mutex);
  result_code = code;
  snprintf(result_desc, sizeof result_desc, "%s", desc ? desc : "");
  done = 1;
  pthread_cond_signal(&answered);
  pthread_mutex_unlock(&mutex);
}

int main(int argc, char** argv) {
  char config[256];
  struct timespec deadline;
  if (argc != 2) return 2;
  snprintf(config, sizeof config, "{\"%s\":\"%s\",\"%s\":\"instance-app\"}", kTIMDSdkConfigInstance, argv[1],
           kTIMDSdkConfigConsumer);
  if (TIMInit(0, config) != TIM_SUCC) return 2;
  if (TIMConvGetTotalUnreadMessageCount(on_result, NULL) != TIM_SUCC) return 2;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 20;
  pthread_mutex_lock(&mutex);
  while (!done && pthread_cond_timedwait(&answered, &mutex, &deadline) == 0) {
  }
  pthread_mutex_unlock(&mutex);
  if (!done) return 3;
  printf("code %d: %s\n", result_code, result_desc);
  TIMUninit();
  return 0;
}
