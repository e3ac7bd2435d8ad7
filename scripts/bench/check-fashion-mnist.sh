#!/usr/bin/env bash
# Times `sitter check` (the babysitter's four preflight checks, default config) on a Fashion-MNIST
# prep directory in local mode and writes the figures and verdicts as JSON (default
# target/bench/check-fashion-mnist.json).
#
#   scripts/bench/check-fashion-mnist.sh [PREPDIR] [OUT.json]
#
# Without PREPDIR, scripts/bench/prep-fashion-mnist.sh makes one first (it fetches the data).
# Noisy on a shared machine: the JSON records the load average before and after.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$here/target/bench"
mkdir -p "$bench"
prep="${1:-}"
out="${2:-$bench/check-fashion-mnist.json}"

if [[ -z "$prep" ]]; then
  prep="$bench/prep-fashion-mnist-out"
  [[ -f "$prep/preprocessing.json" ]] || "$here/scripts/bench/prep-fashion-mnist.sh" >/dev/null
fi

run="$bench/check-fashion-mnist-run"
load_before="$(cut -d' ' -f1 /proc/loadavg)"
start=$(date +%s.%N)
set +e
"$here/scripts/sitter" check --data "$prep" --out "$run" | tee "$bench/check-fashion-mnist.log"
code=${PIPESTATUS[0]}
set -e
end=$(date +%s.%N)
load_after="$(cut -d' ' -f1 /proc/loadavg)"

python3 - "$out" "$run/checks.json" "$start" "$end" "$load_before" "$load_after" "$(nproc --all)" "$code" <<'PY'
import json, sys
out, checks, start, end, lb, la, cores, code = sys.argv[1:]
c = json.load(open(checks))
json.dump({"bench": "check-fashion-mnist", "command": "sitter check (default config)",
           "master": "local[*]", "cores": int(cores), "exit_code": int(code),
           "wall_seconds": round(float(end) - float(start), 2),
           "verdicts": {v["check"]: v["status"] for v in c["checks"]},
           "lr_probe": {k: c["lrProbe"][k] for k in ("steepest", "explodes", "suggested")} if c["lrProbe"] else None,
           "load_average_before": float(lb), "load_average_after": float(la)},
          open(out, "w"), indent=2)
print(open(out).read())
PY
