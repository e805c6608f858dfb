#pragma once
// Turns a data set argument into a folder and opens its splits:
//   synthetic            the default synthetic set, generated into the cache on first use
//   synthetic:ROOT       a set written by `mtlw synth` (Cityscapes layout)
//   cityscapes:ROOT      Cityscapes (leftImg8bit/, gtFine/, optionally leftImg8bit_sequence/)
//   bdd100k:ROOT         BDD100K (images/100k, images/10k, labels/)
#include "core/data/Dataset.h"
#include "core/data/SyntheticCityscapes.h"

#include <functional>
#include <memory>
#include <string>

namespace mtl {

struct DatasetLocation {
    std::string kind; // "cityscapes", "synthetic" or "bdd100k"
    std::string root;
};

// `synth` describes the set generated for plain "synthetic" (its outDir is ignored: the set goes
// to cacheHome()/synthetic/<parameters>, reused when complete). Throws InputError on an unknown
// kind or a root folder without the expected layout.
DatasetLocation locateDataset(const std::string& spec, const SynthOptions& synth,
                              const std::function<void(int, int)>& progress = {});

// As locateDataset, but never generates: plain "synthetic" whose set is not in the cache is an
// InputError saying so (for readers of results, such as the tables, which must not write data).
DatasetLocation locateExistingDataset(const std::string& spec, const SynthOptions& synth);

// The cached set's folder name for plain "synthetic": one per generator parameters and version.
std::string syntheticSetName(const SynthOptions& synth);

// Opens one split ("val") or several joined with '+' ("train+train_extra+sequence").
std::shared_ptr<const Dataset> openDataset(const DatasetLocation& where, const std::string& splits,
                                           OnDataError onError = OnDataError::Fail);

} // namespace mtl
