#pragma once
// Means of a logging period, kept on the training device: every step adds its values as tensors
// (no host synchronisation), and the period's means are read once, in one copy, when it is logged.
// The supervised loop's losses and the semi-supervised step's diagnostics share it.
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

namespace mtl {

class LossMeter {
public:
    explicit LossMeter(torch::Device device) : device_(device) {}

    // Adds value (a scalar tensor, detached here) with weight 1, or with `weight` (a scalar tensor:
    // e.g. how many images the value is a mean over); the key's mean is Σ value / Σ weight.
    void add(const std::string& key, const torch::Tensor& value);
    void add(const std::string& key, const torch::Tensor& value, const torch::Tensor& weight);
    // The same for numbers already on the host (nothing is copied to the device for them).
    void addHost(const std::string& key, double value, double weight = 1);
    // Keeps the latest value of `key` (a host number: no accumulation), reported as is.
    void set(const std::string& key, double value);

    // The period's means in the order keys were first added, leaving out keys whose weight is 0;
    // then starts a new period. One device-to-host copy.
    std::vector<std::pair<std::string, double>> takeMeans();

    // The same period as raw sums, for data-parallel training: the processes' totals are merged
    // (Σ sums, Σ weights; a `set` key keeps the first process's value) and then turned into means.
    struct Total {
        std::string key;
        double sum = 0, weight = 0;
        bool latest = false;
    };
    std::vector<Total> takeTotals();
    static std::vector<std::pair<std::string, double>> means(const std::vector<Total>& totals);
    static void merge(std::vector<Total>& into, const std::vector<Total>& other);
    // One line per key ("key<TAB>sum<TAB>weight<TAB>latest", full precision) and back.
    static std::string encode(const std::vector<Total>& totals);
    static std::vector<Total> decode(const std::string& text);
    // Σ value of one key so far in this period (one host read), 0 for an unknown key.
    double sum(const std::string& key) const;
    bool empty() const { return keys_.empty(); }

private:
    struct Entry {
        torch::Tensor sum, weight;          // float64 scalars on the device (add; weight only when given)
        double hostSum = 0, hostWeight = 0; // addHost
        bool latest = false;                // set: hostSum is the value
    };
    Entry& entry(const std::string& key);
    void addSum(Entry& e, const torch::Tensor& value);

    torch::Device device_;
    std::vector<std::string> keys_;
    std::vector<Entry> entries_;
};

} // namespace mtl
