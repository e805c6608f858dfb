#include "core/data/OnDataError.h"

namespace mtl {

template <>
const EnumTable<OnDataError>& enumTable<OnDataError>() {
    static const EnumTable<OnDataError> t{"data error policy", {{"fail", OnDataError::Fail}, {"skip", OnDataError::Skip}}};
    return t;
}

} // namespace mtl
