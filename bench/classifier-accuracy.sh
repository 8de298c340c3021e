#!/usr/bin/env bash
# Centralized vs FedAvg vs FedProx on Dirichlet(0.5) and IID: final test accuracy, rounds to 85%,
# wall time. Prints a markdown table (recorded in docs/benchmarks.md). Takes ~20-30 min on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/bench-classifier}; mkdir -p "$OUT"
ROUNDS=${ROUNDS:-20}
row() { # label runs-dir
  local m; m=$(ls -d "$2"/classifier-* | tail -1)/metrics.jsonl
  python3 - "$1" "$m" "$3" <<'PY'
import json,sys
label,path,secs=sys.argv[1],sys.argv[2],sys.argv[3]
rows=[json.loads(l) for l in open(path) if l.strip()]
acc=[r.get("eval",{}).get("test_accuracy",r.get("test_accuracy")) for r in rows]
reach=next((r["round"] for r,a in zip(rows,acc) if a is not None and a>=0.85),None)
print(f"| {label} | {acc[-1]:.4f} | {reach if reach else 'not reached'} | {secs} s |")
PY
}
echo "| setting | final test accuracy | rounds to 85% | wall time |"
echo "|---|---|---|---|"
s=$(date +%s); ./atelier train classifier --runs-dir "$OUT/central" >"$OUT/central.log" 2>&1; e=$(date +%s)
python3 -c "import json;print('| centralized (pooled private split, 4000 steps x 64) | %.4f | - | %d s |' % (json.loads(open('$(ls -d "$OUT"/central/classifier-* | tail -1)/metrics.jsonl').readline())['test_accuracy'], $e-$s))"
for part in dirichlet:0.5 iid; do
  for strat in fedavg fedprox; do
    d="$OUT/$strat-${part/:/}"; s=$(date +%s)
    ./atelier simulate classifier --nodes 8 --partition "$part" --rounds "$ROUNDS" --strategy "$strat" --runs-dir "$d" >"$d.log" 2>&1
    e=$(date +%s); row "$strat, $part, 8 nodes, $ROUNDS rounds x 50 steps" "$d" $((e-s))
  done
done
