#include "loader/component_factory.hpp"

#include "loader/hook_call.hpp"
#include "loader/plugin_library.hpp"

namespace kmetrics {
namespace {

kmetrics_str toStr(const std::string& s) { return kmetrics_str{s.data(), s.size()}; }

template <class Handle>
Created<Handle> wrongKind(std::string_view type, const char* wanted) {
  Created<Handle> c;
  c.result.status = KMETRICS_ERR_INVALID_ARGUMENT;
  c.result.diagnostics.push_back(
      {"", "type \"" + std::string(type) + "\" is not a " + wanted});
  return c;
}

}  // namespace

ComponentFactory::ComponentFactory(std::shared_ptr<PluginLibrary> library,
                                   const kmetrics_component* component)
    : library_(std::move(library)), component_(component) {}

const std::string& ComponentFactory::file() const { return library_->file(); }

CallResult ComponentFactory::create(const InstanceArgs& args, void*& instance) const {
  instance = nullptr;
  void* out = nullptr;
  CallResult r = invokeHook("create", [&](const kmetrics_diag* d) {
    return component_->create(args.host, args.host_ctx, toStr(args.name), toStr(args.config_json),
                              d, &out);
  });
  // On failure *out is not owned by anyone: the ABI gives it meaning only on KMETRICS_OK.
  if (r.ok()) {
    instance = out;
  }
  return r;
}

Created<SourceHandle> ComponentFactory::createSource(const InstanceArgs& args) const {
  if (!isSource()) {
    return wrongKind<SourceHandle>(type(), "source");
  }
  Created<SourceHandle> c;
  void* instance = nullptr;
  c.result = create(args, instance);
  if (c.result.ok()) {
    c.handle = std::make_unique<SourceHandle>(library_, component_, instance,
                                              std::string(type()) + "/" + args.name);
  }
  return c;
}

Created<SinkHandle> ComponentFactory::createSink(const InstanceArgs& args) const {
  if (!isSink()) {
    return wrongKind<SinkHandle>(type(), "sink");
  }
  Created<SinkHandle> c;
  void* instance = nullptr;
  c.result = create(args, instance);
  if (c.result.ok()) {
    c.handle = std::make_unique<SinkHandle>(library_, component_, instance,
                                            std::string(type()) + "/" + args.name);
  }
  return c;
}

}  // namespace kmetrics
