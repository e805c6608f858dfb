#pragma once
// The built `mtlw` run as a user runs it, for the tests of the command line.
#include <QProcess>
#include <QString>
#include <QStringList>

struct MtlwResult {
    int code;
    QString out, err;
};

// code -1 and err "timeout" when it does not end within `timeoutMs`.
inline MtlwResult runMtlw(const QStringList& args, int timeoutMs) {
    QProcess p;
    p.start(MTLW_BINARY_DIR "/app/mtlw/mtlw", args);
    if (!p.waitForFinished(timeoutMs)) return {-1, {}, "timeout"};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}
