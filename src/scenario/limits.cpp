#include "scenario/limits.hpp"

#include <cctype>

namespace nadra::limits {
namespace {

// Walks the text keeping the line and column (in characters, like the TOML parser's).
class Cursor {
  public:
    explicit Cursor(std::string_view text) : text_(text) {}

    [[nodiscard]] bool done() const { return at_ >= text_.size(); }
    [[nodiscard]] char peek(std::size_t ahead = 0) const {
        return at_ + ahead < text_.size() ? text_[at_ + ahead] : '\0';
    }
    [[nodiscard]] bool starts(std::string_view s) const { return text_.substr(at_, s.size()) == s; }
    void next() {
        if (done()) return;
        const char c = text_[at_++];
        if (c == '\n') {
            ++line_;
            column_ = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++column_;  // a UTF-8 continuation byte is part of the character before it
        }
    }
    [[nodiscard]] int line() const { return line_; }
    [[nodiscard]] std::size_t offset() const { return at_; }
    [[nodiscard]] int column() const { return column_; }

  private:
    std::string_view text_;
    std::size_t at_ = 0;
    int line_ = 1;
    int column_ = 1;
};

// Skips a string starting at the cursor: "...", '...', """...""" or '''...'''.
void skip_string(Cursor& c) {
    const char quote = c.peek();
    const bool basic = quote == '"';
    const std::string triple(3, quote);
    const bool multiline = c.starts(triple);
    for (int i = 0; i < (multiline ? 3 : 1); ++i) c.next();
    while (!c.done()) {
        if (basic && c.peek() == '\\') {
            c.next();
            c.next();
            continue;
        }
        if (multiline ? c.starts(triple) : c.peek() == quote) {
            for (int i = 0; i < (multiline ? 3 : 1); ++i) c.next();
            // A multi-line string may end with up to two more quotes ("""a""""").
            while (multiline && c.peek() == quote) c.next();
            return;
        }
        if (!multiline && c.peek() == '\n') return;  // unterminated: the parser reports it
        c.next();
    }
}

bool key_character(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '+' ||
           c == ' ' || c == '\t';
}

// The character (UTF-8 sequence) at `at`, or none when the bytes there are not UTF-8.
std::optional<std::string_view> utf8_character(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t size = lead >= 0xF0 && lead < 0xF5 ? 4
                             : lead >= 0xE0              ? 3
                             : lead >= 0xC2              ? 2
                                                         : 0;
    if (size == 0 || at + size > text.size() || (lead >= 0xE0 && size == 2)) return std::nullopt;
    for (std::size_t i = 1; i < size; ++i)
        if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80) return std::nullopt;
    return text.substr(at, size);
}

}  // namespace

std::optional<TextProblem> check_text(std::string_view text) {
    Cursor c(text);
    if (c.starts("\xEF\xBB\xBF")) {  // a byte order mark, which TOML allows
        for (int i = 0; i < 3; ++i) c.next();
    }
    int depth = 0;
    // The current run of key characters, quoted keys and dots, e.g. `deals."v5".share`.
    bool in_run = false;
    int dots = 0;
    int run_line = 1, run_column = 1;
    while (!c.done()) {
        const char ch = c.peek();
        if (ch == '#') {
            while (!c.done() && c.peek() != '\n') c.next();
            in_run = false;
            continue;
        }
        if (static_cast<unsigned char>(ch) >= 0x80) {
            const auto character = utf8_character(text, c.offset());
            return TextProblem{
                c.line(), c.column(),
                character ? "character '" + std::string(*character) +
                                "' outside quotes; outside strings and comments TOML allows only "
                                "ASCII, so put text in quotes (keys too: \"назва\" = ...)"
                          : "bytes that are not UTF-8; save the file as UTF-8"};
        }
        const bool quote = ch == '"' || ch == '\'';
        const bool part = quote || ch == '.' || key_character(ch);
        if (!part) in_run = false;
        if (part && !in_run && ch != ' ' && ch != '\t') {
            in_run = true;
            dots = 0;
            run_line = c.line();
            run_column = c.column();
        }
        if (quote) {
            skip_string(c);
            continue;
        }
        if (ch == '.' && in_run && ++dots >= max_key_parts)
            return TextProblem{run_line, run_column,
                               "key with more than " + std::to_string(max_key_parts) +
                                   " parts; a scenario's keys have a few parts each "
                                   "(deals.v5.share has 3), check the dots in this key"};
        if (ch == '[' || ch == '{') {
            if (++depth > max_nesting)
                return TextProblem{c.line(), c.column(),
                                   "nested too deep: more than " + std::to_string(max_nesting) +
                                       " levels of [ and {; a scenario needs a few levels at "
                                       "most, check for brackets that are not closed"};
        } else if ((ch == ']' || ch == '}') && depth > 0) {
            --depth;
        }
        c.next();
    }
    return std::nullopt;
}

}  // namespace nadra::limits
