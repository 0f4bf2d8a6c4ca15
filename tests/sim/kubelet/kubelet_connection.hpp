// The I/O side of the simulated kubelets: a listening socket per node and one object per accepted
// connection, both driven by an EventLoop. Connections are HTTP/1.1 keep-alive over non-blocking
// TLS with bounded buffers and deadlines (handshake + request, idle, write, linger).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "kubelet/event_loop.hpp"
#include "kubelet/kubelet_handler.hpp"
#include "kubelet/tls_connection.hpp"

namespace kmetrics::sim {

struct ConnectionLimits {
  int idle_timeout_ms = 90'000;
  int request_timeout_ms = 30'000;
  int write_timeout_ms = 60'000;
  int linger_ms = 2'000;
};

// Shared by all loops; counters are atomics.
struct ServerShared {
  const TlsServerContext* tls = nullptr;
  const KubeletHandler* handler = nullptr;
  ConnectionLimits limits;
  std::function<void()> sync_model;        // apply pending cluster changes (any thread)
  std::function<bool()> model_has_pending;
  std::atomic<uint64_t> requests_served{0};
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<uint64_t> handshakes_completed{0};
  std::atomic<uint64_t> sessions_resumed{0};
  std::atomic<uint64_t> request_seq{0};
};

class Connection;
class Listener;

// What one event-loop thread owns.
struct LoopState {
  EventLoop loop;
  ServerShared* shared = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Listener>> listeners;  // by node name
  std::unordered_set<Connection*> connections;                           // owned; freed via retire/closeAll
  std::string scratch;                                                   // body buffer, reused
  EventLoop::TimerId sweep_timer = 0;

  // Loop thread only.
  bool openListener(const std::string& node, const std::string& ip, uint16_t port,
                    std::shared_ptr<const TlsIdentity> identity, std::string* error);
  void closeNode(const std::string& node);  // listener and every connection to it
  void closeAll();
  void startSweeps();
};

class Listener : public IoHandler {
 public:
  Listener(LoopState& ls, std::string node, int fd, std::shared_ptr<const TlsIdentity> identity);
  ~Listener() override;
  void onEvents(uint32_t events) override;
  // Stops accepting (deregisters, cancels a pending resume); the loop then retires the object.
  void shutdown();

 private:
  LoopState& ls_;
  std::string node_;
  int fd_;
  std::shared_ptr<const TlsIdentity> identity_;
  bool paused_ = false;
  EventLoop::TimerId resume_timer_ = 0;
};

class Connection : public IoHandler {
 public:
  Connection(LoopState& ls, std::string node, int fd, std::shared_ptr<const TlsIdentity> identity);
  void onEvents(uint32_t events) override;
  void close();
  const std::string& node() const { return node_; }
  // Deadline sweep: closes the connection if its current deadline passed.
  void checkDeadline(EventLoop::Clock now);
  void start();

 private:
  enum class State { kHandshake, kReading, kWriting, kDelayed, kHung, kLingering };
  void drive();
  void processRequests();
  bool flush();            // false: blocked or closed
  void responseWritten();
  void want(uint32_t events);
  void setDeadline(int ms);
  void linger(bool close_notify);

  LoopState& ls_;
  std::string node_;
  std::shared_ptr<const TlsIdentity> identity_;  // keeps the cert alive as long as the SSL uses it
  TlsConnection tls_;
  State state_ = State::kHandshake;
  bool closed_ = false;
  uint32_t interest_ = 0;
  std::string in_;
  std::string out_;
  size_t out_off_ = 0;
  bool close_after_ = false;
  bool abort_after_ = false;
  bool peer_done_ = false;  // the client half-closed after its request; answer, then close
  EventLoop::Clock deadline_ = 0;  // 0: none
  EventLoop::TimerId delay_timer_ = 0;
  std::string client_cn_;
};

}  // namespace kmetrics::sim
