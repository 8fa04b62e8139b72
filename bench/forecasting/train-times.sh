#!/usr/bin/env bash
# Wall time of `gpupredictctl train` per model on one core (taskset -c 0), on the bundled traces and,
# when DATA is given, on the 129 Alibaba GenAI pods.
#
#   bench/forecasting/train-times.sh [DATA] [MODELS]
set -euo pipefail
data=${1:-}
models=${2:-gbm,gbm-events,mlp,lstm,gru,rnn,transformer,ensemble,conformal-ensemble}
root=$(cd "$(dirname "$0")/../.." && pwd)
ctl=(taskset -c 0 dotnet "${GPUPREDICTCTL:-$root/src/gpupredictctl/bin/Release/net10.0/gpupredictctl.dll}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-20s %12s %12s\n' model bundled alibaba
for m in ${models//,/ }; do
    start=$EPOCHREALTIME
    "${ctl[@]}" train --forecaster "$m" --out "$tmp/$m.gpfc" "$root/tests/fixtures/traces" > /dev/null 2>&1
    bundled=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f s", b - a }')
    alibaba=-
    if [ -n "$data" ]; then
        start=$EPOCHREALTIME
        "${ctl[@]}" train --forecaster "$m" --out "$tmp/$m-a.gpfc" --alibaba "$data/alibaba-clusterdata/cluster-trace-v2026-GenAI" > /dev/null 2>&1
        alibaba=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f s", b - a }')
    fi
    printf '%-20s %12s %12s\n' "$m" "$bundled" "$alibaba"
done
