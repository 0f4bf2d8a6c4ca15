#include "cluster/object_decode.hpp"

#include <algorithm>
#include <stdexcept>

#include "cluster/quantity.hpp"

namespace kmetrics::cluster {

namespace {

using nlohmann::json;

const json* child(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string str(const json& j, const char* key, const char* where) {
  const json* c = child(j, key);
  if (c == nullptr) return {};
  if (!c->is_string()) throw std::runtime_error(std::string(where) + "." + key + ": not a string");
  return c->get<std::string>();
}

Labels string_map(const json& j, const char* key, const char* where) {
  Labels out;
  const json* m = child(j, key);
  if (m == nullptr) return out;
  if (!m->is_object()) throw std::runtime_error(std::string(where) + "." + key + ": not a map");
  out.reserve(m->size());
  for (auto it = m->begin(); it != m->end(); ++it) {
    if (!it.value().is_string()) throw std::runtime_error(std::string(where) + "." + key + "." + it.key() + ": not a string");
    out.emplace_back(it.key(), it.value().get<std::string>());
  }
  std::sort(out.begin(), out.end());  // nlohmann objects are sorted already; cheap insurance
  return out;
}

int64_t quantity(const json& resources, const char* list, const char* name, int scale) {
  const json* l = child(resources, list);
  if (l == nullptr) return 0;
  const json* q = child(*l, name);
  if (q == nullptr) return 0;
  std::optional<int64_t> v;
  if (q->is_string()) {
    v = parse_quantity_scaled(q->get<std::string>(), scale);
  } else if (q->is_number_integer()) {
    v = parse_quantity_scaled(std::to_string(q->get<int64_t>()), scale);
  }
  return v && *v > 0 ? *v : 0;
}

int days_from_civil(int y, unsigned m, unsigned d) {  // Howard Hinnant's algorithm
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

}  // namespace

std::optional<int64_t> parse_rfc3339_ns(std::string_view s) {
  auto num = [&](size_t pos, size_t len, int& out) {
    if (pos + len > s.size()) return false;
    out = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, sec;
  if (s.size() < 20 || !num(0, 4, y) || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' || !num(8, 2, d) ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !num(11, 2, h) || s[13] != ':' || !num(14, 2, mi) ||
      s[16] != ':' || !num(17, 2, sec)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t pos = 19;
  int64_t frac_ns = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100000000;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (scale > 0) frac_ns += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!num(pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !num(pos + 4, 2, om)) return std::nullopt;
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  return secs * 1000000000 + frac_ns;
}

std::string resource_version_of(const json& object) {
  const json* md = child(object, "metadata");
  if (md == nullptr) return {};
  const json* rv = child(*md, "resourceVersion");
  return rv != nullptr && rv->is_string() ? rv->get<std::string>() : std::string();
}

std::string pod_phase(const json& object) {
  const json* st = child(object, "status");
  if (st == nullptr) return {};
  const json* ph = child(*st, "phase");
  return ph != nullptr && ph->is_string() ? ph->get<std::string>() : std::string();
}

NodeInfo decode_node(const json& o) {
  NodeInfo n;
  const json* md = child(o, "metadata");
  if (md == nullptr) throw std::runtime_error("node: metadata missing");
  n.name = str(*md, "name", "metadata");
  if (n.name.empty()) throw std::runtime_error("node: metadata.name missing");
  n.labels = string_map(*md, "labels", "metadata");
  n.annotations = string_map(*md, "annotations", "metadata");
  n.resource_version = str(*md, "resourceVersion", "metadata");
  n.creation_unix_ns = parse_rfc3339_ns(str(*md, "creationTimestamp", "metadata")).value_or(0);
  if (const json* st = child(o, "status")) {
    if (const json* addrs = child(*st, "addresses"); addrs != nullptr && addrs->is_array()) {
      for (const auto& a : *addrs) n.addresses.push_back({str(a, "type", "status.addresses"), str(a, "address", "status.addresses")});
    }
    if (const json* de = child(*st, "daemonEndpoints")) {
      if (const json* ke = child(*de, "kubeletEndpoint")) {
        if (const json* p = child(*ke, "Port"); p != nullptr && p->is_number_integer()) {
          n.kubelet_port = static_cast<int32_t>(p->get<int64_t>());
        }
      }
    }
    if (const json* conds = child(*st, "conditions"); conds != nullptr && conds->is_array()) {
      for (const auto& c : *conds) {
        if (str(c, "type", "status.conditions") == "Ready") n.ready = str(c, "status", "status.conditions") == "True";
      }
    }
  }
  return n;
}

PodInfo decode_pod(const json& o) {
  PodInfo p;
  const json* md = child(o, "metadata");
  if (md == nullptr) throw std::runtime_error("pod: metadata missing");
  p.name = str(*md, "name", "metadata");
  p.namespace_name = str(*md, "namespace", "metadata");
  if (p.name.empty()) throw std::runtime_error("pod: metadata.name missing");
  p.labels = string_map(*md, "labels", "metadata");
  p.resource_version = str(*md, "resourceVersion", "metadata");
  p.creation_unix_ns = parse_rfc3339_ns(str(*md, "creationTimestamp", "metadata")).value_or(0);
  if (const json* spec = child(o, "spec")) {
    p.node_name = str(*spec, "nodeName", "spec");
    if (const json* cs = child(*spec, "containers"); cs != nullptr && cs->is_array()) {
      p.containers.reserve(cs->size());
      for (const auto& c : *cs) {
        ContainerInfo ci;
        ci.name = str(c, "name", "spec.containers");
        if (const json* r = child(c, "resources")) {
          ci.cpu_request_millicores = quantity(*r, "requests", "cpu", 3);
          ci.cpu_limit_millicores = quantity(*r, "limits", "cpu", 3);
          ci.memory_request_bytes = quantity(*r, "requests", "memory", 0);
          ci.memory_limit_bytes = quantity(*r, "limits", "memory", 0);
        }
        p.containers.push_back(std::move(ci));
      }
    }
  }
  return p;
}

}  // namespace kmetrics::cluster
