#include "core/data/Dataset.h"

#include "core/common/Error.h"

#include <algorithm>
#include <map>

namespace mtl {

const char* taskName(Task task) { return task == Task::Segmentation ? "seg" : "det"; }

const std::vector<std::string>& Dataset::skipped() const {
    static const std::vector<std::string> none;
    return none;
}

std::string Dataset::imageFile(std::size_t) const { return {}; }

Sample Dataset::loadLabels(std::size_t i) const {
    Sample s = load(i);
    s.image.release();
    return s;
}

std::size_t Dataset::labeledCount(Task task) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < size(); ++i) n += labeled(i, task) ? 1 : 0;
    return n;
}

std::size_t Dataset::indexOf(const std::string& id, const std::string& context) const {
    std::lock_guard<std::mutex> lock(indexMutex_);
    if (sortedIds_.size() != size()) {
        sortedIds_.clear();
        for (std::size_t i = 0; i < size(); ++i) sortedIds_.emplace_back(this->id(i), i);
        std::sort(sortedIds_.begin(), sortedIds_.end());
    }
    const auto it = std::lower_bound(sortedIds_.begin(), sortedIds_.end(),
                                     std::pair<std::string, std::size_t>(id, 0));
    if (it == sortedIds_.end() || it->first != id)
        throw InputError(context + ": image '" + id + "' is not in " + description());
    return it->second;
}

ConcatenatedDataset::ConcatenatedDataset(std::vector<std::shared_ptr<const Dataset>> parts)
    : parts_(std::move(parts)) {
    if (parts_.empty()) throw Error("ConcatenatedDataset: no parts");
    std::map<std::string, std::size_t> owner; // id → part, to name both parts of a duplicate
    for (std::size_t p = 0; p < parts_.size(); ++p) {
        const Dataset& part = *parts_[p];
        if (part.classes().det != parts_.front()->classes().det)
            throw InputError(part.description() + " and " + parts_.front()->description() +
                             " have different detection classes");
        for (std::size_t i = 0; i < part.size(); ++i) {
            const auto [it, fresh] = owner.emplace(part.id(i), p);
            if (!fresh)
                throw DataError("image " + part.id(i) + " is listed twice: in " +
                                parts_[it->second]->description() + " and in " + part.description());
            index_.emplace_back(p, i);
        }
        skipped_.insert(skipped_.end(), part.skipped().begin(), part.skipped().end());
    }
}

const std::string& ConcatenatedDataset::id(std::size_t i) const {
    const auto [p, j] = index_.at(i);
    return parts_[p]->id(j);
}

bool ConcatenatedDataset::labeled(std::size_t i, Task task) const {
    const auto [p, j] = index_.at(i);
    return parts_[p]->labeled(j, task);
}

Sample ConcatenatedDataset::load(std::size_t i, bool wantSeg, bool wantDet) const {
    const auto [p, j] = index_.at(i);
    return parts_[p]->load(j, wantSeg, wantDet);
}

Sample ConcatenatedDataset::loadLabels(std::size_t i) const {
    const auto [p, j] = index_.at(i);
    return parts_[p]->loadLabels(j);
}

std::string ConcatenatedDataset::imageFile(std::size_t i) const {
    const auto [p, j] = index_.at(i);
    return parts_[p]->imageFile(j);
}

std::string ConcatenatedDataset::description() const {
    std::string d;
    for (const auto& part : parts_) d += (d.empty() ? "" : " + ") + part->description();
    return d;
}

} // namespace mtl
