#include "truth.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cmath>

namespace kmetrics::e2e {
namespace {

std::map<std::string, std::string> labelsOf(const Poco::JSON::Object::Ptr& o) {
  std::map<std::string, std::string> out;
  if (!o->has("labels")) return out;
  auto l = o->getObject("labels");
  if (!l) return out;
  for (const auto& [k, v] : *l) out[k] = v.toString();
  return out;
}

int64_t i64(const Poco::JSON::Object::Ptr& o, const std::string& k) {
  return o->has(k) ? o->getValue<Poco::Int64>(k) : 0;
}

}  // namespace

const TruthNode* Truth::node(const std::string& name) const {
  for (const auto& n : nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

const TruthPod* Truth::pod(const std::string& ns, const std::string& name) const {
  for (const auto& p : pods) {
    if (p.ns == ns && p.name == name) return &p;
  }
  return nullptr;
}

Truth parseTruth(const std::string& json) {
  Poco::JSON::Parser parser;
  auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  Truth t;
  auto nodes = root->getArray("nodes");
  for (size_t i = 0; nodes && i < nodes->size(); ++i) {
    auto o = nodes->getObject(static_cast<unsigned>(i));
    TruthNode n;
    n.name = o->getValue<std::string>("name");
    n.fault = o->has("fault") ? o->getValue<std::string>("fault") : "none";
    n.labels = labelsOf(o);
    n.cpu_m = i64(o, "cpu_millicores");
    n.memory_bytes = i64(o, "memory_bytes");
    n.allocatable_cpu_m = i64(o, "allocatable_cpu_millicores");
    n.allocatable_memory_bytes = i64(o, "allocatable_memory_bytes");
    n.capacity_cpu_m = i64(o, "capacity_cpu_millicores");
    n.capacity_memory_bytes = i64(o, "capacity_memory_bytes");
    t.nodes.push_back(std::move(n));
  }
  auto pods = root->getArray("pods");
  for (size_t i = 0; pods && i < pods->size(); ++i) {
    auto o = pods->getObject(static_cast<unsigned>(i));
    TruthPod p;
    p.ns = o->getValue<std::string>("namespace");
    p.name = o->getValue<std::string>("name");
    p.node = o->getValue<std::string>("node");
    p.phase = o->getValue<std::string>("phase");
    p.labels = labelsOf(o);
    p.cpu_m = i64(o, "cpu_millicores");
    p.memory_bytes = i64(o, "memory_bytes");
    auto cs = o->getArray("containers");
    for (size_t j = 0; cs && j < cs->size(); ++j) {
      auto c = cs->getObject(static_cast<unsigned>(j));
      TruthContainer tc;
      tc.name = c->getValue<std::string>("name");
      tc.cpu_m = i64(c, "cpu_millicores");
      tc.memory_bytes = i64(c, "memory_bytes");
      tc.restart_count = static_cast<int>(i64(c, "restart_count"));
      p.containers.push_back(std::move(tc));
    }
    t.pods.push_back(std::move(p));
  }
  return t;
}

bool cpuClose(int64_t printed_m, int64_t truth_m) {
  const double tol = std::max(3.0, 0.10 * static_cast<double>(truth_m));
  return std::fabs(static_cast<double>(printed_m - truth_m)) <= tol;
}

bool memClose(int64_t printed_mi, int64_t truth_bytes) {
  const int64_t expected = truth_bytes / kMi;
  return printed_mi >= expected - 1 && printed_mi <= expected + 1;
}

bool percentConsistent(int64_t printed_pct, long double usage, long double allocatable) {
  if (allocatable <= 0) return false;
  const auto expected = static_cast<int64_t>(usage / allocatable * 100.0L);
  return printed_pct >= expected - 1 && printed_pct <= expected + 1;
}

}  // namespace kmetrics::e2e
