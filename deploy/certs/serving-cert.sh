#!/usr/bin/env bash
# Serving certificate for kmetrics, so the APIService can verify it (insecureSkipTLSVerify: false).
set -euo pipefail
PROG=$(basename "$0")
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

usage() {
  cat <<USAGE
usage: $PROG --out-dir DIR (--ca-cert FILE --ca-key FILE | --new-ca) [options]

Creates a serving certificate for kmetrics signed by a CA, for the Service the aggregator dials
(<service>.<namespace>.svc), and the manifests that use it:

  DIR/tls.crt, DIR/tls.key      the certificate (with SANs below) and its RSA 2048 key
  DIR/secret.yaml               Secret <secret-name> (type kubernetes.io/tls) in <namespace>
  DIR/apiservice-patch.yaml     merge patch: caBundle = the CA, insecureSkipTLSVerify: false
  DIR/deployment-patch.json     JSON patch: mount the Secret at /etc/kmetrics/tls and pass
                                --tls-cert-file / --tls-private-key-file
  DIR/ca.crt, DIR/ca.key        only with --new-ca

SANs: DNS <service>, <service>.<namespace>, <service>.<namespace>.svc,
<service>.<namespace>.svc.<cluster-domain>, plus every --san.

Options:
  --out-dir DIR          output directory (created; existing tls.* files are not overwritten)
  --ca-cert FILE         CA certificate (PEM) that the APIService will trust
  --ca-key FILE          its private key (PEM, unencrypted); nothing is written next to it
  --new-ca               create a new self-signed CA (CN kmetrics-serving-ca) in DIR instead
  --service NAME         Service name (default metrics-server)
  --namespace NS         namespace (default kube-system)
  --cluster-domain D     cluster DNS domain (default cluster.local)
  --secret-name NAME     Secret name (default metrics-server-tls)
  --san SAN              extra subjectAltName, e.g. DNS:kmetrics.example or IP:10.0.0.5 (repeatable)
  --days N               validity in days (default 365)
  -h, --help             this text

Then:
  kubectl apply -f DIR/secret.yaml
  kubectl -n NS patch deployment metrics-server --type=json --patch-file DIR/deployment-patch.json
  kubectl patch apiservice v1beta1.metrics.k8s.io --type=merge --patch-file DIR/apiservice-patch.yaml
USAGE
}

out_dir="" ca_cert="" ca_key="" new_ca_flag=false
service=metrics-server namespace=kube-system domain=cluster.local secret=metrics-server-tls days=365
sans=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --out-dir) need_value "$@"; out_dir=$2; shift 2 ;;
    --ca-cert) need_value "$@"; ca_cert=$2; shift 2 ;;
    --ca-key) need_value "$@"; ca_key=$2; shift 2 ;;
    --new-ca) new_ca_flag=true; shift ;;
    --service) need_value "$@"; service=$2; shift 2 ;;
    --namespace) need_value "$@"; namespace=$2; shift 2 ;;
    --cluster-domain) need_value "$@"; domain=$2; shift 2 ;;
    --secret-name) need_value "$@"; secret=$2; shift 2 ;;
    --san) need_value "$@"; sans+=("$2"); shift 2 ;;
    --days) need_value "$@"; days=$2; shift 2 ;;
    *) die "unknown argument \"$1\" (see --help)" ;;
  esac
done

need_openssl
[ -n "$out_dir" ] || die "--out-dir is required (see --help)"
need_days "$days"
dns_label='^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
[[ "$service" =~ $dns_label ]] || die "--service \"$service\" is not a valid Service name"
[[ "$namespace" =~ $dns_label ]] || die "--namespace \"$namespace\" is not a valid namespace name"
[[ "$secret" =~ ^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$ ]] || die "--secret-name \"$secret\" is not a valid Secret name"
[[ "$domain" =~ ^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$ ]] || die "--cluster-domain \"$domain\" is not a DNS domain"
for san in ${sans[@]+"${sans[@]}"}; do
  [[ "$san" =~ ^(DNS|IP):[^,[:space:]]+$ ]] || die "--san \"$san\" must be DNS:<name> or IP:<address>"
done
if $new_ca_flag; then
  [ -z "$ca_cert$ca_key" ] || die "--new-ca and --ca-cert/--ca-key exclude each other"
else
  [ -n "$ca_cert$ca_key" ] || die "give --ca-cert and --ca-key, or --new-ca (see --help)"
  [ -n "$ca_cert" ] || die "--ca-key needs --ca-cert (the CA certificate it belongs to)"
  [ -n "$ca_key" ] || die "--ca-cert needs --ca-key (the CA's private key, to sign with)"
fi

mkdir -p "$out_dir" || die "cannot create --out-dir $out_dir"
for f in tls.crt tls.key; do
  [ ! -e "$out_dir/$f" ] || die "$out_dir/$f exists already; remove it or choose another --out-dir"
done
if $new_ca_flag; then
  new_ca "$out_dir" kmetrics-serving-ca "$days"
  ca_cert=$out_dir/ca.crt ca_key=$out_dir/ca.key
fi
check_ca "$ca_cert" "$ca_key"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

alt="DNS:$service,DNS:$service.$namespace,DNS:$service.$namespace.svc,DNS:$service.$namespace.svc.$domain"
for san in ${sans[@]+"${sans[@]}"}; do alt="$alt,$san"; done
cat > "$work/ext.cnf" <<EXT
[ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $alt
EXT

(umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/tls.key" 2>/dev/null) \
  || die "openssl could not generate a key"
openssl req -new -key "$work/tls.key" -subj "/CN=$service.$namespace.svc" -out "$work/tls.csr" 2>/dev/null \
  || die "openssl could not create the certificate request"
sign "$work/tls.csr" "$ca_cert" "$ca_key" "$days" "$work/ext.cnf" "$work/tls.crt"
cp "$work/tls.crt" "$out_dir/tls.crt"
(umask 077 && cp "$work/tls.key" "$out_dir/tls.key")

cat > "$out_dir/secret.yaml" <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: $secret
  namespace: $namespace
  labels:
    k8s-app: metrics-server
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$out_dir/tls.crt")
  tls.key: $(b64 "$out_dir/tls.key")
YAML
chmod 600 "$out_dir/secret.yaml"

cat > "$out_dir/apiservice-patch.yaml" <<YAML
spec:
  insecureSkipTLSVerify: false
  caBundle: $(b64 "$ca_cert")
YAML

# /etc/kmetrics/tls, not /tmp: the Deployment's emptyDir is mounted at /tmp (--cert-dir).
cat > "$out_dir/deployment-patch.json" <<JSON
[
  {"op": "add", "path": "/spec/template/spec/volumes/-",
   "value": {"name": "tls", "secret": {"secretName": "$secret"}}},
  {"op": "add", "path": "/spec/template/spec/containers/0/volumeMounts/-",
   "value": {"name": "tls", "mountPath": "/etc/kmetrics/tls", "readOnly": true}},
  {"op": "add", "path": "/spec/template/spec/containers/0/args/-",
   "value": "--tls-cert-file=/etc/kmetrics/tls/tls.crt"},
  {"op": "add", "path": "/spec/template/spec/containers/0/args/-",
   "value": "--tls-private-key-file=/etc/kmetrics/tls/tls.key"}
]
JSON

note "wrote $out_dir/{tls.crt,tls.key,secret.yaml,apiservice-patch.yaml,deployment-patch.json}"
note "SANs: $alt"
