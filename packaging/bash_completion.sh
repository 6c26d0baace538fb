#!/usr/bin/env bash
# Writes timctl's bash completion from timctl's own --help (its subcommands,
# then each subcommand's options), so no second list of commands is kept by
# hand. Run at build time (packaging/manpages.cmake).
# usage: bash_completion.sh TIMCTL OUTPUT
set -euo pipefail
timctl=$1 out=$2

# Option names in a --help text: "  -h,--help ...", "  --socket TEXT ...".
options_of() {
  sed -n 's/^  \(-[a-zA-Z],\)\{0,1\}\(--[a-z0-9-]*\).*/\2/p'
}
# Options followed by a value ("--socket TEXT"): their value is not a command.
valued_options_of() {
  sed -n 's/^  \(-[a-zA-Z],\)\{0,1\}\(--[a-z0-9-]*\) [A-Z].*/\2/p'
}
commands=$("$timctl" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z0-9-]*\) .*/\1/p')
[[ -n $commands ]] || { echo "no subcommands in $timctl --help" >&2; exit 1; }

{
  echo "# bash completion for timctl; generated from timctl --help by packaging/bash_completion.sh"
  echo "_timctl() {"
  echo '  local cur=${COMP_WORDS[COMP_CWORD]} cmd="" i'
  echo "  local valued=\" $("$timctl" --help | valued_options_of | tr '\n' ' ')\""
  echo '  for ((i = 1; i < COMP_CWORD; i++)); do'
  echo '    case ${COMP_WORDS[i]} in'
  echo '      -*) [[ $valued == *" ${COMP_WORDS[i]} "* ]] && ((i++)) ;;'
  echo '      *) cmd=${COMP_WORDS[i]}; break ;;'
  echo '    esac'
  echo '  done'
  echo '  local words'
  echo '  case $cmd in'
  echo "    \"\") words=\"$(echo $commands) $("$timctl" --help | options_of | tr '\n' ' ')\" ;;"
  for command in $commands; do
    echo "    $command) words=\"$("$timctl" "$command" --help | options_of | tr '\n' ' ')\" ;;"
  done
  echo '    *) words="" ;;'
  echo '  esac'
  echo '  COMPREPLY=($(compgen -W "$words" -- "$cur"))'
  echo "}"
  echo "complete -o default -F _timctl timctl"
} >"$out"
