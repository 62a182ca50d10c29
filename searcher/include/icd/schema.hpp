// The one schema table shared by the indexer and the searcher.
//
// Every term prefix, field weight and value slot used in the index is listed
// here and nowhere else. The indexer writes documents from this table; the
// searcher maps user field names ("title:", "index:") to prefixes, picks
// snippet sources and filters from it; docs/SCHEMA.md is checked against it
// by a unit test.
//
// Prefix conventions follow Omega: "Q" is the unique id term, custom prefixes
// start with "X", and ":" separates a prefix from a term that starts with a
// capital letter (ICD codes do). All X prefixes here are exactly two
// characters so that no prefix is a prefix of another.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace icd::schema {

// Bumped whenever terms, slots or document data change incompatibly. Stored
// in the index metadata; the searcher refuses an index of another version.
inline constexpr int kVersion = 6;

// Free-text fields. Each is indexed under its own prefix (so "title:fracture"
// searches titles only) and, unless its group is `none`, once more without a
// prefix, with its weight as the wdf increment, so that plain queries search
// it. Sharing the unprefixed terms means a word is as rare (and as telling)
// in an article as in the official text: an article adds evidence, with
// lower weights, but the words the official release uses for a code keep
// it on top. Groups:
//  - official: from the release files.
//  - article: from our code articles (lower weights).
//  - none: only under its own prefix (notes about other codes).
// Positions (needed for phrase queries) are kept as `positions` says:
// position data is most of an index's size, and a phrase within, say, the
// inherited context is of no use.
enum class TextField : std::uint8_t {
    code,           // the code itself, dotted and undotted ("M62.561 M62561")
    title,          // official long title (order file)
    short_title,    // official short title (order file): "w/o", "unsp", ...
    inclusion,      // Tabular inclusion terms and "includes" notes
    index_term,     // Alphabetic Index term paths pointing at the code
    index_above,    // index paths pointing at an ancestor "and its subdivisions" (M61.2-)
    tables,         // Drug, Neoplasm and External-cause entries pointing at the code or an ancestor
    context,        // what the code inherits: parents' titles and inclusion terms, section title
    seventh,        // meaning of the 7th character of an extended code
    notes,          // excludes1/2, code first, use additional, code also
    description,    // article: description
    also_known_as,  // article: also-known-as names
    presentation,   // article: how patients and clinicians describe it
    causes,         // article: typical causes, settings, populations
    subcode_note,   // category article: when this code (or its ancestor below the category) applies
    category,       // the category's article, for the codes below the category
    key_points,     // article: key diagnostic points
    scenarios,      // article: clinical scenarios
    specialties,    // article: specialty documentation/scenarios/billing
    guidelines,     // article: coding guidelines (use when)
    faq,            // article: questions and answers
};

enum class Group : std::uint8_t { official, article, none };

enum class Positions : std::uint8_t {
    all,           // both copies: phrases work in field and plain queries
    group_only,    // only the group copy: phrases work in plain queries
    none,          // bag of words
};

struct TextFieldSpec {
    TextField field;
    std::string_view name;     // user-facing field name ("title:fracture")
    std::string_view prefix;   // term prefix; empty: not indexed on its own (bulky, never asked for by name)
    unsigned weight;           // wdf increment per occurrence in the group copy
    Group group;
    Positions positions;
    std::string_view source;   // where the text comes from (for docs)
};

inline constexpr std::array<TextFieldSpec, 21> kTextFields{{
    {TextField::code, "code", "XC", 6, Group::official, Positions::all, "the code, with and without its dot"},
    {TextField::title, "title", "XT", 6, Group::official, Positions::all, "order file long title"},
    {TextField::short_title, "short", "", 1, Group::official, Positions::group_only, "order file short title"},
    {TextField::inclusion, "inclusion", "XI", 4, Group::official, Positions::group_only, "tabular inclusionTerm and includes notes"},
    {TextField::index_term, "index", "XA", 3, Group::official, Positions::group_only, "Alphabetic Index term paths"},
    {TextField::index_above, "indexabove", "XL", 3, Group::official, Positions::none, "Alphabetic Index paths of an ancestor marked \"-\""},
    {TextField::tables, "tables", "XM", 2, Group::official, Positions::group_only, "Drug, Neoplasm and External-cause tables"},
    {TextField::context, "context", "", 1, Group::official, Positions::none, "titles and inclusion terms of parent codes, section title"},
    {TextField::seventh, "seventh", "X7", 2, Group::official, Positions::group_only, "tabular sevenChrDef for the 7th character"},
    {TextField::notes, "notes", "XN", 0, Group::none, Positions::none, "tabular excludes1/2, codeFirst, useAdditionalCode, codeAlso, notes"},
    {TextField::description, "description", "XD", 1, Group::article, Positions::group_only, "article description"},
    {TextField::also_known_as, "aka", "XW", 2, Group::article, Positions::group_only, "article also_known_as"},
    {TextField::presentation, "presentation", "XO", 1, Group::article, Positions::group_only, "article presentation"},
    {TextField::causes, "causes", "XV", 1, Group::article, Positions::group_only, "article causes"},
    {TextField::subcode_note, "subcode", "XR", 2, Group::article, Positions::group_only, "category article subcodes[].when"},
    {TextField::category, "category", "XZ", 1, Group::none, Positions::none, "category article: description, aka, presentation, causes (searched weighted down)"},
    {TextField::key_points, "keypoints", "XK", 1, Group::article, Positions::group_only, "article key_points"},
    {TextField::scenarios, "scenario", "XE", 1, Group::article, Positions::group_only, "article clinical_scenarios"},
    {TextField::specialties, "specialty", "XY", 1, Group::article, Positions::group_only, "article specialties"},
    {TextField::guidelines, "guideline", "XG", 1, Group::article, Positions::group_only, "article coding_guidelines.use_when"},
    {TextField::faq, "faq", "XF", 1, Group::article, Positions::group_only, "article faqs"},
}};

const TextFieldSpec& spec(TextField field) noexcept;
std::optional<TextField> text_field_by_name(std::string_view name) noexcept;

// Boolean (filter) terms. Value-carrying: prefix + value; values that start
// with a capital letter get ":" between (see term()).
struct BooleanSpec {
    std::string_view name;     // user-facing field name
    std::string_view prefix;
    std::string_view meaning;
};
inline constexpr BooleanSpec kIdTerm{"id", "Q", "unique id: code key (Q:M62561)"};
inline constexpr BooleanSpec kCodePrefix{"under", "XP", "every prefix of the code key, 3+ characters (XP:M62, XP:M625, ...)"};
inline constexpr BooleanSpec kParent{"parent", "XU", "key of the nearest existing parent code"};
inline constexpr BooleanSpec kBillable{"billable", "XB", "XB1 billable, XB0 header"};
inline constexpr BooleanSpec kChapter{"chapter", "XJ", "chapter number (XJ13)"};
inline constexpr BooleanSpec kSection{"section", "XQ", "section id (XQ:M60-M63)"};
inline constexpr BooleanSpec kArticle{"hasarticle", "XX", "XX1 when the code has its own article"};
// Not a filter: one term (wdf 1) per exact-entry key of the code's title,
// inclusion terms and Alphabetic Index entries; a query whose key is one of
// them gets a boost (see the searcher's ranking).
inline constexpr BooleanSpec kEntryKey{"entry", "X0", "exact-entry key: stemmed words, sorted (X0hypertens)"};
inline constexpr std::array<BooleanSpec, 8> kBooleanTerms{
    kIdTerm, kCodePrefix, kParent, kBillable, kChapter, kSection, kArticle, kEntryKey};

// prefix + value, with ":" when value starts with an upper-case letter.
std::string term(std::string_view prefix, std::string_view value);

// Value slots.
enum Slot : unsigned {
    kSlotCode = 0,      // code key: code-order listings sort by it (parents before children)
    kSlotBillable = 1,  // "1" or "0"
    kSlotChapter = 2,   // chapter number as text
    kSlotDepth = 3,     // code key length, sortable_serialise
    kSlotHash = 4,      // content hash (hex) of everything indexed for the code
    kSlotOwnHash = 5,   // hash (hex) of the code's own official data: long title, billable flag
    kSlotCategory = 6,  // first three characters of the code key
};
struct SlotSpec {
    unsigned slot;
    std::string_view name;
    std::string_view meaning;
};
inline constexpr std::array<SlotSpec, 7> kSlots{{
    {kSlotCode, "code", "code key; code-order listings sort by it"},
    {kSlotBillable, "billable", "\"1\" billable, \"0\" header"},
    {kSlotChapter, "chapter", "chapter number"},
    {kSlotDepth, "depth", "length of the code key (sortable_serialise)"},
    {kSlotHash, "hash", "content hash of the document (hex)"},
    {kSlotOwnHash, "ownhash", "hash of the official title and billable flag (hex)"},
    {kSlotCategory, "category", "first three characters of the code key (result diversity)"},
}};

// Metadata keys stored in the index.
inline constexpr std::string_view kMetaSchemaVersion = "icd.schema_version";
inline constexpr std::string_view kMetaBuiltAt = "icd.built_at";
inline constexpr std::string_view kMetaSources = "icd.sources";
inline constexpr std::string_view kMetaCodeCount = "icd.code_count";
// Hash of what the index holds besides documents (synonyms, group notes),
// so that an update can tell a thesaurus change from no change.
inline constexpr std::string_view kMetaGlobalHash = "icd.global_hash";
// Notes written on a section or chapter (not on any code) are stored as JSON
// arrays under these keys + the section id / chapter number, and are shown
// with every code below them.
inline constexpr std::string_view kMetaSectionNotes = "icd.notes.section.";
inline constexpr std::string_view kMetaChapterNotes = "icd.notes.chapter.";
// Spelling help: words of the spelling table with the same letters, keyed by
// the sorted letters ("icd.anagram.'cchnors" -> "chron's crohn's").
inline constexpr std::string_view kMetaAnagram = "icd.anagram.";

// Gap inserted in term positions between two field values, so that a phrase
// never matches across the end of one text and the start of the next.
inline constexpr unsigned kPositionGap = 100;

}  // namespace icd::schema
