// Payload encoders against hand-computed ground truth, byte for byte where the format is fixed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "kubelet/cadvisor_encoder.hpp"
#include "kubelet/node_snapshot.hpp"
#include "kubelet/resource_metrics_encoder.hpp"
#include "kubelet/summary_encoder.hpp"
#include "kubelet/time_format.hpp"

namespace kmetrics::sim {
namespace {

constexpr UnixNanos kS = 1'000'000'000;

Container container(const std::string& name, UnixNanos start, uint64_t cpu_m, uint64_t mem) {
  Container c;
  c.name = name;
  c.start_time = start;
  c.workload.cpu_millicores = cpu_m;
  c.workload.memory_bytes = mem;
  c.memory_limit_bytes = 1024ull * 1024 * 1024;
  return c;
}

struct Fixture {
  Node node;
  std::shared_ptr<const NodeSnapshot> snap;
  SampleContext ctx;
  Fixture() {
    node.name = "node-a";
    node.boot_time = 1'700'000'000 * kS;
    std::vector<PodSnapshot> pods;
    Pod web;
    web.ns = "default";
    web.name = "web-1";
    web.uid = "u-1";
    web.node_name = "node-a";
    web.creation_time = 1'700'000'100 * kS;
    web.containers = {container("nginx", 1'700'000'100 * kS, 250, 20971520),
                      container("sidecar", 1'700'000'200 * kS + kS / 2, 1, 1572864)};
    Pod dns;
    dns.ns = "kube-system";
    dns.name = "coredns-x";
    dns.uid = "u-2";
    dns.node_name = "node-a";
    dns.creation_time = 1'700'000'000 * kS;
    dns.containers = {container("coredns", 1'700'000'000 * kS, 100, 12533760)};
    Pod pending = web;
    pending.name = "pending-1";
    pending.phase = "Pending";
    for (const Pod* p : {&dns, &pending, &web}) {
      if (auto ps = makePodSnapshot(*p)) pods.push_back(*ps);
    }
    snap = makeNodeSnapshot(node, pods);
    ctx.now = 1'700'003'600 * kS + kS / 8;
    ctx.node_cpu_nanos = 357'354'910'000;
  }
};

TEST(ResourceMetricsEncoder, MatchesKubeletTextExactly) {
  Fixture f;
  std::string out;
  encodeResourceMetrics(*f.snap, f.ctx, out);
  const std::string expected =
      "# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds\n"
      "# TYPE container_cpu_usage_seconds_total counter\n"
      "container_cpu_usage_seconds_total{container=\"coredns\",namespace=\"kube-system\",pod=\"coredns-x\"} 360.0125 1700003600125\n"
      "container_cpu_usage_seconds_total{container=\"nginx\",namespace=\"default\",pod=\"web-1\"} 875.03125 1700003600125\n"
      "container_cpu_usage_seconds_total{container=\"sidecar\",namespace=\"default\",pod=\"web-1\"} 3.399625 1700003600125\n"
      "# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes\n"
      "# TYPE container_memory_working_set_bytes gauge\n"
      "container_memory_working_set_bytes{container=\"coredns\",namespace=\"kube-system\",pod=\"coredns-x\"} 1.253376e+07 1700003600125\n"
      "container_memory_working_set_bytes{container=\"nginx\",namespace=\"default\",pod=\"web-1\"} 2.097152e+07 1700003600125\n"
      "container_memory_working_set_bytes{container=\"sidecar\",namespace=\"default\",pod=\"web-1\"} 1.572864e+06 1700003600125\n"
      "# HELP container_start_time_seconds [ALPHA] Start time of the container since unix epoch in seconds\n"
      "# TYPE container_start_time_seconds gauge\n"
      "container_start_time_seconds{container=\"coredns\",namespace=\"kube-system\",pod=\"coredns-x\"} 1.7e+09\n"
      "container_start_time_seconds{container=\"nginx\",namespace=\"default\",pod=\"web-1\"} 1.7000001e+09\n"
      "container_start_time_seconds{container=\"sidecar\",namespace=\"default\",pod=\"web-1\"} 1.7000002005e+09\n"
      "# HELP container_swap_usage_bytes [ALPHA] Current amount of the container swap usage in bytes. Reported only on non-windows systems\n"
      "# TYPE container_swap_usage_bytes gauge\n"
      "container_swap_usage_bytes{container=\"coredns\",namespace=\"kube-system\",pod=\"coredns-x\"} 0 1700003600125\n"
      "container_swap_usage_bytes{container=\"nginx\",namespace=\"default\",pod=\"web-1\"} 0 1700003600125\n"
      "container_swap_usage_bytes{container=\"sidecar\",namespace=\"default\",pod=\"web-1\"} 0 1700003600125\n"
      "# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds\n"
      "# TYPE node_cpu_usage_seconds_total counter\n"
      "node_cpu_usage_seconds_total 357.35491 1700003600125\n"
      "# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes\n"
      "# TYPE node_memory_working_set_bytes gauge\n"
      "node_memory_working_set_bytes 5.71949056e+08 1700003600125\n"
      "# HELP node_swap_usage_bytes [ALPHA] Current swap usage of the node in bytes. Reported only on non-windows systems\n"
      "# TYPE node_swap_usage_bytes gauge\n"
      "node_swap_usage_bytes 0 1700003600125\n"
      "# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds\n"
      "# TYPE pod_cpu_usage_seconds_total counter\n"
      "pod_cpu_usage_seconds_total{namespace=\"default\",pod=\"web-1\"} 878.430875 1700003600125\n"
      "pod_cpu_usage_seconds_total{namespace=\"kube-system\",pod=\"coredns-x\"} 360.0125 1700003600125\n"
      "# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes\n"
      "# TYPE pod_memory_working_set_bytes gauge\n"
      "pod_memory_working_set_bytes{namespace=\"default\",pod=\"web-1\"} 2.2544384e+07 1700003600125\n"
      "pod_memory_working_set_bytes{namespace=\"kube-system\",pod=\"coredns-x\"} 1.253376e+07 1700003600125\n"
      "# HELP pod_swap_usage_bytes [ALPHA] Current amount of the pod swap usage in bytes. Reported only on non-windows systems\n"
      "# TYPE pod_swap_usage_bytes gauge\n"
      "pod_swap_usage_bytes{namespace=\"default\",pod=\"web-1\"} 0 1700003600125\n"
      "pod_swap_usage_bytes{namespace=\"kube-system\",pod=\"coredns-x\"} 0 1700003600125\n"
      "# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise\n"
      "# TYPE resource_scrape_error gauge\n"
      "resource_scrape_error 0\n";
  EXPECT_EQ(out, expected);
}

TEST(ResourceMetricsEncoder, EmptyNodeOmitsContainerAndPodFamilies) {
  Node n;
  n.name = "empty";
  auto snap = makeNodeSnapshot(n, std::vector<PodSnapshot>{});
  SampleContext ctx;
  ctx.now = 5 * kS;
  ctx.node_cpu_nanos = 1'500'000'000;
  std::string out;
  encodeResourceMetrics(*snap, ctx, out);
  EXPECT_EQ(out.find("container_"), std::string::npos);
  EXPECT_EQ(out.find("pod_"), std::string::npos);
  EXPECT_NE(out.find("node_cpu_usage_seconds_total 1.5 5000\n"), std::string::npos);
  EXPECT_NE(out.find("node_memory_working_set_bytes 5.36870912e+08 5000\n"), std::string::npos);
}

TEST(ResourceMetricsEncoder, NanFault) {
  Fixture f;
  f.ctx.nan_values = true;
  std::string out;
  encodeResourceMetrics(*f.snap, f.ctx, out);
  EXPECT_NE(out.find("container=\"nginx\",namespace=\"default\",pod=\"web-1\"} NaN 1700003600125"), std::string::npos);
  EXPECT_NE(out.find("node_cpu_usage_seconds_total NaN 1700003600125"), std::string::npos);
  EXPECT_NE(out.find("node_memory_working_set_bytes +Inf 1700003600125"), std::string::npos);
}

TEST(ResourceMetricsEncoder, EscapesLabelValues) {
  std::string out;
  appendPromLabelValue(out, "a\"b\\c\nd");
  EXPECT_EQ(out, "a\\\"b\\\\c\\nd");
}

TEST(SummaryEncoder, FullPayloadCarriesGroundTruth) {
  Fixture f;
  std::string out;
  encodeSummary(*f.snap, f.ctx, SummaryOptions{}, out);
  const auto j = nlohmann::json::parse(out);
  const auto& node = j.at("node");
  EXPECT_EQ(node.at("nodeName"), "node-a");
  EXPECT_EQ(node.at("startTime"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(node.at("cpu").at("time"), "2023-11-14T23:13:20Z");
  EXPECT_EQ(node.at("cpu").at("usageCoreNanoSeconds").get<uint64_t>(), 357'354'910'000u);
  EXPECT_EQ(node.at("cpu").at("usageNanoCores").get<uint64_t>(), (50u + 250 + 1 + 100) * 1'000'000u);
  EXPECT_EQ(node.at("memory").at("workingSetBytes").get<uint64_t>(), 571'949'056u);
  for (const char* k : {"network", "fs", "runtime", "rlimit", "systemContainers"}) EXPECT_TRUE(node.contains(k)) << k;
  ASSERT_EQ(node.at("systemContainers").size(), 3u);
  EXPECT_EQ(node.at("systemContainers")[2].at("name"), "pods");
  ASSERT_EQ(j.at("pods").size(), 2u);  // the Pending pod is not reported
  const auto& web = j.at("pods")[0];
  EXPECT_EQ(web.at("podRef").at("name"), "web-1");
  EXPECT_EQ(web.at("podRef").at("namespace"), "default");
  EXPECT_EQ(web.at("podRef").at("uid"), "u-1");
  ASSERT_EQ(web.at("containers").size(), 2u);
  const auto& nginx = web.at("containers")[0];
  EXPECT_EQ(nginx.at("name"), "nginx");
  EXPECT_EQ(nginx.at("startTime"), "2023-11-14T22:15:00Z");
  EXPECT_EQ(nginx.at("cpu").at("usageCoreNanoSeconds").get<uint64_t>(), 875'031'250'000u);
  EXPECT_EQ(nginx.at("cpu").at("usageNanoCores").get<uint64_t>(), 250'000'000u);
  EXPECT_EQ(nginx.at("memory").at("workingSetBytes").get<uint64_t>(), 20'971'520u);
  EXPECT_EQ(nginx.at("memory").at("availableBytes").get<uint64_t>(), 1024ull * 1024 * 1024 - 20'971'520u);
  EXPECT_GE(nginx.at("memory").at("usageBytes").get<uint64_t>(), 20'971'520u);
  for (const char* k : {"rssBytes", "pageFaults", "majorPageFaults"}) EXPECT_TRUE(nginx.at("memory").contains(k));
  EXPECT_TRUE(nginx.contains("rootfs"));
  EXPECT_TRUE(nginx.contains("logs"));
  EXPECT_EQ(web.at("cpu").at("usageCoreNanoSeconds").get<uint64_t>(), 878'430'875'000u);
  EXPECT_EQ(web.at("memory").at("workingSetBytes").get<uint64_t>(), 22'544'384u);
  for (const char* k : {"network", "volume", "ephemeral-storage", "process_stats"}) EXPECT_TRUE(web.contains(k)) << k;
  EXPECT_EQ(web.at("network").at("name"), "eth0");
  EXPECT_EQ(web.at("network").at("rxErrors").get<uint64_t>(), 0u);
}

TEST(SummaryEncoder, OnlyCpuAndMemory) {
  Fixture f;
  std::string out;
  SummaryOptions o;
  o.only_cpu_and_memory = true;
  encodeSummary(*f.snap, f.ctx, o, out);
  const auto j = nlohmann::json::parse(out);
  std::set<std::string> node_keys, pod_keys, container_keys;
  for (auto& [k, _] : j.at("node").items()) node_keys.insert(k);
  for (auto& [k, _] : j.at("pods")[0].items()) pod_keys.insert(k);
  for (auto& [k, _] : j.at("pods")[0].at("containers")[0].items()) container_keys.insert(k);
  EXPECT_EQ(node_keys, (std::set<std::string>{"nodeName", "systemContainers", "startTime", "cpu", "memory"}));
  EXPECT_EQ(pod_keys, (std::set<std::string>{"podRef", "startTime", "containers", "cpu", "memory"}));
  EXPECT_EQ(container_keys, (std::set<std::string>{"name", "startTime", "cpu", "memory"}));
}

TEST(SummaryEncoder, NanFaultShowsBrokenCounters) {
  Fixture f;
  f.ctx.nan_values = true;
  std::string out;
  encodeSummary(*f.snap, f.ctx, SummaryOptions{}, out);
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j.at("node").at("memory").at("workingSetBytes").get<uint64_t>(), UINT64_MAX);
  EXPECT_EQ(j.at("pods")[0].at("containers")[0].at("cpu").at("usageCoreNanoSeconds").get<uint64_t>(), UINT64_MAX);
}

TEST(CadvisorEncoder, RowsAndLabels) {
  Fixture f;
  std::string out;
  encodeCadvisorMetrics(*f.snap, f.ctx, out);
  // Root row first (container="" and id="/" sort first), with the node totals.
  EXPECT_NE(out.find("container_cpu_usage_seconds_total{container=\"\",cpu=\"total\",id=\"/\",image=\"\",name=\"\","
                     "namespace=\"\",pod=\"\"} 357.35491 1700003600125\n"),
            std::string::npos);
  // Pod cgroup row: sum of its containers.
  EXPECT_NE(out.find("id=\"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podu_1.slice\",image=\"\","
                     "name=\"\",namespace=\"default\",pod=\"web-1\"} 878.430875 1700003600125\n"),
            std::string::npos);
  // Container rows carry the image, the CRI id as name, and cpu="total" on usage only.
  const size_t nginx = out.find("container_cpu_usage_seconds_total{container=\"nginx\",cpu=\"total\",id=\"/kubepods.slice/");
  ASSERT_NE(nginx, std::string::npos);
  const std::string line = out.substr(nginx, out.find('\n', nginx) - nginx);
  EXPECT_NE(line.find("image=\"registry.k8s.io/sim/nginx:1.0\""), std::string::npos) << line;
  EXPECT_NE(line.find("} 875.03125 1700003600125"), std::string::npos) << line;
  EXPECT_NE(out.find("container_memory_working_set_bytes{container=\"nginx\",id="), std::string::npos);
  EXPECT_EQ(out.find("container_memory_working_set_bytes{container=\"nginx\",cpu="), std::string::npos);
  EXPECT_NE(out.find("# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.\n"),
            std::string::npos);
  EXPECT_NE(out.find("# TYPE container_start_time_seconds gauge\n"), std::string::npos);
}

TEST(TimeFormat, Rfc3339AndHttpDate) {
  std::string s;
  appendRfc3339Seconds(s, 1'700'003'600 * kS + 999'999'999);
  EXPECT_EQ(s, "2023-11-14T23:13:20Z");
  s.clear();
  appendHttpDate(s, 1'700'003'600 * kS);
  EXPECT_EQ(s, "Tue, 14 Nov 2023 23:13:20 GMT");
  s.clear();
  appendRfc3339Seconds(s, 0);
  EXPECT_EQ(s, "1970-01-01T00:00:00Z");
  s.clear();
  appendRfc3339Seconds(s, 951'782'400 * kS);  // leap day
  EXPECT_EQ(s, "2000-02-29T00:00:00Z");
}

}  // namespace
}  // namespace kmetrics::sim
