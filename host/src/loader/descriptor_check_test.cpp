#include "loader/descriptor_check.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace kmetrics {
namespace {

kmetrics_status create(const kmetrics_host_api*, void*, kmetrics_str, kmetrics_str,
                       const kmetrics_diag*, void**) {
  return KMETRICS_OK;
}
kmetrics_status start(void*, const kmetrics_diag*) { return KMETRICS_OK; }
void shutdown(void*, int64_t) {}
void destroy(void*) {}
kmetrics_status scrape(void*, const kmetrics_scrape_request*, const kmetrics_emitter*,
                       const kmetrics_diag*) {
  return KMETRICS_OK;
}

kmetrics_component goodSource() {
  kmetrics_component c{};
  c.struct_size = sizeof(c);
  c.kind = KMETRICS_KIND_SOURCE;
  c.type = "good_source";
  c.create = create;
  c.start = start;
  c.shutdown = shutdown;
  c.destroy = destroy;
  c.scrape = scrape;
  return c;
}

kmetrics_plugin_descriptor descriptorFor(const kmetrics_component* const* list, size_t n) {
  return {sizeof(kmetrics_plugin_descriptor), 1, 0, "p", "1.0.0", "info", list, n};
}

TEST(TypeName, AcceptsTheOtelRule) {
  EXPECT_TRUE(isValidTypeName("a"));
  EXPECT_TRUE(isValidTypeName("kubelet_summary2"));
  EXPECT_TRUE(isValidTypeName(std::string(63, 'a')));
  EXPECT_FALSE(isValidTypeName(""));
  EXPECT_FALSE(isValidTypeName(std::string(64, 'a')));
  EXPECT_FALSE(isValidTypeName("1abc"));
  EXPECT_FALSE(isValidTypeName("_abc"));
  EXPECT_FALSE(isValidTypeName("Kubelet"));
  EXPECT_FALSE(isValidTypeName("kube-let"));
  EXPECT_FALSE(isValidTypeName("kube let"));
}

TEST(CheckDescriptor, AcceptsV1AndLarger) {
  const auto c = goodSource();
  const kmetrics_component* list[] = {&c};
  auto d = descriptorFor(list, 1);
  EXPECT_FALSE(checkDescriptor(d));
  // A larger struct_size (a newer minor's appended fields) is accepted; only known fields are read.
  d.struct_size += 64;
  EXPECT_FALSE(checkDescriptor(d));
}

TEST(CheckDescriptor, RefusesOtherMajorNamingBoth) {
  const auto c = goodSource();
  const kmetrics_component* list[] = {&c};
  auto d = descriptorFor(list, 1);
  d.abi_major = 2;
  EXPECT_EQ(checkDescriptor(d).value(), "descriptor declares ABI major 2, host speaks 1");
}

TEST(CheckDescriptor, RefusesNewerMinor) {
  const auto c = goodSource();
  const kmetrics_component* list[] = {&c};
  auto d = descriptorFor(list, 1);
  d.abi_minor = KMETRICS_ABI_VERSION_MINOR + 1;
  EXPECT_EQ(checkDescriptor(d).value(),
            "built for ABI 1.2, host speaks 1.1 (the plugin's minor version is newer than the host's)");
}

TEST(CheckDescriptor, AcceptsEveryMinorUpToTheHosts) {
  const auto c = goodSource();
  const kmetrics_component* list[] = {&c};
  auto d = descriptorFor(list, 1);
  for (uint32_t minor = 0; minor <= KMETRICS_ABI_VERSION_MINOR; ++minor) {
    d.abi_minor = minor;  // 1.0 plugins keep loading in a 1.1 host
    EXPECT_FALSE(checkDescriptor(d)) << "minor " << minor;
  }
}

TEST(CheckDescriptor, RefusesSmallerStructSize) {
  const auto c = goodSource();
  const kmetrics_component* list[] = {&c};
  auto d = descriptorFor(list, 1);
  d.struct_size = 24;
  EXPECT_EQ(checkDescriptor(d).value(), "descriptor struct_size 24 is smaller than the ABI 1.0 minimum " +
                                            std::to_string(sizeof(kmetrics_plugin_descriptor)));
  d.struct_size = 4;  // cannot even read the version fields
  EXPECT_NE(checkDescriptor(d).value().find("struct_size 4 is smaller"), std::string::npos);
}

TEST(CheckDescriptor, RefusesEmptyComponentList) {
  auto d = descriptorFor(nullptr, 0);
  EXPECT_EQ(checkDescriptor(d).value(), "descriptor lists no components");
}

TEST(CheckComponent, AcceptsGoodSourceAndSinks) {
  auto c = goodSource();
  EXPECT_TRUE(checkComponent(0, &c).empty());
  c.kind = KMETRICS_KIND_SINK;
  c.scrape = nullptr;
  c.scope_or_mode = KMETRICS_SINK_QUERY;
  EXPECT_TRUE(checkComponent(0, &c).empty());
  c.struct_size += 100;  // larger is fine
  EXPECT_TRUE(checkComponent(0, &c).empty());
}

TEST(CheckComponent, NamesEachProblem) {
  EXPECT_EQ(checkComponent(2, nullptr), std::vector<std::string>{"component #2 is NULL"});

  auto c = goodSource();
  c.struct_size = 16;
  EXPECT_EQ(checkComponent(0, &c).at(0), "component #0 struct_size 16 is smaller than the ABI 1.0 minimum " +
                                             std::to_string(sizeof(kmetrics_component)));
  c = goodSource();
  c.type = "Bad-Name";
  EXPECT_EQ(checkComponent(1, &c).at(0),
            "component #1 has invalid type name \"Bad-Name\" (must match ^[a-z][a-z0-9_]{0,62}$)");
  c.type = nullptr;
  EXPECT_EQ(checkComponent(1, &c).at(0), "component #1 has no type name");

  c = goodSource();
  c.scrape = nullptr;
  c.destroy = nullptr;
  EXPECT_EQ(checkComponent(0, &c).at(0),
            "component \"good_source\" (source) has NULL required hooks: destroy, scrape");

  c = goodSource();
  c.kind = KMETRICS_KIND_SINK;
  c.scope_or_mode = KMETRICS_SINK_PUSH;
  EXPECT_EQ(checkComponent(0, &c).at(0),
            "component \"good_source\" (push sink) has NULL required hooks: consume");

  c = goodSource();
  c.scope_or_mode = 9;
  EXPECT_EQ(checkComponent(0, &c).at(0), "component \"good_source\" (source) has unknown scope 9");
  c = goodSource();
  const uint32_t seven = 7;  // what a broken plugin may write; not a valid enum value in C++
  std::memcpy(&c.kind, &seven, sizeof seven);
  EXPECT_EQ(checkComponent(0, &c).at(0), "component \"good_source\" has unknown kind 7");
}

}  // namespace
}  // namespace kmetrics
