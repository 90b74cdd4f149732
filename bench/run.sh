#!/usr/bin/env bash
# The validate-data benchmark: a side-by-side run of `mlstages validate-data` (profile + schema
# checks + drift against a reference), DuckDB (JDBC, the same profile in SQL) and pandas + SciPy on
# the same files, printing each time and our time over theirs.
# It also profiles the same rows as JSON lines (ours only) and prints that throughput next to CSV's.
# Usage: bench/run.sh [ROWS [REFERENCE_ROWS]]   (default 5,000,000 and 1,000,000; ~1.2 GB of CSV)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rows=${1:-5000000}
ref_rows=${2:-1000000}
dir="$root/target/bench/$rows"
python="$root/target/mlflow-venv/bin/python"

bash tools/mlflow-venv.sh target/mlflow-venv
[ -f cli/target/mlstages.jar ] || mvn -B -q -DskipTests package
if [ ! -f "$dir/current.parquet" ]; then
  echo "== generating $rows + $ref_rows rows into $dir"
  "$python" bench/generate.py "$dir" "$rows" "$ref_rows"
fi
for f in current reference; do # the same rows as JSON lines, as pandas writes them
  [ -f "$dir/$f.jsonl" ] || "$python" bench/to_jsonl.py "$dir/$f.csv" "$dir/$f.jsonl"
done
mvn -B -q -f bench/pom.xml -DskipTests package dependency:build-classpath -Dmdep.outputFile="$dir/duckdb.classpath" >/dev/null

bin/mlstages --version >/dev/null # builds the launcher's class archive once, outside the timings

measure() { # label, command...: prints wall seconds, CPU seconds (user + system) and peak RSS; the wall seconds on stdout
  local label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$dir/time.txt" "$@" >"$dir/out.txt" 2>"$dir/err.txt" || {
    local rc=$?; [ $rc -le 1 ] || { echo "$label failed ($rc):"; cat "$dir/err.txt"; exit 1; }; }
  read -r secs rss user sys <"$dir/time.txt"
  printf '%-34s %8.2f s  %7.2f s CPU  %7.0f MB RSS  %s\n' "$label" "$secs" "$(python3 -c "print($user + $sys)")" \
    "$((rss / 1024))" "$(tail -1 "$dir/out.txt")" >&2
  echo "$secs $(python3 -c "print($user + $sys)")" >"$dir/last-cpu.txt"
  echo "$secs"
}

echo "== $rows rows ($(du -h "$dir/current.csv" | cut -f1) CSV), reference $ref_rows rows; 2 cores" >&2
ours_csv=$(measure "mlstages CSV (-Xmx256m)" env MLSTAGES_JAVA_OPTS=-Xmx256m bin/mlstages validate-data \
  --data "$dir/current.csv" --reference "$dir/reference.csv" --schema bench/schema.yaml --report "$dir/report-csv.json")
read -r _ ours_csv_cpu <"$dir/last-cpu.txt"
ours_jsonl=$(measure "mlstages JSON lines (-Xmx256m)" env MLSTAGES_JAVA_OPTS=-Xmx256m bin/mlstages validate-data \
  --data "$dir/current.jsonl" --reference "$dir/reference.jsonl" --schema bench/schema.yaml --report "$dir/report-jsonl.json")
read -r _ ours_jsonl_cpu <"$dir/last-cpu.txt"
ours_pq=""
if bin/mlstages validate-data --data "$dir/reference.parquet" --infer-schema "$dir/probe.yaml" >/dev/null 2>&1; then
  ours_pq=$(measure "mlstages Parquet (-Xmx256m)" env MLSTAGES_JAVA_OPTS=-Xmx256m bin/mlstages validate-data \
    --data "$dir/current.parquet" --reference "$dir/reference.parquet" --schema bench/schema.yaml --report "$dir/report-pq.json")
fi
duck_csv=$(measure "duckdb CSV (profile only)" java -cp "$(cat "$dir/duckdb.classpath"):bench/target/classes" \
  io.jenkins.plugins.mlstages.bench.DuckDbPeer "$dir/current.csv" "$dir/reference.csv")
duck_pq=$(measure "duckdb Parquet (profile only)" java -cp "$(cat "$dir/duckdb.classpath"):bench/target/classes" \
  io.jenkins.plugins.mlstages.bench.DuckDbPeer "$dir/current.parquet" "$dir/reference.parquet")
pandas_csv=$(measure "pandas+scipy CSV" "$python" bench/pandas_peer.py "$dir/current.csv" "$dir/reference.csv")
pandas_pq=$(measure "pandas+scipy Parquet" "$python" bench/pandas_peer.py "$dir/current.parquet" "$dir/reference.parquet")

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
echo "== ratios (ours / theirs; below 1 means we are faster)" >&2
echo "CSV:     mlstages/duckdb $(ratio "$ours_csv" "$duck_csv")   mlstages/pandas $(ratio "$ours_csv" "$pandas_csv")" >&2
if [ -n "$ours_pq" ]; then
  echo "Parquet: mlstages/duckdb $(ratio "$ours_pq" "$duck_pq")   mlstages/pandas $(ratio "$ours_pq" "$pandas_pq")" >&2
fi
total=$((rows + ref_rows))
echo "CSV throughput: $(python3 -c "print(f'{$total / $ours_csv / 1e6:.2f}')") M rows/s (current + reference rows over wall time, JVM start included), $ours_csv_cpu s CPU" >&2
echo "JSON lines throughput: $(python3 -c "print(f'{$total / $ours_jsonl / 1e6:.2f}')") M rows/s, $ours_jsonl_cpu s CPU (the same rows; JSON lines / CSV: $(ratio "$ours_jsonl" "$ours_csv") wall, $(ratio "$ours_jsonl_cpu" "$ours_csv_cpu") CPU)" >&2
