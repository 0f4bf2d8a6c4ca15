#include "metrics_api.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "top_output_parser.hpp"

namespace kmetrics::e2e {
namespace {

Poco::JSON::Array::Ptr items(const E2ECluster& c, const std::string& path, bool* ok) {
  auto r = c.apiserver("GET", path);
  if (ok) *ok = r.status == 200;
  if (r.status != 200) return nullptr;
  try {
    return Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>()->getArray("items");
  } catch (...) {
    if (ok) *ok = false;
    return nullptr;
  }
}

long double quantity(const Poco::JSON::Object::Ptr& usage, const std::string& key) {
  if (!usage || !usage->has(key)) return -1;
  auto q = parseQuantity(usage->getValue<std::string>(key));
  return q ? *q : -1;
}

}  // namespace

std::map<std::string, ServedUsage> servedNodes(const E2ECluster& c, bool* ok) {
  std::map<std::string, ServedUsage> out;
  auto arr = items(c, "/apis/metrics.k8s.io/v1beta1/nodes", ok);
  for (size_t i = 0; arr && i < arr->size(); ++i) {
    auto it = arr->getObject(static_cast<unsigned>(i));
    ServedUsage u;
    u.cpu_cores = quantity(it->getObject("usage"), "cpu");
    u.memory_bytes = quantity(it->getObject("usage"), "memory");
    u.timestamp = it->optValue<std::string>("timestamp", "");
    out[it->getObject("metadata")->getValue<std::string>("name")] = u;
  }
  return out;
}

std::map<std::string, ServedUsage> servedPods(const E2ECluster& c, bool* ok) {
  std::map<std::string, ServedUsage> out;
  auto arr = items(c, "/apis/metrics.k8s.io/v1beta1/pods", ok);
  for (size_t i = 0; arr && i < arr->size(); ++i) {
    auto it = arr->getObject(static_cast<unsigned>(i));
    auto md = it->getObject("metadata");
    ServedUsage u;
    u.timestamp = it->optValue<std::string>("timestamp", "");
    auto cs = it->getArray("containers");
    for (size_t j = 0; cs && j < cs->size(); ++j) {
      auto ct = cs->getObject(static_cast<unsigned>(j));
      const auto cpu = quantity(ct->getObject("usage"), "cpu");
      const auto mem = quantity(ct->getObject("usage"), "memory");
      u.containers[ct->getValue<std::string>("name")] = {cpu, mem};
      u.cpu_cores += cpu;
      u.memory_bytes += mem;
    }
    out[md->getValue<std::string>("namespace") + "/" + md->getValue<std::string>("name")] = u;
  }
  return out;
}

bool waitForScrapes(const E2ECluster& c, const std::string& node, int ticks, std::chrono::seconds bound) {
  std::string last;
  int seen = 0;
  return waitUntil(
      [&] {
        auto nodes = servedNodes(c);
        auto it = nodes.find(node);
        if (it == nodes.end()) return false;
        if (last.empty()) {
          last = it->second.timestamp;
        } else if (it->second.timestamp != last) {
          last = it->second.timestamp;
          ++seen;
        }
        return seen >= ticks;
      },
      bound, std::chrono::milliseconds(500));
}

}  // namespace kmetrics::e2e
