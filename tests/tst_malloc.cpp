// The allocator settings of training processes reach the threads that train: a large buffer
// allocated, freed and allocated again in a thread started after tuneMallocForTraining stays in the
// process's one arena instead of being mapped from and unmapped to the OS each time.
#include "core/common/MallocTuning.h"

#include <QtTest>

#include <malloc.h>

#include <cstring>
#include <thread>

namespace {

struct Usage {
    std::size_t mapped = 0; // bytes in mmapped blocks (mallinfo2().hblkhd)
    std::size_t arenas = 0; // bytes the arenas hold from the system (mallinfo2().arena)
};

Usage usage() {
    const struct mallinfo2 m = mallinfo2();
    return {m.hblkhd, m.arena};
}

} // namespace

class TestMalloc : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void settingsReachAThreadStartedAfterwards() {
        mtl::tuneMallocForTraining();
        constexpr std::size_t kBytes = 100u << 20; // above the 64 MB heaps of a thread's own arena
        Usage before, during, afterFree, again;
        std::thread worker([&] {
            before = usage();
            // volatile: the compiler may not drop an allocation it can see is never read.
            void* volatile p = std::malloc(kBytes);
            std::memset(p, 1, kBytes);
            during = usage();
            std::free(p);
            afterFree = usage();
            void* volatile q = std::malloc(kBytes);
            again = usage();
            std::free(q);
        });
        worker.join();
        // Not mapped on its own: taken into the shared arena...
        QCOMPARE(during.mapped, before.mapped);
        QVERIFY(during.arenas >= before.arenas + kBytes);
        // ...and kept there when freed, so the next step's allocation costs no system call.
        QVERIFY(afterFree.arenas >= before.arenas + kBytes);
        QCOMPARE(again.arenas, afterFree.arenas);
        QCOMPARE(again.mapped, before.mapped);
    }
};

QTEST_GUILESS_MAIN(TestMalloc)
#include "tst_malloc.moc"
