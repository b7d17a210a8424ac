// The visitor idiom for std::visit: one callable made of several lambdas, each taking one alternative.
//
//     std::visit(util::Overload{[](const A& a) { ... }, [](const B& b) { ... }}, variant);
//
// Header-only; pure.
#pragma once

namespace util {

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

}  // namespace util
