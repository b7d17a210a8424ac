// The one way this program owns what a C library hands out: a std::unique_ptr whose deleter calls the
// library's own release function, e.g.
//
//     util::CHandle<X509, X509_free> cert(PEM_read_bio_X509(...));
//     util::CHandle<std::FILE, std::fclose> file(std::fopen(path, "rb"));
//
// Free is called once, with the non-null pointer, when the owner goes; its return value is ignored.
// A release that needs more than one call (a stack and its elements, a z_stream and its memory) is a
// small named function passed as Free. Header-only; the owners are plain move-only values and throw
// nothing of their own.
#pragma once

#include <memory>

namespace util {

// Calls Free(p). A stateless deleter, so a CHandle is the size of a pointer.
template <auto Free>
struct Deleter {
    template <class T>
    void operator()(T* p) const noexcept
    {
        Free(p);
    }
};

// Owns a T* (or the array T[] points to) released with Free.
template <class T, auto Free>
using CHandle = std::unique_ptr<T, Deleter<Free>>;

}  // namespace util
