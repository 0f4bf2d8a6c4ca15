#!/usr/bin/env bash
# kmetrics scale bench: a full scrape of simulated clusters and the metrics API under load.
#
#   scripts/bench.sh [--nodes 1000,5000] [--pods 30] [--ticks 4] [--api-requests 20]
#                    [--api-rate 200] [--api-duration 30] [--api-connections 32] [--no-api]
#                    [--no-build] [--build-dir DIR] [--out DIR]
#
# Builds kmetrics, kmetrics-sim, the two in-tree plugins and the load client (Release, into
# build-release/), then for every size N:
#   1. starts kmetrics-sim with N nodes x P pods (one kubelet event-loop thread) and registers 30
#      extra pods labelled app=hpa-web in namespace default (the target of the HPA-style query);
#   2. starts kmetrics with metrics-server's flags (resolution 15s, kubelet request timeout 10s,
#      /metrics always allowed so the bench can read the self-metrics);
#   3. measures the time from kmetrics' start to the first non-empty NodeMetricsList;
#   4. waits for steady state (ticks every resolution), then measures over --ticks ticks:
#      wall time per tick (metrics_server_manager_tick_duration_seconds sum/count), kmetrics CPU
#      seconds per tick (utime+stime from /proc/<pid>/stat), the simulator's CPU per tick, RSS;
#   5. API: --api-requests sequential full PodMetrics lists, then the HPA-style namespaced list
#      (namespace default, labelSelector app=hpa-web) at --api-rate requests/s for --api-duration
#      seconds on --api-connections keep-alive connections, straight to kmetrics' secure port with
#      the aggregator's credentials (front-proxy client cert + X-Remote-User/X-Remote-Group); the
#      ticks that ran during the load are reported too.
# An idle kmetrics against a cluster with 0 nodes is measured first: its RSS is subtracted from the
# per-node memory figure, and the per-node CPU is also given net of its CPU per resolution. Results: a table on stdout, raw values in <out>/results.tsv, logs in <out>.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-release
out=""
nodes_list="1000,5000"
pods=30
ticks=4
api=1
api_requests=20
api_rate=200
api_duration=30
api_connections=32
do_build=1
resolution=15

while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes_list=$2; shift 2 ;;
    --pods) pods=$2; shift 2 ;;
    --ticks) ticks=$2; shift 2 ;;
    --api-requests) api_requests=$2; shift 2 ;;
    --api-rate) api_rate=$2; shift 2 ;;
    --api-duration) api_duration=$2; shift 2 ;;
    --api-connections) api_connections=$2; shift 2 ;;
    --no-api) api=0; shift ;;
    --no-build) do_build=0; shift ;;
    --build-dir) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ "$do_build" = 1 ]; then
  "$root/scripts/deps.sh"
  echo "bench: building Release into $build ..." >&2
  # KMETRICS_BUILD_TESTS=OFF does not configure at the moment (host/src/config/CMakeLists.txt sets
  # compile definitions on test targets unconditionally); the default configuration is used and
  # only the bench's targets are built.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >"${TMPDIR:-/tmp}/kmetrics-bench-configure.log" \
    || { cat "${TMPDIR:-/tmp}/kmetrics-bench-configure.log" >&2; exit 1; }
  cmake --build "$build" -j "$(nproc)" --target kmetrics kmetrics-sim source_kubelet sink_metrics_api kmetrics_api_load
fi
bin=$build/bin
for b in kmetrics kmetrics-sim kmetrics_api_load; do
  [ -x "$bin/$b" ] || { echo "bench: $bin/$b is missing (build first or drop --no-build)" >&2; exit 1; }
done

[ -n "$out" ] || out=$build/bench-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
clk=$(getconf CLK_TCK)
# 5,000 keep-alive kubelet connections + listeners: raise the descriptor limit for kmetrics.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench: $*" >&2; }
now() { date +%s.%N; }
# CPU seconds (user+system) of a process, all threads; the fields after the ")" of the comm.
cpu_s() { awk -v clk="$clk" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / clk }' "/proc/$1/stat"; }
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
threads() { awk '$1 == "Threads:" { print $2 }' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# A port nobody listens on, on any address (colleagues' simulators use 127.x.y.z:10250 and others).
port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p=$1
  while ! port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# Requests to kmetrics' secure port as kube-apiserver's aggregator sends them.
kcurl() {
  curl -sS --max-time 60 --cert "$sim_dir/front-proxy-client.crt" --key "$sim_dir/front-proxy-client.key" -k \
    -H 'X-Remote-User: admin' -H 'X-Remote-Group: system:masters' "https://127.0.0.1:$kport$1"
}
metric() {  # metric NAME_WITH_LABELS from a /metrics text in $2
  awk -v m="$1" '$1 == m { v = $2 } END { print (v == "" ? 0 : v) }' "$2"
}
ticks_logged() { grep -c '] tick: ' "$1" 2>/dev/null || true; }
wait_ticks() {  # wait_ticks LOG TARGET_COUNT TIMEOUT_S
  local deadline=$(( $(date +%s) + $3 ))
  while [ "$(ticks_logged "$1")" -lt "$2" ]; do
    kill -0 "$kpid" 2>/dev/null || { log "kmetrics exited; see $1"; tail -20 "$1" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { log "timeout waiting for tick $2; see $1"; exit 1; }
    sleep 0.1
  done
}

start_sim() {  # start_sim NODES DIR PORT
  local kubelet_port
  kubelet_port=$(free_port 31250)
  # The simulator stands in for thousands of machines of their own; at nice 10 it yields the two
  # cores to kmetrics' API threads the way real kubelets (on other machines) would not take them.
  nice -n 10 "$bin/kmetrics-sim" --dir "$2" --nodes "$1" --pods-per-node "$pods" --kubelet-threads 1 --kubelet-port "$kubelet_port" \
    --metrics-backend "https://127.0.0.1:$3" >"$2.out" 2>"$2.log" &
  spid=$!
  pids+=("$spid")
  for _ in $(seq 1 600); do
    grep -q '^READY' "$2.out" 2>/dev/null && return 0
    kill -0 "$spid" 2>/dev/null || { log "kmetrics-sim failed; see $2.log"; tail -5 "$2.log" >&2; exit 1; }
    sleep 0.2
  done
  log "kmetrics-sim not ready after 120 s"; exit 1
}

start_kmetrics() {  # start_kmetrics SIM_DIR PORT LOG
  "$bin/kmetrics" \
    --kubeconfig "$1/kmetrics.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$2" --cert-dir "$1-certs" \
    --kubelet-certificate-authority "$1/kubelet-ca.crt" \
    --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname --kubelet-use-node-status-port \
    --metric-resolution="${resolution}s" --kubelet-request-timeout=10s \
    --authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics -v=2 >"$3" 2>&1 &
  kpid=$!
  pids+=("$kpid")
}

machine() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet HEAD -- host plugins sdk 2>/dev/null || echo ' (+ uncommitted changes in host/plugins/sdk)')"
  [ "$do_build" = 1 ] || echo "binaries: --no-build, kmetrics built $(date -u -r "$bin/kmetrics" +%Y-%m-%dT%H:%M:%SZ) (may not match the commit above)"
  echo "load: $(loadavg)"
}
machine | tee "$out/machine.txt" >&2

# ---- idle kmetrics: 0 nodes ----------------------------------------------------------------------
log "idle baseline: kmetrics against a cluster with 0 nodes (load $(loadavg))"
sim_dir=$out/sim-0
kport=$(free_port 38443)
start_sim 0 "$sim_dir" "$kport"
start_kmetrics "$sim_dir" "$kport" "$out/kmetrics-0.log"
sleep 5
idle_cpu0=$(cpu_s "$kpid")
sleep "$resolution"
# What kmetrics costs with no node (aggregator probes, watches, timers): subtracted like the idle RSS.
idle_cpu=$(calc "%.3f" "$(cpu_s "$kpid") - $idle_cpu0")
idle_rss=$(status_kib "$kpid" VmRSS)
idle_hwm=$(status_kib "$kpid" VmHWM)
idle_threads=$(threads "$kpid")
log "idle kmetrics: RSS $idle_rss KiB, HWM $idle_hwm KiB, $idle_threads threads, CPU ${idle_cpu}s per ${resolution}s"
cleanup

printf 'nodes\tpods\tload_start\tload_end\tfirst_metrics_s\tready_s\tticks\twall_per_tick_s\tcpu_per_tick_s\tsim_cpu_per_tick_s\trss_kib\thwm_kib\tidle_rss_kib\tmcore_per_node\tkib_per_node\tnodes_served\tpods_served\tscrape_errors\tthreads\tfds\tlist_p50_ms\tlist_p99_ms\tlist_bytes\tlist_items\thpa_requests\thpa_errors\thpa_items\thpa_p50_ms\thpa_p99_ms\thpa_max_ms\thpa_rps\thpa_cpu_us_per_req\tticks_under_load\twall_per_tick_under_load_s\tlate_scrapes_in_window\tidle_cpu_per_tick_s\tmcore_per_node_net\n' >"$out/results.tsv"

IFS=, read -r -a sizes <<<"$nodes_list"
for n in "${sizes[@]}"; do
  log "=== $n nodes x $pods pods (load $(loadavg)) ==="
  load_start=$(loadavg | cut -d' ' -f1)
  sim_dir=$out/sim-$n
  kport=$(free_port 38443)
  start_sim "$n" "$sim_dir" "$kport"
  admin=(--cert "$sim_dir/admin.crt" --key "$sim_dir/admin.key" --cacert "$sim_dir/ca.crt")
  api_url=$(sed -n 's/^ *"url": *"\(https:[^"]*\)".*/\1/p;T;q' "$sim_dir/sim.json")  # the first "url": apiserver.url
  # The HPA target: 30 pods labelled app=hpa-web in namespace default, one per node on nodes 0..29.
  for i in $(seq 0 29); do
    curl -sS -f -o /dev/null -X POST "${admin[@]}" \
      "$api_url/sim/pods?namespace=default&name=hpa-web-$i&node=node-$((i % n))&labels=app%3Dhpa-web,tier%3Dfrontend" \
      || { log "cannot add pod hpa-web-$i"; exit 1; }
  done
  sim_cpu_ready=$(cpu_s "$spid")

  klog=$out/kmetrics-$n.log
  t0=$(now)
  start_kmetrics "$sim_dir" "$kport" "$klog"
  first=""
  while [ -z "$first" ]; do
    kill -0 "$kpid" 2>/dev/null || { log "kmetrics exited; see $klog"; tail -20 "$klog" >&2; exit 1; }
    if kcurl /apis/metrics.k8s.io/v1beta1/nodes 2>/dev/null | grep -q '"window"'; then first=$(calc '%.2f' "$(now) - $t0"); break; fi
    [ "$(calc '%d' "$(now) - $t0")" -lt 900 ] || { log "no metrics after 900 s"; exit 1; }
    sleep 0.1
  done
  log "first metrics served ${first}s after kmetrics started"
  # Steady state: readyz passes (every node has two points), then ticks come every resolution.
  while ! kcurl /readyz 2>/dev/null | grep -q '^ok'; do
    kill -0 "$kpid" 2>/dev/null || { log "kmetrics exited; see $klog"; exit 1; }
    [ "$(calc '%d' "$(now) - $t0")" -lt 900 ] || { log "not ready after 900 s"; exit 1; }
    sleep 0.2
  done
  ready=$(calc '%.2f' "$(now) - $t0")
  c=$(ticks_logged "$klog")
  wait_ticks "$klog" $((c + 2)) 600

  # Measurement window: from right after one tick to right after the --ticks'th tick after it.
  c=$(ticks_logged "$klog")
  wait_ticks "$klog" $((c + 1)) 300
  kcurl /metrics >"$out/metrics-$n-start.txt"
  k_cpu0=$(cpu_s "$kpid"); s_cpu0=$(cpu_s "$spid"); c0=$(ticks_logged "$klog")
  wait_ticks "$klog" $((c0 + ticks)) $(((resolution + 60) * ticks))
  k_cpu1=$(cpu_s "$kpid"); s_cpu1=$(cpu_s "$spid")
  kcurl /metrics >"$out/metrics-$n-end.txt"
  rss=$(status_kib "$kpid" VmRSS); hwm=$(status_kib "$kpid" VmHWM); thr=$(threads "$kpid"); nfd=$(fds "$kpid")
  tsum0=$(metric metrics_server_manager_tick_duration_seconds_sum "$out/metrics-$n-start.txt")
  tcnt0=$(metric metrics_server_manager_tick_duration_seconds_count "$out/metrics-$n-start.txt")
  tsum1=$(metric metrics_server_manager_tick_duration_seconds_sum "$out/metrics-$n-end.txt")
  tcnt1=$(metric metrics_server_manager_tick_duration_seconds_count "$out/metrics-$n-end.txt")
  errors=$(awk '/^kmetrics_scrape_errors_total/ { s += $2 } END { print s + 0 }' "$out/metrics-$n-end.txt")
  late0=$(awk '/^kmetrics_scrape_late_total/ { s += $2 } END { print s + 0 }' "$out/metrics-$n-start.txt")
  late1=$(awk '/^kmetrics_scrape_late_total/ { s += $2 } END { print s + 0 }' "$out/metrics-$n-end.txt")
  late=$(calc '%d' "$late1 - $late0")
  served=$(grep '] tick: ' "$klog" | tail -1 | sed -n 's/.* \([0-9]*\) nodes and \([0-9]*\) pods served.*/\1 \2/p')
  wall=$(calc '%.3f' "($tsum1 - $tsum0) / ($tcnt1 - $tcnt0)")
  cpu=$(calc '%.3f' "($k_cpu1 - $k_cpu0) / $ticks")
  scpu=$(calc '%.3f' "($s_cpu1 - $s_cpu0) / $ticks")
  mcore=$(calc '%.5f' "$cpu / $resolution * 1000 / $n")
  mcore_net=$(calc '%.5f' "($cpu - $idle_cpu) / $resolution * 1000 / $n")  # what each node adds
  kib=$(calc '%.1f' "($rss - $idle_rss) / $n")
  load_end=$(loadavg | cut -d' ' -f1)
  log "$n nodes: wall/tick ${wall}s, CPU/tick ${cpu}s, sim CPU/tick ${scpu}s, RSS ${rss} KiB (HWM ${hwm}), served ${served:-?}, scrape errors $errors, late scrapes $late"

  lp50=-; lp99=-; lbytes=-; litems=-; hreq=-; herr=-; hitems=-; hp50=-; hp99=-; hmax=-; hrps=-; hcpu=-; tload=-; wload=-
  if [ "$api" = 1 ]; then
    creds=(--port "$kport" --cert "$sim_dir/front-proxy-client.crt" --key "$sim_dir/front-proxy-client.key"
           -H 'X-Remote-User: admin' -H 'X-Remote-Group: system:masters')
    # (a) full PodMetrics list, sequential, one keep-alive connection.
    "$bin/kmetrics_api_load" "${creds[@]}" --path /apis/metrics.k8s.io/v1beta1/pods --requests "$api_requests" \
      --count-items >"$out/api-list-$n.txt" 2>&1 || log "full list: errors (see $out/api-list-$n.txt)"
    r=$(head -1 "$out/api-list-$n.txt")
    kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }
    lp50=$(kv p50_ms "$r"); lp99=$(kv p99_ms "$r"); lbytes=$(kv bytes "$r"); litems=$(kv items "$r")
    log "full list: $r"
    # (b) HPA-style namespaced list with a label selector at a fixed rate.
    kcurl /metrics >"$out/metrics-$n-load0.txt"
    k_cpu0=$(cpu_s "$kpid"); c0=$(ticks_logged "$klog")
    "$bin/kmetrics_api_load" "${creds[@]}" \
      --path '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dhpa-web' \
      --rate "$api_rate" --duration "$api_duration" --connections "$api_connections" --count-items \
      >"$out/api-hpa-$n.txt" 2>&1 || log "HPA list: errors (see $out/api-hpa-$n.txt)"
    k_cpu1=$(cpu_s "$kpid"); c1=$(ticks_logged "$klog")
    kcurl /metrics >"$out/metrics-$n-load1.txt"
    r=$(head -1 "$out/api-hpa-$n.txt")
    log "HPA list: $r"
    kcurl '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dhpa-web' >"$out/hpa-list-$n.json" || true
    e1=$(kv errors "$r"); e2=$(kv non2xx "$r")
    hreq=$(kv requests "$r"); herr=$(( ${e1:-0} + ${e2:-0} )); hitems=$(kv items "$r")
    [ -n "$hreq" ] || hreq=1
    hp50=$(kv p50_ms "$r"); hp99=$(kv p99_ms "$r"); hmax=$(kv max_ms "$r"); hrps=$(kv achieved_rps "$r")
    tload=$((c1 - c0))
    ls0=$(metric metrics_server_manager_tick_duration_seconds_sum "$out/metrics-$n-load0.txt")
    lc0=$(metric metrics_server_manager_tick_duration_seconds_count "$out/metrics-$n-load0.txt")
    ls1=$(metric metrics_server_manager_tick_duration_seconds_sum "$out/metrics-$n-load1.txt")
    lc1=$(metric metrics_server_manager_tick_duration_seconds_count "$out/metrics-$n-load1.txt")
    if [ "$lc1" != "$lc0" ]; then wload=$(calc '%.3f' "($ls1 - $ls0) / ($lc1 - $lc0)"); fi
    # kmetrics CPU per HPA request (includes the ticks that ran meanwhile: subtract their share).
    hcpu=$(calc '%.0f' "(($k_cpu1 - $k_cpu0) - $tload * $cpu) / $hreq * 1e6")
  fi

  printf '%s\n' "$n	$pods	$load_start	$load_end	$first	$ready	$ticks	$wall	$cpu	$scpu	$rss	$hwm	$idle_rss	$mcore	$kib	${served% *}	${served#* }	$errors	$thr	$nfd	$lp50	$lp99	$lbytes	$litems	$hreq	$herr	$hitems	$hp50	$hp99	$hmax	$hrps	$hcpu	$tload	$wload	$late	$idle_cpu	$mcore_net" >>"$out/results.tsv"
  cleanup
done

# ---- table ----------------------------------------------------------------------------------------
{
  echo
  echo "kmetrics scale bench ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load now $(loadavg)), resolution ${resolution}s, $pods pods/node (+30 HPA pods)"
  awk -F'\t' 'NR > 1 {
    printf "\n%s nodes (load %s -> %s)\n", $1, $3, $4
    printf "  time to first served metrics      %8s s   (readyz ok at %s s)\n", $5, $6
    printf "  wall time per tick                %8s s   (mean of %s ticks)\n", $8, $7
    printf "  kmetrics CPU per tick             %8s s   (idle kmetrics %s s)\n", $9, $36
    printf "  simulator CPU per tick            %8s s\n", $10
    printf "  RSS steady / peak (VmHWM)         %8.1f / %.1f MiB   (idle kmetrics %.1f MiB)\n", $11/1024, $12/1024, $13/1024
    printf "  per node at 15 s                  %8s millicores (%s above idle), %s KiB above idle\n", $14, $37, $15
    printf "  served nodes / pods               %8s / %s   scrape errors %s (total), late scrapes %s (window), threads %s, fds %s\n", $16, $17, $18, $35, $19, $20
    if ($21 != "-") {
      printf "  full PodMetrics list              p50 %s ms, p99 %s ms (%s items, %s bytes)\n", $21, $22, $24, $23
      printf "  HPA list (app=hpa-web, default)   p50 %s ms, p99 %s ms, max %s ms; %s requests at %s/s, %s errors, %s items each\n", $28, $29, $30, $25, $31, $26, $27
      printf "                                    kmetrics CPU %s us/request; %s ticks during the load, %s s each\n", $32, $33, $34
    }
  }' "$out/results.tsv"
  echo
  echo "raw: $out/results.tsv; logs: $out"
} | tee "$out/table.txt"
