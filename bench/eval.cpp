// icd-eval: relevance of the engine, side by side with an SQLite FTS5
// baseline, on a query file in the format of ../shared/eval/dev.jsonl.
//
// The engine is measured through its real command-line path: every query is
// fed to `icd-search --batch --limit 10`. The baseline is an FTS5 table
// (porter tokenizer, bm25 ranking) over the same official text: each code
// with its title, Tabular inclusion terms and the Alphabetic Index paths
// that point at it, read with the project's own release readers.
//
// A result is a hit when its code starts with one of the query's relevant
// prefixes (dots ignored, case ignored). Printed per kind and overall:
// Success@1, @3, @10, MRR@10, zero-result rate, and queries per second.
//
// --min METRIC=V and --max zero=V turn it into a check (exit 1 when a figure
// is below its threshold), --ahead requires the engine's MRR@10 to beat the
// baseline's on every kind; ctest uses these as the relevance test.
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "icd/code.hpp"
#include "icd/indexer/build.hpp"

namespace {

using nlohmann::json;

struct Query {
    std::string id, text, kind;
    std::vector<std::string> relevant;  // keys: upper case, no dots
};

struct Ranking {
    std::vector<std::string> codes;  // display form, rank order
};

struct Metrics {
    std::size_t n = 0, s1 = 0, s3 = 0, s10 = 0, zero = 0;
    double rr = 0;
    double rate(std::size_t x) const { return n ? static_cast<double>(x) / static_cast<double>(n) : 0.0; }
    double mrr() const { return n ? rr / static_cast<double>(n) : 0.0; }
    double get(const std::string& name) const {
        if (name == "s1") return rate(s1);
        if (name == "s3") return rate(s3);
        if (name == "s10") return rate(s10);
        if (name == "mrr") return mrr();
        if (name == "zero") return rate(zero);
        throw std::runtime_error("unknown metric '" + name + "' (s1, s3, s10, mrr, zero)");
    }
};

std::string key_of(std::string s) {
    std::string out;
    for (char c : s) {
        if (c != '.') out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return out;
}

// Rank (1-based) of the first hit within the first 10, or 0.
std::size_t first_hit(const Query& q, const Ranking& r) {
    for (std::size_t i = 0; i < r.codes.size() && i < 10; ++i) {
        const std::string k = key_of(r.codes[i]);
        for (const auto& rel : q.relevant) {
            if (k.rfind(rel, 0) == 0) return i + 1;
        }
    }
    return 0;
}

void add(Metrics& m, const Query& q, const Ranking& r) {
    ++m.n;
    const std::size_t rank = first_hit(q, r);
    if (rank == 1) ++m.s1;
    if (rank >= 1 && rank <= 3) ++m.s3;
    if (rank >= 1) {
        ++m.s10;
        m.rr += 1.0 / static_cast<double>(rank);
    }
    if (r.codes.empty()) ++m.zero;
}

std::vector<Query> read_queries(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<Query> out;
    std::size_t line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            const json j = json::parse(line);
            Query q{j.at("id"), j.at("q"), j.at("kind"), {}};
            for (const auto& r : j.at("relevant")) q.relevant.push_back(key_of(r.get<std::string>()));
            out.push_back(std::move(q));
        } catch (const json::exception& e) {
            throw std::runtime_error(path + ":" + std::to_string(line_no) + ": " + e.what());
        }
    }
    return out;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs all queries through `icd-search --batch` in one process.
std::vector<Ranking> run_engine(const std::vector<Query>& qs, const std::string& bin, const std::string& index,
                                double& seconds) {
    char tmpl[] = "/tmp/icd-eval-XXXXXX";
    const int fd = ::mkstemp(tmpl);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    {
        std::ofstream out(tmpl);
        for (const auto& q : qs) out << q.text << '\n';
    }
    ::close(fd);
    const std::string cmd = shell_quote(bin) + " --batch --limit 10 --index " + shell_quote(index) + " < " + tmpl;
    const auto t0 = std::chrono::steady_clock::now();
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) throw std::runtime_error("cannot run " + bin);
    std::string output;
    char buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) output.append(buf, n);
    const int status = ::pclose(p);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::remove(tmpl);
    if (status != 0) throw std::runtime_error(cmd + " failed");
    std::vector<Ranking> out;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        const json j = json::parse(line);
        Ranking r;
        for (const auto& h : j.at("results")) r.codes.push_back(h.at("code"));
        out.push_back(std::move(r));
    }
    if (out.size() != qs.size()) {
        throw std::runtime_error("icd-search --batch answered " + std::to_string(out.size()) + " of " +
                                 std::to_string(qs.size()) + " queries");
    }
    return out;
}

// ---- FTS5 baseline ----------------------------------------------------------

struct Sqlite {
    sqlite3* db = nullptr;
    ~Sqlite() { sqlite3_close(db); }
    void exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "?";
            sqlite3_free(err);
            throw std::runtime_error("sqlite: " + msg);
        }
    }
};

struct Stmt {
    sqlite3_stmt* s = nullptr;
    Stmt(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
    }
    ~Stmt() { sqlite3_finalize(s); }
};

void build_baseline(Sqlite& sql, const icd::indexer::BuildOptions& o) {
    auto src = icd::indexer::load_sources(o);
    if (!src) throw std::runtime_error(src.error().describe());
    std::unordered_map<std::string, std::vector<std::string>> paths;
    for (const auto& e : src->alpha.entries) {
        if (auto k = icd::code_key(e.code)) paths[*k].push_back(e.path_text());
    }
    if (sqlite3_open(":memory:", &sql.db) != SQLITE_OK) throw std::runtime_error("sqlite open failed");
    sql.exec("CREATE VIRTUAL TABLE codes USING fts5(code, title, inclusion, idx, tokenize='porter')");
    sql.exec("BEGIN");
    Stmt ins(sql.db, "INSERT INTO codes(code, title, inclusion, idx) VALUES (?, ?, ?, ?)");
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += x + "; ";
        return s;
    };
    for (const auto& e : src->order) {
        const std::string code = icd::display_code(e.key) + " " + e.key;
        std::string inclusion;
        if (auto it = src->tabular.codes.find(e.key); it != src->tabular.codes.end()) {
            inclusion = join(it->second.inclusion_terms);
        }
        const std::string idx = join(paths[e.key]);
        sqlite3_bind_text(ins.s, 1, code.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.s, 2, e.long_title.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.s, 3, inclusion.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.s, 4, idx.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(ins.s) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(sql.db));
        sqlite3_reset(ins.s);
    }
    sql.exec("COMMIT");
}

// The words of a query as an FTS5 OR-query of quoted tokens.
std::string fts_query(const std::string& text) {
    std::string out, word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!out.empty()) out += " OR ";
        out += "\"" + word + "\"";
        word.clear();
    };
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        } else {
            flush();
        }
    }
    flush();
    return out;
}

std::vector<Ranking> run_baseline(Sqlite& sql, const std::vector<Query>& qs, double& seconds) {
    Stmt q(sql.db, "SELECT code FROM codes WHERE codes MATCH ? ORDER BY bm25(codes) LIMIT 10");
    std::vector<Ranking> out;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& query : qs) {
        Ranking r;
        const std::string m = fts_query(query.text);
        if (!m.empty()) {
            sqlite3_bind_text(q.s, 1, m.c_str(), -1, SQLITE_TRANSIENT);
            while (sqlite3_step(q.s) == SQLITE_ROW) {
                std::string code = reinterpret_cast<const char*>(sqlite3_column_text(q.s, 0));
                r.codes.push_back(code.substr(0, code.find(' ')));
            }
            sqlite3_reset(q.s);
        }
        out.push_back(std::move(r));
    }
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

// ---- report -----------------------------------------------------------------

void print_row(const std::string& kind, const Metrics& e, const Metrics* b) {
    std::printf("| %-9s | %3zu | %.3f | %.3f | %.3f | %.3f | %.3f |", kind.c_str(), e.n, e.rate(e.s1), e.rate(e.s3),
                e.rate(e.s10), e.mrr(), e.rate(e.zero));
    if (b) std::printf(" %.3f | %.3f | %.3f | %.3f | %.3f |", b->rate(b->s1), b->rate(b->s3), b->rate(b->s10), b->mrr(), b->rate(b->zero));
    std::printf("\n");
}

int usage() {
    std::cerr << "usage: icd-eval --queries FILE.jsonl --index DIR [--search-bin PATH]\n"
                 "                [--baseline (--release DIR | --order F --tabular F --alphabetic-index F)]\n"
                 "                [--failures] [--min METRIC=V]... [--max zero=V] [--ahead]\n"
                 "  METRIC: s1, s3, s10, mrr (overall) or KIND.METRIC (per kind)\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string queries_path, index, bin = "icd-search", release;
    icd::indexer::BuildOptions files;
    bool baseline = false, failures = false, ahead = false;
    std::vector<std::pair<std::string, double>> mins, maxs;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            auto next = [&]() -> std::string {
                if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
                return argv[++i];
            };
            auto threshold = [&](std::vector<std::pair<std::string, double>>& into) {
                const std::string v = next();
                const auto eq = v.find('=');
                if (eq == std::string::npos) throw std::runtime_error(a + " expects METRIC=VALUE");
                into.emplace_back(v.substr(0, eq), std::stod(v.substr(eq + 1)));
            };
            if (a == "--queries") queries_path = next();
            else if (a == "--index") index = next();
            else if (a == "--search-bin") bin = next();
            else if (a == "--baseline") baseline = true;
            else if (a == "--release") release = next();
            else if (a == "--order") files.release.order = next();
            else if (a == "--tabular") files.release.tabular = next();
            else if (a == "--alphabetic-index") files.release.alphabetic_index = next();
            else if (a == "--failures") failures = true;
            else if (a == "--ahead") ahead = baseline = true;
            else if (a == "--min") threshold(mins);
            else if (a == "--max") threshold(maxs);
            else return usage();
        }
        if (queries_path.empty() || index.empty()) return usage();
        if (!release.empty()) {
            auto found = icd::indexer::locate_release(release);
            if (!found) throw std::runtime_error(found.error().describe());
            files.release = *found;
        }
        const auto qs = read_queries(queries_path);

        double engine_s = 0;
        const auto engine = run_engine(qs, bin, index, engine_s);
        std::vector<Ranking> base;
        double base_s = 0;
        if (baseline) {
            if (files.release.order.empty()) throw std::runtime_error("--baseline needs --release or the three files");
            Sqlite sql;
            build_baseline(sql, files);
            base = run_baseline(sql, qs, base_s);
        }

        std::map<std::string, Metrics> em, bm;
        for (std::size_t i = 0; i < qs.size(); ++i) {
            add(em[qs[i].kind], qs[i], engine[i]);
            add(em["all"], qs[i], engine[i]);
            if (baseline) {
                add(bm[qs[i].kind], qs[i], base[i]);
                add(bm["all"], qs[i], base[i]);
            }
        }
        std::printf("| kind      |   n | S@1   | S@3   | S@10  | MRR@10 | zero  |");
        if (baseline) std::printf(" FTS5 S@1 | S@3 | S@10 | MRR@10 | zero |");
        std::printf("\n|---|---|---|---|---|---|---|%s\n", baseline ? "---|---|---|---|---|" : "");
        for (const auto& [kind, m] : em) {
            if (kind != "all") print_row(kind, m, baseline ? &bm[kind] : nullptr);
        }
        print_row("all", em["all"], baseline ? &bm["all"] : nullptr);
        std::printf("\nengine: %zu queries in %.2f s through icd-search --batch (%.0f queries/s, process start included)\n",
                    qs.size(), engine_s, static_cast<double>(qs.size()) / engine_s);
        if (baseline) {
            std::printf("fts5:   %zu queries in %.2f s (%.0f queries/s)\n", qs.size(), base_s,
                        static_cast<double>(qs.size()) / base_s);
        }

        if (failures) {
            std::printf("\nFailures (no hit in the top 10 / hit below rank 1):\n");
            for (std::size_t i = 0; i < qs.size(); ++i) {
                const std::size_t rank = first_hit(qs[i], engine[i]);
                if (rank == 1) continue;
                std::printf("%s %-9s rank %-2s %-50s want %s got", qs[i].id.c_str(), qs[i].kind.c_str(),
                            rank ? std::to_string(rank).c_str() : "-", ("\"" + qs[i].text + "\"").substr(0, 50).c_str(),
                            qs[i].relevant.front().c_str());
                for (std::size_t k = 0; k < engine[i].codes.size() && k < 3; ++k) std::printf(" %s", engine[i].codes[k].c_str());
                std::printf("\n");
            }
        }

        bool ok = true;
        auto metric_of = [&](const std::string& spec) {
            const auto dot = spec.find('.');
            const std::string kind = dot == std::string::npos ? "all" : spec.substr(0, dot);
            if (!em.count(kind)) throw std::runtime_error("no queries of kind '" + kind + "'");
            return em[kind].get(dot == std::string::npos ? spec : spec.substr(dot + 1));
        };
        for (const auto& [spec, v] : mins) {
            const double got = metric_of(spec);
            if (got + 1e-9 < v) {
                std::printf("FAIL: %s = %.3f, below the threshold %.3f\n", spec.c_str(), got, v);
                ok = false;
            }
        }
        for (const auto& [spec, v] : maxs) {
            const double got = metric_of(spec);
            if (got > v + 1e-9) {
                std::printf("FAIL: %s = %.3f, above the threshold %.3f\n", spec.c_str(), got, v);
                ok = false;
            }
        }
        if (ahead) {
            for (const auto& [kind, m] : em) {
                if (m.mrr() <= bm[kind].mrr()) {
                    std::printf("FAIL: %s MRR@10 %.3f is not ahead of FTS5's %.3f\n", kind.c_str(), m.mrr(), bm[kind].mrr());
                    ok = false;
                }
            }
        }
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "icd-eval: error: " << e.what() << '\n';
        return 2;
    }
}
