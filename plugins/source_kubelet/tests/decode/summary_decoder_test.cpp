// Summary API decoder: hand-written payloads (testdata/summary_*.json), metrics-server v0.5.2's
// summary rules, and hostile JSON.
#include "decode/summary_decoder.hpp"

#include <gtest/gtest.h>

#include <string>

#include "decode/resource_metrics_decoder.hpp"
#include "test_util.hpp"

namespace kmetrics::kubelet {
namespace {

using namespace testing;  // NOLINT

constexpr int64_t s(int64_t secs) { return secs * kSec; }

class SummaryDecoderTest : public ::testing::Test {
 protected:
  DecodeStatus decode(const std::string& json) { return decoder_.decode(json, result_); }
  SummaryDecoder decoder_;
  ScrapeResult result_;
};

TEST_F(SummaryDecoderTest, FullPayload) {
  ASSERT_TRUE(decode(read_testdata("summary_full.json")).ok());

  const NodeResult& n = result_.node;
  ASSERT_TRUE(n.present);
  EXPECT_EQ(n.point.timestamp_ns, s(1710166805));  // cpu.time, not memory.time (…:06)
  EXPECT_EQ(n.point.start_time_ns, s(1709272800));
  EXPECT_EQ(n.point.cpu_cumulative_ns, 893245118734512ull);
  EXPECT_EQ(n.point.memory_working_set, 3894919168ull);
  EXPECT_EQ(n.extended.memory_rss, 2245013504ull);
  EXPECT_EQ(n.extended.memory_usage, 6127845376ull);
  EXPECT_EQ(n.extended.page_faults, 901234567ull);
  EXPECT_EQ(n.extended.major_page_faults, 3301ull);
  EXPECT_EQ(n.extended.network_rx_bytes, 48211945123ull);  // default interface, not the sum
  EXPECT_EQ(n.extended.network_rx_errors, 0ull);
  EXPECT_EQ(n.extended.network_tx_bytes, 30112233445ull);
  EXPECT_EQ(n.extended.network_tx_errors, 2ull);
  EXPECT_EQ(n.extended.filesystem_usage, 21763252224ull);
  EXPECT_EQ(n.extended.filesystem_limit, 62725623808ull);
  EXPECT_EQ(n.extended.filesystem_available, 40962371584ull);
  EXPECT_EQ(n.extended.uptime_seconds, 1710166805ull - 1709272800ull);
  EXPECT_EQ(n.extended.present, (1u << 12) - 1);  // every extended field

  // frontend and coredns kept; report (no usageCoreNanoSeconds) dropped; migrate-db has no containers.
  ASSERT_EQ(result_.pods.size(), 2u);
  EXPECT_EQ(result_.drop_count(DropReason::kContainerIncomplete), 1u);
  EXPECT_EQ(total_drops(result_), 1u);

  const PodResult& fe = result_.pods[0];
  EXPECT_EQ(fe.ns, "web");
  EXPECT_EQ(fe.name, "frontend-6f8d9c7b4-p2x9z");
  EXPECT_EQ(fe.extended.network_rx_bytes, 918273645ull);
  EXPECT_EQ(fe.extended.network_tx_bytes, 1827364509ull);
  ASSERT_EQ(fe.containers.size(), 2u);
  const ContainerResult& nginx = fe.containers[0];
  EXPECT_EQ(nginx.name, "nginx");
  EXPECT_EQ(nginx.point.timestamp_ns, s(1710166803) + 512345678);
  EXPECT_EQ(nginx.point.start_time_ns, s(1710058530));
  EXPECT_EQ(nginx.point.cpu_cumulative_ns, 18234567890ull);
  EXPECT_EQ(nginx.point.memory_working_set, 45613056ull);
  EXPECT_EQ(nginx.extended.memory_usage, 52428800ull);
  EXPECT_EQ(nginx.extended.memory_rss, 30408704ull);
  EXPECT_EQ(nginx.extended.page_faults, 51234ull);
  EXPECT_EQ(nginx.extended.major_page_faults, 12ull);
  EXPECT_EQ(nginx.extended.filesystem_usage, 24576ull);
  EXPECT_EQ(nginx.extended.filesystem_limit, 62725623808ull);
  EXPECT_EQ(nginx.extended.filesystem_available, 40962371584ull);
  EXPECT_EQ(nginx.extended.uptime_seconds, 1710166803ull - 1710058530ull);
  EXPECT_FALSE(nginx.extended.has(Extended::kNetworkRxBytes));
  const ContainerResult& shipper = fe.containers[1];
  EXPECT_EQ(shipper.name, "log-shipper");
  EXPECT_EQ(shipper.point.timestamp_ns, s(1710166803));  // "+01:00" offset applied
  EXPECT_EQ(shipper.point.cpu_cumulative_ns, 951234567ull);
  EXPECT_EQ(shipper.point.memory_working_set, 20971520ull);
  EXPECT_EQ(shipper.extended.present, static_cast<uint32_t>(Extended::kUptimeSeconds));

  const PodResult& dns = result_.pods[1];
  EXPECT_EQ(dns.ns, "kube-system");
  ASSERT_EQ(dns.containers.size(), 1u);
  EXPECT_EQ(dns.containers[0].point.start_time_ns, s(1709272865));
  EXPECT_EQ(dns.containers[0].point.timestamp_ns, s(1710166802));
  EXPECT_TRUE(dns.containers[0].extended.has(Extended::kFilesystemUsage));
  EXPECT_EQ(dns.containers[0].extended.filesystem_usage, 0ull);
  // No inlined default-interface fields: sum of interfaces[].
  EXPECT_EQ(dns.extended.network_rx_bytes, 1500ull);
  EXPECT_EQ(dns.extended.network_rx_errors, 1ull);
  EXPECT_EQ(dns.extended.network_tx_bytes, 2250ull);
  EXPECT_EQ(dns.extended.network_tx_errors, 0ull);
}

TEST_F(SummaryDecoderTest, OnlyCpuAndMemoryPayload) {
  ASSERT_TRUE(decode(read_testdata("summary_only_cpu_and_memory.json")).ok());
  ASSERT_TRUE(result_.node.present);
  EXPECT_EQ(result_.node.point.cpu_cumulative_ns, 893245118734512ull);
  EXPECT_EQ(result_.node.point.memory_working_set, 3894919168ull);
  EXPECT_FALSE(result_.node.extended.has(Extended::kNetworkRxBytes));
  EXPECT_FALSE(result_.node.extended.has(Extended::kFilesystemUsage));
  ASSERT_EQ(result_.pods.size(), 2u);
  EXPECT_EQ(result_.pods[0].containers.size(), 2u);
  EXPECT_EQ(result_.pods[0].extended.present, 0u);
  EXPECT_EQ(result_.pods[1].containers[0].point.cpu_cumulative_ns, 2120938475610ull);
  EXPECT_EQ(total_drops(result_), 0u);
}

// Small builder for inline cases: one node, one pod with the given containers.
std::string node_json(const std::string& cpu, const std::string& memory) {
  return R"({"nodeName":"n1","startTime":"2024-01-01T00:00:00Z","cpu":)" + cpu + R"(,"memory":)" + memory + "}";
}
const std::string kGoodCpu = R"({"time":"2024-01-02T00:00:10Z","usageCoreNanoSeconds":5000000000})";
const std::string kGoodMem = R"({"time":"2024-01-02T00:00:11Z","workingSetBytes":1048576})";
std::string container_json(const std::string& name, const std::string& start, const std::string& cpu,
                           const std::string& memory) {
  std::string c = R"({"name":")" + name + "\"";
  if (!start.empty()) c += R"(,"startTime":")" + start + "\"";
  if (!cpu.empty()) c += R"(,"cpu":)" + cpu;
  if (!memory.empty()) c += R"(,"memory":)" + memory;
  return c + "}";
}
std::string pod_json(const std::string& name, const std::string& containers) {
  return R"({"podRef":{"name":")" + name + R"(","namespace":"ns","uid":"u"},"containers":[)" + containers + "]}";
}
std::string summary_json(const std::string& node, const std::string& pods) {
  return R"({"node":)" + node + R"(,"pods":[)" + pods + "]}";
}
const std::string kGoodContainer = container_json("app", "2024-01-01T12:00:00Z", kGoodCpu, kGoodMem);

TEST_F(SummaryDecoderTest, UsesCpuTimeAndStartTime) {
  ASSERT_TRUE(decode(summary_json(node_json(kGoodCpu, kGoodMem), pod_json("p", kGoodContainer))).ok());
  ASSERT_TRUE(result_.node.present);
  EXPECT_EQ(result_.node.point.timestamp_ns, s(1704153610));  // 2024-01-02T00:00:10Z (cpu), not :11
  ASSERT_EQ(result_.pods.size(), 1u);
  const Point& p = result_.pods[0].containers[0].point;
  EXPECT_EQ(p.timestamp_ns, s(1704153610));
  EXPECT_EQ(p.start_time_ns, s(1704110400));  // 2024-01-01T12:00:00Z
  EXPECT_EQ(p.cpu_cumulative_ns, 5000000000ull);
  EXPECT_EQ(p.memory_working_set, 1048576ull);
}

struct DropCase {
  const char* name;
  std::string container;
  DropReason reason;
};

class SummaryContainerDropTest : public SummaryDecoderTest, public ::testing::WithParamInterface<DropCase> {};

TEST_P(SummaryContainerDropTest, DropsPodKeepsOthers) {
  const DropCase& c = GetParam();
  const std::string pods = pod_json("bad", kGoodContainer + "," + c.container) + "," +
                           pod_json("good", kGoodContainer);
  ASSERT_TRUE(decode(summary_json(node_json(kGoodCpu, kGoodMem), pods)).ok()) << c.name;
  ASSERT_EQ(result_.pods.size(), 1u) << c.name;
  EXPECT_EQ(result_.pods[0].name, "good");
  EXPECT_EQ(result_.drop_count(c.reason), 1u) << c.name;
  EXPECT_TRUE(result_.node.present);
}

const char* const kStart = "2024-01-01T12:00:00Z";
INSTANTIATE_TEST_SUITE_P(
    MetricsServerRules, SummaryContainerDropTest,
    ::testing::Values(
        DropCase{"missing_cpu", container_json("x", kStart, "", kGoodMem), DropReason::kContainerIncomplete},
        DropCase{"null_cpu", container_json("x", kStart, "null", kGoodMem), DropReason::kContainerIncomplete},
        DropCase{"cpu_zero", container_json("x", kStart, R"({"time":"2024-01-02T00:00:10Z","usageCoreNanoSeconds":0})", kGoodMem),
                 DropReason::kContainerIncomplete},
        DropCase{"cpu_time_missing", container_json("x", kStart, R"({"usageCoreNanoSeconds":5})", kGoodMem),
                 DropReason::kContainerIncomplete},
        DropCase{"missing_memory", container_json("x", kStart, kGoodCpu, ""), DropReason::kContainerIncomplete},
        DropCase{"memory_zero", container_json("x", kStart, kGoodCpu, R"({"time":"2024-01-02T00:00:10Z","workingSetBytes":0})"),
                 DropReason::kContainerIncomplete},
        DropCase{"working_set_null", container_json("x", kStart, kGoodCpu, R"({"workingSetBytes":null})"),
                 DropReason::kContainerIncomplete},
        DropCase{"start_missing", container_json("x", "", kGoodCpu, kGoodMem), DropReason::kContainerIncomplete},
        DropCase{"start_go_zero", container_json("x", "0001-01-01T00:00:00Z", kGoodCpu, kGoodMem),
                 DropReason::kContainerIncomplete},
        DropCase{"cpu_time_before_1970", container_json("x", kStart, R"({"time":"1969-07-20T20:17:40Z","usageCoreNanoSeconds":5})", kGoodMem),
                 DropReason::kNegativeTimestamp},
        DropCase{"empty_name", container_json("", kStart, kGoodCpu, kGoodMem), DropReason::kMissingLabel}),
    [](const auto& info) { return std::string(info.param.name); });

struct NodeDropCase {
  const char* name;
  std::string node;
};
class SummaryNodeDropTest : public SummaryDecoderTest, public ::testing::WithParamInterface<NodeDropCase> {};

TEST_P(SummaryNodeDropTest, NodeDroppedPodsKept) {
  ASSERT_TRUE(decode(summary_json(GetParam().node, pod_json("p", kGoodContainer))).ok());
  EXPECT_FALSE(result_.node.present);
  EXPECT_EQ(result_.drop_count(DropReason::kNodeIncomplete), 1u);
  EXPECT_EQ(result_.pods.size(), 1u);  // "continue on missing CPU or memory metrics"
}

INSTANTIATE_TEST_SUITE_P(
    MetricsServerRules, SummaryNodeDropTest,
    ::testing::Values(NodeDropCase{"missing_cpu", R"({"memory":{"workingSetBytes":5}})"},
                      NodeDropCase{"cpu_zero", node_json(R"({"time":"2024-01-02T00:00:10Z","usageCoreNanoSeconds":0})", kGoodMem)},
                      NodeDropCase{"cpu_time_missing", node_json(R"({"usageCoreNanoSeconds":7})", kGoodMem)},
                      NodeDropCase{"missing_memory", node_json(kGoodCpu, "null")},
                      NodeDropCase{"memory_zero", node_json(kGoodCpu, R"({"workingSetBytes":0})")},
                      NodeDropCase{"node_null", "null"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(SummaryDecoderTest, NullsAndEmpties) {
  ASSERT_TRUE(decode(R"({"node":null,"pods":null})").ok());
  EXPECT_FALSE(result_.node.present);
  EXPECT_TRUE(result_.pods.empty());
  ASSERT_TRUE(decode("{}").ok());
  EXPECT_EQ(result_.drop_count(DropReason::kNodeIncomplete), 1u);
  ASSERT_TRUE(decode(R"({"pods":[{"podRef":null,"containers":null}]})").ok());
  EXPECT_EQ(result_.drop_count(DropReason::kMissingLabel), 1u);
}

TEST_F(SummaryDecoderTest, FieldOrderEscapesAndUnknownFields) {
  // containers before podRef, an escaped key and value, unknown fields of every type.
  const std::string json = R"({"extra":[1,{"a":[]}],"pods":[{"containers":[)" + kGoodContainer +
                           R"(],"x":true,"podRef":{"na\u006de":"we\"ird","namespace":"n\u00e9"}}],"node":)" +
                           node_json(kGoodCpu, kGoodMem) + "}";
  ASSERT_TRUE(decode(json).ok()) << decode(json).message;
  ASSERT_EQ(result_.pods.size(), 1u);
  EXPECT_EQ(result_.pods[0].name, "we\"ird");
  EXPECT_EQ(result_.pods[0].ns, "n\xc3\xa9");
  EXPECT_TRUE(result_.node.present);
}

TEST_F(SummaryDecoderTest, DuplicatesFirstWins) {
  const std::string other = container_json("app", kStart, R"({"time":"2024-01-02T00:00:10Z","usageCoreNanoSeconds":99})", kGoodMem);
  const std::string pods = pod_json("p", kGoodContainer + "," + other) + "," + pod_json("p", other);
  ASSERT_TRUE(decode(summary_json(node_json(kGoodCpu, kGoodMem), pods)).ok());
  ASSERT_EQ(result_.pods.size(), 1u);
  ASSERT_EQ(result_.pods[0].containers.size(), 1u);
  EXPECT_EQ(result_.pods[0].containers[0].point.cpu_cumulative_ns, 5000000000ull);
  EXPECT_EQ(result_.drop_count(DropReason::kDuplicateSeries), 2u);
}

TEST_F(SummaryDecoderTest, InterfaceSumSaturates) {
  const std::string node =
      R"({"cpu":)" + kGoodCpu + R"(,"memory":)" + kGoodMem +
      R"(,"network":{"interfaces":[{"rxBytes":18446744073709551615},{"rxBytes":10},{"txBytes":3}]}})";
  ASSERT_TRUE(decode(summary_json(node, "")).ok());
  EXPECT_EQ(result_.node.extended.network_rx_bytes, UINT64_MAX);
  EXPECT_EQ(result_.node.extended.network_tx_bytes, 3u);
  EXPECT_FALSE(result_.node.extended.has(Extended::kNetworkRxErrors));
}

struct ErrorCase {
  const char* name;
  std::string json;
  DecodeCode code;
  std::string in_message;  // path or other text the message must contain
  std::size_t offset;      // expected byte offset, or SIZE_MAX to skip
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }
void PrintTo(const DropCase& c, std::ostream* os) { *os << c.name; }
void PrintTo(const NodeDropCase& c, std::ostream* os) { *os << c.name; }

class SummaryErrorTest : public SummaryDecoderTest, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(SummaryErrorTest, Fails) {
  const ErrorCase& c = GetParam();
  const DecodeStatus st = decode(c.json);
  ASSERT_FALSE(st.ok()) << c.name;
  EXPECT_EQ(st.code, c.code) << c.name << ": " << st.message;
  EXPECT_NE(st.message.find(c.in_message), std::string::npos) << c.name << ": " << st.message;
  if (c.offset != SIZE_MAX) {
    EXPECT_EQ(st.offset, c.offset) << c.name << ": " << st.message;
  }
  EXPECT_LE(st.offset, c.json.size());
  EXPECT_FALSE(result_.node.present);
  EXPECT_TRUE(result_.pods.empty());
}

const std::string kTwoPods = pod_json("a", kGoodContainer) + "," + pod_json("b", kGoodContainer);
std::string with_second_container_cpu(const std::string& cpu) {
  return summary_json(node_json(kGoodCpu, kGoodMem),
                      pod_json("a", kGoodContainer) + "," +
                          pod_json("b", kGoodContainer + "," + container_json("c", kStart, cpu, kGoodMem)));
}

INSTANTIATE_TEST_SUITE_P(
    Hostile, SummaryErrorTest,
    ::testing::Values(
        ErrorCase{"empty", "", DecodeCode::kMalformed, "malformed JSON", 0},
        ErrorCase{"not_json", "hello", DecodeCode::kMalformed, "malformed JSON", SIZE_MAX},
        ErrorCase{"truncated", summary_json(node_json(kGoodCpu, kGoodMem), kTwoPods).substr(0, 150),
                  DecodeCode::kMalformed, "malformed JSON", SIZE_MAX},
        ErrorCase{"missing_value", R"({"node": })", DecodeCode::kMalformed, "node", SIZE_MAX},
        ErrorCase{"trailing_content", "{} {}", DecodeCode::kMalformed, "trailing content", 3},
        ErrorCase{"root_array", "[]", DecodeCode::kWrongType, "(root): expected object", 0},
        ErrorCase{"cpu_as_string", with_second_container_cpu(R"({"time":"2024-01-02T00:00:10Z","usageCoreNanoSeconds":"5"})"),
                  DecodeCode::kWrongType, "pods[1].containers[1].cpu.usageCoreNanoSeconds: expected unsigned integer",
                  SIZE_MAX},
        ErrorCase{"cpu_negative", with_second_container_cpu(R"({"time":"2024-01-02T00:00:10Z","usageCoreNanoSeconds":-5})"),
                  DecodeCode::kWrongType, "pods[1].containers[1].cpu.usageCoreNanoSeconds", SIZE_MAX},
        ErrorCase{"cpu_float", with_second_container_cpu(R"({"time":"2024-01-02T00:00:10Z","usageCoreNanoSeconds":5.5})"),
                  DecodeCode::kWrongType, "pods[1].containers[1].cpu.usageCoreNanoSeconds", SIZE_MAX},
        ErrorCase{"cpu_too_big", with_second_container_cpu(R"({"time":"2024-01-02T00:00:10Z","usageCoreNanoSeconds":18446744073709551616})"),
                  DecodeCode::kWrongType, "pods[1].containers[1].cpu.usageCoreNanoSeconds", SIZE_MAX},
        ErrorCase{"bad_time", with_second_container_cpu(R"({"time":"yesterday","usageCoreNanoSeconds":5})"),
                  DecodeCode::kWrongType, "pods[1].containers[1].cpu.time: expected RFC 3339 time string", SIZE_MAX},
        ErrorCase{"time_number", with_second_container_cpu(R"({"time":1700000000,"usageCoreNanoSeconds":5})"),
                  DecodeCode::kWrongType, "pods[1].containers[1].cpu.time", SIZE_MAX},
        ErrorCase{"cpu_array", with_second_container_cpu("[]"), DecodeCode::kWrongType,
                  "pods[1].containers[1].cpu: expected object", SIZE_MAX},
        ErrorCase{"pods_object", R"({"pods":{}})", DecodeCode::kWrongType, "pods: expected array", 8},
        ErrorCase{"podref_array", R"({"pods":[{"podRef":[]}]})", DecodeCode::kWrongType,
                  "pods[0].podRef: expected object", SIZE_MAX},
        ErrorCase{"name_number", R"({"pods":[{"podRef":{"name":5}}]})", DecodeCode::kWrongType,
                  "pods[0].podRef.name: expected string", SIZE_MAX},
        ErrorCase{"interfaces_bad", R"({"node":{"network":{"interfaces":[{"rxBytes":true}]}}})",
                  DecodeCode::kWrongType, "node.network.interfaces[0].rxBytes", SIZE_MAX},
        ErrorCase{"invalid_utf8", "{\"pods\":[{\"podRef\":{\"name\":\"\xc3\x28\"}}]}", DecodeCode::kMalformed,
                  "invalid UTF-8", 28},
        ErrorCase{"unbalanced_nesting", "{\"x\":" + std::string(5000, '[') + "}",
                  DecodeCode::kMalformed, "malformed JSON", SIZE_MAX},
        ErrorCase{"unclosed_string", R"({"pods":[{"podRef":{"name":"abc}}]})", DecodeCode::kMalformed,
                  "malformed JSON", SIZE_MAX}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(SummaryDecoderTest, DeepButValidNestingInUnknownFieldIsSkipped) {
  // Valid JSON (Go's decoder allows depth 10000): skipped, not an error, and no stack overflow.
  const std::string json = "{\"x\":" + std::string(5000, '[') + std::string(5000, ']') + ",\"node\":" +
                           node_json(kGoodCpu, kGoodMem) + "}";
  ASSERT_TRUE(decode(json).ok());
  EXPECT_TRUE(result_.node.present);
}

TEST_F(SummaryDecoderTest, MalformedOffsetPointsNearTheProblem) {
  const std::string json = R"({"node":{"cpu":{"time":"2024-01-02T00:00:10Z","usageCoreNanoSeconds":12,}}})";
  const DecodeStatus st = decode(json);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message.find("byte"), std::string::npos) << st.message;
  const std::size_t comma = json.find(",}");
  EXPECT_GE(st.offset, comma - 3) << st.message;
  EXPECT_LE(st.offset, comma + 2) << st.message;
}

TEST_F(SummaryDecoderTest, Payload110PodsAgreesWithResourcePayload) {
  ASSERT_TRUE(decode(read_testdata("summary_110pods.json")).ok());
  ASSERT_TRUE(result_.node.present);
  EXPECT_EQ(result_.node.point.memory_working_set, 11838930944ull);
  ASSERT_EQ(result_.pods.size(), 110u);
  EXPECT_EQ(total_drops(result_), 0u);

  ResourceMetricsDecoder text;
  ScrapeResult from_text;
  ASSERT_TRUE(text.decode(read_testdata("resource_110pods.txt"), 0, from_text).ok());
  ASSERT_EQ(from_text.pods.size(), 110u);
  std::size_t containers = 0;
  for (const PodResult& p : result_.pods) {
    const PodResult* tp = find_pod(from_text, p.ns, p.name);
    ASSERT_NE(tp, nullptr) << p.ns << "/" << p.name;
    ASSERT_EQ(p.containers.size(), tp->containers.size()) << p.name;
    EXPECT_TRUE(p.extended.has(Extended::kNetworkRxBytes));
    for (const ContainerResult& c : p.containers) {
      ++containers;
      const ContainerResult* tc = find_container(*tp, c.name);
      ASSERT_NE(tc, nullptr) << c.name;
      EXPECT_EQ(c.point.memory_working_set, tc->point.memory_working_set) << p.name << "/" << c.name;
      EXPECT_EQ(c.point.start_time_ns, tc->point.start_time_ns) << p.name << "/" << c.name;
      // Text carries seconds as a float: within a microsecond of the exact nanoseconds.
      const double diff = static_cast<double>(c.point.cpu_cumulative_ns) - static_cast<double>(tc->point.cpu_cumulative_ns);
      EXPECT_LT(diff < 0 ? -diff : diff, 1000.0) << p.name << "/" << c.name;
      EXPECT_TRUE(c.extended.has(Extended::kFilesystemUsage));
    }
  }
  EXPECT_EQ(containers, 154u);
}

TEST_F(SummaryDecoderTest, ReuseAfterErrorAndAcrossSizes) {
  const std::string big = read_testdata("summary_110pods.json");
  ASSERT_TRUE(decode(big).ok());
  ASSERT_FALSE(decode("{").ok());
  ASSERT_TRUE(decode(read_testdata("summary_full.json")).ok());
  EXPECT_EQ(result_.pods.size(), 2u);
  ASSERT_TRUE(decode(big).ok());
  EXPECT_EQ(result_.pods.size(), 110u);
}

}  // namespace
}  // namespace kmetrics::kubelet
