#pragma once
// One name table per enumerated type: the names a config, the registry or the command line give its
// values, in the order messages list them. A type's table is an explicit specialisation of
// enumTable<Type>() in its own floor's source, declared beside the type; everything else — the
// config schema, toString, parsing the command line — converts through these functions.
#include "core/common/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mtl {

template <typename Enum>
struct EnumTable {
    std::string noun; // "augmentation mode": what an unknown name is called in errors
    std::vector<std::pair<std::string, Enum>> names;
};

template <typename Enum>
const EnumTable<Enum>& enumTable(); // specialised per type

template <typename Enum>
std::optional<Enum> findName(const std::string& name) {
    for (const auto& [n, v] : enumTable<Enum>().names)
        if (n == name) return v;
    return std::nullopt;
}

// The names in table order, the last two joined by `lastSeparator`: "a, b or c" (", ": "a, b, c").
template <typename Enum>
std::string nameList(const std::string& lastSeparator = " or ") {
    const auto& names = enumTable<Enum>().names;
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i)
        list += (i == 0 ? "" : i + 1 == names.size() ? lastSeparator : ", ") + names[i].first;
    return list;
}

// InputError "unknown <noun> 'x' (expected a, b or c)" for a name not in the table.
template <typename Enum>
Enum parseName(const std::string& name) {
    if (const auto v = findName<Enum>(name)) return *v;
    throw InputError("unknown " + enumTable<Enum>().noun + " '" + name + "' (expected " + nameList<Enum>() + ")");
}

template <typename Enum>
const std::string& nameOf(Enum value) {
    for (const auto& [n, v] : enumTable<Enum>().names)
        if (v == value) return n;
    throw Error("a value of " + enumTable<Enum>().noun + " has no name");
}

} // namespace mtl
