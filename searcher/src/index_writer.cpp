#include "icd/index_writer.hpp"

#include <xapian.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_set>

#include "doc_data.hpp"
#include "icd/code.hpp"
#include "icd/hash.hpp"
#include "icd/schema.hpp"
#include "text.hpp"
#include "xapian_error.hpp"

namespace icd {

namespace fs = std::filesystem;
using schema::TextField;

namespace {

// Flattens the article sections into the text fields of the schema.
template <typename Fn>
void for_each_article_text(const Article& a, Fn&& fn) {
    fn(TextField::description, a.description);
    for (const auto& s : a.also_known_as) fn(TextField::also_known_as, s);
    for (const auto& s : a.presentation) fn(TextField::presentation, s);
    for (const auto& s : a.causes) fn(TextField::causes, s);
    for (const auto& s : a.key_points) fn(TextField::key_points, s);
    for (const auto& s : a.clinical_scenarios) fn(TextField::scenarios, s);
    for (const auto& s : a.specialties) {
        fn(TextField::specialties, s.name);
        fn(TextField::specialties, s.documentation);
        fn(TextField::specialties, s.scenarios);
        fn(TextField::specialties, s.billing);
    }
    for (const auto& s : a.use_when) fn(TextField::guidelines, s);
    for (const auto& f : a.faqs) {
        fn(TextField::faq, f.question);
        fn(TextField::faq, f.answer);
    }
}

// Calls fn(field, text) for every text the record contributes to the index.
template <typename Fn>
void for_each_text(const CodeRecord& r, Fn&& fn) {
    fn(TextField::code, display_code(r.key) + " " + r.key);
    fn(TextField::title, r.title);
    fn(TextField::short_title, r.short_title);
    for (const auto& s : r.inclusion_terms) fn(TextField::inclusion, s);
    for (const auto& s : r.index_terms) fn(TextField::index_term, s);
    for (const auto& s : r.context) fn(TextField::context, s);
    for (const auto& s : r.index_above) fn(TextField::index_above, s);
    for (const auto& s : r.table_terms) fn(TextField::tables, s);
    fn(TextField::seventh, r.seventh_character);
    // "Includes" notes say what the code covers; every other note kind is
    // about other codes (excludes, code first, ...) and must not make this
    // code match in a plain search.
    for (const auto& n : r.notes) fn(n.kind == NoteKind::includes ? TextField::inclusion : TextField::notes, n.text);
    if (r.article) for_each_article_text(*r.article, fn);
    for (const auto& s : r.subcode_notes) fn(TextField::subcode_note, s);
    if (r.category_article) {
        const Article& c = *r.category_article;
        fn(TextField::category, c.description);
        for (const auto& s : c.also_known_as) fn(TextField::category, s);
        for (const auto& s : c.presentation) fn(TextField::category, s);
        for (const auto& s : c.causes) fn(TextField::category, s);
    }
}

}  // namespace

struct IndexWriter::Impl {
    fs::path path;
    Xapian::WritableDatabase db;
    Xapian::TermGenerator tg;
    Xapian::Stem stem{"english"};
    std::set<std::string> synonym_words;  // words of synonym phrases, for spelling
    bool fresh = false;  // created empty by us
    std::unordered_set<std::string> added;  // keys put so far into a fresh database

    Impl(fs::path p, Xapian::WritableDatabase d) : path(std::move(p)), db(std::move(d)) {
        tg.set_stemmer(stem);
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    }
};

IndexWriter::IndexWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexWriter::IndexWriter(IndexWriter&&) noexcept = default;
IndexWriter& IndexWriter::operator=(IndexWriter&&) noexcept = default;
IndexWriter::~IndexWriter() = default;

const fs::path& IndexWriter::path() const { return impl_->path; }

Result<IndexWriter> IndexWriter::create(const fs::path& dir, bool open_existing) {
    return detail::xapian_try(
        [&]() -> Result<IndexWriter> {
            if (!open_existing && fs::exists(dir)) {
                return make_error(Errc::io, "cannot create index at " + dir.string() + ": it already exists");
            }
            const int flags = open_existing ? Xapian::DB_OPEN : (Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
            Xapian::WritableDatabase db(dir.string(), flags);
            db.set_metadata(std::string(schema::kMetaSchemaVersion), std::to_string(schema::kVersion));
            auto impl = std::make_unique<Impl>(dir, std::move(db));
            impl->fresh = !open_existing;
            return IndexWriter(std::move(impl));
        },
        "create index " + dir.string());
}

std::string IndexWriter::own_hash(const CodeRecord& record) {
    ContentHash h;
    h.add(record.title);
    h.add(record.billable ? "1" : "0");
    return h.hex();
}

std::string IndexWriter::content_hash(const CodeRecord& record) {
    ContentHash h;
    h.add(std::to_string(schema::kVersion));
    h.add(detail::encode_record(record));
    // What is indexed but not stored in the document data.
    for (const auto& c : record.context) h.add(c);
    for (const auto& e : record.entry_phrases) h.add(e);
    if (record.category_article) {
        h.add(detail::article_to_json(*record.category_article).dump());
    }
    return h.hex();
}

Result<void> IndexWriter::put(const CodeRecord& r) {
    return detail::xapian_try(
        [&]() -> Result<void> {
            if (!is_key(r.key)) return make_error(Errc::internal, "invalid code key '" + r.key + "'");
            Xapian::Document doc;
            auto& tg = impl_->tg;
            tg.set_document(doc);
            for_each_text(r, [&](TextField field, const std::string& text) {
                if (text.empty()) return;
                const auto& spec = schema::spec(field);
                const std::string prefix(spec.prefix);
                if (prefix.empty()) {
                    // no copy of its own
                } else if (spec.positions == schema::Positions::all) {
                    tg.index_text(text, 1, prefix);
                } else {
                    tg.index_text_without_positions(text, 1, prefix);
                }
                if (spec.group != schema::Group::none && spec.weight > 0) {
                    if (spec.positions == schema::Positions::none) {
                        tg.index_text_without_positions(text, spec.weight);
                    } else {
                        tg.index_text(text, spec.weight);
                    }
                }
                tg.increase_termpos(schema::kPositionGap);
            });

            // Exact-entry keys: the title, inclusion terms and index entries.
            auto add_keys = [&](const std::string& phrase) {
                for (const auto& key : detail::entry_keys(phrase, impl_->stem)) {
                    doc.add_term(std::string(schema::kEntryKey.prefix) + key, 1);
                }
            };
            add_keys(r.title);
            for (const auto& t : r.inclusion_terms) add_keys(t);
            for (const auto& t : r.index_terms) add_keys(t);
            for (const auto& t : r.table_terms) add_keys(t);
            for (const auto& t : r.entry_phrases) add_keys(t);

            const std::string id = schema::term(schema::kIdTerm.prefix, r.key);
            doc.add_boolean_term(id);
            for (std::size_t n = 3; n <= r.key.size(); ++n) {
                doc.add_boolean_term(schema::term(schema::kCodePrefix.prefix, r.key.substr(0, n)));
            }
            if (!r.parent.empty()) doc.add_boolean_term(schema::term(schema::kParent.prefix, r.parent));
            doc.add_boolean_term(schema::term(schema::kBillable.prefix, r.billable ? "1" : "0"));
            if (!r.chapter.empty()) doc.add_boolean_term(schema::term(schema::kChapter.prefix, r.chapter));
            if (!r.section.empty()) doc.add_boolean_term(schema::term(schema::kSection.prefix, r.section));
            if (r.article) doc.add_boolean_term(schema::term(schema::kArticle.prefix, "1"));

            doc.add_value(schema::kSlotBillable, r.billable ? "1" : "0");
            if (!r.chapter.empty()) doc.add_value(schema::kSlotChapter, r.chapter);
            doc.add_value(schema::kSlotDepth, Xapian::sortable_serialise(static_cast<double>(r.key.size())));
            doc.add_value(schema::kSlotHash, content_hash(r));
            doc.add_value(schema::kSlotOwnHash, own_hash(r));
            doc.add_value(schema::kSlotCode, r.key);
            doc.add_value(schema::kSlotCategory, r.key.substr(0, 3));
            doc.set_data(detail::encode_record(r));
            // A fresh database cannot hold the code yet unless it was put
            // before; skipping the id lookup makes a full build much faster.
            if (impl_->fresh && impl_->added.insert(r.key).second) {
                impl_->db.add_document(doc);
            } else {
                impl_->db.replace_document(id, doc);
            }
            return {};
        },
        "index code " + display_code(r.key));
}

Result<void> IndexWriter::remove(std::string_view key) {
    return detail::xapian_try(
        [&]() -> Result<void> {
            impl_->db.delete_document(schema::term(schema::kIdTerm.prefix, key));
            return {};
        },
        "delete code " + std::string(key));
}

Result<std::optional<std::string>> IndexWriter::stored_hash(std::string_view key) const {
    return detail::xapian_try(
        [&]() -> Result<std::optional<std::string>> {
            const std::string id = schema::term(schema::kIdTerm.prefix, key);
            auto it = impl_->db.postlist_begin(id);
            if (it == impl_->db.postlist_end(id)) return std::optional<std::string>{};
            return std::optional<std::string>{impl_->db.get_document(*it).get_value(schema::kSlotHash)};
        },
        "read code " + std::string(key));
}

Result<std::vector<std::string>> IndexWriter::keys() const {
    return detail::xapian_try(
        [&]() -> Result<std::vector<std::string>> {
            std::vector<std::string> out;
            // Every key starts with a capital letter, so every id term is "Q:" + key.
            const std::string prefix = std::string(schema::kIdTerm.prefix) + ":";
            for (auto t = impl_->db.allterms_begin(prefix); t != impl_->db.allterms_end(prefix); ++t) {
                out.push_back((*t).substr(prefix.size()));
            }
            return out;
        },
        "list codes in " + impl_->path.string());
}

Result<bool> IndexWriter::add_synonym(std::string_view phrase, std::string_view expansion, SynonymOrigin origin) {
    return detail::xapian_try(
        [&]() -> Result<bool> {
            const std::string key = detail::synonym_key(detail::words(phrase), impl_->stem);
            // "sprained" -> "sprain" adds nothing the stemmer does not.
            if (key == detail::synonym_key(detail::words(expansion), impl_->stem)) return false;
            const char mark = origin == SynonymOrigin::curated ? detail::kSynonymCurated
                              : origin == SynonymOrigin::see  ? detail::kSynonymSee
                                                              : detail::kSynonymSeeAlso;
            const std::string value = mark + std::string(expansion);
            // Xapian keys and values are limited to 245 bytes.
            if (key.empty() || key.size() > 240 || value.size() > 240 || expansion.empty()) return false;
            impl_->db.add_synonym(key, value);
            for (const auto& w : detail::words(phrase)) impl_->synonym_words.insert(w);
            return true;
        },
        "add synonym " + std::string(phrase));
}

Result<std::size_t> IndexWriter::count_matches(std::string_view text) const {
    return detail::xapian_try(
        [&]() -> Result<std::size_t> {
            // Parsed like a query (STEM_SOME: words stemmed, numbers and
            // hyphenated phrases matched as written), all words required.
            Xapian::QueryParser qp;
            qp.set_stemmer(impl_->stem);
            qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
            qp.set_default_op(Xapian::Query::OP_AND);
            std::string lower(text);
            for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            Xapian::Enquire enquire(impl_->db);
            enquire.set_query(qp.parse_query(lower, Xapian::QueryParser::FLAG_PHRASE));
            return static_cast<std::size_t>(enquire.get_mset(0, 1).get_matches_estimated());
        },
        "count matches of " + std::string(text));
}

Result<void> IndexWriter::build_spelling() {
    return detail::xapian_try(
        [&]() -> Result<void> {
            auto& db = impl_->db;
            // Words as written (unstemmed) in the fields people describe
            // conditions with, read from the fields' own prefixed terms: not
            // the short titles (no own prefix), whose abbreviations ("chron",
            // "unsp") would make misspellings look like words.
            // Letters only: codes and numbers are never spelling targets.
            std::map<std::string, Xapian::doccount> vocabulary;
            for (const auto& f : schema::kTextFields) {
                if (f.group == schema::Group::none || f.prefix.empty() || f.field == TextField::code) continue;
                const std::string prefix(f.prefix);
                for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
                    const std::string w = (*t).substr(prefix.size());
                    if (w.size() < 3 || !std::all_of(w.begin(), w.end(), [](char c) {
                            return (c >= 'a' && c <= 'z') || c == '\'';
                        })) {
                        continue;
                    }
                    vocabulary[w] += t.get_termfreq();
                }
            }
            // Anagram lists: the commonest typo swaps letters ("chron's"
            // for "crohn's"), and a word with exactly the typo's letters is
            // the best correction even when a more frequent word is as close.
            std::map<std::string, std::string> anagrams;
            for (const auto& [w, freq] : vocabulary) {
                db.add_spelling(w, freq);
                if (w.size() < 5) continue;
                std::string& list = anagrams[detail::anagram_key(w)];
                if (!list.empty()) list.push_back(' ');
                list += w;
            }
            for (const auto& [key, list] : anagrams) {
                if (list.size() < 200) db.set_metadata(std::string(schema::kMetaAnagram) + key, list);
            }
            for (const auto& w : impl_->synonym_words) {
                if (w.size() >= 3 && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
                    db.add_spelling(w, 1);
                }
            }
            return {};
        },
        "build spelling data");
}

Result<void> IndexWriter::clear_synonyms_and_spelling() {
    return detail::xapian_try(
        [&]() -> Result<void> {
            auto& db = impl_->db;
            std::vector<std::string> keys;
            for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) keys.push_back(*k);
            for (const auto& k : keys) db.clear_synonyms(k);
            std::vector<std::pair<std::string, Xapian::doccount>> words;
            for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) words.emplace_back(*w, w.get_termfreq());
            for (const auto& [w, f] : words) db.remove_spelling(w, f);
            impl_->synonym_words.clear();
            return {};
        },
        "clear synonyms and spelling data");
}

Result<void> IndexWriter::set_metadata(std::string_view key, std::string_view value) {
    return detail::xapian_try(
        [&]() -> Result<void> {
            impl_->db.set_metadata(std::string(key), std::string(value));
            return {};
        },
        "set index metadata " + std::string(key));
}

Result<void> IndexWriter::put_section_notes(std::string_view section, const std::vector<Note>& notes) {
    return set_metadata(std::string(schema::kMetaSectionNotes) + std::string(section),
                        detail::notes_to_json(notes).dump());
}

Result<void> IndexWriter::put_chapter_notes(std::string_view chapter, const std::vector<Note>& notes) {
    return set_metadata(std::string(schema::kMetaChapterNotes) + std::string(chapter),
                        detail::notes_to_json(notes).dump());
}

std::uint32_t IndexWriter::doc_count() const { return impl_->db.get_doccount(); }

Result<void> IndexWriter::commit() {
    return detail::xapian_try(
        [&]() -> Result<void> {
            impl_->db.commit();
            return {};
        },
        "commit index " + impl_->path.string());
}

Result<void> IndexWriter::close() {
    return detail::xapian_try(
        [&]() -> Result<void> {
            impl_->db.commit();
            impl_->db.close();
            return {};
        },
        "close index " + impl_->path.string());
}

Result<StoredState> read_stored_state(const fs::path& path) {
    return detail::xapian_try(
        [&]() -> Result<StoredState> {
            Xapian::Database db(path.string());
            StoredState st;
            const std::string version = db.get_metadata(std::string(schema::kMetaSchemaVersion));
            st.schema_version = version.empty() ? 0 : std::stoi(version);
            st.global_hash = db.get_metadata(std::string(schema::kMetaGlobalHash));
            std::unordered_map<Xapian::docid, std::string> keys;
            keys.reserve(db.get_doccount());
            for (auto v = db.valuestream_begin(schema::kSlotCode); v != db.valuestream_end(schema::kSlotCode); ++v) {
                keys.emplace(v.get_docid(), *v);
            }
            st.docs.reserve(keys.size());
            for (auto v = db.valuestream_begin(schema::kSlotHash); v != db.valuestream_end(schema::kSlotHash); ++v) {
                if (auto k = keys.find(v.get_docid()); k != keys.end()) st.docs[k->second].hash = *v;
            }
            for (auto v = db.valuestream_begin(schema::kSlotOwnHash); v != db.valuestream_end(schema::kSlotOwnHash); ++v) {
                if (auto k = keys.find(v.get_docid()); k != keys.end()) st.docs[k->second].own_hash = *v;
            }
            return st;
        },
        "read index " + path.string());
}

}  // namespace icd
