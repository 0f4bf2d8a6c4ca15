// Test-only PKI: a throw-away CA and leaf certificates (EC P-256) made with the openssl CLI in a
// temporary directory. No key material lives in the repository.
#pragma once

#include <string>

namespace kmetrics::http::testing {

// A fresh directory under $TMPDIR (or /tmp); removed by remove_tree().
std::string make_temp_dir(const std::string& prefix);
void remove_tree(const std::string& dir);
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);

struct CertFiles {
  std::string cert_path, key_path;
  std::string cert_pem, key_pem;
};

class TestPki {
 public:
  // Creates a CA named `name` in `dir`. Throws std::runtime_error if openssl fails.
  TestPki(std::string dir, std::string name = "kmetrics-test-ca");
  const CertFiles& ca() const { return ca_; }
  // `sans` in openssl syntax: "IP:127.0.0.1,DNS:localhost".
  CertFiles issue(const std::string& name, const std::string& sans) const;

 private:
  std::string dir_;
  CertFiles ca_;
};

}  // namespace kmetrics::http::testing
