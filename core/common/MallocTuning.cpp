#include "core/common/MallocTuning.h"

#include <malloc.h>

namespace mtl {

void tuneMallocForTraining() {
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

} // namespace mtl
