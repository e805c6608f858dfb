#include "core/train/DataParallel.h"

#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <algorithm>
#include <type_traits>
#include <csignal>
#include <cerrno>
#include <cstdlib>
#include <unistd.h>

namespace mtl {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::int64_t kBucketBytes = 25 << 20;

std::string hostName() {
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    return name;
}

bool isLoopback(const std::string& addr) { return addr == "127.0.0.1" || addr == "localhost" || addr == "::1"; }

// The collectives' interface the Gloo and NCCL groups implement: ProcessGroup up to LibTorch 1.13
// (Debian's), Backend from 2.0 (a current CUDA LibTorch).
using CollectiveGroup = std::conditional_t<std::is_base_of_v<c10d::Backend, c10d::ProcessGroupGloo>, c10d::Backend,
                                           c10d::ProcessGroup>;

} // namespace

struct DataParallel::Impl {
    ProcessWorld world;
    std::chrono::milliseconds timeout;
    std::string backend;
    c10::intrusive_ptr<c10d::Store> store;    // messages: keys under "mtlw/"
    c10::intrusive_ptr<CollectiveGroup> group;
    double collectiveSeconds = 0;

    // Runs a c10d call; its failure becomes PeerLost naming what was being done.
    template <typename F>
    auto guarded(const char* what, F&& f) -> decltype(f()) {
        try {
            return f();
        } catch (const Error&) {
            throw; // ours: already says what is wrong (PeerLost, or no NCCL in this LibTorch)
        } catch (const std::exception& e) {
            std::string message = e.what();
            if (const auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
            throw PeerLost("rank " + std::to_string(world.rank) + ": " + what + " failed: " + message);
        }
    }
    void wait(const c10::intrusive_ptr<c10d::Work>& work) { work->wait(timeout); }
    // Where the group's own small tensors (flags, texts) live: NCCL works on the rank's GPU only.
    torch::Device device() const {
        return backend == "nccl" ? torch::Device(torch::kCUDA, world.localRank) : torch::Device(torch::kCPU);
    }
};

DataParallel::DataParallel(ProcessWorld world, std::chrono::milliseconds timeout) : impl_(std::make_unique<Impl>()) {
    Impl& d = *impl_;
    d.world = std::move(world);
    d.timeout = timeout;
    d.guarded("the rendezvous", [&] {
        c10d::TCPStoreOptions options;
        options.port = static_cast<std::uint16_t>(d.world.masterPort);
        options.isServer = d.world.rank == 0;
        options.numWorkers = static_cast<std::size_t>(d.world.size);
        options.waitWorkers = true;
        options.timeout = timeout;
        d.store = c10::make_intrusive<c10d::TCPStore>(d.world.masterAddr, options);
        return 0;
    });
    post("pid/" + std::to_string(d.world.rank), hostName() + " " + std::to_string(getpid()));
}

void DataParallel::startGroup(const torch::Device& device) {
    Impl& d = *impl_;
    const auto timeout = d.timeout;
    d.guarded("starting the process group", [&] {
        auto groupStore = c10::make_intrusive<c10d::PrefixStore>("group", d.store);
        if (device.is_cuda()) {
#ifdef USE_C10D_NCCL
            auto o = c10d::ProcessGroupNCCL::Options::create();
            o->timeout = timeout;
            d.group = c10::make_intrusive<c10d::ProcessGroupNCCL>(groupStore, d.world.rank, d.world.size, o);
            d.backend = "nccl";
#else
            throw Error("this LibTorch was built without NCCL: a CUDA run cannot be distributed (docs/CLUSTER.md)");
#endif
        } else {
            auto o = c10d::ProcessGroupGloo::Options::create(timeout);
            // GLOO_SOCKET_IFNAME picks the network interface on clusters, as in PyTorch.
            if (const char* iface = std::getenv("GLOO_SOCKET_IFNAME"); iface && *iface)
                o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(iface));
            else if (isLoopback(d.world.masterAddr))
                o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
            else
                o->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
            d.group = c10::make_intrusive<c10d::ProcessGroupGloo>(groupStore, d.world.rank, d.world.size, o);
            d.backend = "gloo";
        }
        return 0;
    });
}

DataParallel::~DataParallel() = default;

const ProcessWorld& DataParallel::world() const { return impl_->world; }
const std::string& DataParallel::backend() const { return impl_->backend; }
double DataParallel::collectiveSeconds() const { return impl_->collectiveSeconds; }

void DataParallel::averageGradients(const std::vector<torch::Tensor>& params) {
    Impl& d = *impl_;
    const auto t0 = Clock::now();
    std::vector<torch::Tensor> grads;
    for (const auto& p : params) {
        if (!p.requires_grad()) continue;
        if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
        grads.push_back(p.grad());
    }
    std::size_t next = 0;
    while (next < grads.size()) {
        // One bucket: consecutive gradients of one type and device, up to kBucketBytes.
        std::vector<torch::Tensor> bucket{grads[next]};
        std::int64_t bytes = grads[next].nbytes();
        for (std::size_t i = next + 1; i < grads.size(); ++i) {
            if (grads[i].scalar_type() != grads[next].scalar_type() || bytes + std::int64_t(grads[i].nbytes()) > kBucketBytes)
                break;
            bucket.push_back(grads[i]);
            bytes += grads[i].nbytes();
        }
        next += bucket.size();
        std::vector<torch::Tensor> flat{torch::cat([&] {
            std::vector<torch::Tensor> views;
            for (const auto& g : bucket) views.push_back(g.reshape({-1}));
            return views;
        }())};
        d.guarded("averaging the gradients", [&] {
            d.wait(d.group->allreduce(flat));
            return 0;
        });
        flat[0].div_(d.world.size);
        std::int64_t offset = 0;
        for (auto& g : bucket) {
            g.copy_(flat[0].narrow(0, offset, g.numel()).view_as(g));
            offset += g.numel();
        }
    }
    d.collectiveSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
}

torch::Tensor DataParallel::sum(const torch::Tensor& t) {
    std::vector<torch::Tensor> v{t.detach().clone().contiguous()};
    impl_->guarded("summing over the processes", [&] {
        impl_->wait(impl_->group->allreduce(v));
        return 0;
    });
    return v[0];
}

bool DataParallel::anyOf(bool flag) {
    const torch::Device device = impl_->device();
    return sum(torch::full({1}, flag ? 1 : 0, torch::TensorOptions(device).dtype(torch::kInt))).item<int>() > 0;
}

void DataParallel::broadcastFromRank0(const std::vector<torch::Tensor>& tensors) {
    // One broadcast per type: the buffers of a model are many small tensors.
    std::vector<torch::ScalarType> types;
    for (const auto& t : tensors)
        if (t.defined() && std::find(types.begin(), types.end(), t.scalar_type()) == types.end())
            types.push_back(t.scalar_type());
    for (const auto type : types) {
        std::vector<torch::Tensor> group;
        for (const auto& t : tensors)
            if (t.defined() && t.scalar_type() == type) group.push_back(t.detach());
        std::vector<torch::Tensor> flat{torch::cat([&] {
            std::vector<torch::Tensor> views;
            for (const auto& t : group) views.push_back(t.reshape({-1}));
            return views;
        }())};
        c10d::BroadcastOptions o;
        o.rootRank = 0;
        impl_->guarded("broadcasting rank 0's weights", [&] {
            impl_->wait(impl_->group->broadcast(flat, o));
            return 0;
        });
        std::int64_t offset = 0;
        for (auto& t : group) {
            t.copy_(flat[0].narrow(0, offset, t.numel()).view_as(t));
            offset += t.numel();
        }
    }
}

namespace {
torch::Tensor bytesOf(const std::string& text, std::int64_t length, const torch::Device& device) {
    auto t = torch::zeros({length}, torch::kUInt8);
    std::copy(text.begin(), text.end(), t.data_ptr<std::uint8_t>());
    return t.to(device);
}
std::string textOf(const torch::Tensor& bytes, std::int64_t length) {
    const auto host = bytes.to(torch::kCPU).contiguous();
    return std::string(reinterpret_cast<const char*>(host.data_ptr<std::uint8_t>()), std::size_t(length));
}
} // namespace

std::vector<std::string> DataParallel::gatherText(const std::string& text) {
    Impl& d = *impl_;
    const torch::Device device = d.device();
    const auto n = static_cast<std::size_t>(d.world.size);
    // The lengths first, then every text padded to the longest.
    std::vector<std::vector<torch::Tensor>> lengths(1);
    for (std::size_t r = 0; r < n; ++r) lengths[0].push_back(torch::zeros({1}, torch::TensorOptions(device).dtype(torch::kLong)));
    std::vector<torch::Tensor> mine{torch::full({1}, std::int64_t(text.size()), torch::TensorOptions(device).dtype(torch::kLong))};
    d.guarded("gathering the period's meters", [&] {
        d.wait(d.group->allgather(lengths, mine));
        return 0;
    });
    std::vector<std::int64_t> sizes;
    std::int64_t longest = 1;
    for (const auto& l : lengths[0]) sizes.push_back(l.to(torch::kCPU).item<std::int64_t>()), longest = std::max(longest, sizes.back());
    std::vector<std::vector<torch::Tensor>> texts(1);
    for (std::size_t r = 0; r < n; ++r) texts[0].push_back(torch::zeros({longest}, torch::TensorOptions(device).dtype(torch::kUInt8)));
    std::vector<torch::Tensor> own{bytesOf(text, longest, device)};
    d.guarded("gathering the period's meters", [&] {
        d.wait(d.group->allgather(texts, own));
        return 0;
    });
    std::vector<std::string> out;
    for (std::size_t r = 0; r < n; ++r) out.push_back(textOf(texts[0][r], sizes[r]));
    return out;
}

std::string DataParallel::broadcastText(const std::string& text) {
    Impl& d = *impl_;
    const torch::Device device = d.device();
    std::vector<torch::Tensor> length{torch::full({1}, std::int64_t(text.size()), torch::TensorOptions(device).dtype(torch::kLong))};
    c10d::BroadcastOptions o;
    o.rootRank = 0;
    d.guarded("receiving rank 0's verdict", [&] {
        d.wait(d.group->broadcast(length, o));
        return 0;
    });
    const std::int64_t size = length[0].to(torch::kCPU).item<std::int64_t>();
    std::vector<torch::Tensor> bytes{bytesOf(d.world.rank == 0 ? text : std::string(), std::max<std::int64_t>(size, 1), device)};
    d.guarded("receiving rank 0's verdict", [&] {
        d.wait(d.group->broadcast(bytes, o));
        return 0;
    });
    return textOf(bytes[0], size);
}

void DataParallel::post(const std::string& key, const std::string& value) {
    impl_->guarded("posting a message", [&] {
        impl_->store->set("mtlw/" + key, std::vector<uint8_t>(value.begin(), value.end()));
        return 0;
    });
}

std::string DataParallel::read(const std::string& key) {
    return impl_->guarded("waiting for a message from rank 0", [&] {
        const auto bytes = impl_->store->get("mtlw/" + key);
        return std::string(bytes.begin(), bytes.end());
    });
}

std::string DataParallel::lostPeers() {
    std::string found;
    const std::string here = hostName();
    for (int r = 0; r < impl_->world.size; ++r) {
        if (r == impl_->world.rank) continue;
        try {
            // A rank that failed on its own (bad data in its shard) left its message.
            const std::string error = "mtlw/error/" + std::to_string(r);
            if (impl_->store->check({error})) {
                const auto bytes = impl_->store->get(error);
                found += std::string(found.empty() ? "" : "; ") + "rank " + std::to_string(r) + " failed: " +
                         std::string(bytes.begin(), bytes.end());
                continue;
            }
            const std::string key = "mtlw/pid/" + std::to_string(r);
            if (!impl_->store->check({key})) continue;
            const auto bytes = impl_->store->get(key);
            const std::string text(bytes.begin(), bytes.end());
            const auto space = text.rfind(' ');
            const std::string host = text.substr(0, space);
            const long pid = std::stol(text.substr(space + 1));
            if (host == here && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
                found += std::string(found.empty() ? "" : "; ") + "rank " + std::to_string(r) + " (pid " +
                         std::to_string(pid) + " on " + host + ") has exited";
        } catch (const std::exception&) {
            // The store itself is gone (rank 0 died): nothing more to learn.
            break;
        }
    }
    return found;
}

void DataParallel::reportFailure(const std::string& message) {
    try {
        post("error/" + std::to_string(impl_->world.rank), message);
    } catch (const std::exception&) {
        // Rank 0 is gone too: nobody to tell.
    }
}

double weightChecksum(const torch::nn::Module& module) {
    torch::NoGradGuard noGrad;
    double sum = 0, k = 1;
    auto add = [&](const torch::Tensor& t) {
        if (!t.defined()) return;
        sum += k * t.to(torch::kCPU, torch::kDouble).sum().item<double>();
        k += 1;
    };
    for (const auto& p : module.parameters()) add(p);
    for (const auto& b : module.buffers()) add(b);
    return sum;
}

} // namespace mtl
