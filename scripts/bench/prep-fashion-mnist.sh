#!/usr/bin/env bash
# Times `sitter prep` on Fashion-MNIST (60k train + 10k test, 784 features) in local mode and
# writes the figures as JSON (default target/bench/prep-fashion-mnist.json).
#
#   scripts/bench/prep-fashion-mnist.sh [FASHION_MNIST_DIR] [OUT.json]
#
# Without a directory, the Debian package dataset-fashion-mnist is fetched under target/bench
# (Debian's package dataset-fashion-mnist, as scripts/quickstart fetches it). Noisy on a shared machine: the JSON records the load average before and after.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$here/target/bench"
mkdir -p "$bench"
data="${1:-}"
out="${2:-$bench/prep-fashion-mnist.json}"

if [[ -z "$data" ]]; then
  data="$bench/fashion-mnist"
  "$here/scripts/quickstart" --fetch-only --data-dir "$data"
fi

prep_out="$bench/prep-fashion-mnist-out"
load_before="$(cut -d' ' -f1 /proc/loadavg)"
start=$(date +%s.%N)
"$here/scripts/sitter" prep --input "$data" --scale 1/255 --mode standardize --out "$prep_out" --overwrite | tee "$bench/prep-fashion-mnist.log"
end=$(date +%s.%N)
load_after="$(cut -d' ' -f1 /proc/loadavg)"

python3 - "$out" "$prep_out/preprocessing.json" "$start" "$end" "$load_before" "$load_after" "$(nproc --all)" <<'PY'
import json, sys
out, prep, start, end, lb, la, cores = sys.argv[1:]
p = json.load(open(prep))
rows = sum(p["counts"].values())
seconds = float(end) - float(start)
json.dump({"bench": "prep-fashion-mnist", "command": "sitter prep --scale 1/255 --mode standardize",
           "master": "local[*]", "cores": int(cores), "rows": rows, "features": p["numFeatures"],
           "counts": p["counts"], "wall_seconds": round(seconds, 2),
           "rows_per_second": round(rows / seconds, 1),
           "load_average_before": float(lb), "load_average_after": float(la)},
          open(out, "w"), indent=2)
print(open(out).read())
PY
