#include "http/testing/test_pki.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kmetrics::http::testing {

namespace fs = std::filesystem;

std::string make_temp_dir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != 0 ? tmp : "/tmp") + "/" + prefix + "XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp " + pattern + " failed");
  return pattern;
}

void remove_tree(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << content;
}

namespace {
void run(const std::string& cmd) {
  std::string full = cmd + " >/dev/null 2>&1";
  if (std::system(full.c_str()) != 0) throw std::runtime_error("command failed: " + cmd);
}
}  // namespace

TestPki::TestPki(std::string dir, std::string name) : dir_(std::move(dir)) {
  ca_.cert_path = dir_ + "/ca.crt";
  ca_.key_path = dir_ + "/ca.key";
  run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + ca_.key_path +
      " -out " + ca_.cert_path + " -days 2 -subj /CN=" + name +
      " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
  ca_.cert_pem = read_file(ca_.cert_path);
  ca_.key_pem = read_file(ca_.key_path);
}

CertFiles TestPki::issue(const std::string& name, const std::string& sans) const {
  CertFiles f;
  std::string base = dir_ + "/" + name;
  f.cert_path = base + ".crt";
  f.key_path = base + ".key";
  write_file(base + ".ext", "subjectAltName=" + sans +
                                "\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n");
  run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + f.key_path +
      " -out " + base + ".csr -subj /CN=" + name);
  run("openssl x509 -req -in " + base + ".csr -CA " + ca_.cert_path + " -CAkey " + ca_.key_path +
      " -CAcreateserial -out " + f.cert_path + " -days 2 -extfile " + base + ".ext");
  f.cert_pem = read_file(f.cert_path);
  f.key_pem = read_file(f.key_path);
  return f;
}

}  // namespace kmetrics::http::testing
