// The wire bytes of a request and the body of its response, reused across requests. Pooled rather
// than per thread: a scrape fiber thread has many requests in flight at once, and a response
// callback that issues a nested request simply takes another pair.
// THREADING: take() and the lease's release from any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kmetrics::http {

struct RequestBuffers {
  std::string wire;
  std::string body;
};

class RequestBufferPool {
 public:
  class Lease {
   public:
    Lease(RequestBufferPool& pool, std::unique_ptr<RequestBuffers> buffers)
        : pool_(pool), buffers_(std::move(buffers)) {}
    ~Lease() { pool_.give_back(std::move(buffers_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    RequestBuffers* operator->() const { return buffers_.get(); }

   private:
    RequestBufferPool& pool_;
    std::unique_ptr<RequestBuffers> buffers_;
  };

  Lease take() {
    std::unique_ptr<RequestBuffers> b;
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        b = std::move(free_.back());
        free_.pop_back();
      }
    }
    if (!b) b = std::make_unique<RequestBuffers>();
    return Lease(*this, std::move(b));
  }

 private:
  static constexpr size_t kKeepCapacity = 8u << 20;  // a burst of huge bodies does not pin memory
  static constexpr size_t kMaxKept = 256;            // more than requests ever run at once

  void give_back(std::unique_ptr<RequestBuffers> b) {
    if (b->body.capacity() > kKeepCapacity) std::string().swap(b->body);
    std::lock_guard lock(mu_);
    if (free_.size() < kMaxKept) free_.push_back(std::move(b));
  }

  std::mutex mu_;
  std::vector<std::unique_ptr<RequestBuffers>> free_;
};

}  // namespace kmetrics::http
