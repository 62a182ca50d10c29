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

// How the references of one index-like source (Alphabetic Index, a table)
// resolved against the order file.
struct ReferenceStats {
    std::size_t references = 0;       // code references in the source
    std::size_t attached = 0;         // ... to a code of the order file
    std::size_t codes = 0;            // distinct codes they attach to
    std::size_t to_descendants = 0;   // (path, descendant) pairs from "-" and header references
    std::vector<Unresolved> unresolved;
};

struct Assembly {
    std::vector<CodeRecord> records;         // in order-file order
    std::vector<GroupNotes> section_notes;
    std::vector<GroupNotes> chapter_notes;

    std::size_t billable = 0;
    std::size_t tabular_codes = 0;           // <diag> codes in the tabular
    std::vector<Unresolved> tabular_not_in_order;
    std::size_t codes_without_tabular = 0;   // order codes with no tabular ancestor at all
    ReferenceStats index;                    // Alphabetic Index
    ReferenceStats tables;                   // Drug, Neoplasm and External-cause tables
    std::size_t articles = 0;
    std::size_t articles_attached = 0;
    Diagnostics diagnostics;                 // duplicate or unattachable articles
};

struct NamedIndex {
    const AlphaIndex* index = nullptr;
    std::string name;  // file, for messages
};

struct AssembleSources {
    const std::vector<OrderEntry>& order;
    const Tabular& tabular;
    const std::string& tabular_name;
    const AlphaIndex& index;
    const std::string& index_name;
    const std::vector<Article>& articles;
    std::vector<NamedIndex> tables = {};  // optional Drug, Neoplasm, External-cause
};

Assembly assemble(const AssembleSources& sources);

// Lay phrases from the Alphabetic Index's cross-references: a main term or
// a first-level subterm with "see" or "see also" becomes a phrase that
// should also search its target ("Deposit > calcareous, calcium -- see
// Calcification" gives "calcium deposit" -> "Calcification"). A subterm's
// comma alternatives are split, a main term's first part is used,
// nonessential modifiers are dropped, and a subterm phrase is produced in
// both word orders ("heart attack", "attack heart"). Targets that only say
// "condition" are skipped.
struct CrossReferencePhrase {
    std::string phrase;
    std::string target;
    bool see_also = false;
};
std::vector<CrossReferencePhrase> cross_reference_phrases(const AlphaIndex& index);

}  // namespace icd::indexer
