#include "icd/searcher.hpp"

#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "doc_data.hpp"
#include "icd/code.hpp"
#include "icd/index_store.hpp"
#include "icd/schema.hpp"
#include "query.hpp"
#include "xapian_error.hpp"

namespace icd {

namespace fs = std::filesystem;
using schema::TextField;

const char* query_mode_name(QueryMode mode) noexcept {
    switch (mode) {
        case QueryMode::empty: return "empty";
        case QueryMode::code: return "code";
        case QueryMode::text: return "text";
    }
    return "empty";
}

namespace {

// Identity of the published generation: the stub file's inode and mtime.
// Publishing renames a new stub into place, which changes both.
struct Stamp {
    ino_t ino = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const Stamp&) const = default;
};

std::optional<Stamp> stub_stamp(const fs::path& index) {
    struct stat st{};
    if (::stat((index / kStubFile).c_str(), &st) != 0) return std::nullopt;
    return Stamp{st.st_ino, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
}

constexpr char kHiStart = '\x01';
constexpr char kHiEnd = '\x02';

// Xapian's snippet is HTML-escaped with our control-character markers around
// matches; turn it into plain text plus highlight ranges.
void decode_snippet(const std::string& html, Hit& hit) {
    std::string& out = hit.snippet;
    out.clear();
    std::size_t open = std::string::npos;
    for (std::size_t i = 0; i < html.size(); ++i) {
        const char c = html[i];
        if (c == kHiStart) {
            open = out.size();
        } else if (c == kHiEnd) {
            if (open != std::string::npos && open < out.size()) hit.highlights.push_back({open, out.size()});
            open = std::string::npos;
        } else if (c == '&') {
            static constexpr std::pair<std::string_view, char> kEntities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''}};
            bool done = false;
            for (const auto& [entity, ch] : kEntities) {
                if (html.compare(i, entity.size(), entity) == 0) {
                    out.push_back(ch);
                    i += entity.size() - 1;
                    done = true;
                    break;
                }
            }
            if (!done) out.push_back(c);
        } else {
            out.push_back(c);
        }
    }
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& s : items) {
        if (s.empty()) continue;
        if (!out.empty()) out.append(sep);
        out.append(s);
    }
    return out;
}

std::string category_text(const Article& c) {
    std::vector<std::string> texts{c.description};
    texts.insert(texts.end(), c.also_known_as.begin(), c.also_known_as.end());
    texts.insert(texts.end(), c.presentation.begin(), c.presentation.end());
    texts.insert(texts.end(), c.causes.begin(), c.causes.end());
    return join(texts, " ");
}

// The displayable text of one field of a stored record (context is not
// stored, so it has none; the category article comes from the category's
// own document, passed in when it was fetched).
std::string field_text(const CodeRecord& r, TextField field, const Article* category = nullptr) {
    switch (field) {
        case TextField::code: return display_code(r.key);
        case TextField::title: return r.title;
        case TextField::short_title: return r.short_title;
        case TextField::inclusion: return join(r.inclusion_terms, "; ");
        case TextField::index_term: return join(r.index_terms, "; ");
        case TextField::index_above: return join(r.index_above, "; ");
        case TextField::tables: return join(r.table_terms, "; ");
        case TextField::context: return {};
        case TextField::seventh: return r.seventh_character;
        case TextField::subcode_note: return join(r.subcode_notes, " ");
        case TextField::category: return category ? category_text(*category) : std::string();
        case TextField::notes: {
            std::vector<std::string> texts;
            for (const auto& n : r.notes) texts.push_back(n.text);
            return join(texts, "; ");
        }
        default: break;
    }
    if (!r.article) return {};
    const Article& a = *r.article;
    switch (field) {
        case TextField::description: return a.description;
        case TextField::also_known_as: return join(a.also_known_as, "; ");
        case TextField::presentation: return join(a.presentation, " ");
        case TextField::causes: return join(a.causes, " ");
        case TextField::key_points: return join(a.key_points, " ");
        case TextField::scenarios: return join(a.clinical_scenarios, " ");
        case TextField::specialties: {
            std::vector<std::string> texts;
            for (const auto& s : a.specialties) {
                texts.insert(texts.end(), {s.name + ":", s.documentation, s.scenarios, s.billing});
            }
            return join(texts, " ");
        }
        case TextField::guidelines: return join(a.use_when, " ");
        case TextField::faq: {
            std::vector<std::string> texts;
            for (const auto& f : a.faqs) texts.insert(texts.end(), {f.question, f.answer});
            return join(texts, " ");
        }
        default: return {};
    }
}

std::string strip_markers(std::string s) {
    std::erase_if(s, [](char c) { return c == kHiStart || c == kHiEnd; });
    return s;
}

CodeSummary summary_of(const CodeRecord& r) { return {display_code(r.key), r.title, r.billable}; }

}  // namespace

// One reader's private Xapian objects. Used by one thread at a time.
struct Session {
    explicit Session(const detail::Ranking& ranking) : builder(ranking) {}
    Xapian::Database db;
    std::optional<Stamp> stamp;
    detail::QueryBuilder builder;
    // Category records (with their articles) decoded for snippets, kept for
    // the session's database revision: hits share a few categories.
    mutable std::unordered_map<std::string, std::shared_ptr<const CodeRecord>> categories;
};

namespace {

// LRU cache of search results, in shards so that threads rarely wait for
// each other. An entry remembers the generation stamp it was computed for.
class ResultCache {
public:
    explicit ResultCache(std::size_t capacity)
        : per_shard_(std::max<std::size_t>(1, (capacity + kShards - 1) / kShards)), capacity_(capacity) {}

    std::shared_ptr<const SearchResults> get(const std::string& key, const Stamp& stamp) {
        Shard& sh = shard(key);
        std::lock_guard lock(sh.mu);
        auto it = sh.map.find(key);
        if (it == sh.map.end() || !(it->second->stamp == stamp)) {
            misses_.fetch_add(1, std::memory_order_relaxed);
            return nullptr;
        }
        sh.lru.splice(sh.lru.begin(), sh.lru, it->second);
        hits_.fetch_add(1, std::memory_order_relaxed);
        return it->second->results;
    }

    void put(const std::string& key, const Stamp& stamp, std::shared_ptr<const SearchResults> results) {
        Shard& sh = shard(key);
        std::lock_guard lock(sh.mu);
        if (auto it = sh.map.find(key); it != sh.map.end()) {
            it->second->stamp = stamp;
            it->second->results = std::move(results);
            sh.lru.splice(sh.lru.begin(), sh.lru, it->second);
            return;
        }
        sh.lru.push_front({key, stamp, std::move(results)});
        sh.map.emplace(key, sh.lru.begin());
        if (sh.lru.size() > per_shard_) {
            sh.map.erase(sh.lru.back().key);
            sh.lru.pop_back();
        }
    }

    CacheStats stats() {
        CacheStats s;
        s.hits = hits_.load(std::memory_order_relaxed);
        s.misses = misses_.load(std::memory_order_relaxed);
        s.capacity = capacity_;
        for (auto& sh : shards_) {
            std::lock_guard lock(sh.mu);
            s.entries += sh.lru.size();
        }
        return s;
    }

private:
    static constexpr std::size_t kShards = 16;
    struct Entry {
        std::string key;
        Stamp stamp;
        std::shared_ptr<const SearchResults> results;
    };
    struct Shard {
        std::mutex mu;
        std::list<Entry> lru;  // most recent first
        std::unordered_map<std::string, std::list<Entry>::iterator> map;
    };
    Shard& shard(const std::string& key) { return shards_[std::hash<std::string>{}(key) % kShards]; }

    std::array<Shard, kShards> shards_;
    std::size_t per_shard_;
    std::size_t capacity_;
    std::atomic<std::uint64_t> hits_{0}, misses_{0};
};

std::string cache_key(std::string_view query, const SearchOptions& o) {
    std::string key;
    key.reserve(query.size() + 48);
    key.append(std::to_string(o.limit)).push_back(',');
    key.append(std::to_string(o.offset)).push_back(',');
    key.push_back(o.billable_only ? '1' : '0');
    key.append(o.chapter).push_back(',');
    key.append(std::to_string(o.snippet_bytes)).push_back(',');
    key.append(std::to_string(o.per_category)).push_back(',');
    key.append(std::to_string(o.max_query_bytes)).push_back('\x1f');
    key.append(query);
    return key;
}

// The terms that tell in which fields a query matched a document: for each
// plain query term (stemmed "Zword" or unstemmed "word"), its form in every
// searched field ("ZXTword"); for a field term of the query ("XTword"), that
// term. Sorted by term, so that one termlist walk with skip_to checks them all.
using FieldProbes = std::vector<std::pair<std::string, TextField>>;

FieldProbes field_probes(const Xapian::Query& query) {
    FieldProbes probes;
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
        const std::string term = *t;
        const bool stemmed = !term.empty() && term[0] == 'Z';
        const std::string word = stemmed ? term.substr(1) : term;
        if (word.empty()) continue;
        if (std::isupper(static_cast<unsigned char>(word[0])) == 0) {
            for (const auto& f : schema::kTextFields) {
                if (f.group != schema::Group::none && !f.prefix.empty()) {
                    probes.emplace_back((stemmed ? "Z" : "") + std::string(f.prefix) + word, f.field);
                }
            }
            continue;
        }
        for (const auto& f : schema::kTextFields) {
            if (!f.prefix.empty() && word.starts_with(f.prefix) && word.size() > f.prefix.size() &&
                std::isupper(static_cast<unsigned char>(word[f.prefix.size()])) == 0) {
                probes.emplace_back(term, f.field);
            }
        }
    }
    std::sort(probes.begin(), probes.end());
    probes.erase(std::unique(probes.begin(), probes.end()), probes.end());
    return probes;
}

}  // namespace

struct Searcher::Impl {
    fs::path path;
    std::unique_ptr<ResultCache> cache;  // null: no cache
    detail::Ranking ranking = detail::ranking_from_env();
    std::mutex mu;
    std::vector<std::unique_ptr<Session>> idle;  // guarded by mu

    std::unique_ptr<Session> open_session(std::optional<Stamp> stamp) const {
        auto s = std::make_unique<Session>(ranking);
        s->db = Xapian::Database(path.string());
        s->stamp = stamp;
        return s;
    }

    // Borrows a session that shows the live generation.
    std::unique_ptr<Session> acquire() {
        const auto stamp = stub_stamp(path);
        std::unique_ptr<Session> s;
        {
            std::lock_guard lock(mu);
            while (!idle.empty() && !s) {
                s = std::move(idle.back());
                idle.pop_back();
                if (stamp && s->stamp != stamp) s.reset();  // an older generation: drop it
            }
        }
        if (!s) return open_session(stamp);
        if (!stamp && s->db.reopen()) s->categories.clear();  // plain database: pick up commits
        return s;
    }

    void release(std::unique_ptr<Session> s) {
        std::lock_guard lock(mu);
        idle.push_back(std::move(s));
    }

    // Runs fn(session) with a live session. When the database changed or
    // went away under it (DatabaseModifiedError; or an old generation pruned
    // by a publish while this session still used it), the session is
    // reopened on the live generation and fn runs once more.
    template <typename Fn>
    auto with_session(Fn&& fn, const std::string& what) -> decltype(fn(std::declval<Session&>())) {
        return detail::xapian_try(
            [&]() -> decltype(fn(std::declval<Session&>())) {
                auto s = acquire();
                try {
                    auto result = fn(*s);
                    release(std::move(s));
                    return result;
                } catch (const Xapian::DatabaseModifiedError&) {
                } catch (const Xapian::DatabaseOpeningError&) {  // also DatabaseNotFoundError
                }
                s = open_session(stub_stamp(path));
                auto result = fn(*s);
                release(std::move(s));
                return result;
            },
            what);
    }

    static std::optional<CodeRecord> find(const Xapian::Database& db, std::string_view key) {
        const std::string id = schema::term(schema::kIdTerm.prefix, key);
        auto it = db.postlist_begin(id);
        if (it == db.postlist_end(id)) return std::nullopt;
        return detail::decode_record(db.get_document(*it).get_data());
    }

    Result<SearchResults> search(Session& s, std::string_view raw, const SearchOptions& opt) const;
    void describe_hit(const Session& s, const FieldProbes& probes, const Xapian::MSet& mset,
                      const Xapian::MSetIterator& it, const CodeRecord& record, const SearchOptions& opt,
                      Hit& hit) const;
};

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;
Searcher::~Searcher() = default;

Result<Searcher> Searcher::open(const fs::path& index, const SearcherConfig& config) {
    if (!fs::exists(index)) {
        return make_error(Errc::index_unavailable, "no index at " + index.string(),
                          "build one with: icd-index build --release DIR --index " + index.string());
    }
    auto impl = std::make_unique<Impl>();
    impl->path = index;
    if (config.cache_entries > 0) impl->cache = std::make_unique<ResultCache>(config.cache_entries);
    auto opened = detail::xapian_try(
        [&]() -> Result<std::unique_ptr<Session>> {
            auto s = impl->open_session(stub_stamp(index));
            const std::string version = s->db.get_metadata(std::string(schema::kMetaSchemaVersion));
            if (version.empty()) {
                return make_error(Errc::index_unavailable, index.string() + " is not an ICD-10-CM index",
                                  "build one with: icd-index build --release DIR --index PATH");
            }
            if (version != std::to_string(schema::kVersion)) {
                return make_error(Errc::index_unavailable,
                                  index.string() + " has index schema version " + version + ", this program reads " +
                                      std::to_string(schema::kVersion),
                                  "rebuild the index with this version of icd-index");
            }
            return s;
        },
        "open index " + index.string());
    if (!opened) return std::move(opened).error();
    impl->release(std::move(*opened));
    return Searcher(std::move(impl));
}

void Searcher::Impl::describe_hit(const Session& s, const FieldProbes& probes, const Xapian::MSet& mset,
                                  const Xapian::MSetIterator& it, const CodeRecord& record, const SearchOptions& opt,
                                  Hit& hit) const {
    // Which fields did the query terms match in? One walk of the document's
    // sorted termlist, probing the field forms of the query's terms.
    std::map<TextField, std::size_t> hits_per_field;
    auto tl = s.db.termlist_begin(*it);
    const auto tl_end = s.db.termlist_end(*it);
    for (const auto& [prefixed, field] : probes) {
        tl.skip_to(prefixed);
        if (tl == tl_end) break;
        if (*tl == prefixed) ++hits_per_field[field];
    }
    // Words matched in the category's article (not stored with the code):
    // fetch it from the category's document to show why the code matched.
    std::shared_ptr<const CodeRecord> category;
    if (hits_per_field.count(TextField::category) && record.category_article && record.key.size() > 3) {
        const std::string key = record.key.substr(0, 3);
        auto cached = s.categories.find(key);
        if (cached == s.categories.end()) {
            auto found = Impl::find(s.db, key);
            cached = s.categories
                         .emplace(key, found ? std::make_shared<const CodeRecord>(std::move(*found)) : nullptr)
                         .first;
        }
        category = cached->second;
        if (!category || !category->article) hits_per_field.erase(TextField::category);
    }
    const Article* category_article = category && category->article ? &*category->article : nullptr;
    for (const auto& f : schema::kTextFields) {
        if (hits_per_field.count(f.field)) hit.matched_fields.emplace_back(f.name);
    }

    // Snippet from the field with the most matching terms that has
    // displayable text (ties: schema order, title first).
    std::optional<TextField> best;
    std::size_t best_count = 0;
    for (const auto& f : schema::kTextFields) {
        auto c = hits_per_field.find(f.field);
        if (c == hits_per_field.end() || c->second <= best_count) continue;
        if (field_text(record, f.field, category_article).empty()) continue;
        best = f.field;
        best_count = c->second;
    }
    const TextField field = best.value_or(TextField::title);
    const std::string text = strip_markers(field_text(record, field, category_article));
    const std::string html = mset.snippet(text, opt.snippet_bytes, s.builder.stemmer(),
                                          Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                          std::string(1, kHiStart), std::string(1, kHiEnd), "…");
    decode_snippet(html, hit);
    hit.snippet_field = std::string(schema::spec(field).name);
}

Result<SearchResults> Searcher::Impl::search(Session& s, std::string_view raw, const SearchOptions& opt) const {
    SearchResults out;
    out.query = detail::truncate_query(raw, opt.max_query_bytes, out.truncated);
    out.offset = opt.offset;
    detail::BuiltQuery built = s.builder.build(out.query, s.db);
    out.mode = built.mode;
    out.note = built.note;
    out.corrected = built.corrected;
    out.suggestion = built.suggestion;
    out.expansions = built.expansions;
    if (built.mode == QueryMode::empty) return out;

    Xapian::Enquire enquire(s.db);
    enquire.set_query(detail::QueryBuilder::apply_filters(built.query, opt));
    const auto& knobs = s.builder.ranking();
    enquire.set_weighting_scheme(Xapian::BM25Weight(knobs.bm25_k1, 0, 1, knobs.bm25_b, 0.5));
    if (built.sort_by_code) {
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_sort_by_value(schema::kSlotCode, false);
    } else if (opt.per_category > 0) {
        enquire.set_collapse_key(schema::kSlotCategory, static_cast<Xapian::doccount>(opt.per_category));
    }
    const auto limit = static_cast<Xapian::doccount>(std::min<std::size_t>(opt.limit, 10000));
    const auto offset = static_cast<Xapian::doccount>(std::min<std::size_t>(opt.offset, 1000000));
    const Xapian::MSet mset = enquire.get_mset(offset, limit);
    out.total = mset.get_matches_estimated();
    const FieldProbes probes = built.sort_by_code ? FieldProbes() : field_probes(built.query);
    unsigned rank = static_cast<unsigned>(offset);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        const CodeRecord record = detail::decode_record(it.get_document().get_data());
        Hit hit;
        hit.rank = ++rank;
        hit.code = display_code(record.key);
        hit.title = record.title;
        hit.billable = record.billable;
        hit.chapter = record.chapter;
        hit.score = built.sort_by_code ? 0.0 : it.get_weight();
        if (built.sort_by_code) {
            hit.matched_fields.emplace_back(schema::spec(TextField::code).name);
            hit.snippet_field = std::string(schema::spec(TextField::title).name);
            hit.snippet = record.title;
        } else {
            describe_hit(s, probes, mset, it, record, opt, hit);
        }
        out.hits.push_back(std::move(hit));
    }
    return out;
}

Result<SearchResults> Searcher::search(std::string_view query, const SearchOptions& options) const {
    std::optional<Stamp> stamp;
    std::string key;
    if (impl_->cache) {
        stamp = stub_stamp(impl_->path);
        if (stamp) {
            key = cache_key(query, options);
            if (auto hit = impl_->cache->get(key, *stamp)) return *hit;
        }
    }
    auto results = impl_->with_session([&](Session& s) { return impl_->search(s, query, options); },
                                       "search " + impl_->path.string());
    if (results && stamp) impl_->cache->put(key, *stamp, std::make_shared<const SearchResults>(*results));
    return results;
}

CacheStats Searcher::cache_stats() const { return impl_->cache ? impl_->cache->stats() : CacheStats{}; }

Result<std::string> Searcher::explain(std::string_view query, const SearchOptions& options) const {
    return impl_->with_session(
        [&](Session& s) -> Result<std::string> {
            bool truncated = false;
            const auto text = detail::truncate_query(query, options.max_query_bytes, truncated);
            auto built = s.builder.build(text, s.db);
            return detail::QueryBuilder::apply_filters(built.query, options).get_description();
        },
        "explain query");
}

Result<CodeDetail> Searcher::lookup(std::string_view code) const {
    const auto key = code_key(code);
    if (!key) {
        return make_error(Errc::not_found, "'" + std::string(code) + "' is not an ICD-10-CM code",
                          "codes look like M62.561 or m62561");
    }
    return impl_->with_session(
        [&](Session& s) -> Result<CodeDetail> {
            auto record = Impl::find(s.db, *key);
            if (!record) {
                std::string hint;
                for (std::size_t n = key->size() - 1; n >= 3; --n) {
                    if (s.db.term_exists(schema::term(schema::kIdTerm.prefix, key->substr(0, n)))) {
                        hint = "see " + display_code(key->substr(0, n)) + " and the codes under it";
                        break;
                    }
                }
                return make_error(Errc::not_found, "no code " + display_code(*key) + " in this index", hint);
            }
            CodeDetail d;
            d.code = display_code(record->key);
            d.title = record->title;
            d.short_title = record->short_title;
            d.billable = record->billable;
            d.chapter = record->chapter;
            d.chapter_title = record->chapter_title;
            d.section = record->section;
            d.section_title = record->section_title;
            d.inclusion_terms = record->inclusion_terms;
            d.index_terms = record->index_terms;
            d.seventh_character = record->seventh_character;
            d.article = record->article;
            d.subcode_notes = record->subcode_notes;
            if (record->category_article && record->key.size() > 3) {
                if (auto category = Impl::find(s.db, record->key.substr(0, 3))) d.category_article = category->article;
            }
            d.notes = record->notes;
            for (auto& n : d.notes) {
                if (n.from.empty()) n.from = record->key;
            }
            // Notes inherited from ancestors, then the section and chapter.
            std::string up = record->parent;
            bool first = true;
            while (!up.empty()) {
                auto ancestor = Impl::find(s.db, up);
                if (!ancestor) break;
                if (first) d.parent = summary_of(*ancestor);
                first = false;
                for (auto n : ancestor->notes) {
                    if (n.from.empty()) n.from = ancestor->key;
                    d.notes.push_back(std::move(n));
                }
                up = ancestor->parent;
            }
            auto add_group_notes = [&](std::string_view meta_prefix, const std::string& id) {
                if (id.empty()) return;
                const std::string data = s.db.get_metadata(std::string(meta_prefix) + id);
                if (data.empty()) return;
                for (auto n : detail::notes_from_json(nlohmann::json::parse(data))) {
                    if (n.from.empty()) n.from = id;
                    d.notes.push_back(std::move(n));
                }
            };
            add_group_notes(schema::kMetaSectionNotes, record->section);
            add_group_notes(schema::kMetaChapterNotes, record->chapter);

            std::vector<std::pair<std::string, CodeSummary>> children;
            const std::string child_term = schema::term(schema::kParent.prefix, record->key);
            for (auto p = s.db.postlist_begin(child_term); p != s.db.postlist_end(child_term); ++p) {
                const CodeRecord child = detail::decode_record(s.db.get_document(*p).get_data());
                children.emplace_back(child.key, summary_of(child));
            }
            std::sort(children.begin(), children.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            for (auto& c : children) d.children.push_back(std::move(c.second));
            return d;
        },
        "look up " + std::string(code));
}

Result<IndexInfo> Searcher::info() const {
    return impl_->with_session(
        [&](Session& s) -> Result<IndexInfo> {
            IndexInfo info;
            info.path = impl_->path;
            if (auto gen = read_live_generation(impl_->path)) info.generation = gen->number;
            info.doc_count = s.db.get_doccount();
            info.schema_version = std::stoi(s.db.get_metadata(std::string(schema::kMetaSchemaVersion)));
            info.built_at = s.db.get_metadata(std::string(schema::kMetaBuiltAt));
            info.sources = s.db.get_metadata(std::string(schema::kMetaSources));
            return info;
        },
        "read index info");
}

}  // namespace icd
