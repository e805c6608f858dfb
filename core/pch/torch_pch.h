// Precompiled header for the few core files that use LibTorch.
#include <torch/torch.h>
