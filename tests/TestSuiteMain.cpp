// main of tst_model_layer: runs the test class that CTest names, as QtTest's main macros would.
#include "TestSuite.h"

#include <QCoreApplication>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

struct RegisteredTest {
    std::string sourceFile;
    mtltest::TestApp app;
    void (*initMain)();
    mtltest::TestFactory make;
};

std::map<std::string, RegisteredTest>& registeredTests() {
    static std::map<std::string, RegisteredTest> tests; // filled by static initialisers: built on first use
    return tests;
}

std::string baseName(const std::string& path) {
    const std::string file = path.substr(path.find_last_of('/') + 1);
    return file.substr(0, file.find_last_of('.'));
}

} // namespace

bool mtltest::registerTest(const char* sourceFile, TestApp app, void (*initMain)(), TestFactory make) {
    registeredTests()[baseName(sourceFile)] = {sourceFile, app, initMain, make};
    return true;
}

int main(int argc, char* argv[]) {
    const auto found = argc > 1 ? registeredTests().find(argv[1]) : registeredTests().end();
    if (found == registeredTests().end()) {
        std::fprintf(stderr, "usage: %s TEST [QtTest options]\n%s%s\ntests:", argv[0],
                     argc > 1 ? "unknown test: " : "", argc > 1 ? argv[1] : "");
        for (const auto& [name, test] : registeredTests()) std::fprintf(stderr, " %s", name.c_str());
        std::fprintf(stderr, "\n");
        return 2;
    }
    const RegisteredTest& test = found->second;
    // QtTest reads its options from argv[1] on: drop the test's name.
    std::vector<char*> args{argv[0]};
    args.insert(args.end(), argv + 2, argv + argc);
    int count = static_cast<int>(args.size());
    test.initMain();
    std::unique_ptr<QCoreApplication> app;
    if (test.app == mtltest::TestApp::Core) {
        app = std::make_unique<QCoreApplication>(count, args.data());
        app->setAttribute(Qt::AA_Use96Dpi, true);
    }
    const std::unique_ptr<QObject> testObject(test.make());
    QTest::setMainSourcePath(test.sourceFile.c_str(), QT_TESTCASE_BUILDDIR);
    return QTest::qExec(testObject.get(), count, args.data());
}
