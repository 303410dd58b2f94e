#!/usr/bin/env bash
# Record a CI job's trail with scoper (docs/recording.md). Any CI; GitHub Actions gives most.
#   scripts/scoper-record-ci.sh start   # first step: the job's session, credential names,
#                                       # env names, the actions the runner fetched
#   scripts/scoper-record-ci.sh end     # last step (always): pip inspect of the interpreters
#                                       # used, as install events and as pip-inspect files
# Trail: $SCOPER_TRAIL, else $RUNNER_TEMP/scoper-trail/ (else ./scoper-trail/). Upload that
# folder as an artifact. Never fails the job: problems are said on stderr.
set -u
phase="${1:-}"
case "$phase" in
  start | end) ;;
  *) echo "usage: $0 start|end" >&2; exit 2 ;;
esac
trail="${SCOPER_TRAIL:-${RUNNER_TEMP:-.}/scoper-trail/}"
case "$trail" in */) ;; *) trail="$trail/" ;; esac
scoper="${SCOPER:-scoper}"
mkdir -p "$trail" 2>/dev/null || true
"$scoper" record --trail "$trail" ci "$phase" ||
  echo "scoper-record-ci: scoper record ci $phase failed (exit $?); the job goes on" >&2
if [ "$phase" = end ]; then
  for py in "${pythonLocation:+$pythonLocation/bin/python}" \
    "${VIRTUAL_ENV:+$VIRTUAL_ENV/bin/python}" "$(command -v python3 || true)"; do
    if [ -z "$py" ] || [ ! -x "$py" ]; then continue; fi
    out="${trail}pip-inspect$(printf '%s' "$py" | tr -c 'A-Za-z0-9.-' '_').json"
    "$py" -m pip inspect --local >"$out" 2>/dev/null || rm -f "$out"
  done
fi
echo "trail=$trail" >>"${GITHUB_OUTPUT:-/dev/null}"
exit 0
