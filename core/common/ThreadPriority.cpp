#include "core/common/ThreadPriority.h"

#include <algorithm>
#include <cerrno>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace mtl {

int currentThreadNice() {
#if defined(__linux__)
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
    return errno == 0 ? nice : 0;
#else
    return 0;
#endif
}

bool lowerCurrentThreadPriority(int increment) {
#if defined(__linux__)
    if (increment <= 0) return true;
    // On Linux PRIO_PROCESS with a thread id sets that thread's nice value alone.
    const int target = std::min(19, currentThreadNice() + increment);
    return setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), target) == 0;
#else
    (void)increment;
    return false;
#endif
}

} // namespace mtl
