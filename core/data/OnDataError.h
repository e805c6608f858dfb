#pragma once
// What to do with a sample whose files are missing or unreadable (config `data.on_error`). Its own
// file so that reading a config needs no data set code (and `mtlw` no image codecs).
#include "core/common/EnumNames.h"

namespace mtl {

enum class OnDataError { Fail, Skip };
template <> const EnumTable<OnDataError>& enumTable<OnDataError>();

} // namespace mtl
