// Scheduling priority of background threads. Scraping is throughput work that has a whole tick to
// finish; API requests (the HPA, kubectl) wait on every millisecond. Running scrape threads at a
// higher nice value lets the serving threads preempt them when both want the CPU.
#pragma once

namespace kmetrics {

// Sets the nice value of the calling thread (Linux: per thread). Raising it needs no privilege.
// Returns false when the kernel refused.
bool set_current_thread_nice(int nice);
// The nice value of the calling thread.
int current_thread_nice();

}  // namespace kmetrics
