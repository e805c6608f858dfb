#include "core/model/Checkpoint.h"

#include "core/common/Error.h"

#include <filesystem>

namespace mtl {
namespace {
std::string firstLine(const std::string& message) { return message.substr(0, message.find('\n')); }

// Opens the archive and reads its header; every LibTorch error becomes an InputError naming the file.
CheckpointInfo openArchive(const std::string& path, torch::serialize::InputArchive& archive) {
    if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": no such checkpoint file");
    CheckpointInfo info;
    try {
        archive.load_from(path);
        c10::IValue architecture, step;
        if (!archive.try_read("architecture", architecture) || !architecture.isString() ||
            !archive.try_read("step", step) || !step.isInt())
            throw InputError(path + ": not a checkpoint written by this program (no architecture record)");
        info.architecture = architecture.toStringRef();
        info.step = step.toInt();
    } catch (const c10::Error& e) {
        throw InputError(path + ": cannot read the checkpoint: " + firstLine(e.what_without_backtrace()));
    }
    return info;
}
} // namespace

void saveCheckpoint(const std::string& path, MultiTaskModelImpl& model, torch::optim::Optimizer* optimizer,
                    std::int64_t step, MultiTaskModelImpl* teacher) {
    torch::serialize::OutputArchive archive;
    archive.write("architecture", c10::IValue(architectureName(model.spec())));
    archive.write("step", c10::IValue(step));
    torch::serialize::OutputArchive weights;
    model.save(weights);
    archive.write("model", weights);
    if (teacher) {
        torch::serialize::OutputArchive teacherWeights;
        teacher->save(teacherWeights);
        archive.write("teacher", teacherWeights);
    }
    if (optimizer) {
        torch::serialize::OutputArchive state;
        optimizer->save(state);
        archive.write("optimizer", state);
    }
    {
        // The process-wide CPU generator: a resumed run draws what the uninterrupted one would have.
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        archive.write("rng_cpu", generator.get_state());
    }
    const std::string tmp = path + ".tmp";
    archive.save_to(tmp);
    std::filesystem::rename(tmp, path);
}

CheckpointInfo readCheckpointInfo(const std::string& path) {
    torch::serialize::InputArchive archive;
    return openArchive(path, archive);
}

CheckpointInfo loadCheckpoint(const std::string& path, MultiTaskModelImpl& model, torch::optim::Optimizer* optimizer,
                              MultiTaskModelImpl* teacher) {
    torch::serialize::InputArchive archive;
    const CheckpointInfo info = openArchive(path, archive);
    const std::string expected = architectureName(model.spec());
    if (info.architecture != expected)
        throw InputError(path + ": written by a model of another architecture (" + info.architecture +
                         "); this model is " + expected);
    try {
        torch::serialize::InputArchive weights;
        archive.read("model", weights);
        model.load(weights);
        if (teacher) {
            torch::serialize::InputArchive teacherWeights;
            if (archive.try_read("teacher", teacherWeights))
                teacher->load(teacherWeights);
            else
                teacher->load(weights);
        }
        if (optimizer) {
            torch::serialize::InputArchive state;
            if (!archive.try_read("optimizer", state)) throw InputError(path + ": holds no optimiser state");
            optimizer->load(state);
        }
        torch::Tensor rng;
        if (archive.try_read("rng_cpu", rng)) { // absent from checkpoints of older versions
            auto generator = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(generator.mutex());
            generator.set_state(rng);
        }
    } catch (const c10::Error& e) {
        throw InputError(path + ": cannot load the checkpoint: " + firstLine(e.what_without_backtrace()));
    }
    return info;
}

} // namespace mtl
