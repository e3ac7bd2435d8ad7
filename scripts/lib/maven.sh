# Sourced by the scripts that run Maven. Debian's Maven 3.8.7 writes ANSI colour resets (ESC[0m)
# to its output even with -B, -Dstyle.color=never or TERM=dumb (measured: `mvn -B -q validate`
# prints four of them and nothing else), so when stderr is not a terminal (a log file, CI, a pipe)
# they are stripped here. Maven's output goes to stderr: stdout is the scripts' own result.
#
#   maven_to_stderr ARGS...   runs `mvn -B ARGS` in the current directory; returns Maven's exit code

maven_to_stderr() {
  if [[ -t 2 ]]; then
    mvn -B "$@" >&2
  else
    mvn -B "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' >&2
    return "${PIPESTATUS[0]}"
  fi
}
