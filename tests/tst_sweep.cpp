// Sweeps: a grid over config keys expanded into one config per cell, and the SLURM job array.
#include "core/common/Error.h"
#include "core/experiment/Sweep.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace mtl;

class TestSweep : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    std::string write(const QString& name, const std::string& text) {
        const std::string path = dir_.filePath(name).toStdString();
        std::ofstream(path) << text;
        return path;
    }
    std::string errorOf(const std::string& sweepText) {
        const std::string path = write("err.yaml", sweepText);
        try {
            loadSweep(path);
        } catch (const InputError& e) {
            return std::string(e.what()).substr(path.size());
        }
        return "no error";
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        write("base.yaml", "name: study-base\ntrain:\n  steps: 1000\n  lr: 0.01\n");
    }

    void gridExpandsLastKeyFastest() {
        const std::string path = write("grid.yaml",
                                       "base: base.yaml\nname: study\nset:\n  train.steps: 50\n"
                                       "grid:\n  data.split.setting: [a, b, c]\n  train.sampling: [implicit, explicit]\n"
                                       "  seed: [0, 1]\n");
        const Sweep s = loadSweep(path, {"train.lr=0.125"});
        QCOMPARE(s.name, std::string("study"));
        QCOMPARE(s.cells.size(), std::size_t(12));
        const char* settings[] = {"a", "b", "c"};
        const char* samplings[] = {"implicit", "explicit"};
        for (int i = 0; i < 12; ++i) {
            const SweepCell& c = s.cells[i];
            QCOMPARE(c.index, i);
            const std::string setting = settings[i / 4], sampling = samplings[(i / 2) % 2];
            const int seed = i % 2;
            QCOMPARE(nameOf(c.config.data.split.setting), setting);
            QCOMPARE(nameOf(c.config.train.sampling), sampling);
            QCOMPARE(c.config.seed, std::int64_t(seed));
            QCOMPARE(c.config.train.steps, 50);  // set
            QCOMPARE(c.config.train.lr, 0.125);  // --set
            QCOMPARE(c.config.name, "study setting=" + setting + " sampling=" + sampling + " seed=" + std::to_string(seed));
            QCOMPARE(c.values.size(), std::size_t(3));
            QCOMPARE(c.values[0].first, std::string("data.split.setting"));
            QCOMPARE(c.values[0].second, setting);
        }
        QCOMPARE(cellNumber(s, 7), std::string("007"));
        // Without a name the base config's name leads; keys sharing a last part are written in full.
        const Sweep t = loadSweep(write("names.yaml", "base: base.yaml\ngrid:\n  seed: [4]\n  data.split.seed: [5, 6]\n"));
        QCOMPARE(t.cells.size(), std::size_t(2));
        QCOMPARE(t.cells[1].config.name, std::string("study-base seed=4 data.split.seed=6"));
        QCOMPARE(t.cells[1].config.data.split.seed, std::int64_t(6));
    }

    void exampleSweepExpands() {
        // experiments/sweeps/synthetic-settings.yaml, as docs/CLUSTER.md shows it.
        const Sweep s = loadSweep(MTLW_SOURCE_DIR "/experiments/sweeps/synthetic-settings.yaml");
        QCOMPARE(s.cells.size(), std::size_t(6));
        QCOMPARE(s.cells[3].config.name, std::string("synthetic-settings setting=c seed=0"));
        QCOMPARE(s.cells[3].config.train.method.name(), std::string("densefixmatch"));
        QCOMPARE(s.cells[3].config.train.threads, 4);
        QCOMPARE(s.slurm.maxParallel, 6);
    }

    void errorsNameTheSweepFileAndPlace() {
        QCOMPARE(errorOf("base: base.yaml\ngrid:\n  train.stepz: [1, 2]\n"), std::string(":3:3: unknown key 'train.stepz' (did you mean 'train.steps'?)"));
        QCOMPARE(errorOf("base: base.yaml\ngrid:\n  train.steps: [1, many]\n"),
                 std::string(":3:20: 'train.steps' must be an integer, got 'many'"));
        QCOMPARE(errorOf("base: base.yaml\ngrid:\n  seed: []\n"),
                 std::string(":3:9: grid key 'seed' needs a non-empty list of values"));
        QCOMPARE(errorOf("grid:\n  seed: [1]\n"), std::string(":1:1: a sweep needs 'base': the config every cell starts from"));
        QCOMPARE(errorOf("base: base.yaml\n"), std::string(":1:1: a sweep needs 'grid': config keys and their values"));
        QCOMPARE(errorOf("base: base.yaml\ngrid:\n  seed: [1]\ngird: 2\n"),
                 std::string(":4:1: unknown key 'gird' (base, name, set, grid, slurm)"));
        QCOMPARE(errorOf("base: base.yaml\ngrid:\n  seed: [1]\nslurm:\n  queue: x\n"),
                 std::string(":5:3: unknown key 'slurm.queue' (partition, time, mem, cpus_per_task, gpus, max_parallel, "
                             "processes_per_run)"));
        QCOMPARE(errorOf("base: nowhere.yaml\ngrid:\n  seed: [1]\n"),
                 std::string(":1:7: base config " + dir_.filePath("nowhere.yaml").toStdString() + " does not exist"));
    }

    void slurmArrayScript() {
        const std::string path = write("slurm.yaml",
                                       "base: base.yaml\nname: \"it's a study\"\ngrid:\n  seed: [0, 1, 2]\n"
                                       "  train.sampling: [implicit, explicit]\n"
                                       "slurm:\n  partition: gpu\n  time: \"04:00:00\"\n  cpus_per_task: 8\n  gpus: 1\n"
                                       "  mem: 32G\n  max_parallel: 4\n");
        const Sweep s = loadSweep(path);
        const QString out = dir_.filePath("cluster dir"); // a space in the path must survive quoting
        const std::string script = writeSlurmArray(s, out.toStdString());
        QCOMPARE(QString::fromStdString(script), out + "/sweep.sbatch");

        QProcess bash;
        bash.start("bash", {"-n", QString::fromStdString(script)});
        QVERIFY(bash.waitForFinished());
        QCOMPARE(bash.exitCode(), 0);

        QFile f(QString::fromStdString(script));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY(text.startsWith("#!/bin/bash\n"));
        const auto array = QRegularExpression("^#SBATCH --array=0-(\\d+)%4$", QRegularExpression::MultilineOption).match(text);
        QVERIFY2(array.hasMatch(), qPrintable(text));
        QCOMPARE(array.captured(1).toInt() + 1, 6); // one task per cell
        for (const char* line : {"#SBATCH --partition=gpu\n", "#SBATCH --time=04:00:00\n", "#SBATCH --cpus-per-task=8\n",
                                 "#SBATCH --gpus=1\n", "#SBATCH --mem=32G\n", "#SBATCH --job-name=it_s_a_study\n"})
            QVERIFY2(text.contains(line), line);
        QCOMPARE(QDir(out + "/configs").entryList(QDir::Files).size(), 6);
        QVERIFY(QDir(out + "/logs").exists());

        // Each task runs `mtlw run` on its own cell into its own folder: run task 4 with a stand-in mtlw.
        QProcess task;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("MTLW", "echo");
        env.insert("SLURM_ARRAY_TASK_ID", "4");
        env.insert("SLURM_ARRAY_JOB_ID", "77");
        env.insert("TMPDIR", "/node/tmp");
        task.setProcessEnvironment(env);
        task.start("bash", {QString::fromStdString(script)});
        QVERIFY(task.waitForFinished());
        QCOMPARE(task.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(task.readAllStandardOutput()),
                 "run " + out + "/configs/cell-004.yaml --run-dir " + out + "/runs/cell-004 --registry "
                 "/node/tmp/mtlw-77-004.sqlite --quiet\n");
        // The cell's config is complete and is the cell: seed 2, implicit.
        const ExperimentConfig cell4 = loadExperimentConfig((out + "/configs/cell-004.yaml").toStdString());
        QCOMPARE(cell4.seed, std::int64_t(2));
        QCOMPARE(nameOf(cell4.train.sampling), std::string("implicit"));
        QCOMPARE(cell4.name, std::string("it's a study seed=2 sampling=implicit"));
        QCOMPARE(cell4.train.steps, 1000);

        // Tasks that are data-parallel runs themselves: one node, a task per process, srun starts them
        // (each process reads its rank from srun's environment), a rendezvous port per array task.
        const std::string multi = write("multi.yaml", "base: base.yaml\ngrid:\n  seed: [0, 1]\n"
                                                      "slurm:\n  gpus: 1\n  processes_per_run: 4\n");
        const std::string multiScript = writeSlurmArray(loadSweep(multi), dir_.filePath("multi").toStdString());
        QFile m(QString::fromStdString(multiScript));
        QVERIFY(m.open(QIODevice::ReadOnly));
        const QString multiText = QString::fromUtf8(m.readAll());
        for (const char* line : {"#SBATCH --nodes=1\n", "#SBATCH --ntasks-per-node=4\n", "#SBATCH --gpus-per-task=1\n"})
            QVERIFY2(multiText.contains(line), line);
        QVERIFY(!multiText.contains("#SBATCH --gpus=1"));
        QProcess srunTask;
        env.insert("SLURM_ARRAY_TASK_ID", "1");
        env.insert("PATH", dir_.path() + ":" + env.value("PATH"));
        write("srun", "#!/bin/sh\necho srun MASTER_PORT=$MASTER_PORT \"$@\"\n");
        QFile::setPermissions(dir_.filePath("srun"), QFile::permissions(dir_.filePath("srun")) | QFileDevice::ExeOwner);
        srunTask.setProcessEnvironment(env);
        srunTask.start("bash", {QString::fromStdString(multiScript)});
        QVERIFY(srunTask.waitForFinished());
        QCOMPARE(QString::fromUtf8(srunTask.readAllStandardOutput()),
                 "srun MASTER_PORT=29501 echo run " + dir_.filePath("multi") + "/configs/cell-001.yaml --run-dir " +
                     dir_.filePath("multi") + "/runs/cell-001 --registry /node/tmp/mtlw-77-001.sqlite --quiet\n");

        // SBATCH values reach the script verbatim: shell characters are refused.
        QCOMPARE(errorOf("base: base.yaml\ngrid:\n  seed: [1]\nslurm:\n  partition: \"a b\"\n"),
                 std::string(":5:3: slurm values must not contain spaces, quotes or shell characters: 'a b'"));
    }
};

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
