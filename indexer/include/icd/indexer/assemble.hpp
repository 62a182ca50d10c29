// Joining the sources into one CodeRecord per order-file line.
//
// The order file decides which codes exist and their official titles. The
// Tabular List adds chapter, section, inclusion terms and notes; codes it
// does not list (7th-character extensions, codes newer than the tabular)
// take their context from their nearest listed ancestor, and extensions get
// the meaning of their 7th character from the nearest <sevenChrDef>. The
// Alphabetic Index adds the term paths that point at each code. Articles
// are attached to their code. Whatever refers to a code the order file does
// not have is counted and listed, never silently dropped.
#pragma once

#include <string>
#include <vector>

#include "icd/indexer/alpha_index.hpp"
#include "icd/indexer/diagnostic.hpp"
#include "icd/indexer/order_file.hpp"
#include "icd/indexer/tabular.hpp"
#include "icd/record.hpp"

namespace icd::indexer {

struct GroupNotes {
    std::string id;           // section id or chapter number
    std::vector<Note> notes;
};

struct Unresolved {
    std::string code;         // as written in the source
    std::string where;        // "FILE:LINE"
};

struct Assembly {
    std::vector<CodeRecord> records;         // in order-file order
    std::vector<GroupNotes> section_notes;
    std::vector<GroupNotes> chapter_notes;

    std::size_t billable = 0;
    std::size_t tabular_codes = 0;           // <diag> codes in the tabular
    std::vector<Unresolved> tabular_not_in_order;
    std::size_t codes_without_tabular = 0;   // order codes with no tabular ancestor at all
    std::size_t index_references = 0;        // code references in the Alphabetic Index
    std::size_t index_attached = 0;
    std::size_t codes_with_index_terms = 0;
    std::vector<Unresolved> index_unresolved;
    std::size_t articles = 0;
    std::size_t articles_attached = 0;
    Diagnostics diagnostics;                 // duplicate or unattachable articles
};

struct AssembleSources {
    const std::vector<OrderEntry>& order;
    const Tabular& tabular;
    const std::string& tabular_name;
    const AlphaIndex& index;
    const std::string& index_name;
    const std::vector<Article>& articles;
};

Assembly assemble(const AssembleSources& sources);

}  // namespace icd::indexer
