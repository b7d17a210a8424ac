// An enum's names in one table, used both to parse a word into the enum and to print it back, so a
// value cannot be spelled one way in a config file and another way in --print-config or a message.
//
//     inline constexpr util::Named<Api> api_names[] = {{Api::v1, "v1"}, {Api::v2, "v2"}};
//     util::value_named<Api>(api_names, "v2")  → Api::v2;  util::name_of<Api>(api_names, Api::v1) → "v1"
//
// The first row of a value is its name; a later row for the same value is an alias that parses but is
// neither printed nor listed ("warning" for warn). Header-only, pure; nothing here throws except
// names_listed's std::bad_alloc.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace util {

template <class E>
struct Named {
    E value;
    std::string_view name;
};

// The value `name` spells exactly (case matters); nullopt for anything else.
template <class E>
constexpr std::optional<E> value_named(std::span<const Named<E>> table, std::string_view name) noexcept
{
    for (const auto& row : table)
        if (row.name == name) return row.value;
    return std::nullopt;
}

// The first name of `value`; empty when the table does not have it.
template <class E>
constexpr std::string_view name_of(std::span<const Named<E>> table, E value) noexcept
{
    for (const auto& row : table)
        if (row.value == value) return row.name;
    return {};
}

// Whether row i of `table` is the enumerator of value i for every row: a table indexed by the enum (an
// array of counters, of values) lines up with it. For a static_assert beside the table.
template <class E>
constexpr bool rows_in_enum_order(std::span<const Named<E>> table) noexcept
{
    for (std::size_t i = 0; i < table.size(); ++i)
        if (static_cast<std::size_t>(table[i].value) != i) return false;
    return true;
}

// "a, b, c": every value's name in table order, aliases left out (for "must be one of ..." messages).
template <class E>
std::string names_listed(std::span<const Named<E>> table)
{
    std::string out;
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (name_of(table.first(i + 1), table[i].value) != table[i].name) continue;  // an alias
        out += (out.empty() ? "" : ", ") + std::string(table[i].name);
    }
    return out;
}

}  // namespace util
