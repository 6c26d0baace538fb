#!/usr/bin/env bash
# The generated completion knows every subcommand timctl --help lists and
# each one's own options, and skips option values when finding the command.
# usage: bash_completion_test.sh COMPLETION_FILE TIMCTL
set -euo pipefail
completion=$1 timctl=$2
fail() { echo "$*" >&2; exit 1; }
# shellcheck source=/dev/null
source "$completion"
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _timctl
  echo "${COMPREPLY[*]}"
}
commands=$("$timctl" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z0-9-]*\) .*/\1/p')
[[ $(complete_words timctl "") == *"$(echo $commands)"* ]] || fail "the commands are not all offered"
[[ " $(complete_words timctl --socket /tmp/x.sock se) " == *" send "* ]] || fail "no 'send' after --socket VALUE"
[[ " $(complete_words timctl --instance work send --fi) " == *" --file-type "* ]] || fail "no --file-type for send"
[[ " $(complete_words timctl status --) " != *" --file "* ]] || fail "status offers send's --file"
echo "completion: $(wc -w <<<"$commands") commands; send --fi -> $(complete_words timctl send --fi)"
