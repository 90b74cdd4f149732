#!/usr/bin/env bash
# validate-data of one dataset through a local Spark Connect server (the work pushed down) against the
# same rows as a Parquet file through the file path, with the wall time and the CLI's peak RSS (the
# agent's memory) of each. The server is the pinned pyspark's Spark (tools/spark-venv.sh), on loopback.
# Usage: bench/spark.sh [ROWS]   (default 10,000,000; the reference is a fifth of it)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rows=${1:-10000000}
dir="$root/target/bench/spark-$rows"
mkdir -p "$dir"
bash tools/spark-venv.sh target/spark-venv
spark_home=$(ls -d "$root"/target/spark-venv/lib/python3*/site-packages/pyspark)
[ -f cli/target/mlstages.jar ] && [ -d spark/target/mlstages-spark ] || mvn -B -q -DskipTests package
export SPARK_HOME=$spark_home SPARK_LOCAL_IP=127.0.0.1
local_conf=(--conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false
  --conf "spark.sql.warehouse.dir=$dir/warehouse" --driver-memory 4g)

dataset() { # rows, shift: numbers with nulls, categories, booleans, timestamps, one column shifted by SHIFT
  echo "SELECT /*+ COALESCE(1) */ id, CASE WHEN id % 10 = 0 THEN NULL ELSE (id % 997) * 1.5D END AS price,
    CASE WHEN id % 3 = 0 THEN 'a' WHEN id % 3 = 1 THEN 'b' ELSE 'c' END AS kind, id % 2 = 0 AS flag,
    timestamp_seconds(1767225600 + id % 86400) AS ts, CAST(pmod(id * 2654435761, 1000) / 10D + $2 AS DOUBLE) AS score
    FROM range($1)"
}
if [ ! -d "$dir/current" ]; then
  echo "== generating $rows + $((rows / 5)) rows into $dir (spark-sql, local)" >&2
  # from $dir: spark-sql leaves its Derby metastore (metastore_db/) in the working directory
  (cd "$dir" && "$spark_home/bin/spark-sql" "${local_conf[@]}" -e "
    INSERT OVERWRITE DIRECTORY '$dir/current' USING parquet $(dataset "$rows" 5);
    INSERT OVERWRITE DIRECTORY '$dir/reference' USING parquet $(dataset $((rows / 5)) 0);" \
    </dev/null >"$dir/generate.log" 2>&1)
fi
current=$(ls "$dir"/current/*.parquet | head -1)
reference=$(ls "$dir"/reference/*.parquet | head -1)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$spark_home/bin/spark-submit" --class org.apache.spark.sql.connect.service.SparkConnectServer "${local_conf[@]}" \
  --conf spark.connect.grpc.binding.address=127.0.0.1 --conf "spark.connect.grpc.binding.port=$port" spark-internal \
  </dev/null >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 180); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 1; done

measure() { # label, command...: wall seconds and the CLI's peak RSS
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >"$dir/out.txt" 2>"$dir/err.txt" || {
    local rc=$?; [ $rc -le 1 ] || { echo "$label failed ($rc):"; cat "$dir/err.txt"; exit 1; }; }
  read -r secs rss <"$dir/time.txt"
  printf '%-30s %8.2f s  %6.0f MB RSS  %s\n' "$label" "$secs" "$((rss / 1024))" "$(tail -1 "$dir/out.txt")"
}
echo "== validate-data, $rows rows against $((rows / 5)) (2 cores)"
measure "file path (Parquet)" bin/mlstages validate-data --data "$current" --reference "$reference"
measure "Spark Connect (pushed down)" bin/mlstages validate-data --spark-remote "sc://127.0.0.1:$port" \
  --query "SELECT * FROM parquet.\`$dir/current\`" --reference-query "SELECT * FROM parquet.\`$dir/reference\`"
