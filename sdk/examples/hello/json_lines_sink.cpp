#include "json_lines_sink.hpp"

#include <nlohmann/json.hpp>

namespace example {

void JsonLinesSink::describe(kmetrics::sdk::ConfigSpec<Config>& spec) {
  spec.field("path", &Config::path, "File the JSON lines are appended to.").required();
}

JsonLinesSink::JsonLinesSink(const kmetrics::sdk::Context&, Config config) : config_(std::move(config)) {}

kmetrics::sdk::Status JsonLinesSink::start() {
  out_.open(config_.path, std::ios::app);
  if (!out_) {
    return kmetrics::sdk::Status::unavailable("cannot open " + config_.path + " for appending");
  }
  return kmetrics::sdk::Status::ok();
}

kmetrics::sdk::Status JsonLinesSink::consume(const kmetrics::sdk::BatchView& batch) {
  using kmetrics::sdk::view;
  for (const auto& n : batch.nodes()) {
    nlohmann::json j = {{"kind", "node"},
                        {"node", view(n.node)},
                        {"timestamp_unix_ns", n.point.timestamp_unix_ns},
                        {"cpu_cumulative_ns", n.point.cpu_cumulative_ns},
                        {"memory_working_set", n.point.memory_working_set}};
    out_ << j.dump() << '\n';
  }
  for (const auto& c : batch.containers()) {
    nlohmann::json j = {{"kind", "container"},
                        {"namespace", view(c.pod_namespace)},
                        {"pod", view(c.pod)},
                        {"container", view(c.container)},
                        {"timestamp_unix_ns", c.point.timestamp_unix_ns},
                        {"cpu_cumulative_ns", c.point.cpu_cumulative_ns},
                        {"memory_working_set", c.point.memory_working_set}};
    out_ << j.dump() << '\n';
  }
  out_.flush();
  return out_ ? kmetrics::sdk::Status::ok() : kmetrics::sdk::Status::unavailable("write to " + config_.path + " failed");
}

void JsonLinesSink::shutdown(int64_t) { out_.close(); }

}  // namespace example
