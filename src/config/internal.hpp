// Internals of the config library shared by its .cpp files; not part of the API.
//
// The field table (fields.cpp) is the one list of settings: the YAML loader, the environment table,
// the renderer (to_yaml/to_json) and the tests all walk it, so a new key is one row there plus its
// documentation in config/exporter.yaml (a test fails until both agree).
//
// Value parsers return the problem as text ("must be ..., got ...") or nullopt; they never throw and
// never echo the value of a secret (callers do not pass secrets to them).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.hpp"

namespace config::detail {

using Problem = std::optional<std::string>;

// ---- values.cpp: scalar text → value ----
// Seconds as a bare number ("5", "2.5", "-5") or number+unit sequence ("500ms", "1m30s"); units ms s m h.
Problem parse_duration_ms(std::string_view text, std::int64_t& ms);
// Digits only; `max` bounds the result.
Problem parse_unsigned(std::string_view text, std::uint64_t max, std::uint64_t& out);
// Bytes: "1073741824", "512MiB", "1GiB", "10GB" (k/M/G/T 1000-based, Ki/Mi/Gi/Ti 1024-based).
Problem parse_bytes(std::string_view text, std::uint64_t& out);
Problem parse_bool(std::string_view text, bool& out);
// Milliseconds as seconds without a unit and without trailing zeros: 5000 → "5", 2500 → "2.5".
std::string format_seconds(std::int64_t ms);
// The largest binary unit that is exact: 1073741824 → "1GiB", 1000 → "1000".
std::string format_bytes(std::uint64_t bytes);
// A double-quoted string valid both as JSON and as a YAML double-quoted scalar.
std::string quote(std::string_view text);

// ---- addresses.cpp ----
// "[host]:port" with port 1-65535; ":9177" listens on every address.
Problem listen_address_problem(const std::string& address);
// http:// or https:// with a host, optional port, no spaces. Messages show the URL through mask_url().
Problem url_problem(const std::string& url);
// push.proxy: as url_problem, with the schemes libcurl takes for a proxy (http, https, socks4, socks4a,
// socks5, socks5h).
Problem proxy_url_problem(const std::string& url);
// An http(s) URL with any userinfo password replaced by "***", fit for messages and output.
std::string mask_url(const std::string& url);

// ---- fields.cpp: the table of settings ----
template <class T>
struct Ref {
    T& (*get)(Config&);
};
struct StringField : Ref<std::string> {};
struct BoolField : Ref<bool> {};
struct OptBoolField : Ref<std::optional<bool>> {};
struct SecondsField : Ref<std::chrono::seconds> {};
struct MillisField : Ref<std::chrono::milliseconds> {};
struct UnsignedField : Ref<unsigned> {};
struct CountField : Ref<std::size_t> {};
struct BytesField : Ref<std::uint64_t> {};
struct ListField : Ref<std::vector<std::string>> {};
struct MapField : Ref<std::map<std::string, std::string>> {};
// One word of the enum's table (choices.hpp); parsed and printed with names(E{}).
template <class E>
struct EnumField : Ref<E> {
};
// A list of names of the bit enum E (its table: names(E{})) held as a mask of its bits.
template <class E>
struct MaskField : Ref<unsigned> {
};
struct PatternField : Ref<Pattern> {};
struct PatternListField : Ref<std::vector<Pattern>> {};
using Binding = std::variant<StringField, BoolField, OptBoolField, SecondsField, MillisField, UnsignedField, CountField,
                             BytesField, ListField, MapField, EnumField<PushApi>, EnumField<Precision>,
                             EnumField<util::LogLevel>, EnumField<util::LogFormat>, MaskField<virt::StatsGroup>,
                             MaskField<Measurement>, PatternField, PatternListField>;

struct Field {
    std::string_view path;  // "push.interval"
    Binding binding;
    const char* env = nullptr;  // environment variable, if any
    bool secret = false;        // rendered as "***"; never quoted in a message
    bool url = false;           // rendered with the userinfo password masked
};

const std::vector<Field>& fields();
const Field* find_field(std::string_view path);
// A map of settings inside a section ("push.v3"): a prefix of field paths that is no field itself.
bool is_subsection(std::string_view path);
// "push.interval" → "push"; "push" for "push" itself.
std::string_view section_of(std::string_view path);
std::string_view name_of(std::string_view path);  // "push.interval" → "interval"; "push.v3.no_sync" → "v3.no_sync"
// Assigns scalar text to a scalar-kind field (not a list or map); returns the problem if the text is not
// of the field's kind. Text of the right kind that names no value (an unknown enum word, a regex that does
// not compile) is not a problem here: it goes to config.unparsed for validate(), so that a higher source
// can still replace it.
Problem assign_scalar(const Field& field, Config& config, std::string_view text);
// The kinds whose value is any text or a word of it (string, enum, pattern): an empty YAML value is "".
bool takes_text(const Field& field);
// "must be one of a, b, c, got \"x\"", for a word that is none of `names_listed`.
std::string not_one_of(std::string_view names_listed, std::string_view text);
// The list kinds (ListField, MaskField, PatternListField): emptied, then filled item by item; `item_path` is
// "path[i]", where an item that names nothing is recorded in config.unparsed.
bool is_list(const Field& field);
void clear_list(const Field& field, Config& config);
void append_item(const Field& field, Config& config, const std::string& item_path, std::string_view text);

// ---- origins (fields.cpp) ----
// Records where `key` was set, dropping the origins of its former elements ("key[0]", "key.x").
void set_origin(Config& config, const std::string& key, std::string where);
// The message prefix for `key`: its origin, else its nearest recorded parent's, else the key itself.
std::string where(const Config& config, const std::string& key);
// 0 built-in default, 1 file, 2 environment, 3 flag: the precedence of the source that set `key`.
int origin_rank(const Config& config, const std::string& key);

// ---- environment.cpp / flags.cpp: the higher-precedence sources ----
void apply_environment(Config& config, Getenv getenv);
void apply_flags(Config& config, const Flags& flags);
// A flag's text into the setting at `path`, as that YAML key's value would go, with the flag as its
// origin. Throws ConfigError "<flag>: <problem>" for text not of the setting's kind.
void assign_flag(Config& config, std::string_view path, const std::string& flag, std::string_view text);

// ---- go_exporter_flags.cpp: the Go exporters' flags (inovex, kumina, Tinkoff) ----
// Why a flag of theirs cannot be honoured ("--web.systemd-socket"), or nullopt when it can.
std::optional<std::string_view> refused_go_flag(std::string_view name);
// "--libvirt.uri", except that a value that is an absolute path is the socket `driver` is opened through:
// ("/s", "qemu:///system") → "qemu+unix:///system?socket=/s" (the path percent-encoded as a query value).
std::string libvirt_uri_of(std::string_view uri_or_socket, std::string_view driver);
// Applies Flags' Go-exporter fields (after the others). Throws ConfigError "flag --name: <problem>" for
// text that is not of its setting's kind; values of the right kind are left to validate().
void apply_go_exporter_flags(Config& config, const Flags& flags);

}  // namespace config::detail
