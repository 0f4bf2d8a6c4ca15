// A push sink that appends every tick's batch to a file as JSON lines: one object per sample.
#pragma once

#include <fstream>
#include <mutex>
#include <string>

#include <kmetrics/sdk.hpp>

namespace example {

class JsonLinesSink : public kmetrics::sdk::PushSink {
 public:
  struct Config {
    std::string path;  // required: the file to append to
  };
  static void describe(kmetrics::sdk::ConfigSpec<Config>& spec);

  JsonLinesSink(const kmetrics::sdk::Context& ctx, Config config);
  kmetrics::sdk::Status start() override;
  kmetrics::sdk::Status consume(const kmetrics::sdk::BatchView& batch) override;
  void shutdown(int64_t deadline_mono_ns) override;

 private:
  Config config_;
  std::ofstream out_;
};

}  // namespace example
