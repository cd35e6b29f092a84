# The action's check step, sourced by action.yml into the runner's own shell
# (`bash --noprofile --norc -eo pipefail`), so it must be correct under `-e`.
# Inputs come as INPUT_* variables; outputs go to GITHUB_OUTPUT.

# `shard: K/N` checks one shard (its JSON report is for the merge job); `merge: REPORTS`
# merges the shards' reports instead of checking.
report="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/wasmgate-report.json"
if [ -n "${INPUT_MERGE:-}" ]; then
  set -- merge --output "json=${report}"
else
  set -- check --output "json=${report}"
fi
if [ -n "${INPUT_SHARD:-}" ]; then
  set -- "$@" --shard "$INPUT_SHARD"
elif [ -n "${INPUT_SARIF:-}" ]; then
  set -- "$@" --output "sarif=${INPUT_SARIF}"
fi
if [ -n "${INPUT_CONFIG:-}" ]; then
  set -- "$@" --config "$INPUT_CONFIG"
fi
if [ -n "${INPUT_BASE:-}" ]; then
  set -- "$@" --base "$INPUT_BASE"
fi

# `args` and `paths` are lists separated by spaces or newlines. Globs (`dist/**/*.wasm`)
# reach wasmgate as typed: wasmgate expands them itself, the shell must not (noglob).
set -f
# shellcheck disable=SC2086
set -- "$@" ${INPUT_ARGS:-}
if [ -n "${INPUT_MERGE:-}" ]; then
  # Report files: the shell expands their globs (shard-*/wasmgate-report.json).
  set +f
  # shellcheck disable=SC2086
  set -- "$@" ${INPUT_MERGE}
else
  # shellcheck disable=SC2086
  set -- "$@" ${INPUT_PATHS:-}
fi
set +f

status=0
wasmgate "$@" || status=$?
case "$status" in
  0) verdict=pass ;;
  1) verdict=fail ;;
  *) verdict=error ;;
esac
{
  echo "verdict=${verdict}"
  echo "report=${report}"
} >> "$GITHUB_OUTPUT"

# `fail-on: never` turns a failed gate into a report, and a shard's failure is the merge's
# to decide; a gate that could not decide (2) always fails the step.
if [ "$status" -eq 1 ] && { [ "${INPUT_FAIL_ON:-deny}" = "never" ] || [ -n "${INPUT_SHARD:-}" ]; }; then
  status=0
fi
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
