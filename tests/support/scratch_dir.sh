# Sourced by the shell tests that start timd: $work is a scratch directory,
# removed on exit together with the process whose pid is in $timd_pid (set it
# after starting timd in the background); fail prints and exits 1.
work=$(mktemp -d)
timd_pid=
cleanup_scratch() {
  [[ -n $timd_pid ]] && kill "$timd_pid" 2>/dev/null && wait "$timd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup_scratch EXIT
fail() { echo "$*" >&2; exit 1; }
