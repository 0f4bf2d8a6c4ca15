#include "http/token_source.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kmetrics::http {

namespace {
std::string trim(std::string s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}
}  // namespace

std::shared_ptr<TokenSource> TokenSource::fixed(std::string token) {
  return std::make_shared<TokenSource>(trim(std::move(token)), std::string(), std::chrono::milliseconds(0));
}

std::shared_ptr<TokenSource> TokenSource::file(std::string path, std::chrono::milliseconds recheck) {
  return std::make_shared<TokenSource>(std::string(), std::move(path), recheck);
}

TokenSource::TokenSource(std::string token, std::string path, std::chrono::milliseconds recheck)
    : path_(std::move(path)), recheck_(recheck), token_(std::move(token)) {
  if (path_.empty()) return;
  id_ = stat_file(path_);
  token_ = read_token_file(path_);
  reads_ = 1;
  next_check_ = std::chrono::steady_clock::now() + recheck_;
}

TokenSource::FileId TokenSource::stat_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw std::runtime_error("token file " + path + ": " + std::strerror(errno));
  }
  FileId id;
  id.inode = st.st_ino;
  id.size = static_cast<uint64_t>(st.st_size);
  id.mtime_ns = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return id;
}

std::string TokenSource::read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("token file " + path + ": " + std::strerror(errno));
  std::ostringstream ss;
  // Tokens are a few KiB; refuse anything absurd rather than reading a wrong file whole.
  constexpr std::streamsize kMax = 1 << 20;
  char buf[4096];
  std::streamsize total = 0;
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    total += in.gcount();
    if (total > kMax) throw std::runtime_error("token file " + path + ": larger than 1 MiB");
    ss.write(buf, in.gcount());
  }
  std::string token = trim(ss.str());
  if (token.empty()) throw std::runtime_error("token file " + path + ": empty");
  return token;
}

std::string TokenSource::token() {
  if (path_.empty()) return token_;
  {
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    if (checking_ || now < next_check_) return token_;
    checking_ = true;  // this thread re-checks; the others keep using the current token
    next_check_ = now + recheck_;
  }
  FileId id;
  std::string fresh;
  bool changed = false;
  try {
    id = stat_file(path_);
    std::lock_guard lock(mu_);
    changed = !(id == id_);
  } catch (const std::exception&) {
    changed = false;  // keep the last good token; the file may be mid-rotation
  }
  if (changed) {
    try {
      fresh = read_token_file(path_);
    } catch (const std::exception&) {
      changed = false;
    }
  }
  std::lock_guard lock(mu_);
  checking_ = false;
  if (changed) {
    token_ = std::move(fresh);
    id_ = id;
    ++reads_;
  }
  return token_;
}

uint64_t TokenSource::reads() const {
  std::lock_guard lock(mu_);
  return reads_;
}

}  // namespace kmetrics::http
