// LoadError: why one plugin library (or one of its components) was refused. The registry keeps
// going with the other libraries and returns these records for the app to print.
#pragma once

#include <string>

namespace kmetrics {

struct LoadError {
  std::string file;    // the library (or search directory) the problem is about
  std::string reason;  // what is wrong, in one sentence, naming versions/types where relevant

  // "<file>: <reason>", the form the app prints.
  std::string toString() const { return file + ": " + reason; }
};

}  // namespace kmetrics
