#include "http/background_lookup.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <system_error>
#include <thread>
#include <utility>

#include "scheduler/io_wait.hpp"

namespace kmetrics::http {

namespace {

// Shared by the waiting fiber and the lookup thread; whichever lets go last frees it.
struct Lookup {
  std::string host, service;
  addrinfo hints{};
  int event_fd = -1;
  int rc = 0;
  addrinfo* list = nullptr;
  std::atomic<bool> done{false};
  ~Lookup() {
    if (list != nullptr) freeaddrinfo(list);
    if (event_fd >= 0) ::close(event_fd);
  }
};

LookupResult lookup_here(const std::string& host, const std::string& service, const addrinfo& hints) {
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
  return {rc, AddrInfoList(list)};
}

}  // namespace

std::optional<LookupResult> lookup_until(const std::string& host, const std::string& service, const addrinfo& hints,
                                         Clock::time_point deadline) {
  if (t_io_waiter == nullptr) return lookup_here(host, service, hints);  // a plain thread may block
  if (Clock::now() >= deadline) return std::nullopt;
  auto lookup = std::make_shared<Lookup>();
  lookup->event_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (lookup->event_fd < 0) return lookup_here(host, service, hints);
  lookup->host = host;
  lookup->service = service;
  lookup->hints = hints;
  try {
    std::thread([lookup] {
      lookup->rc = getaddrinfo(lookup->host.c_str(), lookup->service.c_str(), &lookup->hints, &lookup->list);
      lookup->done.store(true, std::memory_order_release);
      const uint64_t one = 1;
      [[maybe_unused]] ssize_t n = ::write(lookup->event_fd, &one, sizeof one);
    }).detach();
  } catch (const std::system_error&) {
    return lookup_here(host, service, hints);  // no thread to be had: block rather than fail
  }
  while (!lookup->done.load(std::memory_order_acquire)) {  // bounded by the deadline
    if (!wait_for_fd(lookup->event_fd, POLLIN, deadline)) return std::nullopt;
  }
  return LookupResult{lookup->rc, AddrInfoList(std::exchange(lookup->list, nullptr))};
}

}  // namespace kmetrics::http
