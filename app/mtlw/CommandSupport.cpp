// What the subcommands of both programs share (Commands.h).
#include "Commands.h"

#include "core/experiment/Registry.h"

#include <atomic>
#include <csignal>

namespace mtlw {
namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void onSignal(int) { g_interrupted = true; }
} // namespace

std::string registryPathFrom(const std::string& optionValue) {
    return optionValue.empty() ? mtl::Registry::defaultPath() : optionValue;
}

std::int64_t runIdFrom(const std::string& text) {
    std::size_t used = 0;
    long long id = 0;
    try {
        id = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || id <= 0) throw mtl::InputError("'" + text + "' is not a run id");
    return id;
}

void watchSignals(bool on) {
    g_interrupted = false;
    std::signal(SIGINT, on ? onSignal : SIG_DFL);
    std::signal(SIGTERM, on ? onSignal : SIG_DFL);
}

bool interruptRequested() { return g_interrupted; }

int exitCodeOf(mtl::RunStatus status, bool failedOnInput) {
    switch (status) {
    case mtl::RunStatus::Finished: return 0;
    case mtl::RunStatus::Interrupted: return 130;
    case mtl::RunStatus::Failed: return failedOnInput ? 2 : 1;
    default: return 1;
    }
}

} // namespace mtlw
