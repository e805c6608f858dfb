// mtlw-model: the commands of mtlw that need the model (LibTorch). Users call them as `mtlw
// COMMAND`; mtlw hands them over with exec (HelperProgram.h), so this main sees the same arguments.
#include "Commands.h"
#include "HelperProgram.h"

#include "core/common/MallocTuning.h"

int main(int argc, char** argv) {
    mtl::tuneMallocForTraining();
    return mtlw::helperMain(mtlw::Program::Model,
                            {{"run", mtlw::runCommand},
                             {"eval", mtlw::evalCommand},
                             {"diagnose", mtlw::diagnoseCommand},
                             {"augment", mtlw::augmentCommand},
                             {"augment-preview", mtlw::augmentPreviewCommand},
                             {"sweep", mtlw::sweepLocalCommand}},
                            argc, argv);
}
