// One thread that runs rounds of work one after the other, each starting the wait its predecessor
// returned after that predecessor started (a round that overruns its wait is followed at once): the
// storage-pool and guest-agent collectors' loop. A round that never returns holds this one thread; no
// second round starts beside it.
//
// Ownership: borrows the Clock, which must outlive it; owns the thread, which stop() (and the
// destructor) joins, waiting for a round in progress. Thread-safety: start()/stop() from one thread.
// Throws: start() throws std::system_error if the thread cannot be made; `round` must not throw.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "util/clock.hpp"

namespace util {

class RoundThread {
public:
    // Runs one round; returns how long after this round's start the next one starts.
    using Round = std::function<std::chrono::milliseconds()>;

    RoundThread(const Clock& clock, Round round);
    ~RoundThread();
    RoundThread(const RoundThread&) = delete;
    RoundThread& operator=(const RoundThread&) = delete;

    void start();
    void stop() noexcept;  // idempotent

private:
    void run() noexcept;

    const Clock& clock_;
    const Round round_;
    std::mutex mu_;
    std::condition_variable wake_;
    bool stopping_ = false;  // guarded by mu_
    std::thread thread_;
};

}  // namespace util
