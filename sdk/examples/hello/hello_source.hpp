// A source that reports a constant, configurable usage for every node: the smallest useful source.
#pragma once

#include <kmetrics/sdk.hpp>

namespace example {

class HelloSource : public kmetrics::sdk::Source {
 public:
  struct Config {
    int64_t cpu_millicores = 250;           // reported node CPU rate
    int64_t memory_bytes = 64 * 1024 * 1024;  // reported node working set
  };
  static void describe(kmetrics::sdk::ConfigSpec<Config>& spec);

  HelloSource(const kmetrics::sdk::Context& ctx, Config config);
  kmetrics::sdk::Status scrape(const kmetrics::sdk::ScrapeRequest& request,
                               const kmetrics::sdk::Emitter& out) override;

 private:
  kmetrics::sdk::Host host_;
  Config config_;
  int64_t started_unix_ns_;
};

}  // namespace example
