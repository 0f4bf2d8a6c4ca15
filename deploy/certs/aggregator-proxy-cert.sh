#!/usr/bin/env bash
# Front-proxy (aggregator) client certificate, like kubeasz's aggregator-proxy.pem: kube-apiserver
# presents it when it proxies metrics.k8s.io requests to kmetrics, and kmetrics trusts the user in
# its X-Remote-User header only when this certificate verifies against the requestheader CA.
set -euo pipefail
PROG=$(basename "$0")
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

usage() {
  cat <<USAGE
usage: $PROG --out-dir DIR (--ca-cert FILE --ca-key FILE | --new-ca) [options]

For clusters whose kube-apiserver has no --proxy-client-cert-file (no aggregation layer). kubeadm
clusters already have one (front-proxy-client.crt); do not replace it.

  DIR/aggregator-proxy.pem       client certificate, CN <cn>, extendedKeyUsage clientAuth
  DIR/aggregator-proxy-key.pem   its RSA 2048 key
  DIR/ca.crt, DIR/ca.key         only with --new-ca (kubeadm calls this CA front-proxy-ca)

Options:
  --out-dir DIR      output directory (created; existing files are not overwritten)
  --ca-cert FILE     CA that signs it; becomes kube-apiserver's --requestheader-client-ca-file
                     (kubeasz uses the cluster CA, ca.pem)
  --ca-key FILE      its private key (PEM, unencrypted); nothing is written next to it
  --new-ca           create a separate CA (CN kmetrics-front-proxy-ca) in DIR instead
  --cn NAME          certificate common name (default aggregator, as kubeasz); must be listed in
                     --requestheader-allowed-names
  --org ORG          optional organisation (O=) in the subject
  --days N           validity in days (default 3650)
  -h, --help         this text

Then add to every kube-apiserver (paths where you copied the files) and restart it:
  --requestheader-client-ca-file=CA.crt
  --requestheader-allowed-names=<cn>
  --requestheader-username-headers=X-Remote-User
  --requestheader-group-headers=X-Remote-Group
  --requestheader-extra-headers-prefix=X-Remote-Extra-
  --proxy-client-cert-file=aggregator-proxy.pem
  --proxy-client-key-file=aggregator-proxy-key.pem
  --enable-aggregator-routing=true     (when kube-apiserver does not run kube-proxy's node)
USAGE
}

out_dir="" ca_cert="" ca_key="" new_ca_flag=false cn=aggregator org="" days=3650
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --out-dir) need_value "$@"; out_dir=$2; shift 2 ;;
    --ca-cert) need_value "$@"; ca_cert=$2; shift 2 ;;
    --ca-key) need_value "$@"; ca_key=$2; shift 2 ;;
    --new-ca) new_ca_flag=true; shift ;;
    --cn) need_value "$@"; cn=$2; shift 2 ;;
    --org) need_value "$@"; org=$2; shift 2 ;;
    --days) need_value "$@"; days=$2; shift 2 ;;
    *) die "unknown argument \"$1\" (see --help)" ;;
  esac
done

need_openssl
[ -n "$out_dir" ] || die "--out-dir is required (see --help)"
need_days "$days"
# '/' and ',' would be read as subject separators by openssl -subj.
[[ "$cn" =~ ^[A-Za-z0-9][-A-Za-z0-9.:_]*$ ]] || die "--cn \"$cn\" may contain only letters, digits, '-', '.', ':' and '_'"
[ -z "$org" ] || [[ "$org" =~ ^[A-Za-z0-9][-A-Za-z0-9.:_\ ]*$ ]] \
  || die "--org \"$org\" may contain only letters, digits, spaces, '-', '.', ':' and '_'"
if $new_ca_flag; then
  [ -z "$ca_cert$ca_key" ] || die "--new-ca and --ca-cert/--ca-key exclude each other"
else
  [ -n "$ca_cert$ca_key" ] || die "give --ca-cert and --ca-key, or --new-ca (see --help)"
  [ -n "$ca_cert" ] || die "--ca-key needs --ca-cert (the CA certificate it belongs to)"
  [ -n "$ca_key" ] || die "--ca-cert needs --ca-key (the CA's private key, to sign with)"
fi

mkdir -p "$out_dir" || die "cannot create --out-dir $out_dir"
for f in aggregator-proxy.pem aggregator-proxy-key.pem; do
  [ ! -e "$out_dir/$f" ] || die "$out_dir/$f exists already; remove it or choose another --out-dir"
done
if $new_ca_flag; then
  new_ca "$out_dir" kmetrics-front-proxy-ca "$days"
  ca_cert=$out_dir/ca.crt ca_key=$out_dir/ca.key
fi
check_ca "$ca_cert" "$ca_key"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A client certificate only: the front proxy never serves with it.
cat > "$work/ext.cnf" <<EXT
[ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
EXT

subject="/CN=$cn"
[ -z "$org" ] || subject="/O=$org$subject"
(umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2>/dev/null) \
  || die "openssl could not generate a key"
openssl req -new -key "$work/key.pem" -subj "$subject" -out "$work/req.csr" 2>/dev/null \
  || die "openssl could not create the certificate request"
sign "$work/req.csr" "$ca_cert" "$ca_key" "$days" "$work/ext.cnf" "$work/cert.pem"
cp "$work/cert.pem" "$out_dir/aggregator-proxy.pem"
(umask 077 && cp "$work/key.pem" "$out_dir/aggregator-proxy-key.pem")

note "wrote $out_dir/aggregator-proxy.pem and aggregator-proxy-key.pem (subject $subject, CA $ca_cert)"
note "kube-apiserver: --requestheader-client-ca-file=$ca_cert --requestheader-allowed-names=$cn" \
  "--proxy-client-cert-file=$out_dir/aggregator-proxy.pem --proxy-client-key-file=$out_dir/aggregator-proxy-key.pem"
