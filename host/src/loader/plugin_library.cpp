#include "loader/plugin_library.hpp"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>

namespace kmetrics {

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::filesystem::path& file,
                                                   std::string& error) {
  namespace dll = boost::dll;
  // RTLD_NODELETE: never unmap plugin code, even if a stray pointer outlives every handle.
  const auto mode = dll::load_mode::rtld_now | dll::load_mode::rtld_local |
                    static_cast<dll::load_mode::type>(RTLD_NODELETE);
  std::shared_ptr<PluginLibrary> lib(new PluginLibrary(file.string()));
  boost::dll::fs::error_code ec;
  dlerror();  // clear a stale message so the one below is ours
  lib->library_.load(boost::dll::fs::path(file.string()), ec, mode);
  if (ec || !lib->library_.is_loaded()) {
    const char* text = dlerror();
    error = text != nullptr ? std::string(text) : ec.message();
    return nullptr;
  }
  return lib;
}

std::shared_ptr<PluginLibrary> PluginLibrary::linked(std::string name) {
  return std::shared_ptr<PluginLibrary>(new PluginLibrary("<linked:" + name + ">"));
}

PluginLibrary::DataSymbol PluginLibrary::dataSymbol(const char* name) const {
  DataSymbol out;
  if (!library_.is_loaded()) {
    return out;
  }
  // dlsym directly: shared_library::get() would throw, and we need the symbol's ELF type.
  void* addr = dlsym(library_.native(), name);
  if (addr == nullptr) {
    return out;
  }
  out.present = true;
  Dl_info info{};
  void* extra = nullptr;  // RTLD_DL_SYMENT: the ELF symbol table entry
  const auto* sym = static_cast<const ElfW(Sym)*>(nullptr);
  if (dladdr1(addr, &info, &extra, RTLD_DL_SYMENT) != 0 &&
      (sym = static_cast<const ElfW(Sym)*>(extra)) != nullptr &&
      ELF64_ST_TYPE(sym->st_info) == STT_FUNC) {
    out.is_function = true;
    return out;
  }
  out.value = *static_cast<const void* const*>(addr);
  return out;
}

bool PluginLibrary::hasSymbol(const char* name) const {
  return library_.is_loaded() && dlsym(library_.native(), name) != nullptr;
}

}  // namespace kmetrics
