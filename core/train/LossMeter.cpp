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

void LossMeter::add(const std::string& key, const torch::Tensor& value) {
    add(key, value, torch::ones({}, torch::TensorOptions(device_).dtype(torch::kFloat64)));
}

void LossMeter::add(const std::string& key, const torch::Tensor& value, const torch::Tensor& weight) {
    Entry& e = entry(key);
    const auto v = value.detach().to(device_, torch::kFloat64), w = weight.detach().to(device_, torch::kFloat64);
    if (!e.sum.defined()) {
        e.sum = v.clone();
        e.weight = w.clone();
        return;
    }
    e.sum += v;
    e.weight += w;
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
    for (const auto& e : entries_)
        if (e.sum.defined()) parts.insert(parts.end(), {e.sum, e.weight});
    torch::Tensor host;
    if (!parts.empty()) host = torch::stack(parts).to(torch::kCPU);
    const double* device = host.defined() ? host.data_ptr<double>() : nullptr;
    std::vector<std::pair<std::string, double>> means;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        Entry& e = entries_[i];
        double sum = e.hostSum, weight = e.hostWeight;
        if (e.sum.defined()) {
            sum += device[0];
            weight += device[1];
            device += 2;
        }
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
