#!/usr/bin/env bash
# JSON lines against CSV: `mlstages validate-data` (profile + 8 schema rules + drift on 16 columns, as in
# bench/run.sh) on the same rows as CSV and as JSON lines (bench/to_jsonl.py: pandas read_csv, then
# to_json(orient="records", lines=True)), ROUNDS times each, alternating. Prints per run the wall time, the
# CPU seconds (user + system) and rows/s over both files, JVM start included, and the medians on its last lines.
# Usage: bench/jsonl.sh [ROWS [REFERENCE_ROWS [ROUNDS]]]   (default 1,000,000, 200,000 and 3)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rows=${1:-1000000}
ref_rows=${2:-200000}
rounds=${3:-3}
dir="$root/target/bench/$rows"
python="$root/target/mlflow-venv/bin/python"

bash tools/mlflow-venv.sh target/mlflow-venv
[ -f cli/target/mlstages.jar ] || mvn -B -q -DskipTests package
if [ ! -f "$dir/current.csv" ]; then
  echo "== generating $rows + $ref_rows rows into $dir" >&2
  "$python" bench/generate.py "$dir" "$rows" "$ref_rows"
fi
for f in current reference; do
  [ -f "$dir/$f.jsonl" ] || "$python" bench/to_jsonl.py "$dir/$f.csv" "$dir/$f.jsonl"
done

bin/mlstages --version >/dev/null # builds the launcher's class archive once, outside the timings
total=$((rows + ref_rows))
declare -A walls cpus
run() { # format, round
  local f=$1
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" env MLSTAGES_JAVA_OPTS=-Xmx256m bin/mlstages validate-data \
    --data "$dir/current.$f" --reference "$dir/reference.$f" --schema bench/schema.yaml --report "$dir/report-$f.json" \
    >"$dir/out.txt" 2>"$dir/err.txt" || { local rc=$?; [ $rc -le 1 ] || { echo "$f failed ($rc):"; cat "$dir/err.txt"; exit 1; }; }
  read -r wall user sys rss <"$dir/time.txt"
  local cpu; cpu=$(python3 -c "print(f'{$user + $sys:.2f}')")
  printf '%-6s round %d  %7.2f s wall  %7.2f s CPU  %5.2f M rows/s  %4d MB RSS  (load %s)\n' "$f" "$2" "$wall" "$cpu" \
    "$(python3 -c "print($total / $wall / 1e6)")" "$((rss / 1024))" "$(cut -d' ' -f1 /proc/loadavg)" >&2
  walls[$f]+="$wall "; cpus[$f]+="$cpu "
}
echo "== $rows + $ref_rows rows: CSV $(du -hL "$dir/current.csv" | cut -f1), JSON lines $(du -hL "$dir/current.jsonl" | cut -f1); $(nproc) cores" >&2
for ((r = 1; r <= rounds; r++)); do
  run csv "$r"
  run jsonl "$r"
done
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.2f}')" $1; }
echo "== medians of $rounds rounds (rows/s over current + reference, JVM start included)" >&2
for f in csv jsonl; do
  w=$(median "${walls[$f]}"); c=$(median "${cpus[$f]}")
  printf '%-6s %7.2f s wall  %7.2f s CPU  %5.2f M rows/s  %5.2f M rows per CPU second\n' "$f" "$w" "$c" \
    "$(python3 -c "print($total / $w / 1e6)")" "$(python3 -c "print($total / $c / 1e6)")" >&2
done
echo "JSON lines / CSV: $(python3 -c "print(f'{$(median "${walls[jsonl]}") / $(median "${walls[csv]}"):.2f}')") wall, $(python3 -c "print(f'{$(median "${cpus[jsonl]}") / $(median "${cpus[csv]}"):.2f}')") CPU" >&2
