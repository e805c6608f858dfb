#include "core/train/LossMeter.h"

#include <algorithm>

namespace mtl {

LossMeter::Entry& LossMeter::entry(const std::string& key) {
    const auto it = std::find(keys_.begin(), keys_.end(), key);
    if (it != keys_.end()) return entries_[std::size_t(it - keys_.begin())];
    keys_.push_back(key);
    entries_.emplace_back();
    return entries_.back();
}

void LossMeter::addSum(Entry& e, const torch::Tensor& value) {
    const auto v = value.detach().to(device_, torch::kFloat64);
    e.sum = e.sum.defined() ? e.sum + v : v.clone();
}

void LossMeter::add(const std::string& key, const torch::Tensor& value) {
    Entry& e = entry(key);
    addSum(e, value);
    e.hostWeight += 1; // a step's weight is known on the host: no tensor for it
}

void LossMeter::add(const std::string& key, const torch::Tensor& value, const torch::Tensor& weight) {
    Entry& e = entry(key);
    addSum(e, value);
    const auto w = weight.detach().to(device_, torch::kFloat64);
    e.weight = e.weight.defined() ? e.weight + w : w.clone();
}

void LossMeter::addHost(const std::string& key, double value, double weight) {
    Entry& e = entry(key);
    e.hostSum += value;
    e.hostWeight += weight;
}

void LossMeter::set(const std::string& key, double value) {
    Entry& e = entry(key);
    e.latest = true;
    e.hostSum = value;
    e.hostWeight = 1;
}

std::vector<std::pair<std::string, double>> LossMeter::takeMeans() {
    std::vector<torch::Tensor> parts;
    for (const auto& e : entries_) {
        if (e.sum.defined()) parts.push_back(e.sum);
        if (e.weight.defined()) parts.push_back(e.weight);
    }
    torch::Tensor host;
    if (!parts.empty()) host = torch::stack(parts).to(torch::kCPU);
    const double* device = host.defined() ? host.data_ptr<double>() : nullptr;
    std::vector<std::pair<std::string, double>> means;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        Entry& e = entries_[i];
        double sum = e.hostSum, weight = e.hostWeight;
        if (e.sum.defined()) sum += *device++;
        if (e.weight.defined()) weight += *device++;
        if (weight != 0) means.emplace_back(keys_[i], e.latest ? sum : sum / weight);
    }
    keys_.clear();
    entries_.clear();
    return means;
}

double LossMeter::sum(const std::string& key) const {
    const auto it = std::find(keys_.begin(), keys_.end(), key);
    if (it == keys_.end()) return 0.0;
    const Entry& e = entries_[std::size_t(it - keys_.begin())];
    return e.hostSum + (e.sum.defined() ? e.sum.item<double>() : 0.0);
}

} // namespace mtl
