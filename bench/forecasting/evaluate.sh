#!/usr/bin/env bash
# The forecasting evaluation behind the README's tables: `gpupredictctl backtest --split by-application`
# (models fitted on some applications, scored from the first step of the others) on every real data
# set that yields a per-application GPU series.
#
#   bench/forecasting/evaluate.sh DATA [OUT] [MODELS]
#
# DATA is the folder holding the public data sets (hta-kineto-traces/, pipit-nsys-sqlite/,
# alibaba-clusterdata/); OUT (default out/forecasting) gets one table and one JSON per data set;
# MODELS is a comma-separated forecaster list (default below). Baselines (last-value, ewma) always run.
# GPUPREDICTCTL names another gpupredictctl.dll (default: this checkout's Release build).
set -euo pipefail
data=${1:?usage: evaluate.sh DATA [OUT] [MODELS]}
out=${2:-out/forecasting}
models=${3:-gbm,gbm-events,mlp,lstm,gru,rnn,transformer,vpa,conformal-ewma,ensemble,conformal-ensemble}
root=$(cd "$(dirname "$0")/../.." && pwd)
ctl=(dotnet "${GPUPREDICTCTL:-$root/src/gpupredictctl/bin/Release/net10.0/gpupredictctl.dll}")
mkdir -p "$out"

# The bundled traces: 6 processes of 6 recordings (tests/fixtures/traces).
"${ctl[@]}" backtest --split by-application --forecaster "$models" --json "$out/bundled.json" \
    "$root/tests/fixtures/traces" | tee "$out/bundled.txt"

# Every HTA Kineto trace with a GPU series, one per application: left out are the CPU-only trace,
# the Execution Trace (not Kineto), traces of 1-3 steps, and the second trace of the same job
# (trace_diff/test is the model of trace_diff/control on another GPU; trace_filter/sampled_rank-1
# is rank 1 of timeline_analysis/sampled_rank-0), which would leak across folds. Plus the two
# Nsight Systems exports.
k="$data/hta-kineto-traces"
"${ctl[@]}" backtest --split by-application --forecaster "$models" --json "$out/traces.json" \
    "$k/negative_queue_length_values_check/rank0.json.gz" \
    "$k/critical_path/alexnet/benchmark_result_2869224_1695835535_trace.json.gz" \
    "$k/nccl_parser_config/nccl_data.json.gz" \
    "$k/trace_diff/control/control.json.gz" \
    "$k/ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz" \
    "$k/df_index_resolver/df_index_resolver.json.gz" \
    "$k/execution_trace/benchmark_simple_add_trace.json.gz" \
    "$k/timeline_analysis/sampled_rank-0.json.gz" \
    "$k/amd_trace/mi250_minitoy_train_ROCm6_2_kineto.json.gz" \
    "$data/pipit-nsys-sqlite/perlmutter-cloverleaf-cuda.sqlite" \
    "$data/pipit-nsys-sqlite/saxpy-mpi-cuda_nsys_perlmutter0.sqlite" | tee "$out/traces.txt"

# The Alibaba GenAI pods: SM duty cycle and VRAM of 129 pods at 57 s steps (not 10 ms).
"${ctl[@]}" backtest --split by-application --forecaster "$models" --json "$out/alibaba.json" \
    --alibaba "$data/alibaba-clusterdata/cluster-trace-v2026-GenAI" | tee "$out/alibaba.txt"
