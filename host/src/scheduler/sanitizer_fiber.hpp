// AddressSanitizer must be told when execution moves to another stack, or it mistakes a fiber's
// stack for a buffer overflow of the thread's. No-ops without ASan.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define KMETRICS_ASAN_FIBERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KMETRICS_ASAN_FIBERS 1
#endif
#endif

#ifdef KMETRICS_ASAN_FIBERS
extern "C" {
void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, size_t size);
void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old, size_t* size_old);
}
#endif

namespace kmetrics::sanitizer {

// Before switching to the stack [bottom, bottom + size); `fake_stack_save` null when the current
// fiber ends for good.
inline void start_switch_fiber(void** fake_stack_save, const void* bottom, size_t size) {
#ifdef KMETRICS_ASAN_FIBERS
  __sanitizer_start_switch_fiber(fake_stack_save, bottom, size);
#else
  (void)fake_stack_save, (void)bottom, (void)size;
#endif
}

// First thing on the new stack; reports the stack we came from.
inline void finish_switch_fiber(void* fake_stack_save, const void** bottom_old, size_t* size_old) {
#ifdef KMETRICS_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(fake_stack_save, bottom_old, size_old);
#else
  (void)fake_stack_save, (void)bottom_old, (void)size_old;
#endif
}

}  // namespace kmetrics::sanitizer
