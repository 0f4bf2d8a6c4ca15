// The simdjson decoders of Node and Pod objects: the fields kept, defaults for missing and null
// fields, errors for a missing name and wrong types, quantities, timestamps, label escapes.
#include "cluster/object_decode.hpp"

#include <simdjson.h>

#include <gtest/gtest.h>

#include <string>

namespace kmetrics::cluster {
namespace {

const char* kNode = R"({
  "metadata": {"name": "node-1", "resourceVersion": "42", "creationTimestamp": "2023-06-09T06:16:01Z",
               "labels": {"kubernetes.io/os": "linux", "a": "1"}, "annotations": {"note": "x"},
               "managedFields": [{"manager": "kubelet", "fieldsV1": {"f:status": {}}}]},
  "spec": {"podCIDR": "10.0.0.0/24"},
  "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.1"}, {"type": "Hostname", "address": "node-1"}],
             "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
             "conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}]}
})";

const char* kPod = R"({
  "metadata": {"name": "web-1", "namespace": "default", "resourceVersion": "7",
               "creationTimestamp": "2021-10-03T09:18:32.5Z", "labels": {"app": "web"}},
  "spec": {"nodeName": "node-1", "containers": [
    {"name": "main", "image": "nginx", "resources": {"requests": {"cpu": "250m", "memory": "64Mi"},
                                                     "limits": {"cpu": 1, "memory": "1G"}}},
    {"name": "sidecar"}]},
  "status": {"phase": "Running"}
})";

std::string with(std::string json, const std::string& from, const std::string& to) {
  auto pos = json.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) json.replace(pos, from.size(), to);
  return json;
}

TEST(ObjectDecodeTest, Node) {
  NodeInfo n = decode_node_json(kNode);
  EXPECT_EQ(n.name, "node-1");
  EXPECT_EQ(n.resource_version, "42");
  EXPECT_EQ(n.creation_unix_ns, 1686291361LL * 1000000000);
  EXPECT_EQ(n.labels, (Labels{{"a", "1"}, {"kubernetes.io/os", "linux"}}));  // sorted by key
  EXPECT_EQ(n.annotations, (Labels{{"note", "x"}}));
  ASSERT_EQ(n.addresses.size(), 2u);
  EXPECT_EQ(n.addresses[0].type, "InternalIP");
  EXPECT_EQ(n.addresses[0].address, "10.0.0.1");
  EXPECT_EQ(n.addresses[1].type, "Hostname");
  EXPECT_EQ(n.kubelet_port, 10250);
  EXPECT_TRUE(n.ready);
  EXPECT_FALSE(decode_node_json(with(kNode, R"({"type": "Ready", "status": "True"})",
                                     R"({"type": "Ready", "status": "Unknown"})")).ready);
}

TEST(ObjectDecodeTest, NodeDefaults) {
  NodeInfo n = decode_node_json(R"({"metadata": {"name": "bare"}})");
  EXPECT_EQ(n.name, "bare");
  EXPECT_TRUE(n.labels.empty());
  EXPECT_TRUE(n.addresses.empty());
  EXPECT_EQ(n.kubelet_port, 0);
  EXPECT_FALSE(n.ready);
  EXPECT_EQ(n.creation_unix_ns, 0);
  // null is absent; a status that is not an object, or lists that are not arrays, are ignored
  n = decode_node_json(R"({"metadata": {"name": "n", "labels": null, "resourceVersion": null},
                           "status": {"addresses": {"type": "InternalIP"}, "conditions": null,
                                      "daemonEndpoints": {"kubeletEndpoint": {"Port": "10250"}}}})");
  EXPECT_TRUE(n.labels.empty());
  EXPECT_TRUE(n.addresses.empty());
  EXPECT_EQ(n.kubelet_port, 0);  // a string is not a port
  EXPECT_EQ(decode_node_json(R"({"metadata": {"name": "n"}, "status": 3})").name, "n");
}

TEST(ObjectDecodeTest, NodeErrors) {
  EXPECT_THROW(decode_node_json(R"({"metadata": {"labels": {"a": "b"}}})"), std::runtime_error);  // no name
  EXPECT_THROW(decode_node_json(R"({"metadata": {"name": ""}})"), std::runtime_error);
  EXPECT_THROW(decode_node_json(R"({"status": {}})"), std::runtime_error);  // no metadata
  EXPECT_THROW(decode_node_json(R"([1, 2])"), std::runtime_error);
  EXPECT_THROW(decode_node_json(R"({"metadata": {"name": 5}})"), std::runtime_error);
  EXPECT_THROW(decode_node_json(with(kNode, R"("a": "1")", R"("a": 1)")), std::runtime_error);
  EXPECT_THROW(decode_node_json(with(kNode, R"("annotations": {"note": "x"})", R"("annotations": ["x"])")),
               std::runtime_error);
  EXPECT_THROW(decode_node_json(with(kNode, R"("address": "10.0.0.1")", R"("address": true)")), std::runtime_error);
  EXPECT_THROW(decode_node_json(with(kNode, R"("status": "True")", R"("status": true)")), std::runtime_error);
  EXPECT_THROW(decode_node_json("{\"metadata\": "), std::runtime_error);  // not JSON
  try {
    decode_node_json(with(kNode, R"("a": "1")", R"("a": 1)"));
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "metadata.labels.a: not a string");
  }
}

TEST(ObjectDecodeTest, Pod) {
  PodPtr pod = decode_pod_json(kPod);
  const PodInfo& p = *pod;
  EXPECT_EQ(p.namespace_name(), "default");
  EXPECT_EQ(p.name(), "web-1");
  EXPECT_EQ(p.node_name(), "node-1");
  ASSERT_EQ(p.labels().size(), 1u);
  EXPECT_EQ(p.labels()[0], (LabelView{"app", "web"}));
  EXPECT_EQ(p.creation_unix_ns(), 1633252712LL * 1000000000 + 500000000);
  ASSERT_EQ(p.containers().size(), 2u);
  EXPECT_EQ(p.containers()[0].name, "main");
  EXPECT_EQ(p.containers()[0].cpu_request_millicores, 250);
  EXPECT_EQ(p.containers()[0].cpu_limit_millicores, 1000);  // a JSON integer is a quantity too
  EXPECT_EQ(p.containers()[0].memory_request_bytes, 64LL << 20);
  EXPECT_EQ(p.containers()[0].memory_limit_bytes, 1000000000);
  EXPECT_EQ(p.containers()[1].name, "sidecar");
  EXPECT_EQ(p.containers()[1].cpu_request_millicores, 0);
  EXPECT_EQ(p.containers()[1].memory_limit_bytes, 0);

  PodPtr bare = decode_pod_json(R"({"metadata": {"name": "p"}, "spec": {"containers": "none"}})");
  EXPECT_EQ(bare->namespace_name(), "");
  EXPECT_TRUE(bare->containers().empty());
  EXPECT_TRUE(bare->labels().empty());
}

TEST(ObjectDecodeTest, PodErrors) {
  // resourceVersion is not kept for pods, but a wrong type still makes the object bad, as before.
  EXPECT_THROW(decode_pod_json(with(kPod, R"("resourceVersion": "7")", R"("resourceVersion": 7)")), std::runtime_error);
  EXPECT_THROW(decode_pod_json(R"({"metadata": {"namespace": "default"}})"), std::runtime_error);
  EXPECT_THROW(decode_pod_json(R"({"spec": {}})"), std::runtime_error);
  EXPECT_THROW(decode_pod_json(R"("pod")"), std::runtime_error);
  EXPECT_THROW(decode_pod_json(with(kPod, R"("namespace": "default")", R"("namespace": ["default"])")),
               std::runtime_error);
  EXPECT_THROW(decode_pod_json(with(kPod, R"("nodeName": "node-1")", R"("nodeName": 1)")), std::runtime_error);
  EXPECT_THROW(decode_pod_json(with(kPod, R"({"name": "sidecar"})", R"({"name": {"x": 1}})")), std::runtime_error);
  EXPECT_THROW(decode_pod_json(with(kPod, R"("labels": {"app": "web"})", R"("labels": "app=web")")),
               std::runtime_error);
}

TEST(ObjectDecodeTest, Quantities) {
  auto cpu_request = [](const std::string& value) {
    std::string json = with(kPod, R"("cpu": "250m")", R"("cpu": )" + value);
    return decode_pod_json(json)->containers().at(0).cpu_request_millicores;
  };
  auto memory_request = [](const std::string& value) {
    std::string json = with(kPod, R"("memory": "64Mi")", R"("memory": )" + value);
    return decode_pod_json(json)->containers().at(0).memory_request_bytes;
  };
  EXPECT_EQ(cpu_request(R"("1.5")"), 1500);
  EXPECT_EQ(cpu_request(R"("1n")"), 1);  // rounded up
  EXPECT_EQ(cpu_request(R"("2k")"), 2000000);
  EXPECT_EQ(cpu_request("3"), 3000);
  EXPECT_EQ(cpu_request("0.5"), 0);  // a JSON float is not a quantity: not set
  EXPECT_EQ(cpu_request(R"("bogus")"), 0);
  EXPECT_EQ(cpu_request(R"("-1")"), 0);
  EXPECT_EQ(cpu_request("null"), 0);
  EXPECT_EQ(cpu_request("true"), 0);
  EXPECT_EQ(cpu_request("18446744073709551615"), 0);  // uint64: too large in millicores
  EXPECT_EQ(memory_request(R"("1Gi")"), 1LL << 30);
  EXPECT_EQ(memory_request(R"("1e3")"), 1000);
  EXPECT_EQ(memory_request(R"("0.5")"), 1);
  EXPECT_EQ(memory_request("128974848"), 128974848);
  EXPECT_EQ(memory_request("9223372036854775807"), 9223372036854775807LL);
  EXPECT_EQ(memory_request(R"("99999999999999999999Ei")"), 0);  // does not fit int64
}

TEST(ObjectDecodeTest, Timestamps) {
  auto created = [](const std::string& value) {
    return decode_pod_json(with(kPod, R"("2021-10-03T09:18:32.5Z")", value))->creation_unix_ns();
  };
  EXPECT_EQ(created(R"("1970-01-01T00:00:00Z")"), 0);
  EXPECT_EQ(created(R"("1970-01-01T01:00:00+01:00")"), 0);
  EXPECT_EQ(created(R"("2000-02-29T12:00:00.123456789Z")"), 951825600123456789LL);
  EXPECT_EQ(created(R"("2000-02-29 12:00")"), 0);  // malformed: unknown
  EXPECT_EQ(created("null"), 0);
  EXPECT_THROW(created("1633252712"), std::runtime_error);  // not a string

  EXPECT_EQ(parse_rfc3339_ns("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_ns("2000-02-29T12:00:00.123456789Z"), 951825600123456789LL);
  EXPECT_EQ(parse_rfc3339_ns("2023-06-09T08:16:01.25+02:00"), 1686291361LL * 1000000000 + 250000000);
  EXPECT_FALSE(parse_rfc3339_ns("2000-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339_ns("2000-01-01T00:00:00"));
  EXPECT_FALSE(parse_rfc3339_ns("2000-01-01T00:00:00.Z"));
}

TEST(ObjectDecodeTest, LabelsWithEscapesAndUnicode) {
  NodeInfo n = decode_node_json(R"({"metadata": {"name": "n\u00e9\"1", "labels": {
      "quote\"key": "back\\slash", "tab": "a\tb\nc", "caf\u00e9": "\ud83d\ude00", "z": "日本", "\/slash": "\u0041"}}})");
  EXPECT_EQ(n.name, "n\xc3\xa9\"1");
  EXPECT_EQ(n.labels, (Labels{{"/slash", "A"},
                              {"caf\xc3\xa9", "\xf0\x9f\x98\x80"},
                              {"quote\"key", "back\\slash"},
                              {"tab", "a\tb\nc"},
                              {"z", "日本"}}));
  EXPECT_EQ(*find_label(n.labels, "caf\xc3\xa9"), "\xf0\x9f\x98\x80");
  // A key given twice keeps its last value, as a JSON object decoded into a map does.
  EXPECT_EQ(decode_node_json(R"({"metadata": {"name": "n", "labels": {"a": "1", "b": "2", "a": "3"}}})").labels,
            (Labels{{"a", "3"}, {"b", "2"}}));
  EXPECT_THROW(decode_node_json("{\"metadata\": {\"name\": \"\xff\"}}"), std::runtime_error);  // not UTF-8
}

TEST(ObjectDecodeTest, PhaseAndResourceVersion) {
  simdjson::dom::parser parser;
  simdjson::dom::element pod = parser.parse(std::string(kPod)).value();
  EXPECT_EQ(pod_phase(pod), "Running");
  EXPECT_EQ(resource_version_of(pod), "7");
  simdjson::dom::parser other;
  simdjson::dom::element bare = other.parse(std::string(R"({"metadata": {"resourceVersion": 7}, "status": []})")).value();
  EXPECT_EQ(pod_phase(bare), "");
  EXPECT_EQ(resource_version_of(bare), "");  // not a string
}

}  // namespace
}  // namespace kmetrics::cluster
