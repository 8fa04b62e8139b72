#!/usr/bin/env bash
# build.sh VERB - the one entry point for setting up, building, testing and running gpupredictd.
#
#   setup   install what a fresh Debian 12 machine lacks (idempotent; silent when all is there)
#   build   native code (make -C native), then the .NET solution
#   test    setup + build, then the native checks and every .NET test project
#   demo    setup + build, then replay the bundled real traces on a simulated GPU node, and run
#           gpupredictd live on them (loadgen under the interposer, libcuda test double)
#   clean   remove build outputs
#
# Environment: CONFIGURATION (Release), GPUPREDICT_SKIP_SETUP=1 to skip the package check.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
readonly CONFIGURATION="${CONFIGURATION:-Release}"
readonly DOTNET_MAJOR=10

# Debian packages the build, the tests and later the eBPF probe and the D-Bus service need.
readonly APT_PACKAGES=(
	make gcc libc6-dev pkg-config      # native/ (interposer, tools, native tests)
	clang llvm libbpf-dev bpftool      # native/bpf (CO-RE eBPF probe)
	libsystemd-dev dbus                # sd-bus and sd_notify; a private dbus-daemon for tests
	sqlite3                            # inspecting Nsight Systems exports by hand
	libgomp1                           # OpenMP runtime of LightGBM's native library (gbm forecaster)
)

log() { printf '%s\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

missing_packages() {
	local pkg
	for pkg in "${APT_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || printf '%s\n' "$pkg"
	done
}

setup() {
	[[ "${GPUPREDICT_SKIP_SETUP:-0}" == 1 ]] && return 0
	command -v dpkg-query >/dev/null || die "setup expects a Debian or Ubuntu machine (no dpkg-query found)"
	local missing
	mapfile -t missing < <(missing_packages)
	if ((${#missing[@]} > 0)); then
		local sudo=()
		if ((EUID != 0)); then
			command -v sudo >/dev/null || die "need root to install: ${missing[*]}"
			sudo=(sudo)
		fi
		log "setup: installing ${missing[*]}"
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
	command -v dotnet >/dev/null || die "the .NET ${DOTNET_MAJOR} SDK is required (dotnet not on PATH); install it from Microsoft's packages"
	dotnet --list-sdks | grep -q "^${DOTNET_MAJOR}\." || die "the .NET ${DOTNET_MAJOR} SDK is required; found: $(dotnet --list-sdks | tr '\n' ' ')"
}

build() {
	make -s -C native
	dotnet build gpupredictd.sln -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -clp:NoSummary -v:q
}

# Runs every test project; prints one closing line "N passed, N failed, N skipped" over all of them.
run_tests() {
	local log_file status=0
	log_file="$(mktemp)"
	trap 'rm -f "$log_file"' RETURN
	make -s -C native check 2>&1 | tee -a "$log_file" || status=1
	dotnet test gpupredictd.sln -c "$CONFIGURATION" --no-build -nologo 2>&1 | tee -a "$log_file" || status=1
	awk '
		/^[a-z_]+: [0-9]+ passed, [0-9]+ failed/ { passed += $2; failed += $4 }
		/(Passed|Failed)! +- Failed: / {
			gsub(/,/, ""); for (i = 1; i <= NF; i++) {
				if ($i == "Failed:") failed += $(i + 1)
				if ($i == "Passed:") passed += $(i + 1)
				if ($i == "Skipped:") skipped += $(i + 1)
			}
		}
		END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }
	' "$log_file"
	return "$status"
}

demo() {
	# The bundled traces, started together on one node of four simulated H100s (a common HPC node
	# size), under the shipped default policy; then, per policy, the fewest of those GPUs that keep
	# under-allocation within 1%. The plots go to out/demo/.
	dotnet "src/gpupredictctl/bin/${CONFIGURATION}/net${DOTNET_MAJOR}.0/gpupredictctl.dll" replay --gpus 4 \
		--policies policies/default.yaml --fit-gpus 1% --plots out/demo tests/fixtures/traces
	demo_live
}

# The live run: gpupredictd started unprivileged on a private runtime directory, and the same traces
# replayed as real driver calls by gpupredict-loadgen processes under the interposer. There is no GPU
# here: the driver they call is the libcuda TEST DOUBLE (native/build/testing/libcuda.so.1).
demo_live() {
	local out=out/demo/live
	local seconds="${GPUPREDICT_DEMO_SECONDS:-6}"
	rm -rf "$out" && mkdir -p "$out/events" "$out/run" "$out/apps"
	printf '\n== Live: gpupredictd managing the same traces replayed as driver calls ==\n'
	printf 'The applications are gpupredict-loadgen processes under libgpupredict-cuda.so, calling the libcuda\n'
	printf 'TEST DOUBLE (no GPU on this machine): allocations, kernel launches and copies at their recorded\n'
	printf 'times and sizes, looped for %s s. The daemon sees them exactly as it would see real applications.\n\n' "$seconds"
	dotnet "src/gpupredictctl/bin/${CONFIGURATION}/net${DOTNET_MAJOR}.0/gpupredictctl.dll" import \
		--export "$out/events" tests/fixtures/traces >"$out/import.log"
	local daemon_log="$out/gpupredictd.log"
	printf 'policies: %s\nstatus_interval: 250ms\n' "$PWD/policies/default.yaml" >"$out/gpupredictd.yaml"
	dotnet "src/gpupredictd/bin/${CONFIGURATION}/net${DOTNET_MAJOR}.0/gpupredictd.dll" --runtime-dir "$PWD/$out/run" \
		--gpus "4 x H100 80GB" --config "$out/gpupredictd.yaml" --summary >"$daemon_log" 2>&1 &
	local daemon=$!
	local waited=0
	until [[ -S "$out/run/register.sock" ]]; do
		sleep 0.1
		waited=$((waited + 1))
		if ((waited > 300)) || ! kill -0 "$daemon" 2>/dev/null; then
			cat "$daemon_log" >&2
			die "gpupredictd did not start"
		fi
	done
	local file name pids=()
	for file in "$out"/events/*.gpev; do
		name="$(basename "$file" .gpev)"
		name="${name%%.*}" # the trace's name, before its extensions and pid
		LD_PRELOAD="$PWD/native/build/intercept/libgpupredict-cuda.so" LD_LIBRARY_PATH="$PWD/native/build/testing" \
			GPUPREDICT_SOCKET="$PWD/$out/run/register.sock" GPUPREDICT_CUPTI=0 \
			native/build/gpupredict-loadgen --quiet --name "${name:0:15}" --loop 0 --duration "$seconds" "$file" \
			>"$out/apps/$(basename "$file" .gpev).json" &
		pids+=($!)
	done
	printf '%s applications started against %s\n' "${#pids[@]}" "$out/run/register.sock"
	wait "${pids[@]}"
	sleep 0.3 # the last exits reach the tick
	kill -TERM "$daemon"
	wait "$daemon" || true
	grep -v '^[0-9:.]* info: Gpupredict.Interop.Registration\|^[0-9:.]* info: Gpupredict.Node' "$daemon_log"
	printf '\nLogs, status and each application'"'"'s counters: %s/\n' "$out"
}

clean() {
	make -s -C native clean
	dotnet clean gpupredictd.sln -c "$CONFIGURATION" -nologo -v:q >/dev/null
}

case "${1:-}" in
setup) setup ;;
build) setup && build ;;
test) setup && build && run_tests ;;
demo) setup && build && demo ;;
clean) clean ;;
*)
	sed -n '2,12s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
