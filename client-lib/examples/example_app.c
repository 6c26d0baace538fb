#define _POSIX_C_SOURCE 200809L
#include "example_app.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "example_json.h"

volatile sig_atomic_t app_stop = 0;

static void on_signal(int sig) {
  (void)sig;
  app_stop = 1;
}

void app_handle_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

void app_sleep_ms(long ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

int app_parse(int argc, char** argv, struct app_options* o, int* first) {
  int i = 1;
  memset(o, 0, sizeof *o);
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; ++i) {
    const char* name = argv[i] + 2;
    if (strcmp(name, "all") == 0) { o->all = 1; continue; }
    if (i + 1 >= argc) return -1;
    if (strcmp(name, "socket") == 0) o->socket = argv[++i];
    else if (strcmp(name, "consumer") == 0) o->consumer = argv[++i];
    else if (strcmp(name, "user") == 0) o->user = argv[++i];
    else if (strcmp(name, "sig-file") == 0) o->sig_file = argv[++i];
    else if (strcmp(name, "out") == 0) o->out = argv[++i];
    else if (strcmp(name, "max") == 0) o->max = strtol(argv[++i], NULL, 10);
    else return -1;
  }
  *first = i;
  return 0;
}

int app_init(const struct app_options* o) {
  char config[2048], socket[1024], consumer[256];
  size_t n = 0;
  n += (size_t)snprintf(config + n, sizeof config - n, "{");
  if (o->socket) {
    ej_quote(o->socket, socket, sizeof socket);
    n += (size_t)snprintf(config + n, sizeof config - n, "\"%s\":%s", kTIMDSdkConfigSocket, socket);
  }
  if (o->consumer) {
    ej_quote(o->consumer, consumer, sizeof consumer);
    n += (size_t)snprintf(config + n, sizeof config - n, "%s\"%s\":%s", o->socket ? "," : "",
                          kTIMDSdkConfigConsumer, consumer);
  }
  snprintf(config + n, sizeof config - n, "}");
  return TIMInit(0, config);
}

struct app_result {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
  int code;
  char* desc;
  char* json;
};

struct app_result* app_result_new(void) {
  struct app_result* r = calloc(1, sizeof *r);
  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv, NULL);
  return r;
}

void app_result_free(struct app_result* r) {
  if (!r) return;
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv);
  free(r->desc);
  free(r->json);
  free(r);
}

static char* copy(const char* s) {
  size_t n = s ? strlen(s) : 0;
  char* c = malloc(n + 1);
  if (n) memcpy(c, s, n);
  c[n] = '\0';
  return c;
}

void app_result_callback(int32_t code, const char* desc, const char* json_params, const void* user_data) {
  struct app_result* r = (struct app_result*)user_data;
  pthread_mutex_lock(&r->mu);
  r->code = code;
  r->desc = copy(desc); /* the strings live only during the callback */
  r->json = copy(json_params);
  r->done = 1;
  pthread_cond_signal(&r->cv);
  pthread_mutex_unlock(&r->mu);
}

int app_result_wait(struct app_result* r) {
  int code;
  pthread_mutex_lock(&r->mu);
  while (!r->done) pthread_cond_wait(&r->cv, &r->mu);
  code = r->code;
  pthread_mutex_unlock(&r->mu);
  return code;
}

const char* app_result_desc(const struct app_result* r) { return r->desc ? r->desc : ""; }
const char* app_result_json(const struct app_result* r) { return r->json ? r->json : ""; }

int app_read_secret(const char* path, char* out, size_t size) {
  FILE* f = path ? fopen(path, "r") : NULL;
  size_t n;
  if (!f) return -1;
  if (!fgets(out, (int)size, f)) out[0] = '\0';
  fclose(f);
  n = strlen(out);
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r')) out[--n] = '\0';
  return 0;
}

int app_login(const struct app_options* o) {
  char sig[512];
  struct app_result* r;
  int rc;
  if (!o->user || app_read_secret(o->sig_file, sig, sizeof sig) != 0) {
    fprintf(stderr, "need --user and a readable --sig-file\n");
    return TIM_ERR_PARAM;
  }
  r = app_result_new();
  rc = TIMLogin(o->user, sig, app_result_callback, r);
  memset(sig, 0, sizeof sig);
  if (rc == TIM_SUCC) rc = app_result_wait(r);
  printf("login %d %s\n", rc, rc == TIM_SUCC ? "" : app_result_desc(r));
  fflush(stdout);
  app_result_free(r);
  return rc;
}
