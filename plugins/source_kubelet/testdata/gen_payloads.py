#!/usr/bin/env python3
"""Writes the 110-pod payloads of one simulated node (deterministic, seed fixed).

  resource_110pods.txt   /metrics/resource as a 1.29 kubelet prints it (families sorted, [STABLE] help,
                         Go shortest-float formatting, ms timestamps, swap families with zeros)
  summary_110pods.json   /stats/summary (full) for the same node and pods

Run from this folder:  python3 gen_payloads.py
"""
import json
import random
from decimal import Decimal

random.seed(20261127)

NODE = "worker-3.prod-eu1.internal"
NOW_MS = 1764236160000  # 2025-11-27T09:36:00Z
BOOT_S = 1763460000     # node booted ~9 days before

def go_float(f):
    """Like Go's strconv.FormatFloat(f, 'g', -1, 64), which the Prometheus client uses: shortest
    digits; exponent form when the decimal exponent is < -4 or >= 6 (Go uses eprec = 6 for the
    shortest 'g' form), so 12533760 prints as 1.253376e+07 and 357.35491 stays as it is."""
    if f == 0:
        return "0"
    d = Decimal(repr(float(f)))
    sign, digits, exp = d.as_tuple()
    digits = "".join(map(str, digits)).rstrip("0") or "0"
    # position of decimal exponent for d.ddd form
    e10 = len("".join(map(str, d.as_tuple().digits))) + exp - 1
    if e10 < -4 or e10 >= 6:
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return ("-" if sign else "") + mant + "e" + ("-" if e10 < 0 else "+") + "%02d" % abs(e10)
    s = format(d.normalize(), "f")
    return s

def suffix(n, alphabet="bcdfghjklmnpqrstvwxz2456789"):
    return "".join(random.choice(alphabet) for _ in range(n))

def rs_hash():
    return suffix(random.choice([9, 10]))

pods = []  # (namespace, pod, [containers])
def add(ns, name, containers):
    pods.append((ns, name, containers))

add("kube-system", "coredns-76f75df574-" + suffix(5), ["coredns"])
add("kube-system", "coredns-76f75df574-" + suffix(5), ["coredns"])
add("kube-system", "kube-proxy-" + suffix(5), ["kube-proxy"])
add("kube-system", "calico-node-" + suffix(5), ["calico-node"])
add("kube-system", "ebs-csi-node-" + suffix(5), ["ebs-plugin", "node-driver-registrar", "liveness-probe"])
add("kube-system", "metrics-server-7db4fb59f9-" + suffix(5), ["metrics-server"])
add("kube-system", "node-local-dns-" + suffix(5), ["node-cache"])
add("monitoring", "prometheus-node-exporter-" + suffix(5), ["node-exporter"])
add("monitoring", "prometheus-k8s-1", ["prometheus", "config-reloader"])
add("monitoring", "alertmanager-main-0", ["alertmanager", "config-reloader"])
add("logging", "fluent-bit-" + suffix(5), ["fluent-bit"])
add("ingress-nginx", "ingress-nginx-controller-5c8d66c76d-" + suffix(5), ["controller"])
apps = [
    ("shop", ["cart", "catalog", "checkout", "frontend", "recommendation", "search"], True),
    ("payments", ["ledger", "payment-gateway", "fraud-scorer", "refunds"], True),
    ("identity", ["auth-api", "session-store", "user-profile"], False),
    ("data", ["kafka-connect", "etl-runner", "schema-registry"], False),
    ("batch", ["report-builder", "invoice-mailer"], False),
]
i = 0
rs = {}  # one ReplicaSet hash per deployment, as in a real cluster
while len(pods) < 110:
    ns, names, mesh = apps[i % len(apps)]
    app = names[(i // len(apps)) % len(names)]
    i += 1
    name = "%s-%s-%s" % (app, rs.setdefault(app, rs_hash()), suffix(5))
    containers = [app] + (["istio-proxy"] if mesh else [])
    add(ns, name, containers)

# Per-container values.
rows = []
for ns, pod, containers in pods:
    pod_start = BOOT_S + random.randint(3600, 700000)
    for c in containers:
        start = pod_start + random.randint(0, 30)
        cpu_ts = NOW_MS - random.randint(1000, 14000)
        mem_ts = cpu_ts + random.randint(0, 40)
        cpu_s = round(random.uniform(0.5, 90000.0), random.choice([3, 4, 5, 6]))
        mem = random.randint(4, 900) * 1048576 + random.randint(0, 1048575) // 4096 * 4096
        rows.append(dict(ns=ns, pod=pod, c=c, start=start, cpu_ts=cpu_ts, mem_ts=mem_ts, cpu=cpu_s, mem=mem))

node_cpu = 812345.123456
node_mem = 11838930944
node_ts = NOW_MS - 830

def lbl(r):
    return 'container="%s",namespace="%s",pod="%s"' % (r["c"], r["ns"], r["pod"])

def sort_key(r):
    return (r["c"], r["ns"], r["pod"])

out = []
def fam(name, help_, typ):
    out.append("# HELP %s %s" % (name, help_))
    out.append("# TYPE %s %s" % (name, typ))

fam("container_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the container in core-seconds", "counter")
for r in sorted(rows, key=sort_key):
    out.append("container_cpu_usage_seconds_total{%s} %s %d" % (lbl(r), go_float(r["cpu"]), r["cpu_ts"]))
fam("container_memory_working_set_bytes", "[STABLE] Current working set of the container in bytes", "gauge")
for r in sorted(rows, key=sort_key):
    out.append("container_memory_working_set_bytes{%s} %s %d" % (lbl(r), go_float(r["mem"]), r["mem_ts"]))
fam("container_start_time_seconds", "[STABLE] Start time of the container since unix epoch in seconds", "gauge")
for r in sorted(rows, key=sort_key):
    out.append("container_start_time_seconds{%s} %s" % (lbl(r), go_float(r["start"])))
fam("container_swap_usage_bytes", "[ALPHA] Current amount of the container swap usage in bytes. Reported only on non-windows systems", "gauge")
for r in sorted(rows, key=sort_key):
    out.append("container_swap_usage_bytes{%s} 0 %d" % (lbl(r), r["mem_ts"]))
fam("node_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the node in core-seconds", "counter")
out.append("node_cpu_usage_seconds_total %s %d" % (go_float(node_cpu), node_ts))
fam("node_memory_working_set_bytes", "[STABLE] Current working set of the node in bytes", "gauge")
out.append("node_memory_working_set_bytes %s %d" % (go_float(node_mem), node_ts))
fam("node_swap_usage_bytes", "[ALPHA] Current swap usage of the node in bytes. Reported only on non-windows systems", "gauge")
out.append("node_swap_usage_bytes 0 %d" % node_ts)
by_pod = {}
for r in rows:
    p = by_pod.setdefault((r["ns"], r["pod"]), dict(cpu=0.0, mem=0, ts=0))
    p["cpu"] += r["cpu"] + 0.05
    p["mem"] += r["mem"] + 8192 * 1024 // 16
    p["ts"] = max(p["ts"], r["cpu_ts"])
fam("pod_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the pod in core-seconds", "counter")
for (ns, pod), p in sorted(by_pod.items()):
    out.append('pod_cpu_usage_seconds_total{namespace="%s",pod="%s"} %s %d' % (ns, pod, go_float(round(p["cpu"], 6)), p["ts"]))
fam("pod_memory_working_set_bytes", "[STABLE] Current working set of the pod in bytes", "gauge")
for (ns, pod), p in sorted(by_pod.items()):
    out.append('pod_memory_working_set_bytes{namespace="%s",pod="%s"} %s %d' % (ns, pod, go_float(p["mem"]), p["ts"]))
fam("pod_swap_usage_bytes", "[ALPHA] Current amount of the pod swap usage in bytes. Reported only on non-windows systems", "gauge")
for (ns, pod), p in sorted(by_pod.items()):
    out.append('pod_swap_usage_bytes{namespace="%s",pod="%s"} 0 %d' % (ns, pod, p["ts"]))
fam("resource_scrape_error", "[STABLE] 1 if there was an error while getting container metrics, 0 otherwise", "gauge")
out.append("resource_scrape_error 0")
fam("scrape_error", "[ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise", "gauge")
out.append("scrape_error 0")
with open("resource_110pods.txt", "w") as f:
    f.write("\n".join(out) + "\n")

# ---- Summary API for the same node -------------------------------------------------------------
def rfc3339(ms):
    import datetime
    return datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

def fs(used, cap, t):
    return {"time": t, "availableBytes": cap - used, "capacityBytes": cap, "usedBytes": used,
            "inodesFree": 3000000, "inodes": 3276800, "inodesUsed": 276800}

node_t = rfc3339(node_ts)
summary_pods = []
for ns, pod, containers in pods:
    cs = [r for r in rows if r["ns"] == ns and r["pod"] == pod]
    ts = rfc3339(max(r["cpu_ts"] for r in cs))
    ctrs = []
    for r in cs:
        t = rfc3339(r["cpu_ts"])
        ctrs.append({
            "name": r["c"], "startTime": rfc3339(r["start"] * 1000),
            "cpu": {"time": t, "usageNanoCores": random.randint(100000, 900000000),
                    "usageCoreNanoSeconds": int(round(r["cpu"] * 1e9))},
            "memory": {"time": t, "usageBytes": r["mem"] + 20 * 1048576, "workingSetBytes": r["mem"],
                       "rssBytes": r["mem"] - 4096 * 100, "pageFaults": random.randint(1000, 9000000),
                       "majorPageFaults": random.randint(0, 300)},
            "rootfs": fs(random.randint(4096, 90000) * 4096, 107361579008, t),
            "logs": fs(random.randint(1, 9000) * 4096, 107361579008, t),
        })
    rx = random.randint(10**6, 10**11)
    tx = random.randint(10**6, 10**11)
    summary_pods.append({
        "podRef": {"name": pod, "namespace": ns, "uid": "%08x-%04x-4%03x-a%03x-%012x" % (
            random.getrandbits(32), random.getrandbits(16), random.getrandbits(12), random.getrandbits(12), random.getrandbits(48))},
        "startTime": rfc3339(min(r["start"] for r in cs) * 1000),
        "containers": ctrs,
        "cpu": {"time": ts, "usageNanoCores": random.randint(100000, 900000000),
                "usageCoreNanoSeconds": int(round(by_pod[(ns, pod)]["cpu"] * 1e9))},
        "memory": {"time": ts, "usageBytes": by_pod[(ns, pod)]["mem"] + 1048576, "workingSetBytes": by_pod[(ns, pod)]["mem"],
                   "rssBytes": by_pod[(ns, pod)]["mem"] // 2, "pageFaults": 0, "majorPageFaults": 0},
        "network": {"time": ts, "name": "eth0", "rxBytes": rx, "rxErrors": 0, "txBytes": tx, "txErrors": 0,
                    "interfaces": [{"name": "eth0", "rxBytes": rx, "rxErrors": 0, "txBytes": tx, "txErrors": 0}]},
        "volume": [{"time": ts, "availableBytes": 8215412736, "capacityBytes": 8215425024, "usedBytes": 12288,
                    "inodesFree": 2005709, "inodes": 2005718, "inodesUsed": 9, "name": "kube-api-access-" + suffix(5)}],
        "ephemeral-storage": fs(random.randint(8, 90000) * 4096, 107361579008, ts),
        "process_stats": {"process_count": random.randint(1, 40)},
        "swap": {"time": ts, "swapUsageBytes": 0},
    })
summary = {"node": {
    "nodeName": NODE,
    "systemContainers": [
        {"name": n, "startTime": rfc3339(BOOT_S * 1000 + 5000),
         "cpu": {"time": node_t, "usageNanoCores": random.randint(10**6, 10**9), "usageCoreNanoSeconds": random.randint(10**12, 10**14)},
         "memory": {"time": node_t, "usageBytes": 300000000, "workingSetBytes": 200000000, "rssBytes": 90000000,
                    "pageFaults": 123456, "majorPageFaults": 12}}
        for n in ("kubelet", "runtime", "pods")],
    "startTime": rfc3339(BOOT_S * 1000),
    "cpu": {"time": node_t, "usageNanoCores": 1873465234, "usageCoreNanoSeconds": int(node_cpu * 1e9)},
    "memory": {"time": node_t, "availableBytes": 4624261120, "usageBytes": 15023411200, "workingSetBytes": node_mem,
               "rssBytes": 9123418112, "pageFaults": 2109458011, "majorPageFaults": 4021},
    "network": {"time": node_t, "name": "ens5", "rxBytes": 912345678901, "rxErrors": 0, "txBytes": 812345678901, "txErrors": 0,
                "interfaces": [{"name": "ens5", "rxBytes": 912345678901, "rxErrors": 0, "txBytes": 812345678901, "txErrors": 0}]},
    "fs": {"time": node_t, "availableBytes": 70000000000, "capacityBytes": 107361579008, "usedBytes": 37361579008,
           "inodesFree": 6000000, "inodes": 6553600, "inodesUsed": 553600},
    "runtime": {"imageFs": {"time": node_t, "availableBytes": 70000000000, "capacityBytes": 107361579008,
                            "usedBytes": 21474836480, "inodesFree": 6000000, "inodes": 6553600, "inodesUsed": 553600}},
    "rlimit": {"time": node_t, "maxpid": 4194304, "curproc": 1732},
    "swap": {"time": node_t, "swapUsageBytes": 0},
}, "pods": summary_pods}
with open("summary_110pods.json", "w") as f:
    json.dump(summary, f, indent=2)
    f.write("\n")
