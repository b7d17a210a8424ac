// YAML text → Config, walking the field table. Type errors are reported here, where the node's line is
// known; range and cross-field checks are validate()'s, placed by the origins recorded here.
#include <set>
#include <yaml-cpp/yaml.h>

#include "config/internal.hpp"

namespace config {
namespace {

using detail::Field;

const char* kind_name(const YAML::Node& n)
{
    switch (n.Type()) {
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Null: return "nothing";
    default: return "a scalar";
    }
}

class Loader {
public:
    Loader(Config& config, const std::string& source, std::vector<std::string>* warnings)
        : config_(config), source_(source), warnings_(warnings)
    {
    }

    void document(const YAML::Node& root)
    {
        if (root.IsNull()) return;  // an empty file (or only comments): all defaults
        if (!root.IsMap()) fail(root, "", std::string("the top level must be a map, got ") + kind_name(root));
        std::set<std::string> seen;
        for (auto it = root.begin(); it != root.end(); ++it) {
            const std::string section = key_text(it->first, "");
            unique(seen, it->first, section);
            if (section != "libvirt" && section != "web" && section != "push" && section != "log") {
                warn(it->first, section);
                continue;
            }
            if (it->second.IsNull()) continue;  // "push:" with nothing under it
            if (!it->second.IsMap())
                fail(it->first, section, std::string("must be a map, got ") + kind_name(it->second));
            section_map(section, it->second);
        }
    }

private:
    // A section's map, or a map inside one ("push.v3"): `section` is the key path of the map.
    void section_map(const std::string& section, const YAML::Node& map)
    {
        std::set<std::string> seen;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const std::string path = section + "." + key_text(it->first, section);
            unique(seen, it->first, path);
            const Field* field = detail::find_field(path);
            if (!field && detail::is_subsection(path)) {  // "v3:" under push: a map of push.v3.* settings
                if (it->second.IsNull()) continue;
                if (!it->second.IsMap())
                    fail(it->first, path, std::string("must be a map, got ") + kind_name(it->second));
                section_map(path, it->second);
                continue;
            }
            if (!field) {
                warn(it->first, path);
                continue;
            }
            value(*field, path, it->first, it->second);
        }
    }

    void value(const Field& field, const std::string& path, const YAML::Node& key, const YAML::Node& v)
    {
        detail::set_origin(config_, path, at(key) + ": " + path);
        if (detail::is_list(field)) {
            detail::clear_list(field, config_);
            if (v.IsNull()) return;
            if (!v.IsSequence()) fail(key, path, std::string("must be a list, got ") + kind_name(v));
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string item = path + "[" + std::to_string(i) + "]";
                if (!v[i].IsScalar()) fail(v[i], item, std::string("must be a string, got ") + kind_name(v[i]));
                detail::append_item(field, config_, item, v[i].Scalar());
                config_.origins[item] = at(v[i]) + ": " + item;
            }
        } else if (std::holds_alternative<detail::MapField>(field.binding)) {
            auto& map = std::get<detail::MapField>(field.binding).get(config_);
            map.clear();
            if (v.IsNull()) return;
            if (!v.IsMap()) fail(key, path, std::string("must be a map, got ") + kind_name(v));
            std::set<std::string> seen;
            for (auto it = v.begin(); it != v.end(); ++it) {
                const std::string name = key_text(it->first, path);
                const std::string item = std::string(path).append(".").append(name);
                unique(seen, it->first, item);
                if (!it->second.IsScalar() && !it->second.IsNull())
                    fail(it->first, item, std::string("must be a string, got ") + kind_name(it->second));
                map[name] = it->second.IsNull() ? "" : it->second.Scalar();
                config_.origins[item] = at(it->first) + ": " + item;
            }
        } else if (v.IsNull() && std::holds_alternative<detail::OptBoolField>(field.binding)) {
            std::get<detail::OptBoolField>(field.binding).get(config_).reset();  // "enabled:": automatic
        } else if (v.IsNull() && detail::takes_text(field)) {
            detail::assign_scalar(field, config_, "");  // "url:" means no URL; "api:" is the word ""
        } else if (!v.IsScalar()) {
            fail(key, path, std::string("must be a single value, got ") + kind_name(v));
        } else if (auto problem = detail::assign_scalar(field, config_, v.Scalar())) {
            // Secrets are strings, and strings always fit, so a problem never carries a secret.
            fail(key, path, *problem);
        }
    }

    std::string key_text(const YAML::Node& key, const std::string& parent)
    {
        if (!key.IsScalar()) fail(key, parent, std::string("keys must be plain names, got ") + kind_name(key));
        return key.Scalar();
    }

    void unique(std::set<std::string>& seen, const YAML::Node& key, const std::string& path)
    {
        if (!seen.insert(path).second) fail(key, path, "duplicate key");
    }

    std::string at(const YAML::Node& n) const { return source_ + ":" + std::to_string(n.Mark().line + 1); }

    [[noreturn]] void fail(const YAML::Node& n, const std::string& path, const std::string& problem) const
    {
        throw ConfigError(at(n) + ": " + (path.empty() ? "" : path + ": ") + problem);
    }

    void warn(const YAML::Node& key, const std::string& path)
    {
        if (warnings_) warnings_->push_back(at(key) + ": unknown key " + path + " (ignored)");
    }

    Config& config_;
    const std::string& source_;
    std::vector<std::string>* warnings_;
};

}  // namespace

Config apply_yaml(Config base, const std::string& yaml_text, const std::string& source_name,
                  std::vector<std::string>* warnings)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::ParserException& e) {
        // e.msg is yaml-cpp's description ("end of map not found"); it does not quote the document.
        const std::string line = e.mark.is_null() ? "" : ":" + std::to_string(e.mark.line + 1);
        throw ConfigError(source_name + line + ": invalid YAML: " + e.msg);
    }
    Loader(base, source_name, warnings).document(root);
    return base;
}

}  // namespace config
