// mtlw-data: the commands of mtlw that read or write images (OpenCV's image codecs, whose
// dependencies take longer to load than all of mtlw's work for a registry listing), without
// LibTorch. Users call them as `mtlw COMMAND`; mtlw hands them over with exec (HelperProgram.h).
#include "Commands.h"
#include "HelperProgram.h"

int main(int argc, char** argv) {
    return mtlw::helperMain(mtlw::Program::Data,
                            {{"synth", mtlw::synthCommand},
                             {"score-seg", mtlw::scoreSegCommand},
                             {"dataset", mtlw::datasetCommand},
                             {"split", mtlw::splitCommand},
                             {"table", mtlw::tableCommand}},
                            argc, argv);
}
