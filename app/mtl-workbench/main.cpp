// mtl-workbench: the GUI. mtl-workbench [CONFIG.yaml] [--registry FILE] [--start]
#include "core/common/MallocTuning.h"
#include "core/common/VersionReport.h"
#include "core/common/Version.h"
#include "core/experiment/Registry.h"
#include "widgets/MainWindow.h"
#include "widgets/Palettes.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSocketNotifier>

#include <csignal>
#include <cstring>
#include <iostream>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_signalPipe[2] = {-1, -1};

// Only async-signal-safe work here: the event loop picks the byte up and closes the window.
extern "C" void onTerminationSignal(int) {
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &byte, 1);
}

// SIGTERM/SIGINT close the window as Quit does, without asking: a running run stops after its
// current step and is recorded as interrupted.
void closeOnTerminationSignals(MainWindow& window) {
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) return;
    auto* notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &window);
    QObject::connect(notifier, &QSocketNotifier::activated, &window, [&window] {
        char byte;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &byte, 1);
        window.closeWithoutQuestion();
    });
    std::signal(SIGTERM, onTerminationSignal);
    std::signal(SIGINT, onTerminationSignal);
}

// --version is answered before QApplication exists, so that it works without a display.
bool versionRequested(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) return true;
    return false;
}
} // namespace

int main(int argc, char** argv) {
    if (versionRequested(argc, argv)) {
        std::cout << mtl::versionReport("mtl-workbench", std::string("Qt ") + qVersion() + ", ");
        return 0;
    }
    mtl::tuneMallocForTraining();
    // Fractional scale factors (1.25, 1.5) as the desktop sets them, not rounded to whole ones.
    QGuiApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    QApplication::setApplicationName("mtl-workbench");
    QApplication::setOrganizationName("mtl-workbench"); // QSettings: ~/.config/mtl-workbench/mtl-workbench.conf
    QApplication::setApplicationVersion(mtl::projectVersion());

    QCommandLineParser cli;
    cli.setApplicationDescription("MTL Workbench: multi-task learning from partially labeled data.");
    cli.addHelpOption();
    // Listed for --help; handled by versionRequested() above.
    cli.addOption(QCommandLineOption({"v", "version"},
                                     "Show the versions of the program and its libraries, and the device "
                                     "a run would use."));
    cli.addPositionalArgument("config", "experiment config to load, e.g. experiments/quickstart.yaml");
    QCommandLineOption registry("registry", "SQLite registry file.", "FILE",
                                QString::fromStdString(mtl::Registry::defaultPath()));
    cli.addOption(registry);
    QCommandLineOption paletteOption("palette", "Colours: system (the desktop's light or dark theme), light or dark.",
                                     "NAME", "system");
    cli.addOption(paletteOption);
    QCommandLineOption start("start", "Start the loaded experiment right away.");
    cli.addOption(start);
    cli.process(app);
    if (!applyPalette(cli.value(paletteOption))) {
        std::cerr << "mtl-workbench: --palette must be system, light or dark\n";
        return 2;
    }

    try {
        const QStringList args = cli.positionalArguments();
        MainWindow window(cli.value(registry), args.isEmpty() ? QString() : args.first());
        closeOnTerminationSignals(window);
        window.show();
        if (cli.isSet(start)) window.startRun();
        return app.exec();
    } catch (const std::exception& e) {
        std::cerr << "mtl-workbench: " << e.what() << "\n";
        return 1;
    }
}
