#!/usr/bin/env bash
# Learning curves: by-application skill against ewma as the number of training applications grows.
#
#   bench/forecasting/learning-curve.sh DATA [MODELS] [COUNTS]
#
# On the Alibaba GenAI pods (DATA/alibaba-clusterdata/cluster-trace-v2026-GenAI), five folds; each
# fold's model is fitted on COUNTS (default 4 8 16 32 64 and all) of the other folds' pods, forecasts
# from every 4th step. Prints one ranking per count.
set -euo pipefail
data=${1:?usage: learning-curve.sh DATA [MODELS] [COUNTS]}
models=${2:-gbm,lstm}
counts=${3:-4 8 16 32 64 all}
root=$(cd "$(dirname "$0")/../.." && pwd)
ctl=(dotnet "${GPUPREDICTCTL:-$root/src/gpupredictctl/bin/Release/net10.0/gpupredictctl.dll}")
for n in $counts; do
    cap=()
    [ "$n" = all ] || cap=(--training-applications "$n")
    echo "== training applications per fold: $n"
    "${ctl[@]}" backtest --split by-application --origin-every 4 --forecaster "$models" "${cap[@]}" \
        --alibaba "$data/alibaba-clusterdata/cluster-trace-v2026-GenAI" | sed -n '/^ranking/,/^$/p'
done
