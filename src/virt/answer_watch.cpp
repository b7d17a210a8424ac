#include "virt/answer_watch.hpp"

namespace virt::detail {

void AnswerWatch::started(TimePoint now) noexcept
{
    std::lock_guard lock(mu_);
    // A call that starts while others wait does not reset the wait: libvirtd still owes them an answer.
    if (in_flight_++ == 0) waiting_since_ = now;
}

void AnswerWatch::finished(TimePoint now) noexcept
{
    std::lock_guard lock(mu_);
    if (in_flight_ > 0) --in_flight_;
    // Any answer shows libvirtd alive, also to the calls still waiting (one guest's hung monitor holds only
    // its own call): their wait counts from here.
    waiting_since_ = now;
}

std::chrono::steady_clock::duration AnswerWatch::unanswered_for(TimePoint now) const noexcept
{
    std::lock_guard lock(mu_);
    if (in_flight_ == 0 || now < waiting_since_) return {};
    return now - waiting_since_;
}

}  // namespace virt::detail
