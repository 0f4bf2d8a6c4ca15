# shellcheck shell=bash
# Shared by serving-cert.sh and aggregator-proxy-cert.sh (sourced, not run). bash + openssl only.

die() { echo "$PROG: error: $*" >&2; exit 1; }
note() { echo "$PROG: $*" >&2; }

need_openssl() {
  command -v openssl >/dev/null 2>&1 || die "openssl not found in PATH"
}

# need_value FLAG "$@": the flag's value must be present and not look like another flag.
need_value() {
  if [ $# -lt 2 ] || [ -z "$2" ] || [ "${2#--}" != "$2" ]; then
    die "$1 needs a value (see --help)"
  fi
}

need_days() {
  [[ "$1" =~ ^[1-9][0-9]{0,5}$ ]] || die "--days must be a positive number of days, got \"$1\""
}

# new_ca DIR CN DAYS: a self-signed CA as DIR/ca.crt + DIR/ca.key (RSA 2048).
new_ca() {
  local dir=$1 cn=$2 days=$3
  if [ -e "$dir/ca.crt" ] || [ -e "$dir/ca.key" ]; then
    die "--new-ca: $dir/ca.crt or $dir/ca.key exists already; remove it or pass --ca-cert/--ca-key"
  fi
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" -subj "/CN=$cn" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null \
    || die "could not create a CA in $dir (openssl req failed)"
  chmod 600 "$dir/ca.key"
  note "created CA $dir/ca.crt (CN=$cn)"
}

# check_ca CERT KEY: readable, a CA certificate, and the key belongs to it.
check_ca() {
  local cert=$1 key=$2
  [ -r "$cert" ] || die "CA certificate $cert is not readable"
  [ -r "$key" ] || die "CA key $key is not readable"
  openssl x509 -in "$cert" -noout 2>/dev/null || die "$cert is not a PEM certificate"
  local text cert_pub key_pub
  # Captured first: `openssl | grep -q` can fail under pipefail when grep stops reading early.
  text=$(openssl x509 -in "$cert" -noout -text 2>/dev/null) || die "cannot read $cert"
  [[ "$text" == *"CA:TRUE"* ]] || die "$cert is not a CA certificate (no basicConstraints CA:TRUE)"
  cert_pub=$(openssl x509 -in "$cert" -noout -pubkey 2>/dev/null) || die "cannot read the public key of $cert"
  key_pub=$(openssl pkey -in "$key" -pubout 2>/dev/null) || die "$key is not a readable, unencrypted PEM private key"
  [ "$cert_pub" = "$key_pub" ] || die "$key is not the private key of $cert"
}

# sign CSR CA_CERT CA_KEY DAYS EXTFILE OUT: issue a certificate. A random serial instead of
# -CAcreateserial, so nothing is written next to the CA (often a read-only /etc/kubernetes/pki).
sign() {
  local csr=$1 ca=$2 cakey=$3 days=$4 ext=$5 out=$6
  openssl x509 -req -sha256 -in "$csr" -CA "$ca" -CAkey "$cakey" -days "$days" \
    -set_serial "0x$(openssl rand -hex 16)" -extfile "$ext" -extensions ext -out "$out" 2>/dev/null \
    || die "openssl could not sign $out with $ca"
  openssl verify -CAfile "$ca" "$out" >/dev/null 2>&1 \
    || die "the new certificate $out does not verify against $ca (is $ca an intermediate? pass the full chain)"
}

b64() { openssl base64 -A -in "$1"; }
