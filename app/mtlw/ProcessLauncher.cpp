#include "ProcessLauncher.h"

#include "core/common/Error.h"
#include "core/experiment/Registry.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace mtlw {
namespace {

std::atomic<int> g_signal{0};
extern "C" void onLauncherSignal(int sig) { g_signal = sig; }

// A port nobody listens on now: bound to 0 and released (rank 0 binds it moments later).
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw mtl::Error(std::string("cannot open a socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
        ::close(fd);
        throw mtl::Error(std::string("cannot find a free port: ") + std::strerror(errno));
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::string selfPath() {
    std::error_code ec;
    const auto path = fs::read_symlink("/proc/self/exe", ec);
    if (ec) throw mtl::Error("cannot find this program's path (/proc/self/exe): " + ec.message());
    return path.string();
}

struct Rank {
    pid_t pid = 0;
    bool running = true;
    int exitCode = 0;   // when it exited
    int signal = 0;     // when a signal ended it
};

std::string howItEnded(int rank, const Rank& r) {
    const std::string who = "rank " + std::to_string(rank) + " (pid " + std::to_string(r.pid) + ")";
    if (r.signal) return who + " was killed by signal " + std::to_string(r.signal) + " (" + strsignal(r.signal) + ")";
    return who + " exited with code " + std::to_string(r.exitCode);
}

// A rank's end that stops the run: a signal, or a failure of a rank other than 0 (rank 0 records
// its own end, finished 0, interrupted 130, failed 1 or 2, in the registry itself).
bool isFault(int rank, const Rank& r) { return r.signal != 0 || (rank > 0 && r.exitCode != 0 && r.exitCode != 130); }

pid_t startRank(const std::string& program, const Args& args, int rank, int size, int port,
                const std::string& runIdFile) {
    const pid_t pid = ::fork();
    if (pid < 0) throw mtl::Error(std::string("cannot start a process: ") + std::strerror(errno));
    if (pid > 0) return pid;
    ::setenv("RANK", std::to_string(rank).c_str(), 1);
    ::setenv("WORLD_SIZE", std::to_string(size).c_str(), 1);
    ::setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
    ::setenv("LOCAL_WORLD_SIZE", std::to_string(size).c_str(), 1);
    ::setenv("MASTER_ADDR", "127.0.0.1", 1);
    ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
    if (rank == 0) ::setenv("MTLW_RUN_ID_FILE", runIdFile.c_str(), 1);
    std::vector<std::string> words{program, "run"};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    std::cerr << "mtlw run: cannot start " << program << ": " << std::strerror(errno) << "\n";
    ::_exit(127);
}

// The launcher's account of a fault goes to the registry: rank 0 may be the one that died.
void recordFault(const std::string& registryPath, const std::string& runIdFile, const std::string& cause, int size) {
    std::ifstream in(runIdFile);
    std::int64_t id = 0;
    if (!(in >> id) || id <= 0) {
        std::cerr << "mtlw run: " << cause << " before the run was recorded\n";
        return;
    }
    try {
        mtl::Registry registry(registryPath); // marks a run whose rank 0 died interrupted
        const auto run = registry.run(id);
        if (!run || run->status == mtl::RunStatus::Finished) return;
        std::string message = cause;
        if (run->status == mtl::RunStatus::Interrupted && !run->message.empty() &&
            run->message.find("data-parallel") != std::string::npos)
            message += "; rank 0 said: " + run->message;
        else
            message += "; continue it with mtlw run --resume " + std::to_string(id) + " --nproc-per-node " +
                       std::to_string(size);
        registry.setStatus(id, mtl::RunStatus::Interrupted, message);
        std::cerr << "mtlw run: run " << id << " interrupted: " << message << "\n";
    } catch (const std::exception& e) {
        std::cerr << "mtlw run: " << cause << "; the registry could not be updated: " << e.what() << "\n";
    }
}

} // namespace

Args withoutOption(const Args& args, const std::string& name) {
    Args out;
    const std::string flag = "--" + name;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == flag) {
            ++i; // and its value
            continue;
        }
        if (args[i].rfind(flag + "=", 0) == 0) continue;
        out.push_back(args[i]);
    }
    return out;
}

int launchProcesses(const Args& args, const LaunchOptions& options) {
    const int n = options.processes;
    const char* fixedPort = std::getenv("MASTER_PORT");
    const int port = fixedPort && *fixedPort ? std::atoi(fixedPort) : freePort();
    const std::string program = selfPath();
    const std::string runIdFile =
        (fs::temp_directory_path() / ("mtlw-run-" + std::to_string(::getpid()) + ".id")).string();
    fs::remove(runIdFile);

    // Ctrl-C reaches every rank from the terminal; the launcher passes on signals sent to it alone.
    g_signal = 0;
    ::signal(SIGINT, onLauncherSignal);
    ::signal(SIGTERM, onLauncherSignal);
    std::vector<Rank> ranks(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) ranks[std::size_t(r)].pid = startRank(program, args, r, n, port, runIdFile);
    std::cerr << "mtlw run: " << n << " processes (pids";
    for (const auto& r : ranks) std::cerr << " " << r.pid;
    std::cerr << "), rendezvous 127.0.0.1:" << port << "\n";

    using Clock = std::chrono::steady_clock;
    std::string fault;
    Clock::time_point deadline = Clock::time_point::max();
    bool forwarded = false, rank0Failed = false;
    int left = n;
    while (left > 0) {
        if (const int sig = g_signal.exchange(0); sig && !forwarded) {
            for (const auto& r : ranks)
                if (r.running) ::kill(r.pid, SIGINT);
            forwarded = true;
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            for (int i = 0; i < n; ++i) {
                Rank& r = ranks[std::size_t(i)];
                if (r.pid != pid) continue;
                r.running = false;
                --left;
                if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
                else r.exitCode = WEXITSTATUS(status);
                if (isFault(i, r) && fault.empty() && !rank0Failed) {
                    fault = howItEnded(i, r);
                    std::cerr << "mtlw run: " << fault << "; the other ranks stop within the " << options.timeoutSeconds
                              << "-s collective timeout\n";
                }
                // Rank 0 failed (exit 1 or 2: bad input, which it has printed): the others, perhaps
                // still waiting to meet it, can only be stopped.
                if (i == 0 && !r.signal && (r.exitCode == 1 || r.exitCode == 2) && left > 0) {
                    rank0Failed = true;
                    deadline = Clock::now() + std::chrono::seconds(5);
                }
                // After a fault or rank 0's end the others notice a closed connection at once and a
                // hang at the collective timeout; one still running well after that is hung itself.
                // (Rank 0 alone may run on: the final validation is its own.)
                if (left > 0 && deadline == Clock::time_point::max() && (!fault.empty() || !ranks[0].running))
                    deadline = Clock::now() + std::chrono::seconds(options.timeoutSeconds + 30);
            }
            continue;
        }
        if (Clock::now() > deadline) {
            for (int i = 0; i < n; ++i) {
                const Rank& r = ranks[std::size_t(i)];
                if (!r.running) continue;
                ::kill(r.pid, SIGKILL);
                if (fault.empty() && !rank0Failed)
                    fault = "rank " + std::to_string(i) + " (pid " + std::to_string(r.pid) + ") hung: still running " +
                            std::to_string(options.timeoutSeconds + 30) + " s after another rank ended, killed";
            }
            deadline = Clock::time_point::max();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    if (!fault.empty()) recordFault(options.registryPath, runIdFile, fault, n);
    fs::remove(runIdFile);
    if (!fault.empty()) return 130;
    return ranks[0].signal ? 130 : ranks[0].exitCode;
}

} // namespace mtlw
