#include "icd/indexer/article.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "icd/code.hpp"
#include "xml_util.hpp"

namespace icd::indexer {

using nlohmann::json;

namespace {

// Thrown inside the reader, caught once in parse_article.
struct FieldError {
    std::string field;
    std::string reason;
};

void check_keys(const json& obj, const std::string& where, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : obj.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            throw FieldError{where.empty() ? key : where + "." + key, "unknown field"};
        }
    }
}

const json& require_object(const json& j, const std::string& field) {
    if (!j.is_object()) throw FieldError{field, "expected an object"};
    return j;
}

std::string get_string(const json& obj, const std::string& parent, const char* key, bool required) {
    const std::string field = parent.empty() ? key : parent + "." + key;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required) throw FieldError{field, "is required"};
        return {};
    }
    if (!it->is_string()) throw FieldError{field, "expected a string"};
    std::string s = detail::squeeze(it->get<std::string>());
    if (required && s.empty()) throw FieldError{field, "must not be empty"};
    return s;
}

std::vector<std::string> get_strings(const json& obj, const std::string& parent, const char* key) {
    const std::string field = parent.empty() ? key : parent + "." + key;
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return out;
    if (!it->is_array()) throw FieldError{field, "expected an array of strings"};
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& v = (*it)[i];
        if (!v.is_string()) throw FieldError{field + "[" + std::to_string(i) + "]", "expected a string"};
        if (std::string s = detail::squeeze(v.get<std::string>()); !s.empty()) out.push_back(std::move(s));
    }
    return out;
}

template <typename Fn>
void for_each_object(const json& obj, const char* key, Fn&& fn) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_array()) throw FieldError{key, "expected an array of objects"};
    for (std::size_t i = 0; i < it->size(); ++i) {
        const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
        fn(require_object((*it)[i], field), field);
    }
}

// ICD-10-CM references carry the official title (checked by the
// validator); CPT references may carry our own short words.
std::vector<RelatedCode> get_related(const json& obj, const char* key, bool title_required) {
    std::vector<RelatedCode> out;
    for_each_object(obj, key, [&](const json& o, const std::string& field) {
        check_keys(o, field, {"code", "title", "note"});
        out.push_back({get_string(o, field, "code", true), get_string(o, field, "title", title_required),
                       get_string(o, field, "note", false)});
    });
    return out;
}

Article from_json(const json& root, const std::string& name) {
    require_object(root, "(document)");
    check_keys(root, "", {"format", "code", "title", "description", "also_known_as", "presentation", "causes",
                          "subcodes", "key_points", "clinical_scenarios", "specialties", "coding_guidelines",
                          "related_icd10cm", "related_cpt", "faqs", "sources", "reviewed"});
    const std::string format = get_string(root, "", "format", true);
    if (format != kArticleFormat) {
        throw FieldError{"format", "is '" + format + "', this indexer reads '" + std::string(kArticleFormat) + "'"};
    }
    Article a;
    a.file = name;
    a.code = get_string(root, "", "code", true);
    if (!code_key(a.code)) throw FieldError{"code", "'" + a.code + "' is not an ICD-10-CM code"};
    a.title = get_string(root, "", "title", true);
    a.description = get_string(root, "", "description", true);
    a.also_known_as = get_strings(root, "", "also_known_as");
    a.presentation = get_strings(root, "", "presentation");
    a.causes = get_strings(root, "", "causes");
    for_each_object(root, "subcodes", [&](const json& o, const std::string& field) {
        check_keys(o, field, {"code", "title", "when"});
        a.subcodes.push_back({get_string(o, field, "code", true), get_string(o, field, "title", true),
                              get_string(o, field, "when", true)});
    });
    a.key_points = get_strings(root, "", "key_points");
    a.clinical_scenarios = get_strings(root, "", "clinical_scenarios");
    for_each_object(root, "specialties", [&](const json& o, const std::string& field) {
        check_keys(o, field, {"name", "documentation_requirements", "common_scenarios", "billing_considerations"});
        a.specialties.push_back({get_string(o, field, "name", true),
                                 get_string(o, field, "documentation_requirements", false),
                                 get_string(o, field, "common_scenarios", false),
                                 get_string(o, field, "billing_considerations", false)});
    });
    if (auto it = root.find("coding_guidelines"); it != root.end() && !it->is_null()) {
        require_object(*it, "coding_guidelines");
        check_keys(*it, "coding_guidelines", {"use_when", "do_not_use_when"});
        a.use_when = get_strings(*it, "coding_guidelines", "use_when");
        a.do_not_use_when = get_strings(*it, "coding_guidelines", "do_not_use_when");
    }
    a.related_icd10cm = get_related(root, "related_icd10cm", true);
    a.related_cpt = get_related(root, "related_cpt", false);
    for_each_object(root, "faqs", [&](const json& o, const std::string& field) {
        check_keys(o, field, {"question", "answer"});
        a.faqs.push_back({get_string(o, field, "question", true), get_string(o, field, "answer", true)});
    });
    (void)get_strings(root, "", "sources");
    (void)get_string(root, "", "reviewed", false);
    return a;
}

bool is_cpt_code(std::string_view code) {
    // Category I: five digits; Category II/III and PLA: four digits and F, T or U.
    if (code.size() != 5) return false;
    for (std::size_t i = 0; i < 4; ++i) {
        if (std::isdigit(static_cast<unsigned char>(code[i])) == 0) return false;
    }
    const char last = code[4];
    return std::isdigit(static_cast<unsigned char>(last)) != 0 || last == 'F' || last == 'T' || last == 'U';
}

// Codes mentioned in free text: dotted codes ("G24.5") and categories
// written with the Tabular's ".-" ("M62.-"). Undotted three-character
// tokens are not checked: "A1C" and "B12" are words, not codes.
const std::regex& code_mention() {
    static const std::regex re(R"(\b([A-Z][0-9][0-9A-Z])\.([0-9A-Z]{1,4}|-))");
    return re;
}

}  // namespace

Result<Article> parse_article(std::string_view text, const std::string& name) {
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        // e.byte is the 1-based offset of the offending character.
        std::size_t line = 1;
        std::size_t col = 1;
        const std::size_t end = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        for (std::size_t i = 0; i < end; ++i) {
            if (text[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        std::string what = e.what();
        if (auto p = what.find("syntax error "); p != std::string::npos) what = what.substr(p);
        return make_error(Errc::source_invalid,
                          name + ":" + std::to_string(line) + ":" + std::to_string(col) + ": invalid JSON: " + what);
    }
    try {
        return from_json(root, name);
    } catch (const FieldError& e) {
        return make_error(Errc::source_invalid, name + ": field '" + e.field + "' " + e.reason,
                          "see corpus/README.md for the article format");
    }
}

Result<Article> read_article(const std::filesystem::path& path) {
    auto text = detail::read_file(path, "article");
    if (!text) return std::move(text).error();
    return parse_article(*text, path.string());
}

Result<std::vector<Article>> read_articles(const std::filesystem::path& dir, Diagnostics* skipped) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        return make_error(Errc::source_invalid, dir.string() + ": articles directory does not exist");
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    if (ec) return make_error(Errc::source_invalid, dir.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    std::vector<Article> out;
    out.reserve(files.size());
    for (const auto& f : files) {
        auto a = read_article(f);
        if (a) {
            out.push_back(std::move(*a));
        } else if (skipped != nullptr) {
            skipped->push_back({f.string(), 0, "", "skipped: " + a.error().message});
        } else {
            return std::move(a).error();
        }
    }
    return out;
}

bool same_title(std::string_view official, std::string_view claimed) {
    const std::string a = detail::squeeze(official);
    const std::string b = detail::squeeze(claimed);
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

Diagnostics validate_article(const Article& a, const CodeTable& codes) {
    Diagnostics out;
    auto add = [&](std::string field, std::string message) {
        out.push_back({a.file, 0, std::move(field), std::move(message)});
    };
    const auto key = code_key(a.code);
    const OrderEntry* entry = key ? codes.find(*key) : nullptr;
    if (entry == nullptr) {
        add("code", a.code + " is not a code of this release; the article is not attached");
    } else if (!same_title(entry->long_title, a.title)) {
        add("title", "'" + a.title + "' is not the official title of " + display_code(entry->key) + " ('" +
                         entry->long_title + "'); the official title is shown");
    }
    // Every ICD-10-CM code the article names is declared with its official
    // title; a title that is not the code's is a contradiction.
    std::set<std::string> declared;
    auto check_declared = [&](const std::string& field, const std::string& code, const std::string& title) {
        const auto k = code_key(code);
        const OrderEntry* e = k ? codes.find(*k) : nullptr;
        if (e == nullptr) {
            add(field + ".code", code + " is not a code of this release");
            return;
        }
        declared.insert(*k);
        if (!same_title(e->long_title, title)) {
            add(field + ".title", "'" + title + "' is not the official title of " + display_code(*k) + " ('" +
                                      e->long_title + "')");
        }
    };
    for (std::size_t i = 0; i < a.related_icd10cm.size(); ++i) {
        check_declared("related_icd10cm[" + std::to_string(i) + "]", a.related_icd10cm[i].code,
                       a.related_icd10cm[i].title);
    }
    for (std::size_t i = 0; i < a.subcodes.size(); ++i) {
        const std::string field = "subcodes[" + std::to_string(i) + "]";
        check_declared(field, a.subcodes[i].code, a.subcodes[i].title);
        const auto k = code_key(a.subcodes[i].code);
        if (key && k && (k->size() <= key->size() || k->rfind(*key, 0) != 0)) {
            add(field + ".code", a.subcodes[i].code + " is not below " + a.code);
        }
    }
    for (std::size_t i = 0; i < a.related_cpt.size(); ++i) {
        if (!is_cpt_code(a.related_cpt[i].code)) {
            add("related_cpt[" + std::to_string(i) + "].code",
                "'" + a.related_cpt[i].code + "' is not a CPT code (5 digits, or 4 digits and F, T or U)");
        }
    }
    // Codes mentioned in the text must exist too.
    auto check_text = [&](const std::string& field, const std::string& text) {
        for (auto it = std::sregex_iterator(text.begin(), text.end(), code_mention()); it != std::sregex_iterator();
             ++it) {
            const std::string mention = (*it)[0].str();
            const auto k = code_key(mention);
            if (!k || !codes.contains(*k)) {
                add(field, "mentions " + mention + ", which is not a code of this release");
            } else if (*k != key.value_or("") && declared.count(*k) == 0) {
                add(field, "mentions " + mention + " without declaring it (with its official title) in related_icd10cm "
                           "or subcodes");
            }
        }
    };
    check_text("description", a.description);
    auto check_list = [&](const char* field, const std::vector<std::string>& items) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            check_text(std::string(field) + "[" + std::to_string(i) + "]", items[i]);
        }
    };
    check_list("also_known_as", a.also_known_as);
    check_list("presentation", a.presentation);
    check_list("causes", a.causes);
    for (std::size_t i = 0; i < a.subcodes.size(); ++i) {
        check_text("subcodes[" + std::to_string(i) + "].when", a.subcodes[i].when);
    }
    check_list("key_points", a.key_points);
    check_list("clinical_scenarios", a.clinical_scenarios);
    check_list("coding_guidelines.use_when", a.use_when);
    check_list("coding_guidelines.do_not_use_when", a.do_not_use_when);
    for (std::size_t i = 0; i < a.specialties.size(); ++i) {
        const auto& s = a.specialties[i];
        const std::string f = "specialties[" + std::to_string(i) + "]";
        check_text(f + ".documentation_requirements", s.documentation);
        check_text(f + ".common_scenarios", s.scenarios);
        check_text(f + ".billing_considerations", s.billing);
    }
    for (std::size_t i = 0; i < a.related_icd10cm.size(); ++i) {
        check_text("related_icd10cm[" + std::to_string(i) + "].note", a.related_icd10cm[i].note);
    }
    for (std::size_t i = 0; i < a.related_cpt.size(); ++i) {
        check_text("related_cpt[" + std::to_string(i) + "].note", a.related_cpt[i].note);
    }
    for (std::size_t i = 0; i < a.faqs.size(); ++i) {
        check_text("faqs[" + std::to_string(i) + "].question", a.faqs[i].question);
        check_text("faqs[" + std::to_string(i) + "].answer", a.faqs[i].answer);
    }
    return out;
}

}  // namespace icd::indexer
