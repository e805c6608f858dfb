// mtl-workbench: the GUI. mtl-workbench [CONFIG.yaml] [--registry FILE]
#include "core/common/Device.h"
#include "core/experiment/Registry.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

#include <iostream>

int main(int argc, char** argv) {
    mtl::tuneMallocForTraining();
    QApplication app(argc, argv);
    QApplication::setApplicationName("mtl-workbench");
    QApplication::setApplicationVersion(MTLW_VERSION);

    QCommandLineParser cli;
    cli.setApplicationDescription("MTL Workbench: multi-task learning from partially labeled data.");
    cli.addHelpOption();
    cli.addVersionOption();
    cli.addPositionalArgument("config", "experiment config to load, e.g. experiments/quickstart.yaml");
    QCommandLineOption registry("registry", "SQLite registry file.", "FILE",
                                QString::fromStdString(mtl::Registry::defaultPath()));
    cli.addOption(registry);
    QCommandLineOption start("start", "Start the loaded experiment right away.");
    cli.addOption(start);
    cli.process(app);

    try {
        const QStringList args = cli.positionalArguments();
        MainWindow window(cli.value(registry), args.isEmpty() ? QString() : args.first());
        window.show();
        if (cli.isSet(start)) window.startRun();
        return app.exec();
    } catch (const std::exception& e) {
        std::cerr << "mtl-workbench: " << e.what() << "\n";
        return 1;
    }
}
