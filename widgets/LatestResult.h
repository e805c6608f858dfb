#pragma once
// The GUI's "work in the background, keep only the newest result" pattern: run() starts work on
// Qt's thread pool; its result reaches `use` on the owner's thread, unless run() was called again
// in the meantime (a newer selection, image or experiment), in which case the stale result is
// dropped. Results never arrive after the owner is gone (the watcher is its child).
#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

class LatestResult {
public:
    explicit LatestResult(QObject* owner) : owner_(owner) {}

    template <typename Work, typename Use>
    void run(Work work, Use use) {
        using Result = std::invoke_result_t<Work>;
        const quint64 request = ++latest_;
        ++inFlight_;
        auto* watcher = new QFutureWatcher<Result>(owner_);
        QObject::connect(watcher, &QFutureWatcherBase::finished, owner_, [this, watcher, request, use = std::move(use)] {
            watcher->deleteLater();
            --inFlight_;
            if (request == latest_) use(watcher->result());
        });
        watcher->setFuture(QtConcurrent::run(std::move(work)));
    }
    // Started and not come back yet, stale ones included.
    int inFlight() const { return inFlight_; }

private:
    QObject* owner_;
    quint64 latest_ = 0;
    int inFlight_ = 0;
};
