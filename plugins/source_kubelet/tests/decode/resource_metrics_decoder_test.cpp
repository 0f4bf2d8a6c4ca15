// /metrics/resource decoder: the metrics-server decoder cases (metrics-server.md §5) written as our
// own payloads, then hostile input.
#include "decode/resource_metrics_decoder.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_util.hpp"

namespace kmetrics::kubelet {
namespace {

using namespace testing;  // NOLINT

// 2077-07-07T07:07:07Z: the request time handed to the decoder.
constexpr int64_t kRequestTime = 3392867227LL * kSec;
// 2021-10-03T09:36:49.720Z and 09:36:52.125Z, 09:18:32Z.
constexpr int64_t kNodeTs = 1633253809720LL * kMs;
constexpr int64_t kCorednsTs = 1633253812125LL * kMs;
constexpr int64_t kCorednsStart = 1633252712LL * kSec;

// A kubelet response with every family, in the kubelet's order, for two pods.
const char* const kNormal = R"(# HELP container_cpu_usage_seconds_total [ALPHA] Cumulative cpu time consumed by the container in core-seconds
# TYPE container_cpu_usage_seconds_total counter
container_cpu_usage_seconds_total{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 4.710169 1633253812125
container_cpu_usage_seconds_total{container="kube-proxy",namespace="kube-system",pod="kube-proxy-q7wzt"} 1.25 1633253811000
# HELP container_memory_working_set_bytes [ALPHA] Current working set of the container in bytes
# TYPE container_memory_working_set_bytes gauge
container_memory_working_set_bytes{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 1.253376e+07 1633253812125
container_memory_working_set_bytes{container="kube-proxy",namespace="kube-system",pod="kube-proxy-q7wzt"} 2.1504e+07 1633253811000
# HELP container_start_time_seconds [ALPHA] Start time of the container since unix epoch in seconds
# TYPE container_start_time_seconds gauge
container_start_time_seconds{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 1.633252712e+09 1633253812125
container_start_time_seconds{container="kube-proxy",namespace="kube-system",pod="kube-proxy-q7wzt"} 1.6332527e+09
# HELP node_cpu_usage_seconds_total [ALPHA] Cumulative cpu time consumed by the node in core-seconds
# TYPE node_cpu_usage_seconds_total counter
node_cpu_usage_seconds_total 357.35491 1633253809720
# HELP node_memory_working_set_bytes [ALPHA] Current working set of the node in bytes
# TYPE node_memory_working_set_bytes gauge
node_memory_working_set_bytes 1.616273408e+09 1633253809720
# HELP pod_cpu_usage_seconds_total [ALPHA] Cumulative cpu time consumed by the pod in core-seconds
# TYPE pod_cpu_usage_seconds_total counter
pod_cpu_usage_seconds_total{namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 4.67812 1633253803935
# HELP pod_memory_working_set_bytes [ALPHA] Current working set of the pod in bytes
# TYPE pod_memory_working_set_bytes gauge
pod_memory_working_set_bytes{namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 1.2627968e+07 1633253803935
# HELP scrape_error [ALPHA] 1 if there was an error while getting container metrics, 0 otherwise
# TYPE scrape_error gauge
scrape_error 0
)";

class ResourceDecoderTest : public ::testing::Test {
 protected:
  DecodeStatus decode(const std::string& body) { return decoder_.decode(body, kRequestTime, result_); }
  ResourceMetricsDecoder decoder_;
  ScrapeResult result_;
};

TEST_F(ResourceDecoderTest, Normal) {
  ASSERT_TRUE(decode(kNormal).ok());
  ASSERT_TRUE(result_.node.present);
  EXPECT_EQ(result_.node.point.timestamp_ns, kNodeTs);
  EXPECT_EQ(result_.node.point.cpu_cumulative_ns, 357354910000ull);
  EXPECT_EQ(result_.node.point.memory_working_set, 1616273408ull);
  EXPECT_EQ(result_.node.point.start_time_ns, 0);  // /metrics/resource has no node start time
  ASSERT_EQ(result_.pods.size(), 2u);
  const PodResult& p = result_.pods[0];
  EXPECT_EQ(p.ns, "kube-system");
  EXPECT_EQ(p.name, "coredns-558bd4d5db-4dpjz");
  ASSERT_EQ(p.containers.size(), 1u);
  const ContainerResult& c = p.containers[0];
  EXPECT_EQ(c.name, "coredns");
  EXPECT_EQ(c.point.timestamp_ns, kCorednsTs);
  EXPECT_EQ(c.point.cpu_cumulative_ns, 4710169000ull);
  EXPECT_EQ(c.point.memory_working_set, 12533760ull);
  EXPECT_EQ(c.point.start_time_ns, kCorednsStart);
  EXPECT_EQ(c.extended.present, 0u);
  const PodResult& kp = result_.pods[1];
  EXPECT_EQ(kp.name, "kube-proxy-q7wzt");
  EXPECT_EQ(kp.containers[0].point.cpu_cumulative_ns, 1250000000ull);
  EXPECT_EQ(kp.containers[0].point.memory_working_set, 21504000ull);
  EXPECT_EQ(kp.containers[0].point.start_time_ns, 1633252700LL * kSec);
  EXPECT_EQ(total_drops(result_), 0u);
}

TEST_F(ResourceDecoderTest, NoTimestampsUseRequestTime) {
  const char* body = R"(container_cpu_usage_seconds_total{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 4.710169
container_memory_working_set_bytes{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 1.253376e+07
container_start_time_seconds{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 1.633252712e+09
node_cpu_usage_seconds_total 357.35491
node_memory_working_set_bytes 1.616273408e+09
)";
  ASSERT_TRUE(decode(body).ok());
  ASSERT_TRUE(result_.node.present);
  EXPECT_EQ(result_.node.point.timestamp_ns, kRequestTime);
  ASSERT_EQ(result_.pods.size(), 1u);
  EXPECT_EQ(result_.pods[0].containers[0].point.timestamp_ns, kRequestTime);
  EXPECT_EQ(result_.pods[0].containers[0].point.start_time_ns, kCorednsStart);
}

TEST_F(ResourceDecoderTest, OnlyContainerLines) {
  const char* body = R"(container_cpu_usage_seconds_total{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 4.710169 1633253812125
container_memory_working_set_bytes{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 1.253376e+07 1633253812125
)";
  ASSERT_TRUE(decode(body).ok());
  EXPECT_FALSE(result_.node.present);
  EXPECT_EQ(result_.drop_count(DropReason::kNodeIncomplete), 1u);
  ASSERT_EQ(result_.pods.size(), 1u);
  EXPECT_EQ(result_.pods[0].containers[0].point.cpu_cumulative_ns, 4710169000ull);
  EXPECT_EQ(result_.pods[0].containers[0].point.start_time_ns, 0);
}

// Each case: a container that is incomplete drops the pod; the other pod stays.
struct IncompleteCase {
  const char* name;
  const char* cpu_line;  // nullptr → line missing
  const char* mem_line;
};

class ContainerIncompleteTest : public ResourceDecoderTest,
                                public ::testing::WithParamInterface<IncompleteCase> {};

TEST_P(ContainerIncompleteTest, DropsWholePod) {
  const IncompleteCase& c = GetParam();
  std::string body;
  // The pod has two containers; only "app" is broken.
  body += R"(container_cpu_usage_seconds_total{container="sidecar",namespace="shop",pod="cart-1"} 2 1633253812125)" "\n";
  body += R"(container_memory_working_set_bytes{container="sidecar",namespace="shop",pod="cart-1"} 1000 1633253812125)" "\n";
  if (c.cpu_line) body += std::string(c.cpu_line) + "\n";
  if (c.mem_line) body += std::string(c.mem_line) + "\n";
  body += R"(container_start_time_seconds{container="app",namespace="shop",pod="cart-1"} 1.633252712e+09)" "\n";
  ASSERT_TRUE(decode(body).ok()) << c.name;
  EXPECT_TRUE(result_.pods.empty()) << c.name;
  EXPECT_EQ(result_.drop_count(DropReason::kContainerIncomplete), 1u) << c.name;
}

const char* const kAppCpu = R"(container_cpu_usage_seconds_total{container="app",namespace="shop",pod="cart-1"} 4.7 1633253812125)";
const char* const kAppCpuZero = R"(container_cpu_usage_seconds_total{container="app",namespace="shop",pod="cart-1"} 0 1633253812125)";
const char* const kAppMem = R"(container_memory_working_set_bytes{container="app",namespace="shop",pod="cart-1"} 1.2e+07 1633253812125)";
const char* const kAppMemZero = R"(container_memory_working_set_bytes{container="app",namespace="shop",pod="cart-1"} 0 1633253812125)";

INSTANTIATE_TEST_SUITE_P(
    MetricsServerCases, ContainerIncompleteTest,
    ::testing::Values(IncompleteCase{"missing cpu", nullptr, kAppMem},
                      IncompleteCase{"cpu zero", kAppCpuZero, kAppMem},
                      IncompleteCase{"missing memory", kAppCpu, nullptr},
                      IncompleteCase{"memory zero", kAppCpu, kAppMemZero},
                      IncompleteCase{"start time only", nullptr, nullptr}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (ch == ' ') ch = '_';
      return n;
    });

TEST_F(ResourceDecoderTest, OnlyNodeLines) {
  const char* body = "node_cpu_usage_seconds_total 357.35491 1633253809720\n"
                     "node_memory_working_set_bytes 1.616273408e+09 1633253809720\n";
  ASSERT_TRUE(decode(body).ok());
  ASSERT_TRUE(result_.node.present);
  EXPECT_EQ(result_.node.point.cpu_cumulative_ns, 357354910000ull);
  EXPECT_TRUE(result_.pods.empty());
  EXPECT_EQ(total_drops(result_), 0u);
}

struct NodeCase {
  const char* name;
  const char* body;
};
class NodeIncompleteTest : public ResourceDecoderTest, public ::testing::WithParamInterface<NodeCase> {};

TEST_P(NodeIncompleteTest, NodeDropped) {
  ASSERT_TRUE(decode(GetParam().body).ok());
  EXPECT_FALSE(result_.node.present);
  EXPECT_EQ(result_.drop_count(DropReason::kNodeIncomplete), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    MetricsServerCases, NodeIncompleteTest,
    ::testing::Values(
        NodeCase{"missing_cpu", "node_memory_working_set_bytes 1.616273408e+09 1633253809720\n"},
        NodeCase{"cpu_zero", "node_cpu_usage_seconds_total 0 1633253809720\n"
                             "node_memory_working_set_bytes 1.616273408e+09 1633253809720\n"},
        NodeCase{"missing_memory", "node_cpu_usage_seconds_total 357.35491 1633253809720\n"},
        NodeCase{"memory_zero", "node_cpu_usage_seconds_total 357.35491 1633253809720\n"
                                "node_memory_working_set_bytes 0 1633253809720\n"},
        NodeCase{"timestamp_zero", "node_cpu_usage_seconds_total 357.35491 0\n"
                                   "node_memory_working_set_bytes 1.616273408e+09 0\n"},
        NodeCase{"empty_body", ""}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(ResourceDecoderTest, NegativeTimestampFailsPayload) {
  std::string body = kNormal;
  body += R"(container_start_time_seconds{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} -6.7953645788713455e+09 -62135596800000)" "\n";
  const DecodeStatus st = decode(body);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code, DecodeCode::kNegativeTimestamp);
  EXPECT_EQ(st.line, 28u);
  EXPECT_NE(st.message.find("line 28"), std::string::npos) << st.message;
  EXPECT_NE(st.message.find("-62135596800000"), std::string::npos) << st.message;
  EXPECT_NE(st.message.find("container_start_time_seconds"), std::string::npos) << st.message;
  EXPECT_FALSE(result_.node.present);
  EXPECT_TRUE(result_.pods.empty());
}

TEST_F(ResourceDecoderTest, NegativeTimestampOnIgnoredFamilyIsIgnored) {
  std::string body = kNormal;
  body += "pod_cpu_usage_seconds_total{namespace=\"a\",pod=\"b\"} 1 -5\n";
  ASSERT_TRUE(decode(body).ok());
  EXPECT_EQ(result_.pods.size(), 2u);
}

// ---- hostile and unusual input ----------------------------------------------------------------

TEST_F(ResourceDecoderTest, EscapedLabelValuesAreUnescaped) {
  const char* body = R"(container_cpu_usage_seconds_total{container="a\"b",namespace="ns\\x",pod="p\nq"} 1 1
container_memory_working_set_bytes{container="a\"b",namespace="ns\\x",pod="p\nq"} 2 1
)";
  ASSERT_TRUE(decode(body).ok());
  ASSERT_EQ(result_.pods.size(), 1u);
  EXPECT_EQ(result_.pods[0].ns, "ns\\x");
  EXPECT_EQ(result_.pods[0].name, "p\nq");
  ASSERT_EQ(result_.pods[0].containers.size(), 1u);  // both lines grouped into one container
  EXPECT_EQ(result_.pods[0].containers[0].name, "a\"b");
}

TEST_F(ResourceDecoderTest, EscapedAndPlainSpellingsOfTheSameNameGroup) {
  // `\x` is not an escape: it stays as two characters, so both lines name the same pod.
  const char* body = R"(container_cpu_usage_seconds_total{container="c",namespace="n",pod="p\x"} 1 1
container_memory_working_set_bytes{container="c",namespace="n",pod="p\\x"} 2 1
)";
  ASSERT_TRUE(decode(body).ok());
  ASSERT_EQ(result_.pods.size(), 1u);
  EXPECT_EQ(result_.pods[0].name, "p\\x");
}

TEST_F(ResourceDecoderTest, LabelOrderExtraLabelsAndWhitespace) {
  const char* body =
      "container_cpu_usage_seconds_total{pod=\"p1\",zone=\"a\",namespace=\"n1\",container=\"c1\"} 1.5 1000\n"
      "container_memory_working_set_bytes{ namespace = \"n1\" ,\tcontainer=\"c1\", pod=\"p1\", } \t 4096   1000  \n"
      "  container_start_time_seconds{container=\"c1\",namespace=\"n1\",pod=\"p1\",image=\"x}y\"}\t1e9\n"
      "\n"
      "   \t\n"
      "node_cpu_usage_seconds_total{} 2 1000\n"
      "node_memory_working_set_bytes{instance=\"ignored\"} 3.0E+3 1000\n";
  ASSERT_TRUE(decode(body).ok());
  ASSERT_TRUE(result_.node.present);
  EXPECT_EQ(result_.node.point.memory_working_set, 3000u);
  ASSERT_EQ(result_.pods.size(), 1u);
  const auto& c = result_.pods[0].containers.at(0);
  EXPECT_EQ(c.point.cpu_cumulative_ns, 1500000000u);
  EXPECT_EQ(c.point.memory_working_set, 4096u);
  EXPECT_EQ(c.point.start_time_ns, 1000000000LL * kSec);
  EXPECT_EQ(c.point.timestamp_ns, 1000 * kMs);
}

TEST_F(ResourceDecoderTest, CrlfAndNoTrailingNewline) {
  std::string body =
      "# HELP node_cpu_usage_seconds_total x\r\n"
      "node_cpu_usage_seconds_total 357.35491 1633253809720\r\n"
      "node_memory_working_set_bytes 1.616273408e+09 1633253809720";
  ASSERT_TRUE(decode(body).ok());
  ASSERT_TRUE(result_.node.present);
  EXPECT_EQ(result_.node.point.memory_working_set, 1616273408u);
  EXPECT_EQ(result_.node.point.timestamp_ns, kNodeTs);
}

TEST_F(ResourceDecoderTest, NonFiniteValuesRejectedAndCounted) {
  const char* body =
      "node_cpu_usage_seconds_total NaN 1\n"
      "node_memory_working_set_bytes +Inf 1\n"
      "container_cpu_usage_seconds_total{container=\"c\",namespace=\"n\",pod=\"p\"} -Inf 1\n"
      "container_memory_working_set_bytes{container=\"c\",namespace=\"n\",pod=\"p\"} 5 1\n"
      "container_start_time_seconds{container=\"c\",namespace=\"n\",pod=\"p\"} nan\n";
  ASSERT_TRUE(decode(body).ok());
  EXPECT_EQ(result_.drop_count(DropReason::kNonFiniteValue), 4u);
  EXPECT_FALSE(result_.node.present);
  EXPECT_TRUE(result_.pods.empty());
  EXPECT_EQ(result_.drop_count(DropReason::kContainerIncomplete), 1u);
}

TEST_F(ResourceDecoderTest, NegativeAndOversizedValuesRejected) {
  const char* body =
      "node_cpu_usage_seconds_total -1 1\n"                 // would wrap in Go
      "node_memory_working_set_bytes 1e300 1\n"             // does not fit uint64
      "node_cpu_usage_seconds_total 2e10 1\n"               // ×1e9 = 2e19 > 2^64
      "container_start_time_seconds{container=\"c\",namespace=\"n\",pod=\"p\"} 1e12\n"  // ns > 2^63
      "node_memory_working_set_bytes 5 99999999999999999\n";  // ms → ns overflows int64
  ASSERT_TRUE(decode(body).ok());
  EXPECT_EQ(result_.drop_count(DropReason::kNegativeValue), 1u);
  EXPECT_EQ(result_.drop_count(DropReason::kOutOfRange), 4u);
  EXPECT_FALSE(result_.node.present);
}

TEST_F(ResourceDecoderTest, DuplicateSeriesFirstWins) {
  std::string body = kNormal;
  body += "node_cpu_usage_seconds_total 999 1633253809999\n";
  body += R"(container_cpu_usage_seconds_total{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 99 1633253899999)" "\n";
  body += R"(container_start_time_seconds{namespace="kube-system",container="coredns",pod="coredns-558bd4d5db-4dpjz"} 1)" "\n";
  ASSERT_TRUE(decode(body).ok());
  EXPECT_EQ(result_.drop_count(DropReason::kDuplicateSeries), 3u);
  EXPECT_EQ(result_.node.point.cpu_cumulative_ns, 357354910000ull);
  EXPECT_EQ(result_.node.point.timestamp_ns, kNodeTs);
  const PodResult* p = find_pod(result_, "kube-system", "coredns-558bd4d5db-4dpjz");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->containers[0].point.cpu_cumulative_ns, 4710169000ull);
  EXPECT_EQ(p->containers[0].point.timestamp_ns, kCorednsTs);
  EXPECT_EQ(p->containers[0].point.start_time_ns, kCorednsStart);
}

TEST_F(ResourceDecoderTest, MissingOrEmptyLabelsCounted) {
  const char* body =
      "container_cpu_usage_seconds_total{namespace=\"n\",pod=\"p\"} 1 1\n"
      "container_cpu_usage_seconds_total{container=\"\",namespace=\"n\",pod=\"p\"} 1 1\n"
      "container_memory_working_set_bytes 1 1\n";
  ASSERT_TRUE(decode(body).ok());
  EXPECT_EQ(result_.drop_count(DropReason::kMissingLabel), 3u);
  EXPECT_TRUE(result_.pods.empty());
}

TEST_F(ResourceDecoderTest, SimilarNamesAreNotMatched) {
  const char* body =
      "node_cpu_usage_seconds_total_extra 1 1\n"
      "node_cpu_usage_seconds 1 1\n"
      "xnode_memory_working_set_bytes 1 1\n"
      "container_cpu_usage_seconds_totals{container=\"c\",namespace=\"n\",pod=\"p\"} 1 1\n"
      "pod_cpu_usage_seconds_total{namespace=\"n\",pod=\"p\"} 1 1\n"
      "# TYPE node_cpu_usage_seconds_total counter\n"
      "#node_cpu_usage_seconds_total 5 5\n";
  ASSERT_TRUE(decode(body).ok());
  EXPECT_FALSE(result_.node.present);
  EXPECT_TRUE(result_.pods.empty());
  EXPECT_EQ(total_drops(result_), 1u);  // just the node being incomplete
}

TEST_F(ResourceDecoderTest, VeryLongLines) {
  std::string body = kNormal;
  body += "some_other_family{label=\"" + std::string(1 << 20, 'x') + "\"} 1\n";
  const std::string long_pod(100000, 'p');
  body += "container_cpu_usage_seconds_total{container=\"c\",namespace=\"n\",pod=\"" + long_pod + "\"} 1 1\n";
  body += "container_memory_working_set_bytes{container=\"c\",namespace=\"n\",pod=\"" + long_pod + "\"} 1 1\n";
  ASSERT_TRUE(decode(body).ok());
  EXPECT_EQ(result_.pods.size(), 3u);
  EXPECT_NE(find_pod(result_, "n", long_pod), nullptr);
}

TEST_F(ResourceDecoderTest, ManyPodsAndOneHugePod) {
  std::string body;
  for (int i = 0; i < 10000; ++i) {
    const std::string l = "{container=\"c\",namespace=\"ns" + std::to_string(i % 7) + "\",pod=\"p" +
                          std::to_string(i) + "\"} ";
    body += "container_cpu_usage_seconds_total" + l + "1 1\n";
    body += "container_memory_working_set_bytes" + l + "2 1\n";
  }
  for (int i = 0; i < 5000; ++i) {  // 5000 containers in one pod: grouping must stay linear
    const std::string l = "{container=\"c" + std::to_string(i) + "\",namespace=\"big\",pod=\"big\"} ";
    body += "container_cpu_usage_seconds_total" + l + "1 1\n";
    body += "container_memory_working_set_bytes" + l + "2 1\n";
  }
  ASSERT_TRUE(decode(body).ok());
  ASSERT_EQ(result_.pods.size(), 10001u);
  EXPECT_EQ(result_.pods[9999].name, "p9999");
  EXPECT_EQ(result_.pods[9999].ns, "ns" + std::to_string(9999 % 7));
  ASSERT_EQ(result_.pods[10000].containers.size(), 5000u);
  EXPECT_EQ(result_.pods[10000].containers[4999].name, "c4999");
  EXPECT_EQ(total_drops(result_), 1u);  // no node
}

TEST_F(ResourceDecoderTest, GarbageReportsLineAndExcerpt) {
  std::string body = kNormal;
  body += "this is garbage\n";
  const DecodeStatus st = decode(body);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code, DecodeCode::kMalformed);
  EXPECT_EQ(st.line, 28u);
  EXPECT_NE(st.message.find("line 28"), std::string::npos) << st.message;
  EXPECT_NE(st.message.find("garbage"), std::string::npos) << st.message;
  EXPECT_FALSE(result_.node.present);
  EXPECT_TRUE(result_.pods.empty());
}

TEST_F(ResourceDecoderTest, BinaryGarbageExcerptIsPrintable) {
  std::string body = "node_cpu_usage_seconds_total 1 1\n\x01\xff\x7f{\"\n";
  const DecodeStatus st = decode(body);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.line, 2u);
  for (char c : st.message) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << st.message;
  EXPECT_NE(st.message.find("\\x01\\xff"), std::string::npos) << st.message;
}

TEST_F(ResourceDecoderTest, InvalidUtf8InUsedLabelFails) {
  std::string body = "container_cpu_usage_seconds_total{container=\"c\",namespace=\"n\",pod=\"\xc3\x28\"} 1 1\n";
  const DecodeStatus st = decode(body);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code, DecodeCode::kInvalidUtf8);
  // Valid multi-byte UTF-8 is fine.
  body = "container_cpu_usage_seconds_total{container=\"c\",namespace=\"n\",pod=\"p\xc3\xa9\"} 1 1\n"
         "container_memory_working_set_bytes{container=\"c\",namespace=\"n\",pod=\"p\xc3\xa9\"} 1 1\n";
  ASSERT_TRUE(decode(body).ok());
  EXPECT_EQ(result_.pods.at(0).name, "p\xc3\xa9");
}

// UTF-8 is checked in label order (container, pod, namespace) and before a missing label is counted;
// a series naming an already known container (byte for byte) needs no new check, one that differs
// from the container the previous line's successor by one byte is checked.
TEST_F(ResourceDecoderTest, InvalidUtf8OrderAndRepeatedSeries) {
  std::string body = "container_cpu_usage_seconds_total{namespace=\"\xff\",container=\"\xfe\"} 1 1\n";
  DecodeStatus st = decode(body);
  ASSERT_EQ(st.code, DecodeCode::kInvalidUtf8);
  EXPECT_NE(st.message.find("\\xfe"), std::string::npos) << st.message;
  body = "container_cpu_usage_seconds_total{namespace=\"\xff\",pod=\"p\"} 1 1\n";  // container missing
  ASSERT_TRUE(decode(body).ok());
  EXPECT_EQ(result_.drop_count(DropReason::kMissingLabel), 1u);
  body = "container_cpu_usage_seconds_total{container=\"c\",namespace=\"n\",pod=\"p\"} 1 1\n"
         "container_cpu_usage_seconds_total{container=\"d\",namespace=\"n\",pod=\"p\"} 1 1\n"
         "container_memory_working_set_bytes{container=\"c\",namespace=\"n\",pod=\"p\"} 1 1\n"
         "container_memory_working_set_bytes{container=\"d\",namespace=\"n\",pod=\"\xc3\"} 1 1\n";
  st = decode(body);
  ASSERT_EQ(st.code, DecodeCode::kInvalidUtf8);
  EXPECT_EQ(st.line, 4u);
  EXPECT_TRUE(result_.pods.empty());
  body = "container_cpu_usage_seconds_total{container=\"c\",namespace=\"n\",pod=\"p\"} 1 1\n"
         "container_cpu_usage_seconds_total{container=\"d\",namespace=\"n\",pod=\"p\"} 1 1\n"
         "container_memory_working_set_bytes{pod=\"p\",namespace=\"n\",container=\"d\"} 2 1\n"
         "container_memory_working_set_bytes{container=\"c\",namespace=\"n\",pod=\"p\"} 3 1\n"
         "container_memory_working_set_bytes{container=\"d\",namespace=\"n\",pod=\"p\"} 4 1\n"
         "container_memory_working_set_bytes{container=\"c\",namespace=\"m\",pod=\"p\"} 5 1\n";
  ASSERT_TRUE(decode(body).ok());
  EXPECT_EQ(result_.drop_count(DropReason::kDuplicateSeries), 1u);
  EXPECT_EQ(result_.drop_count(DropReason::kContainerIncomplete), 1u);  // n/p kept, m/p dropped
  ASSERT_EQ(result_.pods.size(), 1u);
  ASSERT_EQ(result_.pods[0].containers.size(), 2u);
  EXPECT_EQ(result_.pods[0].containers[0].point.memory_working_set, 3u);
  EXPECT_EQ(result_.pods[0].containers[1].point.memory_working_set, 2u);
}

TEST_F(ResourceDecoderTest, ErrorThenSuccessReusesDecoder) {
  ASSERT_FALSE(decode("}{\n").ok());
  ASSERT_TRUE(decode(kNormal).ok());
  EXPECT_EQ(result_.pods.size(), 2u);
  EXPECT_EQ(total_drops(result_), 0u);
}

TEST_F(ResourceDecoderTest, ReusedResultShrinksAndIsIdentical) {
  const std::string big = read_testdata("resource_110pods.txt");
  ASSERT_TRUE(decode(big).ok());
  const ScrapeResult first = result_;
  ASSERT_TRUE(decode(kNormal).ok());
  EXPECT_EQ(result_.pods.size(), 2u);
  ASSERT_TRUE(decode(big).ok());
  ASSERT_EQ(result_.pods.size(), first.pods.size());
  for (std::size_t i = 0; i < first.pods.size(); ++i) {
    EXPECT_EQ(result_.pods[i].name, first.pods[i].name);
    ASSERT_EQ(result_.pods[i].containers.size(), first.pods[i].containers.size());
    for (std::size_t j = 0; j < first.pods[i].containers.size(); ++j) {
      EXPECT_EQ(result_.pods[i].containers[j].name, first.pods[i].containers[j].name);
      EXPECT_EQ(result_.pods[i].containers[j].point.cpu_cumulative_ns,
                first.pods[i].containers[j].point.cpu_cumulative_ns);
    }
  }
}

TEST_F(ResourceDecoderTest, Payload110Pods) {
  const std::string body = read_testdata("resource_110pods.txt");
  ASSERT_TRUE(decode(body).ok());
  ASSERT_TRUE(result_.node.present);
  EXPECT_EQ(result_.node.point.cpu_cumulative_ns, static_cast<uint64_t>(812345.123456 * 1e9));
  EXPECT_EQ(result_.node.point.memory_working_set, 11838930944ull);
  EXPECT_EQ(result_.node.point.timestamp_ns, 1764236159170LL * kMs);
  EXPECT_EQ(result_.pods.size(), 110u);
  EXPECT_EQ(total_drops(result_), 0u);
  std::size_t containers = 0;
  for (const auto& p : result_.pods) {
    containers += p.containers.size();
    for (const auto& c : p.containers) {
      EXPECT_GT(c.point.cpu_cumulative_ns, 0u);
      EXPECT_GT(c.point.memory_working_set, 0u);
      EXPECT_GT(c.point.start_time_ns, 1763460000LL * kSec);
    }
  }
  EXPECT_EQ(containers, 154u);
  const PodResult* ebs = nullptr;
  for (const auto& p : result_.pods)
    if (p.name.rfind("ebs-csi-node-", 0) == 0) ebs = &p;
  ASSERT_NE(ebs, nullptr);
  EXPECT_EQ(ebs->containers.size(), 3u);
  const PodResult* am = find_pod(result_, "monitoring", "alertmanager-main-0");
  ASSERT_NE(am, nullptr);
  const ContainerResult* c = find_container(*am, "alertmanager");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->point.memory_working_set, 877301760u);
  EXPECT_EQ(c->point.timestamp_ns, 1764236147944LL * kMs);  // memory line comes last
  EXPECT_EQ(c->point.start_time_ns, 1763849944LL * kSec);
}

}  // namespace
}  // namespace kmetrics::kubelet
