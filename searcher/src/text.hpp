// Word-level text handling shared by the index writer and the query builder,
// so that both sides split and stem text the same way.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace icd::detail {

// The words of `text` in order, as Xapian's TermGenerator splits them
// (lower case, unstemmed; "Meniere's" -> "meniere's", "IBS-D" -> "ibs", "d").
std::vector<std::string> words(std::string_view text);

// Synonym table key of a phrase: its stemmed words joined by single spaces
// ("Calcium deposits" -> "calcium deposit"). Empty for a phrase with no words.
std::string synonym_key(const std::vector<std::string>& words, const Xapian::Stem& stem);

// Function words that carry no meaning in a diagnosis query. Deliberately
// short: "with", "without", "no", "not", "due", "after" and "following"
// decide between ICD-10-CM codes and are kept.
bool is_stopword(std::string_view word) noexcept;
const std::vector<std::string>& stopwords();

// Exact-entry keys of an official phrase (an Alphabetic Index path such as
// "Infarct, infarction > myocardium (acute)", an inclusion term or a title):
// nonessential modifiers in parentheses or brackets and trailing
// qualifiers (", unspecified", "NOS", "NEC") are dropped, and the remaining
// words are stemmed, deduplicated and sorted within the segments that
// "with"/"without" separate, so that word order and inversions do not
// matter ("hip fracture" meets "Fracture of hip NOS") but what is with or
// without what does.
// Comma alternatives ("calcareous, calcium") give one key per alternative in
// addition to the key of all words. At most 8 keys.
std::vector<std::string> entry_keys(std::string_view phrase, const Xapian::Stem& stem);
// The key of what a user typed, normalised the same way.
std::string query_entry_key(const std::vector<std::string>& words, const Xapian::Stem& stem);

// The letters of a word, sorted: equal for anagrams ("chron's", "crohn's").
std::string anagram_key(std::string_view word);

// Synonym values carry their origin in the first byte.
inline constexpr char kSynonymCurated = '=';   // corpus/thesaurus.txt
inline constexpr char kSynonymSee = '>';       // Alphabetic Index "see"
inline constexpr char kSynonymSeeAlso = '+';   // Alphabetic Index "see also"

}  // namespace icd::detail
