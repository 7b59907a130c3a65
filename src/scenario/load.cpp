// Reading scenario files: includes, parsing, merging, hashing; the checks live in build_*.cpp.
#include "scenario/load.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>

#include "scenario/build.hpp"
#include "scenario/limits.hpp"

namespace nadra {

namespace fs = std::filesystem;
using detail::Need;
using detail::Place;
using detail::Reader;
using detail::View;

namespace {

// Where files come from: the disk or an in-memory FileSet.
class Source {
  public:
    virtual ~Source() = default;
    // At most `limit` + 1 bytes, so that a file too large is known without reading it all.
    [[nodiscard]] virtual std::optional<std::string> read(const fs::path& path,
                                                          std::size_t limit) const = 0;
    // Every file directly in `dir`, for globs.
    [[nodiscard]] virtual std::vector<fs::path> files_in(const fs::path& dir) const = 0;
    // A form of `path` in which two names of one file compare equal.
    [[nodiscard]] virtual fs::path anchor(const fs::path& path) const = 0;
};

class DiskSource final : public Source {
  public:
    [[nodiscard]] std::optional<std::string> read(const fs::path& path,
                                                  std::size_t limit) const override {
        std::error_code ec;
        if (!fs::is_regular_file(path, ec)) return std::nullopt;  // a folder, FIFO or device
        std::ifstream in(path, std::ios::binary);
        if (!in) return std::nullopt;
        std::string bytes;
        char chunk[1 << 16];
        while (bytes.size() <= limit && in.read(chunk, sizeof chunk).gcount() > 0)
            bytes.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (in.bad()) return std::nullopt;
        return bytes;
    }
    [[nodiscard]] std::vector<fs::path> files_in(const fs::path& dir) const override {
        std::vector<fs::path> out;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir.empty() ? "." : dir, ec))
            if (entry.is_regular_file(ec)) out.push_back(dir / entry.path().filename());
        return out;
    }
    // Symbolic links resolved, so that a link cannot lead an include out of the scenario's
    // folder or round a cycle unnoticed.
    [[nodiscard]] fs::path anchor(const fs::path& path) const override {
        std::error_code ec;
        fs::path resolved = fs::weakly_canonical(path, ec);
        if (ec) resolved = fs::absolute(path, ec);
        return resolved.lexically_normal();
    }
};

class MemorySource final : public Source {
  public:
    explicit MemorySource(const FileSet& files) : files_(files) {}
    [[nodiscard]] std::optional<std::string> read(const fs::path& path,
                                                  std::size_t limit) const override {
        const auto found = files_.find(path.generic_string());
        if (found == files_.end()) return std::nullopt;
        return found->second.substr(0, limit + 1);
    }
    [[nodiscard]] std::vector<fs::path> files_in(const fs::path& dir) const override {
        std::vector<fs::path> out;
        const std::string wanted = dir.lexically_normal().generic_string();
        for (const auto& [name, bytes] : files_)
            if (fs::path(name).parent_path().lexically_normal().generic_string() == wanted)
                out.emplace_back(name);
        return out;
    }
    [[nodiscard]] fs::path anchor(const fs::path& path) const override {
        return path.lexically_normal();
    }

  private:
    const FileSet& files_;
};

bool has_wildcard(const std::string& text) { return text.find_first_of("*?") != std::string::npos; }

// `*` matches any run of characters, `?` any one. Backtracks only to the last `*`, so the time
// is at most the product of the lengths whatever the pattern.
bool matches(std::string_view pattern, std::string_view name) {
    std::size_t p = 0, n = 0;
    std::size_t star = std::string_view::npos, resume = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

struct Include {
    std::string pattern;
    Place place;
};

// Reads the root file and, depth first, every file it includes.
class Loader {
  public:
    Loader(const Source& source, Reader& reader, const fs::path& root)
        : source_(source), reader_(reader), root_dir_(source.anchor(root).parent_path()) {}

    void load(const fs::path& path, const std::string& name, const Place* from);

    std::vector<toml::table> tables;  // every file parsed, in load order
    std::vector<std::string> names;   // every file read, in load order
    std::string bytes;                // their contents, concatenated
    bool syntax_error = false;

  private:
    std::vector<Include> includes_of(const toml::table& table);
    void include(const fs::path& dir, const Include& include);
    [[nodiscard]] bool inside_root(const fs::path& path) const;
    [[nodiscard]] std::string cycle(const std::string& name) const;

    const Source& source_;
    Reader& reader_;
    fs::path root_dir_;
    std::vector<std::pair<std::string, std::string>> stack_;  // (anchor, name) being loaded
    std::set<std::string> loaded_;
};

std::string Loader::cycle(const std::string& name) const {
    std::string text;
    for (const auto& [id, open] : stack_) text += open + " -> ";
    return text + name;
}

void Loader::load(const fs::path& path, const std::string& name, const Place* from) {
    const std::string id = source_.anchor(path).generic_string();
    const Place here = from ? *from : Place{name, 0, 0};
    if (std::any_of(stack_.begin(), stack_.end(), [&](const auto& s) { return s.first == id; })) {
        reader_.error(here, "include",
                      "include cycle: " + cycle(name) + "; remove one of these includes");
        return;
    }
    if (!loaded_.insert(id).second) return;  // already read through another include
    if (stack_.size() >= limits::max_include_depth) {
        reader_.error(here, "include",
                      "includes nested more than " + std::to_string(limits::max_include_depth) +
                          " deep at '" + name + "'; include the files from fewer levels");
        return;
    }
    const std::size_t budget =
        limits::max_total_bytes - std::min(bytes.size(), limits::max_total_bytes);
    const std::size_t limit = std::min(limits::max_file_bytes, budget);
    const std::optional<std::string> text = source_.read(path, limit);
    if (!text) {
        reader_.error(here, from ? "include" : "",
                      from ? "cannot read included file '" + name +
                                 "'; check that it exists (an include is relative to the folder "
                                 "of the file that includes it)"
                           : "cannot read scenario file '" + name + "'; check the path");
        return;
    }
    names.push_back(name);
    if (text->size() > limit) {
        const bool file = limit == limits::max_file_bytes;
        reader_.error(
            Place{name, 0, 0}, "",
            file ? "file too large: more than " + std::to_string(limit >> 20) +
                       " MB; a scenario file may be at most that, so check that this is the "
                       "right file, or split it with includes"
                 : "the scenario's files are too large together: more than " +
                       std::to_string(limits::max_total_bytes >> 20) +
                       " MB; check that the includes name the right files");
        syntax_error = true;
        return;
    }
    bytes += *text;
    if (const auto problem = limits::check_text(*text)) {
        reader_.error(Place{name, problem->line, problem->column}, "", problem->message);
        syntax_error = true;
        return;
    }
    toml::table table;
    try {
        table = toml::parse(std::string_view(*text), std::string_view(name));
    } catch (const toml::parse_error& e) {
        const std::string description(e.description());
        // The parser's words for a number too large for a double, such as 1e400.
        const bool huge = description.find("floating-point") != std::string::npos &&
                          description.find("could not be interpreted") != std::string::npos;
        reader_.error(
            detail::place_of(e.source()), "",
            "syntax error: " + description +
                (huge ? "; write a number between -1.8e308 and 1.8e308" : "; fix the TOML syntax"));
        syntax_error = true;
        return;
    }
    const std::vector<Include> includes = includes_of(table);
    tables.push_back(std::move(table));
    stack_.emplace_back(id, name);
    for (const auto& inc : includes) include(path.parent_path(), inc);
    stack_.pop_back();
}

std::vector<Include> Loader::includes_of(const toml::table& table) {
    const toml::node* node = table.get("include");
    if (!node) return {};
    if (const auto* text = node->as_string())
        return {{text->get(), detail::place_of(node->source())}};
    std::vector<Include> out;
    const auto* array = node->as_array();
    bool ok = array != nullptr;
    for (std::size_t i = 0; array && i < array->size(); ++i) {
        const auto* text = (*array)[i].as_string();
        ok = ok && text;
        if (text) out.push_back({text->get(), detail::place_of((*array)[i].source())});
    }
    if (!ok)
        reader_.error_at(*node, "include",
                         "wrong type: expected an array of file paths, e.g. [\"world.toml\", "
                         "\"deals/*.toml\"]");
    return out;
}

bool Loader::inside_root(const fs::path& path) const {
    const fs::path relative = source_.anchor(path).lexically_relative(root_dir_);
    return !relative.empty() && *relative.begin() != "..";
}

void Loader::include(const fs::path& dir, const Include& inc) {
    const fs::path path = (dir / inc.pattern).lexically_normal();
    if (!inside_root(path)) {
        reader_.error(inc.place, "include",
                      "'" + inc.pattern +
                          "' is outside the scenario's folder; keep included "
                          "files in or below the folder of the root scenario file");
        return;
    }
    if (has_wildcard(path.parent_path().generic_string())) {
        reader_.error(inc.place, "include",
                      "'" + inc.pattern +
                          "': a wildcard may appear only in the file name; "
                          "list each folder separately");
        return;
    }
    const std::string pattern = path.filename().string();
    if (!has_wildcard(pattern)) {
        load(path, path.generic_string(), &inc.place);
        return;
    }
    std::vector<fs::path> found;
    for (const auto& file : source_.files_in(path.parent_path()))
        if (matches(pattern, file.filename().string())) found.push_back(file.lexically_normal());
    if (found.empty())
        reader_.error(inc.place, "include",
                      "no file matches '" + inc.pattern +
                          "'; check the pattern (relative to "
                          "the folder of this file)");
    std::sort(found.begin(), found.end());
    for (const auto& file : found) load(file, file.generic_string(), &inc.place);
}

std::string sha256_hex(const std::string& bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        return "";
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < size; ++i) {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 15];
    }
    return text;
}

// Named entries: a table under these is one entry, which only one file may define.
bool is_collection(const std::string& path) {
    static const std::set<std::string> collections{"world.commodities", "world.regions",
                                                   "world.regimes",     "world.projects",
                                                   "world.streams",     "deals"};
    return collections.contains(path);
}

// Reports a key given in more than one file; tables that are not named entries merge.
void check_duplicates(Reader& r, const View& view) {
    std::map<std::string, std::vector<std::pair<const toml::key*, const toml::node*>>> seen;
    for (const auto& part : view.parts())
        for (const auto& [key, node] : *part.table)
            seen[std::string(key.str())].emplace_back(&key, &node);
    for (const auto& [name, places] : seen) {
        if (places.size() < 2 || (view.path().empty() && name == "include")) continue;
        const bool entry = is_collection(view.path());
        const bool tables = std::all_of(places.begin(), places.end(),
                                        [](const auto& p) { return p.second->is_table(); });
        if (tables && !entry) {
            check_duplicates(r, view.sub(name));
            continue;
        }
        const std::string first = detail::describe(detail::place_of(places[0].first->source()));
        for (std::size_t i = 1; i < places.size(); ++i)
            r.error(detail::place_of(places[i].first->source()), view.key_path(name),
                    entry ? "duplicate name '" + name + "': also defined at " + first +
                                "; rename one of them"
                          : "'" + name + "' is set twice, also at " + first +
                                "; set it in one file only");
    }
}

// Overrides (`--set KEY=VALUE`). The value of override N is parsed as line N of a document
// "--set" whose text is "v=VALUE"; errors are then moved left so that their column counts from
// VALUE's first character.
constexpr std::string_view override_file = "--set";
constexpr int value_column = 3;

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return "";
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

// A word that is not a TOML value but may stand for a string: peace, none.
bool bare_word(const std::string& text) {
    return !text.empty() && std::isalpha(static_cast<unsigned char>(text[0])) &&
           std::none_of(text.begin(), text.end(), [](char c) {
               return c == '\'' || std::iscntrl(static_cast<unsigned char>(c));
           });
}

// VALUE as the only key ("v") of a table; none after a syntax error, which is reported.
std::optional<toml::table> parse_value(Reader& r, const std::string& key, const std::string& value,
                                       int line) {
    const std::string lines(static_cast<std::size_t>(line - 1), '\n');
    try {
        return toml::parse(lines + "v=" + value, override_file);
    } catch (const toml::parse_error& e) {
        if (bare_word(value)) return toml::parse(lines + "v='" + value + "'", override_file);
        r.error(detail::place_of(e.source()), key,
                "cannot read the value '" + value + "': " + std::string(e.description()) +
                    "; give a TOML value: a number, true or false, a quoted string or an "
                    "array, e.g. [0.05, 0.1]");
        return std::nullopt;
    }
}

// "deal" for "deals"
std::string entry_word(const std::string& collection) {
    static const std::map<std::string, std::string> words{
        {"world.commodities", "commodity"}, {"world.regions", "region"},
        {"world.regimes", "regime"},        {"world.projects", "project"},
        {"world.streams", "stream"},        {"deals", "deal"}};
    return words.at(collection);
}

// Reports that `name` is not a table (or named entry) under `at` in any of `tables`.
void not_found(Reader& r, const Place& place, const std::string& key,
               const std::vector<toml::table*>& tables, const std::string& at,
               const std::string& name) {
    const bool entries = is_collection(at);
    std::vector<std::string> names;
    for (const toml::table* table : tables)
        for (const auto& [k, node] : *table)
            if ((entries || node.is_table()) &&
                std::find(names.begin(), names.end(), k.str()) == names.end())
                names.emplace_back(k.str());
    const std::string path = at.empty() ? name : at + "." + name;
    if (entries)
        r.error(place, key,
                "no " + entry_word(at) + " named '" + name + "' (from --set); " +
                    detail::suggestion(name, names, "the scenario has"));
    else
        r.error(place, key,
                "no table [" + path + "] in the scenario (from --set); " +
                    detail::suggestion(name, names, "its tables there are"));
}

// Replaces the value at the override's key path in whichever file defines it; a key that no
// file gives is added (the checks of unknown keys then apply to it as to a file's key).
void apply_override(Reader& r, std::vector<toml::table>& tables, const Override& o, int line) {
    const Place place{std::string(override_file), line, value_column};
    std::vector<std::string> path;
    for (std::size_t begin = 0;;) {
        const std::size_t dot = o.key.find('.', begin);
        path.push_back(trim(std::string_view(o.key).substr(
            begin, dot == std::string::npos ? std::string::npos : dot - begin)));
        if (dot == std::string::npos) break;
        begin = dot + 1;
    }
    if (std::any_of(path.begin(), path.end(), [](const auto& p) { return p.empty(); })) {
        r.error(place, o.key,
                "not a key path (from --set); use names joined by dots, e.g. deals.v5.share");
        return;
    }
    std::string key;
    for (const auto& part : path) key += (key.empty() ? "" : ".") + part;
    if (path.size() == 1 && path[0] == "include") {
        r.error(place, key, "includes cannot be changed with --set; edit the scenario file");
        return;
    }
    std::optional<toml::table> parsed = parse_value(r, key, o.value, line);
    if (!parsed || parsed->empty()) return;
    std::vector<toml::table*> current;
    for (auto& table : tables) current.push_back(&table);
    std::string at;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        std::vector<toml::table*> next;
        bool value = false;
        for (toml::table* table : current)
            if (toml::node* node = table->get(path[i])) {
                if (auto* sub = node->as_table())
                    next.push_back(sub);
                else
                    value = true;
            }
        const std::string here = at.empty() ? path[i] : at + "." + path[i];
        if (next.empty()) {
            if (value)
                r.error(place, key,
                        "'" + here + "' is a value, not a table (from --set); set it with --set " +
                            here + "=...");
            else
                not_found(r, place, key, current, at, path[i]);
            return;
        }
        current = std::move(next);
        at = here;
    }
    const std::string& leaf = path.back();
    const auto first = parsed->begin();  // the proxy it points to lives in the iterator
    const toml::key& parsed_key = first->first;
    toml::node& node = first->second;
    for (toml::table* table : current)
        if (table->contains(leaf)) {
            table->insert_or_assign(leaf, std::move(node));
            return;
        }
    if (is_collection(at)) {
        not_found(r, place, key, current, at, leaf);
        return;
    }
    current.front()->insert_or_assign(toml::key(leaf, parsed_key.source()), std::move(node));
}

void apply_overrides(Reader& r, std::vector<toml::table>& tables, const Overrides& overrides) {
    for (std::size_t i = 0; i < overrides.size(); ++i)
        apply_override(r, tables, overrides[i], static_cast<int>(i + 1));
}

void read_header(Reader& r, const View& root, Scenario& s) {
    const View meta = r.table(root, "scenario");
    r.check_keys(meta, {"name", "description"});
    r.string(meta, "name", s.name, Need::required);
    r.string(meta, "description", s.description);
    const View run = r.table(root, "run");
    r.check_keys(run, {"start_year", "horizon", "seed", "paths", "sample_inputs"});
    r.integer(run, "start_year", s.start_year, 1900, 2500, Need::required);
    r.integer(run, "horizon", s.horizon, 1, limits::max_horizon, Need::required);
    std::int64_t number = 0;
    if (r.integer(run, "seed", number, 0, std::numeric_limits<std::int64_t>::max()))
        s.seed = static_cast<std::uint64_t>(number);
    if (r.integer(run, "paths", number, 1, limits::max_paths)) s.paths = number;
    if (r.integer(run, "sample_inputs", number, 0, limits::max_paths)) s.sample_inputs = number;
}

void read_scenario(Reader& r, const View& root, Scenario& s) {
    r.check_keys(root, {"include", "scenario", "run", "world", "deals"});
    read_header(r, root, s);
    detail::Context context;
    context.start_year = s.start_year;
    read_world(r, r.table(root, "world"), s.world, context);
    read_deals(r, r.table(root, "deals"), s.world, context, s.deals);
    check_licence_classes(r, s.world, context);
}

// Errors in input order: files in load order, then line and column.
void sort_errors(LoadResult& result) {
    const auto rank = [&](const InputError& e) {
        const auto at = std::find(result.files.begin(), result.files.end(), e.file);
        return std::tuple(at - result.files.begin(), e.line, e.column);
    };
    std::stable_sort(result.errors.begin(), result.errors.end(),
                     [&](const InputError& a, const InputError& b) { return rank(a) < rank(b); });
}

LoadResult load(const Source& source, const fs::path& root, const std::string& root_name,
                const Overrides& overrides) {
    LoadResult result;
    std::vector<UncertainInput> uncertain;
    Reader reader(result.errors, uncertain);
    Loader loader(source, reader, root);
    loader.load(root, root_name, nullptr);
    result.files = loader.names;
    std::string bytes = std::move(loader.bytes);
    for (const Override& o : overrides) bytes += "\n--set " + o.key + "=" + o.value;
    result.sha256 = sha256_hex(bytes);
    // After a syntax error the other checks would report keys that are merely unread.
    if (!loader.syntax_error && !loader.tables.empty()) {
        apply_overrides(reader, loader.tables, overrides);
        std::vector<detail::Part> parts;
        for (std::size_t i = 0; i < loader.tables.size(); ++i)
            parts.push_back({&loader.tables[i], static_cast<int>(i)});
        const View root_view(std::move(parts), "", Place{root_name, 0, 0});
        check_duplicates(reader, root_view);
        Scenario scenario;
        read_scenario(reader, root_view, scenario);
        scenario.uncertain_inputs = uncertain;
        if (result.errors.empty()) result.scenario = std::move(scenario);
    }
    for (InputError& e : result.errors)
        if (e.file == override_file && e.column >= value_column) e.column -= value_column - 1;
    sort_errors(result);
    if (reader.dropped() > 0)
        result.errors.push_back({root_name, 0, 0, "",
                                 "and " + std::to_string(reader.dropped()) +
                                     " more errors not listed; fix these first"});
    return result;
}

LoadResult internal_error(const std::string& file, const char* what) {
    LoadResult result;
    result.errors.push_back({file, 0, 0, "", std::string("internal error: ") + what});
    return result;
}

}  // namespace

std::string format_error(const InputError& error) {
    std::string text = error.file;
    if (error.line > 0)
        text.append(":")
            .append(std::to_string(error.line))
            .append(":")
            .append(std::to_string(error.column));
    if (!text.empty()) text.append(": ");
    if (!error.key.empty()) text.append(error.key).append(": ");
    return text.append(error.message);
}

std::optional<Override> parse_override(std::string_view text) {
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    Override o{trim(text.substr(0, equals)), trim(text.substr(equals + 1))};
    if (o.key.empty()) return std::nullopt;
    return o;
}

LoadResult load_scenario_file(const fs::path& root, const Overrides& overrides) {
    try {
        return load(DiskSource{}, root, root.string(), overrides);
    } catch (const std::exception& e) {
        return internal_error(root.string(), e.what());
    }
}

LoadResult load_scenario_files(const FileSet& files, const std::string& root,
                               const Overrides& overrides) {
    try {
        return load(MemorySource(files), root, root, overrides);
    } catch (const std::exception& e) {
        return internal_error(root, e.what());
    }
}

}  // namespace nadra
