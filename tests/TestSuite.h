#pragma once
// The model layer's tests are compiled into one executable, tst_model_layer (tests/CMakeLists.txt),
// in unity batches: compiled together they share the Torch and QtTest code that each of them would
// otherwise instantiate and compile again. Each file still holds one concept and is still its own
// CTest test, run in its own process: it ends with MTLW_TEST_MAIN(Class, App) where a standalone test
// has QTEST_{GUILESS,APPLESS}_MAIN(Class), and `tst_model_layer NAME [QtTest options]` runs the class
// registered by NAME.cpp.
#include <QtTest>

namespace mtltest {

// The application object QtTest's main macros would create: none (QTEST_APPLESS_MAIN) or a
// QCoreApplication (QTEST_GUILESS_MAIN, and QTEST_MAIN in a test without Qt GUI).
enum class TestApp { None, Core };

using TestFactory = QObject* (*)();

// Registers the test class of `sourceFile` under the file's base name; returns true.
bool registerTest(const char* sourceFile, TestApp app, void (*initMain)(), TestFactory make);

} // namespace mtltest

#define MTLW_TEST_MAIN(TestObject, App)                                                                      \
    static const bool mtlwTestRegistered##TestObject = mtltest::registerTest(                              \
        __FILE__, mtltest::TestApp::App, &QTest::Internal::callInitMain<TestObject>,                      \
        []() -> QObject* { return new TestObject; });
