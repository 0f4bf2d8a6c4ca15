// The plugin conformance suite (GoogleTest). Every component instantiates it with one line:
//
//   // linked in: the C++ class itself, no dlopen
//   KMETRICS_CONFORMANCE_LINKED(HelloConformance, example::HelloSource, "example_hello");
//   // through the host's real loader, on the built .so (in-tree only, see conformance_loaded.hpp)
//   KMETRICS_CONFORMANCE_LOADED(HelloLoaded, HELLO_SO_PATH, "example_hello");
//
// An optional last argument is a kmetrics::testing::ConformanceOptions, e.g. for a component whose
// started instances need a config (a file path): {.start_config = R"({"path":"${TMPDIR}/x"})"}.
//
// Checks (reference/plugin-frameworks.md W8), each a separate test named <Suite>.<Check>:
//   TypeName             type is the expected one, matches ^[a-z][a-z0-9_]{0,62}$, hooks fit the kind
//   Describes            version (semver), stability (alpha|beta|stable|deprecated), description
//   Schema               schema is JSON, type object, additionalProperties false, lists every key of
//                        the example (and the example shows every property)
//   DefaultConfig        "{}" creates; when the schema has required keys, "{}" is refused naming each
//   ExampleConfig        the published example config creates
//   UnknownKeys          two unknown keys are both refused, each with its path
//   ShutdownWithoutStart create -> shutdown -> destroy
//   IdempotentShutdown   create -> start -> shutdown -> shutdown -> destroy
//   TwoInstances         two instances side by side; the second still works after the first is
//                        destroyed (catches globals)
//   NoCallAfterShutdown  the instance makes no host call once shutdown returned (also not from
//                        background threads or its destructor) and releases every snapshot
// Work calls (scrape on a source, consume on a push sink) may fail with any status but INTERNAL,
// which means a bug or an escaped exception.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "kmetrics/abi.h"
#include "kmetrics/sdk/component.hpp"
#include "kmetrics/sdk/diag.hpp"
#include "kmetrics/testing/fake_host.hpp"

namespace kmetrics::testing {

struct ConformanceOptions {
  // Config for instances that are started. Empty: the component's published example config.
  // "${TMPDIR}" is replaced by a fresh directory that is removed after the test.
  std::string start_config;
  // How long to watch for host calls after shutdown returned (background threads).
  std::chrono::milliseconds quiet_period{50};
  // Linked targets only: the scope of a source, and the descriptive strings (static storage).
  kmetrics_source_scope scope = KMETRICS_SCOPE_PER_NODE;
  const char* version = "0.0.0";
  const char* stability = "alpha";
  const char* description = "Linked in for the conformance suite.";
};

// What the suite runs against: one component and whatever keeps its code alive.
struct ConformanceTarget {
  const kmetrics_component* component = nullptr;
  std::shared_ptr<void> keep_alive;  // e.g. the registry holding the loaded library
  std::string error;                 // why there is no component (load failure)
  ConformanceOptions options;
};

// The descriptor the SDK builds for class T (source, query sink or push sink, from its base).
// NOTE: the SDK caches one descriptor per T; the first ComponentInfo used for T wins.
template <class T>
ConformanceTarget linkedTarget(const char* type, ConformanceOptions options = {}) {
  ConformanceTarget t;
  const sdk::ComponentInfo info{type, options.version, options.stability, options.description};
  if constexpr (std::is_base_of_v<sdk::Source, T>) {
    t.component = sdk::sourceComponent<T>(info, options.scope);
  } else if constexpr (std::is_base_of_v<sdk::PushSink, T>) {
    t.component = sdk::pushSinkComponent<T>(info);
  } else {
    static_assert(std::is_base_of_v<sdk::QuerySink, T>,
                  "a component derives from Source, QuerySink or PushSink");
    t.component = sdk::querySinkComponent<T>(info);
  }
  t.options = std::move(options);
  return t;
}

namespace conformance {

inline int64_t deadlineFrom(const FakeHost& host) {
  return host.api()->now_mono_ns(const_cast<FakeHost&>(host).ctx()) + 5'000'000'000;
}

// A per-test directory for ${TMPDIR}, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("kmetrics-conformance-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string expand(std::string text) const {
    const std::string var = "${TMPDIR}";
    for (size_t at; (at = text.find(var)) != std::string::npos;) {
      text.replace(at, var.size(), path_.string());
    }
    return text;
  }

 private:
  std::filesystem::path path_;
};

// One plugin instance on its own FakeHost. The destructor shuts down and destroys whatever the
// test left behind, so a failed assertion does not leak the instance.
class TestInstance {
 public:
  TestInstance(const kmetrics_component* c, const std::string& name, const std::string& config)
      : c_(c) {
    sdk::DiagnosticCollector diag;
    status_ = c_->create(host_.api(), host_.ctx(), {name.data(), name.size()},
                         {config.data(), config.size()}, diag.diag(), &instance_);
    errors_ = diag.items();
    created_ = status_ == KMETRICS_OK;
  }
  TestInstance(const TestInstance&) = delete;
  TestInstance& operator=(const TestInstance&) = delete;
  ~TestInstance() { destroy(); }

  bool created() const { return created_; }
  kmetrics_status createStatus() const { return status_; }
  const std::vector<sdk::Diagnostic>& createErrors() const { return errors_; }
  std::string errorText() const {
    std::string s;
    for (const auto& e : errors_) {
      s += "\n  " + (e.path.empty() ? std::string() : e.path + ": ") + e.message;
    }
    return s;
  }
  FakeHost& host() { return host_; }

  kmetrics_status start(std::string* message = nullptr) {
    sdk::DiagnosticCollector diag;
    const kmetrics_status s = c_->start(instance_, diag.diag());
    if (message != nullptr && !diag.empty()) {
      *message = diag.items().front().message;
    }
    return s;
  }

  // One scrape (sources) or one consume (push sinks); nothing for query sinks.
  kmetrics_status work(std::string* message) {
    sdk::DiagnosticCollector diag;
    kmetrics_status s = KMETRICS_OK;
    if (c_->kind == KMETRICS_KIND_SOURCE) {
      const std::string node = "conformance-node";
      const kmetrics_node_address addr{{"InternalIP", 10}, {"127.0.0.1", 9}};
      const kmetrics_node_info info{sizeof(kmetrics_node_info), {node.data(), node.size()},
                                    nullptr, 0, nullptr, 0, &addr, 1, 10250, 1};
      const kmetrics_scrape_request req{
          sizeof(kmetrics_scrape_request),
          c_->scope_or_mode == KMETRICS_SCOPE_PER_NODE ? &info : nullptr,
          deadlineFrom(host_), host_.api()->now_unix_ns(host_.ctx()), KMETRICS_WANT_CORE};
      const kmetrics_emitter out{sizeof(kmetrics_emitter), this,
                                 [](void*, const kmetrics_node_sample*) {},
                                 [](void*, const kmetrics_pod_sample*) {},
                                 [](void*, const kmetrics_container_sample*) {},
                                 [](void*, kmetrics_str, uint64_t) {}};
      s = c_->scrape(instance_, &req, &out, diag.diag());
    } else if (c_->scope_or_mode == KMETRICS_SINK_PUSH) {
      const std::string node = "conformance-node";
      kmetrics_node_sample n{sizeof(kmetrics_node_sample), {node.data(), node.size()}, {}, nullptr};
      n.point.timestamp_unix_ns = host_.api()->now_unix_ns(host_.ctx());
      n.point.cpu_cumulative_ns = 1'000'000;
      n.point.memory_working_set = 1 << 20;
      const kmetrics_batch batch{sizeof(kmetrics_batch), n.point.timestamp_unix_ns, &n, 1,
                                 nullptr, 0, nullptr, 0};
      s = c_->consume(instance_, &batch, diag.diag());
    }
    if (message != nullptr && !diag.empty()) {
      *message = diag.items().front().message;
    }
    return s;
  }

  void shutdown() {
    c_->shutdown(instance_, deadlineFrom(host_));
    shut_down_ = true;
  }
  void destroy() {
    if (!created_) {
      return;
    }
    if (!shut_down_) {
      shutdown();
    }
    c_->destroy(instance_);
    created_ = false;
  }

 private:
  const kmetrics_component* c_;
  FakeHost host_;  // declared before instance_: outlives the instance's use of it
  void* instance_ = nullptr;
  kmetrics_status status_ = KMETRICS_OK;
  std::vector<sdk::Diagnostic> errors_;
  bool created_ = false;
  bool shut_down_ = false;
};

inline std::string orEmpty(const char* s) { return s == nullptr ? std::string() : std::string(s); }

// ^[a-z][a-z0-9_]{0,62}$ (hand-written: std::regex is slow and noisy under sanitizers)
inline bool isTypeName(const std::string& s) {
  if (s.empty() || s.size() > 63 || s[0] < 'a' || s[0] > 'z') {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// ^\d+\.\d+\.\d+([-+].*)?$
inline bool isSemver(const std::string& s) {
  size_t i = 0;
  for (int part = 0; part < 3; ++part) {
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      ++i;
    }
    if (i == start || (part < 2 && (i >= s.size() || s[i++] != '.'))) {
      return false;
    }
  }
  return i == s.size() || s[i] == '-' || s[i] == '+';
}

inline nlohmann::json parseOrFail(const char* text, const char* what) {
  try {
    return nlohmann::json::parse(orEmpty(text));
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << " is not valid JSON: " << e.what();
    return nullptr;
  }
}

inline std::string exampleConfig(const kmetrics_component& c) {
  return c.example_config_json == nullptr ? std::string("{}") : std::string(c.example_config_json);
}

inline std::string startConfig(const ConformanceTarget& t, const TempDir& dir) {
  return dir.expand(t.options.start_config.empty() ? exampleConfig(*t.component)
                                                   : t.options.start_config);
}

inline std::set<std::string> errorPaths(const std::vector<sdk::Diagnostic>& errors) {
  std::set<std::string> paths;
  for (const auto& e : errors) {
    paths.insert(e.path);
  }
  return paths;
}

// Fails the current test when the target could not be obtained.
#define KMETRICS_CONFORMANCE_REQUIRE_(t)                                    \
  ASSERT_NE((t).component, nullptr) << "no component to test: " << (t).error

inline void typeName(const ConformanceTarget& t, const char* type) {
  KMETRICS_CONFORMANCE_REQUIRE_(t);
  const auto& c = *t.component;
  ASSERT_NE(c.type, nullptr);
  EXPECT_STREQ(c.type, type);
  EXPECT_TRUE(isTypeName(c.type))
      << "type \"" << c.type << "\" must match ^[a-z][a-z0-9_]{0,62}$";
  EXPECT_GE(c.struct_size, KMETRICS_COMPONENT_MIN_SIZE);
  EXPECT_TRUE(c.create && c.start && c.shutdown && c.destroy) << "a lifecycle hook is NULL";
  if (c.kind == KMETRICS_KIND_SOURCE) {
    EXPECT_NE(c.scrape, nullptr) << "a source needs scrape";
    EXPECT_TRUE(c.scope_or_mode == KMETRICS_SCOPE_PER_NODE || c.scope_or_mode == KMETRICS_SCOPE_CLUSTER);
  } else {
    ASSERT_EQ(c.kind, KMETRICS_KIND_SINK) << "unknown kind";
    EXPECT_TRUE(c.scope_or_mode == KMETRICS_SINK_QUERY || c.scope_or_mode == KMETRICS_SINK_PUSH);
    if (c.scope_or_mode == KMETRICS_SINK_PUSH) {
      EXPECT_NE(c.consume, nullptr) << "a push sink needs consume";
    }
  }
}

inline void describes(const ConformanceTarget& t) {
  KMETRICS_CONFORMANCE_REQUIRE_(t);
  const auto& c = *t.component;
  EXPECT_TRUE(isSemver(orEmpty(c.version)))
      << "version \"" << orEmpty(c.version) << "\" is not semver";
  static const std::set<std::string> kStability = {"alpha", "beta", "stable", "deprecated"};
  EXPECT_TRUE(kStability.count(orEmpty(c.stability)))
      << "stability \"" << orEmpty(c.stability) << "\" is not alpha|beta|stable|deprecated";
  EXPECT_FALSE(orEmpty(c.description).empty()) << "description is empty";
}

inline void schema(const ConformanceTarget& t) {
  KMETRICS_CONFORMANCE_REQUIRE_(t);
  const auto& c = *t.component;
  const auto s = parseOrFail(c.config_schema_json, "config_schema_json");
  const auto ex = parseOrFail(c.example_config_json, "example_config_json");
  ASSERT_TRUE(s.is_object()) << "the schema is not a JSON object";
  EXPECT_EQ(s.value("type", ""), "object") << "the schema's type must be \"object\"";
  ASSERT_TRUE(s.contains("additionalProperties") && s["additionalProperties"] == false)
      << "the schema must say additionalProperties: false (unknown keys are errors)";
  const auto props = s.value("properties", nlohmann::json::object());
  ASSERT_TRUE(props.is_object()) << "schema properties must be an object";
  ASSERT_TRUE(ex.is_object()) << "the example config must be a JSON object";
  for (const auto& [key, value] : ex.items()) {
    EXPECT_TRUE(props.contains(key)) << "example key \"" << key << "\" is not in the schema";
  }
  for (const auto& [key, value] : props.items()) {
    EXPECT_TRUE(ex.contains(key)) << "schema property \"" << key << "\" is not shown in the example";
    EXPECT_TRUE(value.is_object() && value.contains("description"))
        << "schema property \"" << key << "\" has no description";
  }
  for (const auto& r : s.value("required", nlohmann::json::array())) {
    EXPECT_TRUE(r.is_string() && props.contains(r.get<std::string>()))
        << "required key " << r.dump() << " is not a property";
  }
}

inline void defaultConfig(const ConformanceTarget& t) {
  KMETRICS_CONFORMANCE_REQUIRE_(t);
  const auto s = parseOrFail(t.component->config_schema_json, "config_schema_json");
  const auto required = s.is_object() ? s.value("required", nlohmann::json::array())
                                      : nlohmann::json::array();
  TestInstance inst(t.component, "default", "{}");
  if (required.empty()) {
    EXPECT_TRUE(inst.created()) << "the default config \"{}\" was refused:" << inst.errorText();
    return;
  }
  // Required keys have no usable default: "{}" must be refused, naming each of them.
  EXPECT_EQ(inst.createStatus(), KMETRICS_ERR_INVALID_ARGUMENT) << inst.errorText();
  const auto paths = errorPaths(inst.createErrors());
  for (const auto& r : required) {
    EXPECT_TRUE(paths.count(r.get<std::string>()))
        << "required key \"" << r.get<std::string>() << "\" missing but not reported:"
        << inst.errorText();
  }
}

inline void exampleConfigCreates(const ConformanceTarget& t) {
  KMETRICS_CONFORMANCE_REQUIRE_(t);
  TestInstance inst(t.component, "example", exampleConfig(*t.component));
  EXPECT_TRUE(inst.created()) << "the published example config was refused:" << inst.errorText();
}

inline void unknownKeys(const ConformanceTarget& t) {
  KMETRICS_CONFORMANCE_REQUIRE_(t);
  TempDir dir;
  auto config = nlohmann::json::parse(startConfig(t, dir));
  config["kmetrics_conformance_unknown_a"] = 1;
  config["kmetrics_conformance_unknown_b"] = "x";
  TestInstance inst(t.component, "unknown", config.dump());
  EXPECT_EQ(inst.createStatus(), KMETRICS_ERR_INVALID_ARGUMENT)
      << "unknown keys must be refused with INVALID_ARGUMENT";
  const auto paths = errorPaths(inst.createErrors());
  EXPECT_TRUE(paths.count("kmetrics_conformance_unknown_a") && paths.count("kmetrics_conformance_unknown_b"))
      << "every unknown key must be reported with its path; got:" << inst.errorText();
}

inline void shutdownWithoutStart(const ConformanceTarget& t) {
  KMETRICS_CONFORMANCE_REQUIRE_(t);
  TempDir dir;
  TestInstance inst(t.component, "nostart", startConfig(t, dir));
  ASSERT_TRUE(inst.created()) << inst.errorText();
  inst.shutdown();
  inst.host().markShutdown();
  inst.destroy();
  EXPECT_TRUE(inst.host().callsAfterShutdown().empty())
      << "host called after shutdown: " << inst.host().callsAfterShutdown().front();
}

inline void idempotentShutdown(const ConformanceTarget& t) {
  KMETRICS_CONFORMANCE_REQUIRE_(t);
  TempDir dir;
  TestInstance inst(t.component, "twice", startConfig(t, dir));
  ASSERT_TRUE(inst.created()) << inst.errorText();
  std::string why;
  ASSERT_EQ(inst.start(&why), KMETRICS_OK) << "start failed: " << why;
  inst.shutdown();
  inst.shutdown();
  inst.destroy();
}

inline void twoInstances(const ConformanceTarget& t) {
  KMETRICS_CONFORMANCE_REQUIRE_(t);
  TempDir dir;
  const std::string config = startConfig(t, dir);
  auto a = std::make_unique<TestInstance>(t.component, "a", config);
  TestInstance b(t.component, "b", config);
  ASSERT_TRUE(a->created()) << a->errorText();
  ASSERT_TRUE(b.created()) << b.errorText();
  std::string why;
  ASSERT_EQ(a->start(&why), KMETRICS_OK) << "start of the first instance failed: " << why;
  ASSERT_EQ(b.start(&why), KMETRICS_OK) << "start of the second instance failed: " << why;
  EXPECT_NE(a->work(&why), KMETRICS_ERR_INTERNAL) << why;
  const kmetrics_status before = b.work(&why);
  EXPECT_NE(before, KMETRICS_ERR_INTERNAL) << why;
  a.reset();  // shut down and destroy the first: the second must not notice
  EXPECT_EQ(b.work(&why), before) << "the second instance changed behaviour after the first was "
                                     "destroyed (shared global state?): " << why;
  b.shutdown();
}

inline void noCallAfterShutdown(const ConformanceTarget& t) {
  KMETRICS_CONFORMANCE_REQUIRE_(t);
  TempDir dir;
  TestInstance inst(t.component, "quiet", startConfig(t, dir));
  ASSERT_TRUE(inst.created()) << inst.errorText();
  std::string why;
  ASSERT_EQ(inst.start(&why), KMETRICS_OK) << "start failed: " << why;
  EXPECT_NE(inst.work(&why), KMETRICS_ERR_INTERNAL) << why;
  inst.shutdown();
  inst.host().markShutdown();
  std::this_thread::sleep_for(t.options.quiet_period);  // let stray background threads show up
  inst.destroy();
  const auto calls = inst.host().callsAfterShutdown();
  EXPECT_TRUE(calls.empty()) << calls.size() << " host call(s) after shutdown, first: "
                             << (calls.empty() ? "" : calls.front());
  EXPECT_EQ(inst.host().snapshotsHeld(), 0) << "snapshots acquired and never released";
}

}  // namespace conformance
}  // namespace kmetrics::testing

// The tests, for a target expression. Internal: use the LINKED/LOADED macros.
#define KMETRICS_CONFORMANCE_TESTS_(Suite, target_expr, type)                                 \
  namespace {                                                                                  \
  const ::kmetrics::testing::ConformanceTarget& Suite##_conformance_target() {                 \
    static const ::kmetrics::testing::ConformanceTarget target = target_expr;                  \
    return target;                                                                             \
  }                                                                                            \
  }                                                                                            \
  TEST(Suite, TypeName) { ::kmetrics::testing::conformance::typeName(Suite##_conformance_target(), type); } \
  TEST(Suite, Describes) { ::kmetrics::testing::conformance::describes(Suite##_conformance_target()); } \
  TEST(Suite, Schema) { ::kmetrics::testing::conformance::schema(Suite##_conformance_target()); } \
  TEST(Suite, DefaultConfig) { ::kmetrics::testing::conformance::defaultConfig(Suite##_conformance_target()); } \
  TEST(Suite, ExampleConfig) { ::kmetrics::testing::conformance::exampleConfigCreates(Suite##_conformance_target()); } \
  TEST(Suite, UnknownKeys) { ::kmetrics::testing::conformance::unknownKeys(Suite##_conformance_target()); } \
  TEST(Suite, ShutdownWithoutStart) { ::kmetrics::testing::conformance::shutdownWithoutStart(Suite##_conformance_target()); } \
  TEST(Suite, IdempotentShutdown) { ::kmetrics::testing::conformance::idempotentShutdown(Suite##_conformance_target()); } \
  TEST(Suite, TwoInstances) { ::kmetrics::testing::conformance::twoInstances(Suite##_conformance_target()); } \
  TEST(Suite, NoCallAfterShutdown) { ::kmetrics::testing::conformance::noCallAfterShutdown(Suite##_conformance_target()); }

// KMETRICS_CONFORMANCE_LINKED(Suite, Class, "type" [, ConformanceOptions{...}])
// Runs the suite on the SDK descriptor of the C++ class, linked into the test (no dlopen).
#define KMETRICS_CONFORMANCE_LINKED(Suite, Class, type, ...) \
  KMETRICS_CONFORMANCE_TESTS_(                               \
      Suite, ::kmetrics::testing::linkedTarget<Class>(type __VA_OPT__(, ) __VA_ARGS__), type)
