/* Built against an installed timclient (pkg-config and find_package): the
 * headers, the library and its symbol versions must all be found. */
#include <stdio.h>

#include "TIMCloud.h"

int main(void) {
  if (TIMGetLoginStatus() != kTIMLoginStatus_UnLogined) return 1;
  if (TIMLogin("alice", "secret", NULL, NULL) != TIM_ERR_SDKUNINIT) return 2;
  printf("timclient %s\n", TIMGetSDKVersion());
  return 0;
}
