#include "hello_source.hpp"

namespace example {

void HelloSource::describe(kmetrics::sdk::ConfigSpec<Config>& spec) {
  spec.field("cpu_millicores", &Config::cpu_millicores, "CPU rate reported for every node, in millicores.")
      .min(0);
  spec.field("memory_bytes", &Config::memory_bytes, "Working set reported for every node, in bytes.")
      .min(1);
}

HelloSource::HelloSource(const kmetrics::sdk::Context& ctx, Config config)
    : host_(ctx.host), config_(config), started_unix_ns_(ctx.host.nowUnixNs()) {}

kmetrics::sdk::Status HelloSource::scrape(const kmetrics::sdk::ScrapeRequest& request,
                                          const kmetrics::sdk::Emitter& out) {
  auto node = request.node();
  if (!node) {
    return kmetrics::sdk::Status::invalidArgument("hello is a per-node source");
  }
  // Cumulative CPU grows at the configured rate since the plugin started.
  const int64_t now = request.nowUnixNs();
  kmetrics_point p{};
  p.timestamp_unix_ns = now;
  p.cpu_cumulative_ns =
      static_cast<uint64_t>((now - started_unix_ns_) / 1000) * static_cast<uint64_t>(config_.cpu_millicores) +
      1;
  p.memory_working_set = static_cast<uint64_t>(config_.memory_bytes);
  out.node(node->name(), p);
  return kmetrics::sdk::Status::ok();
}

}  // namespace example
