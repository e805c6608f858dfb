#pragma once
// The elements `rows` (indices into `all`) of a per-sample list, in the order given; an empty list
// stays empty (an absent optional part of a batch).
#include <cstdint>
#include <vector>

namespace mtl {

template <typename T> std::vector<T> selectRows(const std::vector<T>& all, const std::vector<std::int64_t>& rows) {
    std::vector<T> out;
    if (all.empty()) return out;
    out.reserve(rows.size());
    for (std::int64_t r : rows) out.push_back(all.at(static_cast<std::size_t>(r)));
    return out;
}

} // namespace mtl
