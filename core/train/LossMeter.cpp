#include "core/train/LossMeter.h"

#include <algorithm>
#include <cstdlib>
#include <iomanip>
#include <limits>
#include <sstream>

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

std::vector<LossMeter::Total> LossMeter::takeTotals() {
    std::vector<torch::Tensor> parts;
    for (const auto& e : entries_) {
        if (e.sum.defined()) parts.push_back(e.sum);
        if (e.weight.defined()) parts.push_back(e.weight);
    }
    torch::Tensor host;
    if (!parts.empty()) host = torch::stack(parts).to(torch::kCPU);
    const double* device = host.defined() ? host.data_ptr<double>() : nullptr;
    std::vector<Total> totals;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        const Entry& e = entries_[i];
        Total t{keys_[i], e.hostSum, e.hostWeight, e.latest};
        if (e.sum.defined()) t.sum += *device++;
        if (e.weight.defined()) t.weight += *device++;
        totals.push_back(std::move(t));
    }
    keys_.clear();
    entries_.clear();
    return totals;
}

std::vector<std::pair<std::string, double>> LossMeter::takeMeans() { return means(takeTotals()); }

std::vector<std::pair<std::string, double>> LossMeter::means(const std::vector<Total>& totals) {
    std::vector<std::pair<std::string, double>> out;
    for (const Total& t : totals)
        if (t.weight != 0) out.emplace_back(t.key, t.latest ? t.sum : t.sum / t.weight);
    return out;
}

void LossMeter::merge(std::vector<Total>& into, const std::vector<Total>& other) {
    for (const Total& t : other) {
        const auto it = std::find_if(into.begin(), into.end(), [&](const Total& x) { return x.key == t.key; });
        if (it == into.end()) {
            into.push_back(t);
        } else if (!it->latest) {
            it->sum += t.sum;
            it->weight += t.weight;
        }
    }
}

std::string LossMeter::encode(const std::vector<Total>& totals) {
    std::ostringstream out;
    out << std::setprecision(std::numeric_limits<double>::max_digits10);
    for (const Total& t : totals) out << t.key << '\t' << t.sum << '\t' << t.weight << '\t' << t.latest << '\n';
    return out.str();
}

std::vector<LossMeter::Total> LossMeter::decode(const std::string& text) {
    std::vector<Total> totals;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        // strtod, not >>: a diverged process's "nan" and "inf" must come through.
        const auto tab = line.find('\t');
        if (tab == std::string::npos) continue;
        Total t;
        t.key = line.substr(0, tab);
        char* end = nullptr;
        const char* p = line.c_str() + tab + 1;
        t.sum = std::strtod(p, &end);
        t.weight = std::strtod(end, &end);
        t.latest = std::strtol(end, &end, 10) != 0;
        totals.push_back(std::move(t));
    }
    return totals;
}

double LossMeter::sum(const std::string& key) const {
    const auto it = std::find(keys_.begin(), keys_.end(), key);
    if (it == keys_.end()) return 0.0;
    const Entry& e = entries_[std::size_t(it - keys_.begin())];
    return e.hostSum + (e.sum.defined() ? e.sum.item<double>() : 0.0);
}

} // namespace mtl
