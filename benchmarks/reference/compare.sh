#!/usr/bin/env bash
# Times the original approach (materialise_and_shuffle.py) against Cohort's sampler
# (dev.cohort.benchmarks.SamplerTiming), each as a whole process, on the same (n, k, N) grid.
#
#   benchmarks/reference/compare.sh [n,k,N ...]     (default: the grid of issue 8)
#
# Needs benchmarks/target/benchmarks.jar (./mvnw -B -q -pl benchmarks -am package -DskipTests),
# python3 and GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time), which gives the
# wall-clock time and the peak resident memory (-v) of each process.
#
# The reference gets at most REFERENCE_TIMEOUT seconds (default 60, via timeout(1)) and at most
# REFERENCE_MEMORY_CAP_MB of address space (default 8192, via ulimit -v, so it fails with a
# MemoryError instead of pushing the machine into swap or the OOM killer). A point whose
# combination list would not fit under the cap is not started; the table then shows the C(n,k)
# it would need to hold. Environment: JAVA (default java), PYTHON (default python3), JAR.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-$here/../target/benchmarks.jar}
java=${JAVA:-java}
python=${PYTHON:-python3}
timeout_s=${REFERENCE_TIMEOUT:-60}
cap_mb=${REFERENCE_MEMORY_CAP_MB:-8192}
reference=$here/materialise_and_shuffle.py
# Time the interpreter itself, not a version manager's wrapper script in front of it.
python=$("$python" -c 'import sys; print(sys.executable)')

if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true >/dev/null 2>&1; then
  echo "compare.sh needs GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time)" >&2
  exit 2
fi
if [[ ! -f $jar ]]; then
  echo "no $jar: build it with ./mvnw -B -q -pl benchmarks -am package -DskipTests" >&2
  exit 2
fi
if (($# == 0)); then
  set -- 10,2,45 100,5,10000 1000,3,100000 10000,5,100000 200,10,1000000
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Reads "Elapsed (wall clock) time" (h:mm:ss or m:ss.cc) as seconds and "Maximum resident set
# size" as MiB from a /usr/bin/time -v report.
wall_seconds() {
  awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$1"
}
peak_mib() {
  awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"
}
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3gx", a / b; else print "n/a" }'
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)," \
  "load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 | head -1); $("$python" --version 2>&1)"
echo "Reference limits: ${timeout_s} s, ${cap_mb} MiB. 'process' = whole process wall clock (startup included);"
echo "'in-process' = the planning step alone, as each program times it."
echo
printf '%-16s %22s | %-34s | %-28s | %-22s\n' "n,k,N" "C(n,k)" \
  "reference: process / peak / in-process" "cohort: process / peak / in-process" "ratio process / in-proc"

for point in "$@"; do
  IFS=, read -r n k wanted <<<"$point"

  /usr/bin/time -v -o "$work/java.time" "$java" -cp "$jar" dev.cohort.benchmarks.SamplerTiming "$point" \
    >"$work/java.out"
  ours_ms=$(awk -F'\t' 'NR == 2 { print $6 }' "$work/java.out")
  ours_wall=$(wall_seconds "$work/java.time")
  ours_peak=$(peak_mib "$work/java.time")
  ours="$(printf '%6ss / %5s MiB / %8s ms' "$ours_wall" "$ours_peak" "$ours_ms")"

  read -r count bytes < <("$python" "$reference" --estimate "$n" "$k")
  need_mib=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }')
  if awk -v need="$need_mib" -v cap="$cap_mb" 'BEGIN { exit !(need > cap) }'; then
    printf '%-16s %22s | %-34s | %-28s | %-22s\n' "$point" "$count" \
      "not run: needs ~${need_mib} MiB" "$ours" "-"
    continue
  fi

  set +e
  (ulimit -v $((cap_mb * 1024)); exec /usr/bin/time -v -o "$work/py.time" \
    timeout "$timeout_s" "$python" "$reference" "$n" "$k" "$wanted") >"$work/py.out" 2>"$work/py.err"
  status=$?
  set -e
  ref_wall=$(wall_seconds "$work/py.time")
  ref_peak=$(peak_mib "$work/py.time")
  if ((status == 124)); then
    # The reference would take longer than the limit, so the limit gives a lower bound on the ratio.
    result="no finish in ${timeout_s} s (${ref_peak} MiB)"
    printf '%-16s %22s | %-34s | %-28s | %-22s\n' "$point" "$count" "$result" "$ours" \
      ">$(ratio "$timeout_s" "$ours_wall") / >$(ratio "$((timeout_s * 1000))" "$ours_ms")"
  elif ((status != 0)); then
    reason=$(grep -m1 -o 'MemoryError' "$work/py.err" || echo "exit $status")
    printf '%-16s %22s | %-34s | %-28s | %-22s\n' "$point" "$count" \
      "failed: $reason after ${ref_wall} s" "$ours" "-"
  else
    ref_s=$(awk -F'\t' '{ print $6 }' "$work/py.out")
    ref_ms=$(awk -v s="$ref_s" 'BEGIN { printf "%.3f", s * 1000 }')
    printf '%-16s %22s | %-34s | %-28s | %-22s\n' "$point" "$count" \
      "$(printf '%6ss / %5s MiB / %10s ms' "$ref_wall" "$ref_peak" "$ref_ms")" "$ours" \
      "$(ratio "$ref_wall" "$ours_wall") / $(ratio "$ref_ms" "$ours_ms")"
  fi
done
