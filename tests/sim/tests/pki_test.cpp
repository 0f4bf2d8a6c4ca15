#include "pki/pki.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

using namespace kmetrics::sim;

namespace {

X509* readCert(const std::string& pem) {
  BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* c = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  return c;
}

// Returns the X509_verify_cert result for `leaf` against `ca` for the given purpose.
int verify(const std::string& ca_pem, const std::string& leaf_pem, int purpose) {
  X509* ca = readCert(ca_pem);
  X509* leaf = readCert(leaf_pem);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf, nullptr);
  X509_STORE_CTX_set_purpose(ctx, purpose);
  int rc = X509_verify_cert(ctx);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(leaf);
  X509_free(ca);
  return rc;
}

std::string subjectField(const std::string& pem, int nid) {
  X509* c = readCert(pem);
  std::string out;
  X509_NAME* n = X509_get_subject_name(c);
  for (int i = X509_NAME_get_index_by_NID(n, nid, -1); i >= 0; i = X509_NAME_get_index_by_NID(n, nid, i)) {
    ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i));
    if (!out.empty()) out += ",";
    out.append(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
  }
  X509_free(c);
  return out;
}

}  // namespace

TEST(Pki, LeafVerifiesAgainstItsCaOnly) {
  auto ca = CertificateAuthority::create("sim-cluster-ca");
  auto other = CertificateAuthority::create("other-ca");
  CertSpec spec;
  spec.common_name = "kube-apiserver";
  spec.dns_sans = {"localhost"};
  spec.ip_sans = {"127.0.0.1"};
  auto kp = ca.issue(spec);
  EXPECT_NE(kp.key_pem.find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(verify(ca.certPem(), kp.cert_pem, X509_PURPOSE_SSL_SERVER), 1);
  EXPECT_NE(verify(other.certPem(), kp.cert_pem, X509_PURPOSE_SSL_SERVER), 1);
  // server-only cert must not pass as a client cert
  EXPECT_NE(verify(ca.certPem(), kp.cert_pem, X509_PURPOSE_SSL_CLIENT), 1);
}

TEST(Pki, SansAndHostCheck) {
  auto ca = CertificateAuthority::create("kubelet-ca");
  CertSpec spec;
  spec.common_name = "node-1";
  spec.dns_sans = {"node-1", "localhost"};
  spec.ip_sans = {"127.0.1.1"};
  auto kp = ca.issue(spec);
  X509* c = readCert(kp.cert_pem);
  EXPECT_EQ(X509_check_host(c, "node-1", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(c, "localhost", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_host(c, "node-2", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(c, "127.0.1.1", 0), 1);
  EXPECT_NE(X509_check_ip_asc(c, "127.0.0.1", 0), 1);
  X509_free(c);
}

TEST(Pki, ClientCertCarriesUserAndGroups) {
  auto ca = CertificateAuthority::create("ca");
  CertSpec spec;
  spec.common_name = "admin";
  spec.organizations = {"system:masters", "devs"};
  spec.server_auth = false;
  spec.client_auth = true;
  auto kp = ca.issue(spec);
  EXPECT_EQ(verify(ca.certPem(), kp.cert_pem, X509_PURPOSE_SSL_CLIENT), 1);
  EXPECT_EQ(subjectField(kp.cert_pem, NID_commonName), "admin");
  EXPECT_EQ(subjectField(kp.cert_pem, NID_organizationName), "system:masters,devs");
}

TEST(Pki, WriteFileModes) {
  std::string dir = ::testing::TempDir();
  std::string key = dir + "/pki_test_" + std::to_string(getpid()) + ".key";
  std::string crt = dir + "/pki_test_" + std::to_string(getpid()) + ".crt";
  writeFile(key, "secret", true);
  writeFile(crt, "public");
  struct stat st{};
  ASSERT_EQ(stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(crt.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  std::remove(key.c_str());
  std::remove(crt.c_str());
}
