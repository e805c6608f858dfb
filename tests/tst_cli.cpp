// The mtlw command line as a user meets it: usage errors, config errors, help, synth, and a
// binary free of Qt.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include "MtlwProcess.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    using Result = MtlwResult;
    static Result mtlw(const QStringList& args) { return runMtlw(args, 120000); }
    QString write(const QString& name, const QByteArray& text) {
        QFile f(dir_.filePath(name));
        f.open(QIODevice::WriteOnly);
        f.write(text);
        return f.fileName();
    }

private Q_SLOTS:
    void unknownCommandPrintsUsage() {
        const Result r = mtlw({"frobnicate"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.startsWith("mtlw: unknown command 'frobnicate'\nusage: mtlw"));
        QVERIFY(r.out.isEmpty());
    }

    void noArgumentsPrintsUsage() {
        const Result r = mtlw({});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("usage: mtlw"));
    }

    void helpDescribesEveryOption() {
        const Result top = mtlw({"--help"});
        QCOMPARE(top.code, 0);
        for (const char* c : {"run", "synth", "runs", "score-det", "score-seg", "augment", "augment-preview"})
            QVERIFY2(top.out.contains(QString("  ") + c), c);
        const Result run = mtlw({"run", "--help"});
        QCOMPARE(run.code, 0);
        for (const char* o : {"--registry FILE", "--runs-dir DIR", "--quiet", "CONFIG"}) QVERIFY2(run.out.contains(o), o);
        const Result synth = mtlw({"synth", "--help"});
        for (const char* o : {"--out DIR", "--train N", "--val M", "--width W", "--height H", "--seed S"})
            QVERIFY2(synth.out.contains(o), o);
    }

    void unknownConfigKeyExitsTwoAndWritesNothing() {
        const QString cfg = write("bad.yaml", "name: x\ntrain:\n  steps: 10\n  stepz: 5\n");
        const QString registry = dir_.filePath("bad-registry.sqlite");
        const Result r = mtlw({"run", cfg, "--registry", registry});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err, "mtlw run: " + cfg + ":4:3: unknown key 'train.stepz' (did you mean 'train.steps'?)\n");
        QVERIFY(!QFile::exists(registry));
    }

    void wrongTypeAndMissingFile() {
        const QString cfg = write("type.yaml", "train:\n  batch_size: eight\n");
        Result r = mtlw({"run", cfg, "--registry", dir_.filePath("r.sqlite")});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err, "mtlw run: " + cfg + ":2:15: 'train.batch_size' must be an integer, got 'eight'\n");
        r = mtlw({"run", dir_.filePath("missing.yaml"), "--registry", dir_.filePath("r.sqlite")});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err, "mtlw run: " + dir_.filePath("missing.yaml") + ": cannot read the config file\n");
        QVERIFY(!QFile::exists(dir_.filePath("r.sqlite")));
    }

    void weightsOfAnotherShapeFailTheRunWithExitTwo() {
        const QString data = dir_.filePath("synth-weights");
        QCOMPARE(mtlw({"synth", "--out", data, "--train", "2", "--val", "1", "--width", "96", "--height", "64"}).code, 0);
        // A state dict whose conv1.weight is 2×3×2×2 (tests/data): not a ResNet-18 stem.
        const QString weights = MTLW_SOURCE_DIR "/tests/data/python_state_dict.pt";
        const QString cfg = write("weights.yaml", QString("data:\n  dataset: synthetic:%1\nmodel:\n  backbone: resnet18\n"
                                                          "  width: 0.125\n  pretrained: %2\ntrain:\n  steps: 2\n"
                                                          "  batch_size: 2\n  input_width: 96\n  input_height: 64\n"
                                                          "  device: cpu\n").arg(data, weights).toUtf8());
        const Result r = mtlw({"run", cfg, "--registry", dir_.filePath("weights.sqlite")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.endsWith("mtlw run: " + weights + ": 'conv1.weight' has shape [2, 3, 2, 2], the backbone needs "
                                "[8, 3, 7, 7] (another depth or model.width?)\n"), qPrintable(r.err));
    }

    void evalAndTableOnATrainedRun() {
        const QString data = dir_.filePath("synth-eval");
        QCOMPARE(mtlw({"synth", "--out", data, "--train", "4", "--val", "2", "--width", "96", "--height", "64"}).code, 0);
        const QString cfg = write("eval.yaml", QString("name: evalrun\ndata:\n  dataset: synthetic:%1\nmodel:\n"
                                                       "  backbone: resnet18\n  width: 0.125\n  anchor_size: 16\n"
                                                       "train:\n  steps: 2\n  batch_size: 2\n  input_width: 96\n"
                                                       "  input_height: 64\n  device: cpu\neval:\n  every: 0\n").arg(data).toUtf8());
        const QString registry = dir_.filePath("eval.sqlite"), runs = dir_.filePath("eval-runs");
        QCOMPARE(mtlw({"run", cfg, "--registry", registry, "--runs-dir", runs, "--quiet"}).code, 0);
        const QString coco = dir_.filePath("eval-coco"), seg = dir_.filePath("eval-seg");
        // By id through the registry.
        Result r = mtlw({"eval", "1", "--registry", registry, "--coco-out", coco, "--seg-out", seg, "--device", "cpu"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o["run"].toString(), QString("evalrun"));
        QCOMPARE(o["step"].toInt(), 2);
        QCOMPARE(o["images"].toInt(), 2);
        QCOMPARE(o["input"].toString(), QString("full resolution"));
        QVERIFY(o["checkpoint"].toString().endsWith("best.pt"));
        QCOMPARE(o["segmentation"].toObject()["per_class"].toObject().size(), 19);
        QCOMPARE(o["detection"].toObject()["per_class"].toObject().size(), 8);
        QVERIFY(o.contains("geometric_mean"));
        QCOMPARE(QDir(seg).entryList({"*.png"}).size(), 2);
        // The exported COCO files score to the same mAP.
        r = mtlw({"score-det", coco + "/gt.json", coco + "/detections.json"});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["mAP"].toDouble(),
                 o["detection"].toObject()["mAP"].toDouble());

        const QString folder = QDir(runs).entryList(QDir::Dirs | QDir::NoDotAndDotDot).value(0);
        r = mtlw({"table", runs + "/" + folder, "--task", "det", "--format", "csv"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith("Method,Run,person,rider,car,truck,bus,train,motorcycle,bicycle,mAP,mAP std\n% objects,,"), qPrintable(r.out));
        QVERIFY(r.out.contains("\nSupervised,"));
        r = mtlw({"table", "1", "--registry", registry, "--grid", "--format", "latex"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("Multi-task & Supervised & Uniform & Detection & "), qPrintable(r.out));

        r = mtlw({"eval", "7", "--registry", registry});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err, "mtlw eval: run 7 is not in the registry " + registry + "\n");
        r = mtlw({"table", "1", "--registry", registry, "--format", "html"});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err, QString("mtlw table: table format 'html': use csv, md or latex\n"));
        r = mtlw({"table", "--registry", registry});
        QCOMPARE(r.code, 2);
    }

    void badOptionIsUsageError() {
        const Result r = mtlw({"synth", "--out", dir_.filePath("s"), "--width", "wide"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.startsWith("mtlw synth: option '--width' needs an integer, got 'wide'\nusage: mtlw synth"));
    }

    void synthWritesTheLayout() {
        const QString out = dir_.filePath("synth");
        const Result r = mtlw({"synth", "--out", out, "--train", "3", "--val", "2", "--width", "96", "--height", "64"});
        QCOMPARE(r.code, 0);
        QDir train(out + "/leftImg8bit/train");
        int images = 0;
        for (const QString& city : train.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            images += QDir(train.filePath(city)).entryList({"*_leftImg8bit.png"}).size();
        QCOMPARE(images, 3);
    }

    void datasetAndSplitCommands() {
        const QString out = dir_.filePath("synth-split");
        QCOMPARE(mtlw({"synth", "--out", out, "--train", "16", "--val", "2", "--width", "64", "--height", "64"}).code, 0);
        const QString spec = "synthetic:" + out;
        Result r = mtlw({"dataset", "info", spec});
        QCOMPARE(r.code, 0);
        const QJsonObject info = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(info["splits"].toObject()["train"].toObject()["images"].toInt(), 16);
        QCOMPARE(info["class_shares"].toObject()["seg_pixels_percent"].toObject().size(), 19);

        const QString a = dir_.filePath("a.json"), b = dir_.filePath("b.json");
        r = mtlw({"split", spec, "--setting", "e", "--det", "1/2", "--seg", "4", "--seed", "5", "--out", a});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("setting (e): 8 detection, 4 segmentation"), qPrintable(r.out));
        QCOMPARE(mtlw({"split", spec, "--setting", "e", "--det", "1/2", "--seg", "4", "--seed", "5", "--out", b}).code, 0);
        QFile fa(a), fb(b);
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        QCOMPARE(fa.readAll(), fb.readAll()); // same seed, same file

        r = mtlw({"split", spec, "--setting", "b", "--det", "4", "--seg", "5", "--out", a});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("one size for both tasks"), qPrintable(r.err));
        QCOMPARE(mtlw({"split", spec, "--det", "4", "--out", a}).code, 2); // no --setting
        r = mtlw({"dataset", "coco", spec, "--split", "val", "--out", dir_.filePath("gt.json")});
        QCOMPARE(r.code, 0);
        QCOMPARE(mtlw({"score-det", dir_.filePath("gt.json"), write("none.json", "[]")}).code, 0);
    }

    void datasetAnchorsReportsCoverage() {
        const QString out = dir_.filePath("synth-anchors");
        QCOMPARE(mtlw({"synth", "--out", out, "--train", "6", "--val", "2", "--width", "128", "--height", "64"}).code, 0);
        const QString spec = "synthetic:" + out;
        const QString cfg = write("anchors.yaml", "model:\n  anchor_size: 16\ntrain:\n  input_width: 128\n  input_height: 64\n");
        Result r = mtlw({"dataset", "anchors", spec, "--config", cfg, "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonObject all = j["all"].toObject();
        QVERIFY(all["boxes"].toInt() > 0);
        const double shares = all["iou_at_least_0.5"].toDouble() + all["iou_0.4_to_0.5"].toDouble() + all["iou_below_0.4"].toDouble();
        QVERIFY(std::abs(shares - 1) < 1e-9);
        QCOMPARE(j["per_level"].toObject().keys(), (QStringList{"P3", "P4", "P5", "P6", "P7"}));
        QCOMPARE(j["per_class"].toObject().size(), 8);
        QCOMPARE(j["scales"].toArray().size(), 1); // supervised on the loader's images: one scale
        QVERIFY(j["suggestion"].toObject().contains("anchor_size"));
        QVERIFY(j["suggestion"].toObject().contains("anchor_density"));
        // A table on a terminal; --set changes the anchors it looks at.
        r = mtlw({"dataset", "anchors", spec, "--config", cfg, "--set", "model.min_level=2", "--set", "model.max_level=5",
                  "--set", "model.anchor_density=2"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("levels P2-P5, anchor_size 16") && r.out.contains("anchor_density 2") &&
                     r.out.contains("best on P2"),
                 qPrintable(r.out));
        // Bad input: no detection labels (the test split has none), a bad config key, no --config.
        QDir().mkpath(out + "/leftImg8bit/test/city");
        const QStringList val = QDir(out + "/leftImg8bit/val").entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        const QString city = out + "/leftImg8bit/val/" + val.front();
        QVERIFY(QFile::copy(city + "/" + QDir(city).entryList({"*.png"}).front(), out + "/leftImg8bit/test/city/x_000000_000000_leftImg8bit.png"));
        r = mtlw({"dataset", "anchors", spec, "--config", cfg, "--split", "test"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no image is labeled for detection"), qPrintable(r.err));
        r = mtlw({"dataset", "anchors", spec, "--config", cfg, "--set", "model.anchor_ratios=[]"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("'model.anchor_ratios' must be a non-empty list"), qPrintable(r.err));
        QCOMPARE(mtlw({"dataset", "anchors", spec}).code, 2);
    }

    void scoreDetPrintsOneJsonObject() {
        const QString gt = write("score-gt.json", R"({"images": [{"id": 1}],
            "categories": [{"id": 3, "name": "car"}, {"id": 4, "name": "bus"}],
            "annotations": [{"id": 1, "image_id": 1, "category_id": 3, "bbox": [0, 0, 10, 10]},
                            {"id": 2, "image_id": 1, "category_id": 3, "bbox": [20, 0, 10, 10]}]})");
        // A miss scored above a hit: precision 1/2 up to recall 1/2, so AP = 51 * 0.5 / 101
        // (0.25247524752475247...; printed to 15 significant digits).
        const QString dets = write("score-dets.json", R"([
            {"image_id": 1, "category_id": 3, "bbox": [50, 50, 10, 10], "score": 0.95},
            {"image_id": 1, "category_id": 3, "bbox": [0, 0, 10, 10], "score": 0.9}])");
        const Result r = mtlw({"score-det", gt, dets});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QString(R"({"mAP":0.252475247524752,"AP50":0.252475247524752,)"
                                R"("AP75":0.252475247524752,"std":0.0,"per_class":{"car":0.252475247524752,"bus":null}})"
                                "\n"));
        QVERIFY(r.err.isEmpty());
    }

    void scoreSegMissingFolderExitsTwo() {
        const QString gt = dir_.filePath("no-such-gt");
        const Result r = mtlw({"score-seg", dir_.path(), gt});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err, "mtlw score-seg: " + gt + ": not a folder\n");
        QVERIFY(r.out.isEmpty());
    }

    void augmentAppliesOneOperation() {
        const QString data = dir_.filePath("aug-data");
        QCOMPARE(mtlw({"synth", "--out", data, "--train", "2", "--val", "1", "--width", "96", "--height", "64"}).code, 0);
        const QString in = QDir(data + "/leftImg8bit/train/mockberg").filePath("mockberg_000000_000019_leftImg8bit.png");
        const QString once = dir_.filePath("inverted.png"), twice = dir_.filePath("twice.png");
        QCOMPARE(mtlw({"augment", "--op", "invert", in, once}).code, 0);
        QCOMPARE(mtlw({"augment", "--op", "invert", once, twice}).code, 0);
        QFile a(in), b(twice), c(once);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly) && c.open(QIODevice::ReadOnly));
        const QByteArray original = a.readAll();
        QCOMPARE(b.readAll(), original); // inverting twice gives the same pixels, encoded alike
        QVERIFY(c.readAll() != original);
        QCOMPARE(mtlw({"augment", "--op", "rotate", "--magnitude", "-12.5", in, dir_.filePath("r.png")}).code, 0);

        Result r = mtlw({"augment", "--op", "zoom", in, once});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.startsWith("mtlw augment: unknown augmentation operation 'zoom' (known: autocontrast, "));
        r = mtlw({"augment", "--op", "rotate", "--magnitude", "45", in, once});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err, QString("mtlw augment: magnitude 45 of 'rotate' is outside [-30, 30] degrees\n"));
        r = mtlw({"augment", "--op", "solarize", "--magnitude", "high", in, once});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.startsWith("mtlw augment: option '--magnitude' needs a number, got 'high'\nusage: mtlw augment"));
        r = mtlw({"augment", "--op", "invert", dir_.filePath("missing.png"), once});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err, "mtlw augment: " + dir_.filePath("missing.png") + ": no such file\n");
    }

    void augmentPreviewWritesViews() {
        const QString data = dir_.filePath("preview-data");
        QCOMPARE(mtlw({"synth", "--out", data, "--train", "2", "--val", "1", "--width", "96", "--height", "64"}).code, 0);
        const QString out = dir_.filePath("preview");
        for (const char* mode : {"invariant", "equivariant"}) {
            const Result r = mtlw({"augment-preview", "synthetic:" + data, "--index", "1", "--mode", mode, "--seed", "1",
                                   "--out", out, "--crop-width", "80", "--crop-height", "48"});
            QCOMPARE(r.code, 0);
            QVERIFY2(r.out.startsWith(QString("{\"sample\": \"synthtown_000000_000019\", \"mode\": \"") + mode), qPrintable(r.out));
            for (const char* part : {"weak", "strong", "target", "panel"})
                QVERIFY(QFile::exists(out + "/synthtown_000000_000019_" + mode + "_" + part + ".png"));
        }
        Result r = mtlw({"augment-preview", "synthetic:" + data, "--index", "2", "--out", out});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err, "mtlw augment-preview: sample index 2 is outside the train split of 'synthetic:" + data +
                            "' (2 images)\n");
        r = mtlw({"augment-preview", "synthetic:" + data, "--mode", "sideways", "--out", out});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.startsWith("mtlw augment-preview: unknown augmentation mode 'sideways'"));
    }

    void mtlwDoesNotLinkQt() {
        // mtlw's own dependencies (ELF NEEDED entries). Debian's libtorch package itself depends on
        // OpenCV highgui, which loads Qt 5 transitively; that is the package's, not ours, and a
        // LibTorch from pytorch.org has no such dependency.
        QProcess readelf;
        readelf.start("readelf", {"-d", MTLW_BINARY_DIR "/app/mtlw/mtlw"});
        QVERIFY(readelf.waitForFinished());
        const QString needed = QString::fromUtf8(readelf.readAllStandardOutput());
        QVERIFY(needed.contains("(NEEDED)"));
        QVERIFY(needed.contains("libsqlite3"));
        QVERIFY2(!needed.contains("libQt"), qPrintable(needed));
    }

    void torchFreeCommandsDoNotLoadTorch() {
        // Every library each program would load (ldd: transitively).
        auto loaded = [](const QString& program) {
            QProcess ldd;
            ldd.start("ldd", {program});
            if (!ldd.waitForFinished()) return QString("ldd did not finish");
            return QString::fromUtf8(ldd.readAllStandardOutput());
        };
        const QRegularExpression torch("lib(torch|torch_cpu|torch_cuda|c10|c10_cuda)\\.so");
        const QString mtlwLibraries = loaded(MTLW_BINARY_DIR "/app/mtlw/mtlw");
        QVERIFY2(mtlwLibraries.contains("libsqlite3"), qPrintable(mtlwLibraries));
        QVERIFY2(!mtlwLibraries.contains(torch), qPrintable(mtlwLibraries));
        // OpenCV's image codecs (and their ~120 libraries) are mtlw-data's.
        QVERIFY2(!mtlwLibraries.contains("libopencv_imgcodecs"), qPrintable(mtlwLibraries));
        const QString dataLibraries = loaded(MTLW_BINARY_DIR "/app/mtlw/mtlw-data");
        QVERIFY2(dataLibraries.contains("libopencv_imgcodecs"), qPrintable(dataLibraries));
        QVERIFY2(!dataLibraries.contains(torch), qPrintable(dataLibraries));
        const QString modelLibraries = loaded(MTLW_BINARY_DIR "/app/mtlw/mtlw-model");
        QVERIFY2(modelLibraries.contains(torch), qPrintable(modelLibraries));
    }

    void helperCommandsKeepMtlwsMessagesAndExitCodes() {
        // `mtlw run` is executed by mtlw-model, `mtlw synth` by mtlw-data: messages and exit codes
        // are those of one program.
        const QString cfg = write("model-bad.yaml", "train:\n  steps: -3\n");
        const Result r = mtlw({"run", cfg, "--registry", dir_.filePath("m.sqlite")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.startsWith("mtlw run: " + cfg + ":2:10: "), qPrintable(r.err));
        const Result sweepHelp = mtlw({"sweep", "--help"});
        QCOMPARE(sweepHelp.code, 0);
        QVERIFY(sweepHelp.out.contains("--local J"));
        const Result synth = mtlw({"synth", "--out", dir_.filePath("s"), "--train", "zero"});
        QCOMPARE(synth.code, 2);
        QVERIFY2(synth.err.startsWith("mtlw synth: "), qPrintable(synth.err));
    }

    void versionNamesLibrariesAndDevice() {
        const Result r = mtlw({"--version"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("mtlw "));
        // The LibTorch this build found (1.x from Debian, 2.x in a CUDA build), not a pinned major.
        QVERIFY2(r.out.contains(QStringLiteral("LibTorch %1 (").arg(MTLW_EXPECT_TORCH_VERSION)), qPrintable(r.out));
        QVERIFY(r.out.contains("device: cpu") || r.out.contains("device: cuda"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
