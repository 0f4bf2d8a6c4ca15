#!/usr/bin/env bash
# deploy/ checks, offline (no cluster, no network):
#   (a) the kustomize base and every overlay render with the installed kubectl's kustomize;
#   (b) deploy/components.yaml equals the rendered release overlay (it cannot go stale);
#   (c) every rendered Deployment keeps metrics-server's object names and labels, and its container
#       args (with the ConfigMap behind --config) pass `kmetrics validate`, i.e. start kmetrics;
#   (d) deploy/certs scripts issue certificates that verify against their CA with the expected SANs,
#       usages and subjects, and their Secret / patch outputs are well formed;
#   (e) the kubeasz template, rendered with sed, parses and equals components.yaml except its image
#       and --kubelet-insecure-tls, and its args validate.
# usage: deploy_test.sh KMETRICS_BINARY SOURCE_DIR
# KUBECTL=path overrides the kubectl search. Fails when no kubectl exists (it never skips).
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 KMETRICS_BINARY SOURCE_DIR" >&2; exit 2; }
kmetrics=$1
src=$2
deploy=$src/deploy
[ -x "$kmetrics" ] || { echo "deploy_test: kmetrics binary $kmetrics is not executable" >&2; exit 2; }
[ -d "$deploy" ] || { echo "deploy_test: $deploy is not a directory" >&2; exit 2; }
command -v python3 >/dev/null || { echo "deploy_test: python3 not found" >&2; exit 2; }
command -v openssl >/dev/null || { echo "deploy_test: openssl not found" >&2; exit 2; }

# kubectl 1.33 from the Cloud SDK first (its kustomize is v5), else whatever kubectl is on PATH.
kubectl=${KUBECTL:-}
if [ -z "$kubectl" ]; then
  for k in /usr/lib/google-cloud-sdk/bin/kubectl.1.33 "$(command -v kubectl || true)"; do
    if [ -n "$k" ] && [ -x "$k" ] && timeout 60 "$k" kustomize --help >/dev/null 2>&1; then
      kubectl=$k
      break
    fi
  done
fi
[ -n "$kubectl" ] || { echo "deploy_test: FAIL: no kubectl with kustomize found (set KUBECTL)" >&2; exit 1; }
[ -x "$kubectl" ] || { echo "deploy_test: KUBECTL=$kubectl is not executable" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# Never talk to a cluster, even when the environment has a kubeconfig.
export KUBECONFIG=$tmp/no-kubeconfig

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# YAML (one or more documents) -> a stream of JSON objects, parsed by kubectl alone. Removing an
# annotation nobody sets is the one offline kubectl command that prints objects unchanged (apart
# from an empty `annotations: {}`).
# to_json IN OUT; on failure kubectl's message is in OUT.err.
to_json() { timeout 60 "$kubectl" annotate --local -f "$1" -o json kmetrics-deploy-test- > "$2" 2> "$2.err"; }

# The object checks and the args extraction, in Python's standard library only (no PyYAML).
cat > "$tmp/objects.py" <<'PY'
import json, os, sys

def load(path):
    """Objects of a `kubectl -o json` stream (concatenated documents), empty annotations dropped."""
    text, dec, i, out = open(path).read(), json.JSONDecoder(), 0, []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        obj, i = dec.raw_decode(text, i)
        for o in obj.get("items", [obj]) if obj.get("kind") == "List" else [obj]:
            if o.get("metadata", {}).get("annotations") == {}:
                del o["metadata"]["annotations"]
            out.append(o)

def key(o):
    return (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"])

# metrics-server's objects: an in-place upgrade from its components.yaml relies on these names.
REQUIRED = [("ServiceAccount", "kube-system", "metrics-server"),
            ("ClusterRole", "", "system:aggregated-metrics-reader"),
            ("ClusterRole", "", "system:metrics-server"),
            ("RoleBinding", "kube-system", "metrics-server-auth-reader"),
            ("ClusterRoleBinding", "", "metrics-server:system:auth-delegator"),
            ("ClusterRoleBinding", "", "system:metrics-server"),
            ("Service", "kube-system", "metrics-server"),
            ("Deployment", "kube-system", "metrics-server"),
            ("APIService", "", "v1beta1.metrics.k8s.io")]

def check(objs, name):
    """Problems with the rendered objects of one overlay, as strings."""
    errs, by = [], {key(o): o for o in objs}
    for k in REQUIRED:
        if k not in by:
            errs.append("%s: missing %s %s/%s" % ((name,) + k))
    for o in objs:
        if o["metadata"].get("labels", {}).get("k8s-app") != "metrics-server":
            errs.append("%s: %s %s lacks label k8s-app: metrics-server" % (name, o["kind"], o["metadata"]["name"]))
    d = by.get(("Deployment", "kube-system", "metrics-server"))
    if d:
        if d["spec"]["selector"] != {"matchLabels": {"k8s-app": "metrics-server"}}:
            errs.append("%s: Deployment selector is %s (immutable: must stay metrics-server's)" % (name, d["spec"]["selector"]))
        names = [c["name"] for c in d["spec"]["template"]["spec"]["containers"]]
        if "metrics-server" not in names:
            errs.append("%s: no container named metrics-server (`kubectl set image` needs it): %s" % (name, names))
    s = by.get(("Service", "kube-system", "metrics-server"))
    if s and s["spec"]["ports"] != [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": "https", "appProtocol": "https"}]:
        errs.append("%s: Service metrics-server ports are %s" % (name, s["spec"]["ports"]))
    return errs

def args_files(objs, name, outdir):
    """Writes each Deployment container's args, NUL-separated, to outdir/<name>.<deploy>.<container>.
    --config=PATH is pointed at a copy of the ConfigMap key mounted at PATH."""
    cms = {(o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in objs if o["kind"] == "ConfigMap"}
    written = []
    for d in (o for o in objs if o["kind"] == "Deployment"):
        ns, pod = d["metadata"].get("namespace", ""), d["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for c in pod["containers"]:
            args = list(c.get("args", []))
            for i, a in enumerate(args):
                if not a.startswith("--config="):
                    continue
                path = a[len("--config="):]
                mounts = [m for m in c.get("volumeMounts", []) if path.startswith(m["mountPath"].rstrip("/") + "/")]
                if not mounts:
                    raise SystemExit("%s: --config=%s is not under any volumeMount" % (name, path))
                m = mounts[0]
                vol = volumes.get(m["name"], {})
                cm = cms.get((ns, vol.get("configMap", {}).get("name")))
                file_key = os.path.relpath(path, m["mountPath"])
                if cm is None or file_key not in cm.get("data", {}):
                    raise SystemExit("%s: --config=%s: no ConfigMap key %s behind volume %s" % (name, path, file_key, m["name"]))
                local = os.path.join(outdir, "%s.%s" % (name, file_key))
                open(local, "w").write(cm["data"][file_key])
                args[i] = "--config=" + local
            out = os.path.join(outdir, "%s.%s.%s" % (name, d["metadata"]["name"], c["name"]))
            open(out, "w").write("".join(a + "\0" for a in args))
            written.append(out)
    if not written:
        raise SystemExit("%s: no Deployment rendered" % name)
    print("\n".join(written))

def specific(objs, name):
    """Each overlay's own promise."""
    errs, by = [], {key(o): o for o in objs}
    dep = by.get(("Deployment", "kube-system", "metrics-server"))
    if dep is None:
        return []  # reported by check()
    c = dep["spec"]["template"]["spec"]["containers"][0]
    args = c.get("args", [])
    if name == "high-availability":
        if dep["spec"].get("replicas") != 2:
            errs.append("replicas is not 2")
        pdb = by.get(("PodDisruptionBudget", "kube-system", "metrics-server"))
        if not pdb or pdb["apiVersion"] != "policy/v1" or pdb["spec"].get("minAvailable") != 1:
            errs.append("no policy/v1 PodDisruptionBudget metrics-server with minAvailable 1")
        if "podAntiAffinity" not in dep["spec"]["template"]["spec"].get("affinity", {}):
            errs.append("no podAntiAffinity")
    elif name == "test":
        for a in ("--kubelet-insecure-tls", "--v=4", "--node-selector=metrics-server-skip!=true"):
            if a not in args:
                errs.append("arg %s missing" % a)
    elif name == "heapster-compat":
        svc = by.get(("Service", "kube-system", "heapster"))
        if not svc or svc["spec"]["ports"][0].get("port") != 80 or svc["spec"]["ports"][0].get("targetPort") != "heapster" \
                or svc["spec"].get("selector") != {"k8s-app": "metrics-server"}:
            errs.append("no Service kube-system/heapster port 80 -> heapster selecting k8s-app: metrics-server")
        if {"name": "heapster", "containerPort": 8082, "protocol": "TCP"} not in c.get("ports", []):
            errs.append("no container port heapster 8082")
        if "--heapster-port=8082" not in args:
            errs.append("arg --heapster-port=8082 missing")
    elif name == "config-file":
        if not any(a.startswith("--config=") for a in args):
            errs.append("no --config arg")
    return ["%s: %s" % (name, e) for e in errs]

def kubeasz_diff(template_objs, components_objs):
    """The kubeasz template must equal components.yaml but for the image and --kubelet-insecure-tls."""
    for o in template_objs:
        if o["kind"] == "Deployment":
            c = o["spec"]["template"]["spec"]["containers"][0]
            if "--kubelet-insecure-tls" not in c["args"]:
                return ["kubeasz: --kubelet-insecure-tls missing (kubeasz passes it)"]
            c["args"].remove("--kubelet-insecure-tls")
            c["image"] = "kmetrics:latest"
    a = {key(o): o for o in template_objs}
    b = {key(o): o for o in components_objs}
    errs = ["kubeasz: %s %s/%s only in %s" % (k + (where,)) for k, where in
            [(k, "the template") for k in a if k not in b] + [(k, "components.yaml") for k in b if k not in a]]
    errs += ["kubeasz: %s %s/%s differs from components.yaml" % k for k in a if k in b and a[k] != b[k]]
    return errs

cmd = sys.argv[1]
if cmd == "check":        # check JSON NAME
    errs = check(load(sys.argv[2]), sys.argv[3]) + specific(load(sys.argv[2]), sys.argv[3])
elif cmd == "args":       # args JSON NAME OUTDIR
    args_files(load(sys.argv[2]), sys.argv[3], sys.argv[4])
    errs = []
elif cmd == "kubeasz":    # kubeasz TEMPLATE_JSON COMPONENTS_JSON
    errs = kubeasz_diff(load(sys.argv[2]), load(sys.argv[3]))
else:
    raise SystemExit("unknown command " + cmd)
for e in errs:
    print(e)
sys.exit(1 if errs else 0)
PY
py() { timeout 60 python3 "$tmp/objects.py" "$@"; }

# validate_args NAME ARGSFILE: the container's args must start kmetrics (`kmetrics validate`).
validate_args() {
  local name=$1 file=$2 out args=()
  mapfile -d '' -t args < "$file"
  if out=$(timeout 60 "$kmetrics" validate ${args[@]+"${args[@]}"} 2>&1); then
    pass "$name: kmetrics validate ${args[*]}"
  else
    fail "$name: kmetrics validate ${args[*]}:"$'\n'"$out"
  fi
}

# The validator must be able to fail, or passing it proves nothing.
if timeout 60 "$kmetrics" validate --no-such-flag >/dev/null 2>&1; then
  fail "kmetrics validate accepts --no-such-flag; the args checks below would prove nothing"
fi

# ---- (a) + (c): render, check, validate ------------------------------------------------------------
mkdir -p "$tmp/args"
for want in release high-availability test heapster-compat config-file; do
  [ -f "$deploy/overlays/$want/kustomization.yaml" ] || fail "overlay deploy/overlays/$want is missing"
done
for dir in "$deploy/base" "$deploy"/overlays/*/; do
  name=$(basename "$dir")
  if ! timeout 120 "$kubectl" kustomize "$dir" > "$tmp/$name.yaml" 2> "$tmp/$name.err"; then
    fail "kustomize $dir:"$'\n'"$(cat "$tmp/$name.err")"
    continue
  fi
  dir=${dir%/}; pass "kustomize ${dir#"$src"/}"
  if ! to_json "$tmp/$name.yaml" "$tmp/$name.json"; then
    fail "$name: kubectl cannot parse the rendered objects: $(cat "$tmp/$name.json.err")"
    continue
  fi
  if [ "$name" != base ]; then
    if out=$(py check "$tmp/$name.json" "$name" 2>&1); then pass "$name: objects"; else fail "$out"; fi
  fi
  if ! files=$(py args "$tmp/$name.json" "$name" "$tmp/args" 2>&1); then
    fail "$name: cannot extract container args: $files"
    continue
  fi
  while IFS= read -r f; do
    [ -n "$f" ] && validate_args "$name" "$f"
  done <<< "$files"
done

# ---- (b) components.yaml is the rendered release overlay ------------------------------------------
if [ -f "$tmp/release.yaml" ]; then
  if cmp -s "$deploy/components.yaml" "$tmp/release.yaml"; then
    pass "deploy/components.yaml is up to date"
  else
    fail "deploy/components.yaml differs from the release overlay; regenerate it with
  kubectl kustomize deploy/overlays/release > deploy/components.yaml
$(diff -u "$deploy/components.yaml" "$tmp/release.yaml" | head -40)"
  fi
fi

# ---- (d) certificate scripts -----------------------------------------------------------------------
certs=$deploy/certs
mkdir -p "$tmp/ca"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=deploy-test-ca" \
  -keyout "$tmp/ca/ca.key" -out "$tmp/ca/ca.crt" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
chmod 500 "$tmp/ca"  # the scripts must not write next to the CA (it is often read-only)

for s in serving-cert.sh aggregator-proxy-cert.sh; do
  if timeout 30 bash "$certs/$s" --help | grep -q "^usage: $s"; then pass "$s --help"; else fail "$s --help prints no usage"; fi
  if out=$(timeout 30 bash "$certs/$s" --out-dir "$tmp/bad-$s" --ca-cert "$tmp/ca/ca.crt" --ca-key "$tmp/ca/nope.key" 2>&1); then
    fail "$s succeeded with a missing CA key"
  elif [[ "$out" != *"nope.key is not readable"* ]]; then
    fail "$s: imprecise error for a missing CA key: $out"
  fi
done

sans="DNS:metrics-server, DNS:metrics-server.kube-system, DNS:metrics-server.kube-system.svc, DNS:metrics-server.kube-system.svc.cluster.local"
if out=$(timeout 120 bash "$certs/serving-cert.sh" --out-dir "$tmp/serving" --ca-cert "$tmp/ca/ca.crt" --ca-key "$tmp/ca/ca.key" 2>&1); then
  c=$tmp/serving/tls.crt
  if openssl verify -CAfile "$tmp/ca/ca.crt" -purpose sslserver "$c" >/dev/null 2>&1; then
    pass "serving cert verifies against its CA for sslserver"
  else
    fail "serving cert does not verify: $(openssl verify -CAfile "$tmp/ca/ca.crt" -purpose sslserver "$c" 2>&1)"
  fi
  got=$(openssl x509 -in "$c" -noout -ext subjectAltName 2>/dev/null | tail -n 1 | sed 's/^ *//')
  if [ "$got" = "$sans" ]; then pass "serving cert SANs"; else fail "serving cert SANs: got \"$got\", want \"$sans\""; fi
  [ "$(openssl x509 -in "$c" -noout -pubkey)" = "$(openssl pkey -in "$tmp/serving/tls.key" -pubout)" ] \
    || fail "serving tls.key does not belong to tls.crt"
  if to_json "$tmp/serving/secret.yaml" "$tmp/secret.json" \
      && python3 - "$tmp/secret.json" "$c" "$tmp/serving/apiservice-patch.yaml" "$tmp/ca/ca.crt" "$tmp/serving/deployment-patch.json" <<'PY'
import base64, json, sys
secret = json.load(open(sys.argv[1]))
assert secret["kind"] == "Secret" and secret["type"] == "kubernetes.io/tls", secret["type"]
assert secret["metadata"]["namespace"] == "kube-system"
assert base64.b64decode(secret["data"]["tls.crt"]) == open(sys.argv[2], "rb").read(), "Secret tls.crt differs"
patch = open(sys.argv[3]).read()
assert "insecureSkipTLSVerify: false" in patch
assert base64.b64encode(open(sys.argv[4], "rb").read()).decode() in patch, "caBundle is not the CA"
ops = json.load(open(sys.argv[5]))
assert "--tls-cert-file=/etc/kmetrics/tls/tls.crt" in [o.get("value") for o in ops]
PY
  then
    pass "serving Secret, APIService and Deployment patches"
  else
    fail "serving-cert.sh outputs are malformed"
  fi
else
  fail "serving-cert.sh with a given CA: $out"
fi
if out=$(timeout 120 bash "$certs/serving-cert.sh" --out-dir "$tmp/serving-new" --new-ca --namespace monitoring --san IP:10.0.0.7 2>&1) \
    && openssl verify -CAfile "$tmp/serving-new/ca.crt" "$tmp/serving-new/tls.crt" >/dev/null 2>&1 \
    && openssl x509 -in "$tmp/serving-new/tls.crt" -noout -ext subjectAltName | grep -q "DNS:metrics-server.monitoring.svc, .*IP Address:10.0.0.7"; then
  pass "serving-cert.sh --new-ca --namespace --san"
else
  fail "serving-cert.sh --new-ca --namespace monitoring --san IP:10.0.0.7: $out"
fi

if out=$(timeout 120 bash "$certs/aggregator-proxy-cert.sh" --out-dir "$tmp/proxy" --ca-cert "$tmp/ca/ca.crt" --ca-key "$tmp/ca/ca.key" 2>&1); then
  c=$tmp/proxy/aggregator-proxy.pem
  if openssl verify -CAfile "$tmp/ca/ca.crt" -purpose sslclient "$c" >/dev/null 2>&1; then
    pass "aggregator-proxy cert verifies against its CA for sslclient"
  else
    fail "aggregator-proxy cert does not verify: $(openssl verify -CAfile "$tmp/ca/ca.crt" -purpose sslclient "$c" 2>&1)"
  fi
  subject=$(openssl x509 -in "$c" -noout -subject -nameopt RFC2253)
  if [ "$subject" = "subject=CN=aggregator" ]; then pass "aggregator-proxy subject"; else fail "aggregator-proxy subject: $subject"; fi
  [ -f "$tmp/proxy/aggregator-proxy-key.pem" ] || fail "aggregator-proxy-key.pem missing"
else
  fail "aggregator-proxy-cert.sh with a given CA: $out"
fi
for f in "$tmp"/ca/* "$tmp"/ca/.[!.]*; do
  case "$(basename "$f")" in ca.crt|ca.key|'*'|'.[!.]*') ;; *) fail "a cert script wrote $f into the CA's directory" ;; esac
done
chmod 700 "$tmp/ca"

# ---- (e) kubeasz template --------------------------------------------------------------------------
tpl=$deploy/kubeasz/kmetrics.yaml.j2
sed -E 's/\{\{[^}]*\}\}/easzlab.io.local:5000\/easzlab\/kmetrics:test/g' "$tpl" > "$tmp/kubeasz.yaml"
if grep -n -e '{{' -e '{%' -e '}}' "$tmp/kubeasz.yaml" >&2; then
  fail "kubeasz template: Jinja left after substitution (only {{ var }} expressions are expected)"
elif ! to_json "$tmp/kubeasz.yaml" "$tmp/kubeasz.json"; then
  fail "kubeasz template does not parse: $(cat "$tmp/kubeasz.json.err")"
else
  pass "kubeasz template parses"
  if [ ! -f "$tmp/release.json" ]; then
    fail "kubeasz: no rendered release overlay to compare with (see above)"
  elif out=$(py kubeasz "$tmp/kubeasz.json" "$tmp/release.json" 2>&1); then
    pass "kubeasz template = components.yaml + image + --kubelet-insecure-tls"
  else
    fail "$out"
  fi
  if files=$(py args "$tmp/kubeasz.json" kubeasz "$tmp/args" 2>&1); then
    while IFS= read -r f; do [ -n "$f" ] && validate_args kubeasz "$f"; done <<< "$files"
  else
    fail "kubeasz: cannot extract container args: $files"
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "deploy_test: $failures failure(s)" >&2
  exit 1
fi
echo "deploy_test: all checks passed"
