#include "doc_data.hpp"

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

std::string encode_record(const CodeRecord& r) {
    json j{{"code", display_code(r.key)},
           {"key", r.key},
           {"title", r.title},
           {"short", r.short_title},
           {"billable", r.billable}};
    if (!r.chapter.empty()) {
        j["chapter"] = r.chapter;
        j["chapter_title"] = r.chapter_title;
    }
    if (!r.section.empty()) {
        j["section"] = r.section;
        j["section_title"] = r.section_title;
    }
    if (!r.parent.empty()) j["parent"] = r.parent;
    if (!r.inclusion_terms.empty()) j["inclusion"] = r.inclusion_terms;
    if (!r.index_terms.empty()) j["index"] = r.index_terms;
    if (!r.index_above.empty()) j["index_above"] = r.index_above;
    if (!r.table_terms.empty()) j["tables"] = r.table_terms;
    if (!r.notes.empty()) j["notes"] = notes_to_json(r.notes);
    if (!r.seventh_character.empty()) j["seventh"] = r.seventh_character;
    if (r.article) j["article"] = article_to_json(*r.article);
    if (!r.subcode_notes.empty()) j["subcode_notes"] = r.subcode_notes;
    if (r.category_article) j["category_article"] = r.category_article->code;
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

CodeRecord decode_record(const std::string& data) {
    const json j = json::parse(data);
    CodeRecord r;
    r.key = j.at("key").get<std::string>();
    r.title = str(j, "title");
    r.short_title = str(j, "short");
    r.billable = j.value("billable", false);
    r.chapter = str(j, "chapter");
    r.chapter_title = str(j, "chapter_title");
    r.section = str(j, "section");
    r.section_title = str(j, "section_title");
    r.parent = str(j, "parent");
    r.inclusion_terms = strings(j, "inclusion");
    r.index_terms = strings(j, "index");
    r.index_above = strings(j, "index_above");
    r.table_terms = strings(j, "tables");
    if (auto it = j.find("notes"); it != j.end()) r.notes = notes_from_json(*it);
    r.seventh_character = str(j, "seventh");
    if (auto it = j.find("article"); it != j.end()) r.article = article_from_json(*it);
    r.subcode_notes = strings(j, "subcode_notes");
    if (auto it = j.find("category_article"); it != j.end()) {
        // Only the code is stored; lookup() fetches the article itself.
        auto stub = std::make_shared<Article>();
        stub->code = it->get<std::string>();
        r.category_article = std::move(stub);
    }
    return r;
}

}  // namespace icd::detail
