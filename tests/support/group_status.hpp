// Test support: one stats group's status in a collection's Snapshot (fails the test when it is missing).
#pragma once

#include <doctest/doctest.h>

#include "collect/domain_sample.hpp"

namespace test_support {

inline const collect::GroupStatus& group(const collect::Snapshot& s, unsigned g)
{
    for (const auto& st : s.groups)
        if (st.group == g) return st;
    FAIL("group missing");
    return s.groups.front();
}

}  // namespace test_support
