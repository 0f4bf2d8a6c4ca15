#!/usr/bin/env bash
# The kmetrics demo: builds everything, starts a simulated cluster (an apiserver with the
# aggregation layer and a few dozen kubelets on 127.0.0.0/8) and kmetrics serving it, shows
# `kubectl top`, then keeps running until Ctrl-C.
#   scripts/demo.sh                  (as root on a fresh Debian 12 machine: installs what is missing)
#   KMETRICS_DEMO_NODES=40 KMETRICS_DEMO_PODS=10 scripts/demo.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KMETRICS_BUILD_DIR:-$root/build}
nodes=${KMETRICS_DEMO_NODES:-24}
pods=${KMETRICS_DEMO_PODS:-6}

"$root/scripts/deps.sh"
echo "kmetrics demo: building (first build takes a while)..."
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j "$(nproc)" --target kmetrics kmetrics-sim source_kubelet sink_metrics_api

kubectl=$(command -v kubectl.1.33 || ls /usr/lib/google-cloud-sdk/bin/kubectl.1.33 2>/dev/null || command -v kubectl || true)
if [ -z "$kubectl" ]; then
  echo "kmetrics demo: no kubectl found; install one (e.g. Debian's kubernetes-client)" >&2
  exit 1
fi

work=$(mktemp -d /tmp/kmetrics-demo.XXXXXX)
pids=()
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "kmetrics demo: stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "kmetrics demo: stopped (logs kept in $work)"
}
trap cleanup EXIT INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=8443
while ! port_free "$port"; do port=$((port + 1)); [ "$port" -lt 8600 ] || { echo "no free port" >&2; exit 1; }; done

# Kubelets listen on 127.1.0.x; another simulated cluster may already use 10250 there.
kubelet_port=10250
while ! (! (exec 3<>"/dev/tcp/127.1.0.1/$kubelet_port") 2>/dev/null); do
  kubelet_port=$((kubelet_port + 1)); [ "$kubelet_port" -lt 10400 ] || { echo "no free kubelet port" >&2; exit 1; }
done

echo "kmetrics demo: starting a simulated cluster of $nodes nodes x $pods pods..."
"$build/bin/kmetrics-sim" --dir "$work/sim" --nodes "$nodes" --pods-per-node "$pods" --kubelet-port "$kubelet_port" \
  --metrics-backend "https://127.0.0.1:$port" >"$work/sim.out" 2>"$work/sim.log" &
pids+=($!)
for _ in $(seq 1 120); do
  grep -q '^READY' "$work/sim.out" 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "the simulated cluster failed; see $work/sim.log" >&2; tail -5 "$work/sim.log" >&2; exit 1; }
  sleep 0.5
done
grep -q '^READY' "$work/sim.out" || { echo "the simulated cluster did not become ready; see $work/sim.log" >&2; exit 1; }

# Exactly the flags metrics-server's components.yaml passes, plus where this cluster's files are.
echo "kmetrics demo: starting kmetrics on 127.0.0.1:$port..."
"$build/bin/kmetrics" \
  --kubeconfig "$work/sim/kmetrics.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port "$port" --cert-dir "$work/certs" \
  --kubelet-certificate-authority "$work/sim/kubelet-ca.crt" \
  --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname --kubelet-use-node-status-port \
  --metric-resolution=15s >"$work/kmetrics.log" 2>&1 &
pids+=($!)

admin="$work/sim/admin.kubeconfig"
start=$(date +%s)
while :; do
  if "$kubectl" --kubeconfig "$admin" top nodes >"$work/top-nodes.txt" 2>"$work/top.err"; then break; fi
  kill -0 "${pids[1]}" 2>/dev/null || { echo; echo "kmetrics exited; see $work/kmetrics.log" >&2; tail -20 "$work/kmetrics.log" >&2; exit 1; }
  elapsed=$(( $(date +%s) - start ))
  printf '\rkmetrics demo: waiting for metrics... %2ss (%s)   ' "$elapsed" "$(tail -1 "$work/top.err" | cut -c1-60)"
  [ "$elapsed" -lt 120 ] || { echo; echo "no metrics after 120s; see $work/kmetrics.log" >&2; exit 1; }
  sleep 1
done
printf '\rkmetrics demo: metrics served %ss after kmetrics started.%40s\n\n' "$(( $(date +%s) - start ))" ""

echo "\$ kubectl top nodes"
cat "$work/top-nodes.txt"
echo
echo "\$ kubectl top pods -A"
"$kubectl" --kubeconfig "$admin" top pods -A
cat <<EOM

kmetrics is running against the simulated cluster. In another terminal, try:

  $kubectl --kubeconfig $admin top nodes
  $kubectl --kubeconfig $admin top pods -A --containers --sort-by=cpu
  $kubectl --kubeconfig $admin get --raw /apis/metrics.k8s.io/v1beta1/nodes
  curl -sk --cert $work/sim/admin.crt --key $work/sim/admin.key $(sed -n 's/^ *server: *//p' "$admin" | head -1)/apis/metrics.k8s.io/v1beta1/namespaces/default/pods
  curl -sk https://127.0.0.1:$port/readyz?verbose
  tail -f $work/kmetrics.log

Press Ctrl-C to stop.
EOM
while kill -0 "${pids[1]}" 2>/dev/null && kill -0 "${pids[0]}" 2>/dev/null; do sleep 1; done
echo "kmetrics demo: a process exited; see $work" >&2
exit 1
