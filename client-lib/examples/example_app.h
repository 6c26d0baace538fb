/* Shared plumbing of the example apps: options, TIMInit config, waiting for
 * a TIMCommCallback, stopping on SIGINT/SIGTERM. */
#ifndef TIMCLIENT_EXAMPLE_APP_H_
#define TIMCLIENT_EXAMPLE_APP_H_

#include <signal.h>

#include "TIMCloud.h"

struct app_options {
  const char* socket;   /* --socket PATH   (default: TIMD_SOCKET, else /run/timd/timd.sock) */
  const char* consumer; /* --consumer NAME (default: the program name) */
  const char* user;     /* --user ID */
  const char* sig_file; /* --sig-file PATH: the password / UserSig, first line */
  const char* out;      /* --out PATH */
  long max;             /* --max N (0 = unlimited) */
  int all;              /* --all: also messages sent by this account */
};

/* Parses the --options above; the rest (positional) are left at argv[*first..].
 * Returns 0, or -1 on an unknown option. */
int app_parse(int argc, char** argv, struct app_options* options, int* first);

/* TIMInit with --socket/--consumer as timd_socket/timd_consumer. */
int app_init(const struct app_options* options);

/* A TIMCommCallback result, waited for by the calling thread. */
struct app_result;
struct app_result* app_result_new(void);
void app_result_free(struct app_result* result);
/* Use as the TIMCommCallback, with the app_result as user_data. */
void app_result_callback(int32_t code, const char* desc, const char* json_params, const void* user_data);
/* Waits for the callback; returns its code. desc/json stay valid until free. */
int app_result_wait(struct app_result* result);
const char* app_result_desc(const struct app_result* result);
const char* app_result_json(const struct app_result* result);

/* Reads the first line of the file into out; 0 or -1. */
int app_read_secret(const char* path, char* out, size_t size);

/* TIMLogin with --user and --sig-file, waiting for the result; prints
 * "login <code> <desc>" and returns the code (or a TIMResult < 0). */
int app_login(const struct app_options* options);

/* Set by SIGINT/SIGTERM once app_handle_signals() ran. */
extern volatile sig_atomic_t app_stop;
void app_handle_signals(void);
void app_sleep_ms(long ms);

#endif
