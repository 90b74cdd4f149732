#!/usr/bin/env bash
# The evaluate benchmark: 5,000,000 binary predictions (label, score with ties) as CSV, generated once
# under target/bench/eval/, then in the same run:
#   mlstages evaluate --resamples 0     every binary metric, curves, no bootstrap
#   mlstages evaluate --resamples 200   the same plus 200 bootstrap resamples (intervals of AUC, F1,
#                                       precision, recall and accuracy)
#   scikit-learn (bench/evaluate_peer.py): pandas read_csv, every binary metric, and a 200-resample
#                                       bootstrap of roc_auc_score and f1_score with numpy's RNG
# Prints each wall time (JVM and interpreter start included), our time over theirs, and sklearn's
# phases (its AUC alone among them). Usage: bench/evaluate.sh [ROWS]   (default 5,000,000; ~45 MB of CSV)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rows=${1:-5000000}
dir="$root/target/bench/eval"
data="$dir/predictions-$rows.csv"
python="$root/target/mlflow-venv/bin/python"

bash tools/mlflow-venv.sh target/mlflow-venv
[ -f cli/target/mlstages.jar ] || mvn -B -q install -DskipTests
mkdir -p "$dir"
if [ ! -f "$data" ]; then
  echo "== generating $rows predictions into $data" >&2
  "$python" bench/evaluate_peer.py generate "$data.tmp" "$rows"
  mv "$data.tmp" "$data"
fi

bin/mlstages --version >/dev/null # builds the launcher's class archive once, outside the timings

measure() { # label, command...: prints wall seconds, CPU seconds (user + system) and peak RSS on stderr, the seconds on stdout
  local label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$dir/time.txt" "$@" >"$dir/out.txt" 2>"$dir/err.txt" || {
    echo "$label failed ($?):" >&2; cat "$dir/err.txt" >&2; exit 1; }
  read -r secs rss user sys <"$dir/time.txt"
  printf '%-36s %8.2f s  %6.2f s CPU  %6.0f MB RSS  %s\n' "$label" "$secs" "$(python3 -c "print($user + $sys)")" \
    "$((rss / 1024))" "$(tail -1 "$dir/out.txt")" >&2
  grep '^  sklearn' "$dir/err.txt" >&2 || true
  echo "$secs"
}

echo "== $rows binary predictions ($(du -h "$data" | cut -f1) CSV); $(nproc) cores" >&2
ours0=$(measure "mlstages evaluate --resamples 0" bin/mlstages evaluate --task binary --predictions "$data" \
  --label label --score score --resamples 0 --report "$dir/report-0.json")
ours200=$(measure "mlstages evaluate --resamples 200" bin/mlstages evaluate --task binary --predictions "$data" \
  --label label --score score --resamples 200 --report "$dir/report-200.json")
theirs=$(measure "scikit-learn, 200 resamples" "$python" bench/evaluate_peer.py run "$data" 200)

peer=$(tail -1 "$dir/out.txt")
field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<<"$peer"; }
ratio() { python3 -c "print(f'{$1 / $2:.3f}')"; }
echo "== ratios (ours / theirs; below 1 means we are faster)" >&2
echo "whole run, read + all metrics + 200 resamples: mlstages $ours200 s / sklearn $theirs s = $(ratio "$ours200" "$theirs")" >&2
no_boot=$(python3 -c "print(f'{$theirs - $(field bootstrap):.2f}')")
echo "read + all metrics, no bootstrap:              mlstages $ours0 s / sklearn $no_boot s = $(ratio "$ours0" "$no_boot")  (sklearn: its wall time less its bootstrap; inside Python alone $(field read) + $(field metrics) s)" >&2
echo "bootstrap alone (difference of our two runs):  mlstages $(python3 -c "print(f'{$ours200 - $ours0:.2f}')") s / sklearn $(field bootstrap) s" >&2
echo "sklearn roc_auc_score alone: $(field auc) s (ours is not timed alone: see the stage totals)" >&2
