#include "doc_data.hpp"

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "icd/code.hpp"

namespace icd::detail {

using nlohmann::json;

namespace {

std::vector<std::string> strings(const json& j, const char* key) {
    std::vector<std::string> out;
    if (auto it = j.find(key); it != j.end()) {
        for (const auto& s : *it) out.push_back(s.get<std::string>());
    }
    return out;
}

std::string str(const json& j, const char* key) {
    if (auto it = j.find(key); it != j.end() && it->is_string()) return it->get<std::string>();
    return {};
}

json related_to_json(const std::vector<RelatedCode>& codes) {
    json a = json::array();
    for (const auto& r : codes) {
        json o{{"code", r.code}, {"note", r.note}};
        if (!r.title.empty()) o["title"] = r.title;
        a.push_back(std::move(o));
    }
    return a;
}

std::vector<RelatedCode> related_from_json(const json& j, const char* key) {
    std::vector<RelatedCode> out;
    if (auto it = j.find(key); it != j.end()) {
        for (const auto& r : *it) out.push_back({str(r, "code"), str(r, "title"), str(r, "note")});
    }
    return out;
}

}  // namespace

json notes_to_json(const std::vector<Note>& notes) {
    json a = json::array();
    for (const auto& n : notes) {
        json o{{"kind", note_kind_name(n.kind)}, {"text", n.text}};
        if (!n.from.empty()) o["from"] = n.from;
        a.push_back(std::move(o));
    }
    return a;
}

std::vector<Note> notes_from_json(const json& j) {
    std::vector<Note> out;
    for (const auto& n : j) out.push_back({note_kind_from_name(str(n, "kind")).value_or(NoteKind::note), str(n, "text"), str(n, "from")});
    return out;
}

json article_to_json(const Article& a) {
    json specialties = json::array();
    for (const auto& s : a.specialties) {
        specialties.push_back({{"name", s.name},
                               {"documentation", s.documentation},
                               {"scenarios", s.scenarios},
                               {"billing", s.billing}});
    }
    json faqs = json::array();
    for (const auto& f : a.faqs) faqs.push_back({{"question", f.question}, {"answer", f.answer}});
    json subcodes = json::array();
    for (const auto& c : a.subcodes) subcodes.push_back({{"code", c.code}, {"title", c.title}, {"when", c.when}});
    return json{{"file", a.file},
                {"code", a.code},
                {"title", a.title},
                {"description", a.description},
                {"also_known_as", a.also_known_as},
                {"presentation", a.presentation},
                {"causes", a.causes},
                {"subcodes", std::move(subcodes)},
                {"key_points", a.key_points},
                {"clinical_scenarios", a.clinical_scenarios},
                {"specialties", std::move(specialties)},
                {"use_when", a.use_when},
                {"do_not_use_when", a.do_not_use_when},
                {"related_icd10cm", related_to_json(a.related_icd10cm)},
                {"related_cpt", related_to_json(a.related_cpt)},
                {"faqs", std::move(faqs)}};
}

Article article_from_json(const json& j) {
    Article a;
    a.file = str(j, "file");
    a.code = str(j, "code");
    a.title = str(j, "title");
    a.description = str(j, "description");
    a.also_known_as = strings(j, "also_known_as");
    a.presentation = strings(j, "presentation");
    a.causes = strings(j, "causes");
    if (auto it = j.find("subcodes"); it != j.end()) {
        for (const auto& c : *it) a.subcodes.push_back({str(c, "code"), str(c, "title"), str(c, "when")});
    }
    a.key_points = strings(j, "key_points");
    a.clinical_scenarios = strings(j, "clinical_scenarios");
    if (auto it = j.find("specialties"); it != j.end()) {
        for (const auto& s : *it) {
            a.specialties.push_back(
                {str(s, "name"), str(s, "documentation"), str(s, "scenarios"), str(s, "billing")});
        }
    }
    a.use_when = strings(j, "use_when");
    a.do_not_use_when = strings(j, "do_not_use_when");
    a.related_icd10cm = related_from_json(j, "related_icd10cm");
    a.related_cpt = related_from_json(j, "related_cpt");
    if (auto it = j.find("faqs"); it != j.end()) {
        for (const auto& f : *it) a.faqs.push_back({str(f, "question"), str(f, "answer")});
    }
    return a;
}

namespace {

// Document data is a compact binary record, not JSON: decoding it for every
// hit is on the search path, and parsing JSON cost more than the match
// itself. Layout: a format byte, then fields in a fixed order; strings as a
// varint length and bytes, lists as a varint count and items, flags as one
// byte. kDataFormat changes with the layout (and schema::kVersion with it).
constexpr char kDataFormat = '\x02';

class Writer {
public:
    void num(std::uint64_t v) {
        while (v >= 0x80) {
            out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
            v >>= 7;
        }
        out_.push_back(static_cast<char>(v));
    }
    void str(std::string_view s) {
        num(s.size());
        out_.append(s);
    }
    void flag(bool b) { out_.push_back(b ? '\x01' : '\x00'); }
    void strs(const std::vector<std::string>& v) {
        num(v.size());
        for (const auto& s : v) str(s);
    }
    void raw(char c) { out_.push_back(c); }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

class Reader {
public:
    explicit Reader(std::string_view in) : in_(in) {}
    std::uint64_t num() {
        std::uint64_t v = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            const auto c = static_cast<unsigned char>(byte());
            v |= static_cast<std::uint64_t>(c & 0x7F) << shift;
            if ((c & 0x80) == 0) return v;
        }
        throw std::runtime_error("corrupt document data (varint)");
    }
    std::string str() {
        const auto n = num();
        if (n > in_.size() - pos_) throw std::runtime_error("corrupt document data (string length)");
        std::string s(in_.substr(pos_, n));
        pos_ += n;
        return s;
    }
    bool flag() { return byte() != 0; }
    std::vector<std::string> strs() {
        const auto n = count();
        std::vector<std::string> v;
        v.reserve(n);
        for (std::size_t i = 0; i < n; ++i) v.push_back(str());
        return v;
    }
    std::size_t count() {
        const auto n = num();
        // Every item takes at least one byte: a count beyond the rest is corrupt.
        if (n > in_.size() - pos_) throw std::runtime_error("corrupt document data (count)");
        return static_cast<std::size_t>(n);
    }
    char byte() {
        if (pos_ >= in_.size()) throw std::runtime_error("corrupt document data (truncated)");
        return in_[pos_++];
    }
    bool done() const { return pos_ == in_.size(); }

private:
    std::string_view in_;
    std::size_t pos_ = 0;
};

void write_related(Writer& w, const std::vector<RelatedCode>& v) {
    w.num(v.size());
    for (const auto& r : v) {
        w.str(r.code);
        w.str(r.title);
        w.str(r.note);
    }
}

std::vector<RelatedCode> read_related(Reader& rd) {
    std::vector<RelatedCode> v(rd.count());
    for (auto& r : v) {
        r.code = rd.str();
        r.title = rd.str();
        r.note = rd.str();
    }
    return v;
}

void write_article(Writer& w, const Article& a) {
    w.str(a.file);
    w.str(a.code);
    w.str(a.title);
    w.str(a.description);
    w.strs(a.also_known_as);
    w.strs(a.presentation);
    w.strs(a.causes);
    w.num(a.subcodes.size());
    for (const auto& c : a.subcodes) {
        w.str(c.code);
        w.str(c.title);
        w.str(c.when);
    }
    w.strs(a.key_points);
    w.strs(a.clinical_scenarios);
    w.num(a.specialties.size());
    for (const auto& s : a.specialties) {
        w.str(s.name);
        w.str(s.documentation);
        w.str(s.scenarios);
        w.str(s.billing);
    }
    w.strs(a.use_when);
    w.strs(a.do_not_use_when);
    write_related(w, a.related_icd10cm);
    write_related(w, a.related_cpt);
    w.num(a.faqs.size());
    for (const auto& f : a.faqs) {
        w.str(f.question);
        w.str(f.answer);
    }
}

Article read_article(Reader& rd) {
    Article a;
    a.file = rd.str();
    a.code = rd.str();
    a.title = rd.str();
    a.description = rd.str();
    a.also_known_as = rd.strs();
    a.presentation = rd.strs();
    a.causes = rd.strs();
    a.subcodes.resize(rd.count());
    for (auto& c : a.subcodes) {
        c.code = rd.str();
        c.title = rd.str();
        c.when = rd.str();
    }
    a.key_points = rd.strs();
    a.clinical_scenarios = rd.strs();
    a.specialties.resize(rd.count());
    for (auto& s : a.specialties) {
        s.name = rd.str();
        s.documentation = rd.str();
        s.scenarios = rd.str();
        s.billing = rd.str();
    }
    a.use_when = rd.strs();
    a.do_not_use_when = rd.strs();
    a.related_icd10cm = read_related(rd);
    a.related_cpt = read_related(rd);
    a.faqs.resize(rd.count());
    for (auto& f : a.faqs) {
        f.question = rd.str();
        f.answer = rd.str();
    }
    return a;
}

}  // namespace

std::string encode_record(const CodeRecord& r) {
    Writer w;
    w.raw(kDataFormat);
    w.str(r.key);
    w.str(r.title);
    w.str(r.short_title);
    w.flag(r.billable);
    w.str(r.chapter);
    w.str(r.chapter_title);
    w.str(r.section);
    w.str(r.section_title);
    w.str(r.parent);
    w.strs(r.inclusion_terms);
    w.strs(r.index_terms);
    w.strs(r.index_above);
    w.strs(r.table_terms);
    w.num(r.notes.size());
    for (const auto& n : r.notes) {
        w.raw(static_cast<char>(n.kind));
        w.str(n.text);
        w.str(n.from);
    }
    w.str(r.seventh_character);
    w.flag(r.article.has_value());
    if (r.article) write_article(w, *r.article);
    w.strs(r.subcode_notes);
    // Only the category's code: lookup() fetches its article itself.
    w.str(r.category_article ? r.category_article->code : std::string());
    return w.take();
}

CodeRecord decode_record(const std::string& data) {
    Reader rd(data);
    if (rd.byte() != kDataFormat) throw std::runtime_error("document data of another format: rebuild the index");
    CodeRecord r;
    r.key = rd.str();
    r.title = rd.str();
    r.short_title = rd.str();
    r.billable = rd.flag();
    r.chapter = rd.str();
    r.chapter_title = rd.str();
    r.section = rd.str();
    r.section_title = rd.str();
    r.parent = rd.str();
    r.inclusion_terms = rd.strs();
    r.index_terms = rd.strs();
    r.index_above = rd.strs();
    r.table_terms = rd.strs();
    r.notes.resize(rd.count());
    for (auto& n : r.notes) {
        const auto kind = static_cast<unsigned char>(rd.byte());
        if (kind > static_cast<unsigned char>(NoteKind::seventh_character)) {
            throw std::runtime_error("corrupt document data (note kind)");
        }
        n.kind = static_cast<NoteKind>(kind);
        n.text = rd.str();
        n.from = rd.str();
    }
    r.seventh_character = rd.str();
    if (rd.flag()) r.article = read_article(rd);
    r.subcode_notes = rd.strs();
    if (std::string category = rd.str(); !category.empty()) {
        auto stub = std::make_shared<Article>();
        stub->code = std::move(category);
        r.category_article = std::move(stub);
    }
    if (!rd.done()) throw std::runtime_error("corrupt document data (trailing bytes)");
    return r;
}

}  // namespace icd::detail
