#!/usr/bin/env bash
# Runs every test project and ends with one line "N passed, N failed, N skipped" computed from the TRX results.
# Installs what the tests need first (Debian packages for later suites are added here as they arrive).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

status=0
# Real tokenizer files for the tokenizer tests (cached outside the repo; tests skip with a message when absent).
"$root/tests/fixtures/fetch-tokenizers.sh" || echo "fetch-tokenizers failed; tests that need real tokenizer files will skip" >&2

# MPI for the multi-process training tests: Open MPI and MPICH side by side (Debian's alternatives pick one for plain
# `mpirun`; the tests call mpirun.openmpi and mpirun.mpich), and libpmix-dev, whose unversioned libpmix.so Slurm's
# mpi/pmix plugin loads for `srun --mpi=pmix`. The tests that need a launcher are skipped without one.
# libtcmalloc-minimal4: the allocator `pharos` preloads where installed (src/Pharos.Models/NativeAllocator.cs), so the
# tests run the CLI (and every mpirun/srun rank) as users with it installed do.
if [[ $(id -u) -eq 0 ]] && { ! command -v mpirun.openmpi >/dev/null || ! command -v mpirun.mpich >/dev/null || ! dpkg -s libpmix-dev >/dev/null 2>&1 \
    || ! dpkg -s libtcmalloc-minimal4 >/dev/null 2>&1; }; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends openmpi-bin mpich libpmix-dev libtcmalloc-minimal4; } >/dev/null \
    || echo "MPI/tcmalloc packages not installed: the multi-process training tests will be skipped, pharos runs on glibc's malloc" >&2
fi

# A real single-node Slurm for the curation and training Slurm tests (Debian slurm-wlm + munge; ~20 s to install, ~1 s to start).
# Only the daemons started here are stopped at the end, by their PIDs.
slurm_dir=$(mktemp -d /tmp/pharos-slurm.XXXXXX)
stop_slurm() {
  for f in "$slurm_dir/ctld.pid" "$slurm_dir/d.pid"; do
    [[ -f "$f" ]] && kill "$(cat "$f")" 2>/dev/null
  done
  [[ -f "$slurm_dir/munged.pid" ]] && kill "$(cat "$slurm_dir/munged.pid")" 2>/dev/null
  return 0
}
trap stop_slurm EXIT
if [[ $(id -u) -eq 0 ]] && bash tests/slurm-up.sh "$slurm_dir"; then
  export PHAROS_SLURM_TEST=1
else
  echo "Slurm not started: the Slurm tests will not run" >&2
fi

if ! dotnet build Pharos.slnx -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# xunit runs test classes in parallel in one process, each calling libtorch with its own OpenMP threads: more threads
# than cores. Idle OpenMP threads then sleep instead of spinning (src/Pharos.Models/OpenMpWaitPolicy.cs has the numbers;
# pharos itself only shortens the spinning, which costs nothing on a free machine).
if [[ -z "${OMP_WAIT_POLICY:-}" && -z "${GOMP_SPINCOUNT:-}" ]]; then export OMP_WAIT_POLICY=PASSIVE; fi

# One project at a time, each with its own TRX file (timestamped names collide when projects finish together).
# --blame: if a test host crashes, the log names the tests that were running (a crash leaves no failed test behind).
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build --nologo --blame \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" || status=1
done

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get total); x=$(get executed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
  skipped=$((skipped + ${t:-0} - ${x:-0}))
done

if [[ $status -ne 0 && $failed -eq 0 ]]; then
  echo "a test host exited with an error without a failed test in its results (crash or no tests)" >&2
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[[ $status -eq 0 && $failed -eq 0 && $files -gt 0 ]]
