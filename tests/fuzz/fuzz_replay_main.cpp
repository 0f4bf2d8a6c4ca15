// Runs libFuzzer entry points without libFuzzer (any compiler), so CI exercises them under gcc and the
// sanitizers: every file under the given paths, then deterministic mutations of each (all prefix
// truncations at 97 cut points, 512 single-byte changes, 64 spliced duplicates of a random slice).
//
//   <target>_replay <file-or-dir>...
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size);

namespace {

void run(const std::string& input) {
  // A copy in an exactly sized heap buffer so ASan catches any read past the end.
  std::vector<uint8_t> buf(input.begin(), input.end());
  LLVMFuzzerTestOneInput(buf.empty() ? nullptr : buf.data(), buf.size());
}

uint64_t next(uint64_t& s) {  // splitmix64: fixed seed, same mutations every run
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void run_with_mutations(const std::string& input) {
  run(input);
  if (input.empty()) return;
  for (int i = 0; i <= 96; ++i) run(input.substr(0, input.size() * static_cast<std::size_t>(i) / 97));
  uint64_t seed = input.size();
  static const char kInteresting[] = {'\0', '\n', '\r', '"', '\\', '{', '}', '[', ']', ',', ':', ' ',
                                      '-', '+', 'e', '.', '0', '9', '#', '=', '\x80', '\xff'};
  std::string m;
  for (int i = 0; i < 512; ++i) {
    m = input;
    const std::size_t pos = next(seed) % m.size();
    const uint64_t r = next(seed);
    m[pos] = (r & 1) ? kInteresting[(r >> 1) % sizeof(kInteresting)] : static_cast<char>(r >> 8);
    run(m);
  }
  for (int i = 0; i < 64; ++i) {
    const std::size_t a = next(seed) % input.size();
    const std::size_t len = next(seed) % (input.size() - a) + 1;
    const std::size_t at = next(seed) % input.size();
    m = input;
    m.insert(at, input, a, len);
    run(m);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path root(argv[i]);
    std::vector<std::filesystem::path> paths;
    if (std::filesystem::is_directory(root)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(root))
        if (e.is_regular_file()) paths.push_back(e.path());
    } else {
      paths.push_back(root);
    }
    for (const auto& p : paths) {
      std::ifstream in(p, std::ios::binary);
      const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      run_with_mutations(data);
      ++files;
    }
  }
  std::printf("replayed %zu inputs (plus mutations)\n", files);
  return files > 0 ? 0 : 1;
}
