#include "util/round_thread.hpp"

#include <utility>

namespace util {

RoundThread::RoundThread(const Clock& clock, Round round) : clock_(clock), round_(std::move(round)) {}

RoundThread::~RoundThread()
{
    stop();
}

void RoundThread::start()
{
    thread_ = std::thread([this] { run(); });
}

void RoundThread::stop() noexcept
{
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void RoundThread::run() noexcept
{
    while (true) {
        const auto started = clock_.now();
        const auto next = started + round_();
        std::unique_lock lock(mu_);
        while (!stopping_ && clock_.now() < next) clock_.wait_until(wake_, lock, next);
        if (stopping_) return;
    }
}

}  // namespace util
