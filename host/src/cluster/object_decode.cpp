#include "cluster/object_decode.hpp"

#include <algorithm>
#include <stdexcept>

#include "cluster/quantity.hpp"

namespace kmetrics::cluster {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The member `key` of `j` when `j` is an object and the member is present and not null.
bool child(const element& j, std::string_view key, element& out) {
  simdjson::dom::object o;
  if (j.get_object().get(o) != simdjson::SUCCESS) return false;
  return o.at_key(key).get(out) == simdjson::SUCCESS && !out.is_null();
}

[[noreturn]] void wrong_type(std::string_view where, std::string_view key, const char* what) {
  throw std::runtime_error(std::string(where) + "." + std::string(key) + ": " + what);
}

// A string member as a view into the parsed document ("" when absent).
std::string_view str(const element& j, std::string_view key, std::string_view where) {
  element c;
  if (!child(j, key, c)) return {};
  std::string_view v;
  if (c.get_string().get(v) != simdjson::SUCCESS) wrong_type(where, key, "not a string");
  return v;
}

// Views into the parsed document, sorted by key with unique keys.
std::vector<LabelView> string_map(const element& j, std::string_view key, std::string_view where) {
  std::vector<LabelView> out;
  element m;
  if (!child(j, key, m)) return out;
  simdjson::dom::object o;
  if (m.get_object().get(o) != simdjson::SUCCESS) wrong_type(where, key, "not a map");
  out.reserve(o.size());
  for (simdjson::dom::key_value_pair kv : o) {
    std::string_view v;
    if (kv.value.get_string().get(v) != simdjson::SUCCESS) {
      wrong_type(std::string(where) + "." + std::string(key), kv.key, "not a string");
    }
    out.emplace_back(kv.key, v);
  }
  // Sorted by key (the apiserver sends map keys sorted already: stable_sort would allocate a buffer
  // for nothing); a key given twice keeps its last value, as a map built from the JSON would.
  auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(out.begin(), out.end(), by_key)) std::stable_sort(out.begin(), out.end(), by_key);
  auto w = out.begin();
  for (auto r = out.begin(); r != out.end(); ++r) {
    if (std::next(r) != out.end() && std::next(r)->first == r->first) continue;  // a later value follows
    if (w != r) *w = *r;
    ++w;
  }
  out.erase(w, out.end());
  return out;
}

Labels to_strings(const std::vector<LabelView>& views) {
  Labels out;
  out.reserve(views.size());
  for (const auto& [k, v] : views) out.emplace_back(k, v);
  return out;
}

int64_t quantity(const element& resources, std::string_view list, std::string_view name, int scale) {
  element l, q;
  if (!child(resources, list, l) || !child(l, name, q)) return 0;
  std::optional<int64_t> v;
  switch (q.type()) {
    case element_type::STRING: v = parse_quantity_scaled(q.get_string().value_unsafe(), scale); break;
    case element_type::INT64: v = parse_quantity_scaled(std::to_string(q.get_int64().value_unsafe()), scale); break;
    case element_type::UINT64: v = parse_quantity_scaled(std::to_string(q.get_uint64().value_unsafe()), scale); break;
    default: break;  // a float or another type: not set
  }
  return v && *v > 0 ? *v : 0;
}

// The array member `key` of `j`; false when it is absent, null or not an array (ignored, as before).
bool array_member(const element& j, std::string_view key, simdjson::dom::array& out) {
  element c;
  return child(j, key, c) && c.get_array().get(out) == simdjson::SUCCESS;
}

// The string at `o`.`outer`.`inner`; "" when anything on the way is absent or has another type.
std::string_view nested_string(const element& o, std::string_view outer, std::string_view inner) {
  element a, b;
  std::string_view v;
  if (!child(o, outer, a) || !child(a, inner, b) || b.get_string().get(v)) return {};
  return v;
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

std::string_view resource_version_of(const element& object) {
  return nested_string(object, "metadata", "resourceVersion");
}

std::string_view pod_phase(const element& object) { return nested_string(object, "status", "phase"); }

NodeInfo decode_node(const element& o) {
  NodeInfo n;
  element md;
  if (!child(o, "metadata", md)) throw std::runtime_error("node: metadata missing");
  n.name = str(md, "name", "metadata");
  if (n.name.empty()) throw std::runtime_error("node: metadata.name missing");
  n.labels = to_strings(string_map(md, "labels", "metadata"));
  n.annotations = to_strings(string_map(md, "annotations", "metadata"));
  n.resource_version = str(md, "resourceVersion", "metadata");
  n.creation_unix_ns = parse_rfc3339_ns(str(md, "creationTimestamp", "metadata")).value_or(0);
  if (element st; child(o, "status", st)) {
    if (simdjson::dom::array addrs; array_member(st, "addresses", addrs)) {
      for (element a : addrs) {
        n.addresses.push_back({std::string(str(a, "type", "status.addresses")), std::string(str(a, "address", "status.addresses"))});
      }
    }
    element de, ke, p;
    if (child(st, "daemonEndpoints", de) && child(de, "kubeletEndpoint", ke) && child(ke, "Port", p)) {
      if (p.type() == element_type::INT64) n.kubelet_port = static_cast<int32_t>(p.get_int64().value_unsafe());
      if (p.type() == element_type::UINT64) n.kubelet_port = static_cast<int32_t>(p.get_uint64().value_unsafe());
    }
    if (simdjson::dom::array conds; array_member(st, "conditions", conds)) {
      for (element c : conds) {
        if (str(c, "type", "status.conditions") == "Ready") n.ready = str(c, "status", "status.conditions") == "True";
      }
    }
  }
  return n;
}

PodPtr decode_pod(const element& o) {
  PodFields p;  // views into the document, copied once by PodInfo::make
  element md;
  if (!child(o, "metadata", md)) throw std::runtime_error("pod: metadata missing");
  p.name = str(md, "name", "metadata");
  p.namespace_name = str(md, "namespace", "metadata");
  if (p.name.empty()) throw std::runtime_error("pod: metadata.name missing");
  p.labels = string_map(md, "labels", "metadata");
  str(md, "resourceVersion", "metadata");  // not kept (nothing reads it), but still type-checked
  p.creation_unix_ns = parse_rfc3339_ns(str(md, "creationTimestamp", "metadata")).value_or(0);
  if (element spec; child(o, "spec", spec)) {
    p.node_name = str(spec, "nodeName", "spec");
    if (simdjson::dom::array cs; array_member(spec, "containers", cs)) {
      p.containers.reserve(cs.size());
      for (element c : cs) {
        ContainerInfo ci;
        ci.name = str(c, "name", "spec.containers");
        if (element r; child(c, "resources", r)) {
          ci.cpu_request_millicores = quantity(r, "requests", "cpu", 3);
          ci.cpu_limit_millicores = quantity(r, "limits", "cpu", 3);
          ci.memory_request_bytes = quantity(r, "requests", "memory", 0);
          ci.memory_limit_bytes = quantity(r, "limits", "memory", 0);
        }
        p.containers.push_back(ci);
      }
    }
  }
  return PodInfo::make(p);
}

namespace {

template <typename Decode>
auto decode_text(std::string_view json, Decode decode) {
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root)) {
    throw std::runtime_error(std::string("invalid JSON: ") + simdjson::error_message(error));
  }
  return decode(root);
}

}  // namespace

NodeInfo decode_node_json(std::string_view json) {
  return decode_text(json, [](const element& e) { return decode_node(e); });
}
PodPtr decode_pod_json(std::string_view json) {
  return decode_text(json, [](const element& e) { return decode_pod(e); });
}

}  // namespace kmetrics::cluster
