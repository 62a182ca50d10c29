// Helpers shared by the test programs.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <stdexcept>
#include <system_error>

#include <sys/wait.h>

#include "icd/record.hpp"
#include "icd/result.hpp"
#include "icd/searcher.hpp"

namespace icd {
// Readable values in Boost.Test failure messages.
inline std::ostream& boost_test_print_type(std::ostream& os, Errc e) { return os << errc_name(e); }
inline std::ostream& boost_test_print_type(std::ostream& os, QueryMode m) { return os << query_mode_name(m); }
inline std::ostream& boost_test_print_type(std::ostream& os, NoteKind k) { return os << note_kind_name(k); }
}  // namespace icd

namespace icd::test {

// A fresh directory under the system temp dir, removed with its contents on
// destruction.
class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "icd-test-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, std::string_view content) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << content;
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// One order-file line in the official fixed-width layout.
inline std::string order_line(unsigned order, std::string_view key, bool billable, std::string_view short_title,
                              std::string_view long_title) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%05u %-7.*s %c %-60.*s %.*s\r\n", order, static_cast<int>(key.size()),
                  key.data(), billable ? '1' : '0', static_cast<int>(short_title.size()), short_title.data(),
                  static_cast<int>(long_title.size()), long_title.data());
    return buf;
}

// A minimal record for writing test indexes directly.
inline CodeRecord record(std::string key, std::string title, bool billable, unsigned order,
                         std::string parent = {}, std::string chapter = "13") {
    CodeRecord r;
    r.key = std::move(key);
    r.title = std::move(title);
    r.short_title = r.title;
    r.billable = billable;
    r.order = order;
    r.parent = std::move(parent);
    r.chapter = std::move(chapter);
    r.chapter_title = "Chapter " + r.chapter;
    return r;
}

// Runs a shell command, returning its exit status and captured stdout
// (stderr is captured too when `merge_stderr`).
struct RunResult {
    int status = -1;
    std::string out;
};
inline RunResult run(const std::string& command, bool merge_stderr = false) {
    RunResult r;
    const std::string cmd = command + (merge_stderr ? " 2>&1" : "");
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return r;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

inline std::string shell_quote(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out.push_back(c);
        }
    }
    out += "'";
    return out;
}

// The four seed code articles: everything they mention is in the test
// release, so expectations built on them do not move as the corpus grows.
inline constexpr std::array<const char*, 4> kSeedArticles{"M61.20", "M62.561", "M81.6", "G24.9"};

inline std::filesystem::path corpus_article(std::string_view code) {
    return std::filesystem::path(ICD_SOURCE_DIR "/corpus/articles") / (std::string(code) + ".json");
}

// Copies articles of corpus/articles (by code) into `dir`, creating it.
template <typename Codes>
void copy_articles(const std::filesystem::path& dir, const Codes& codes) {
    std::filesystem::create_directories(dir);
    for (const char* code : codes) {
        std::filesystem::copy_file(corpus_article(code), dir / (std::string(code) + ".json"),
                                   std::filesystem::copy_options::overwrite_existing);
    }
}

// The value of one sample of Prometheus text ("name{labels}"), or -1.
inline double prometheus_sample(const std::string& text, const std::string& series) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ') {
            return std::stod(line.substr(series.size() + 1));
        }
    }
    return -1;
}

}  // namespace icd::test
