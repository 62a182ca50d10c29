// What one indexed code is made of: the official release's facts about it
// and, optionally, our article about it. The indexer assembles CodeRecords
// from the source files; IndexWriter turns each into one document following
// the schema table; the searcher returns parts of it with hits.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace icd {

enum class NoteKind {
    includes,             // "Includes:" note
    excludes1,            // "Excludes1:" (not coded here)
    excludes2,            // "Excludes2:" (not included here)
    code_first,
    use_additional_code,
    code_also,
    note,                 // general <notes>
    seventh_character,    // sevenChrNote
};
const char* note_kind_name(NoteKind kind) noexcept;  // "excludes1", ...
std::optional<NoteKind> note_kind_from_name(std::string_view name) noexcept;

struct Note {
    NoteKind kind = NoteKind::note;
    std::string text;
    std::string from;  // key of the code (or section id) the note is written on
    bool operator==(const Note&) const = default;
};

struct RelatedCode {
    std::string code;   // as written in the article (display form)
    std::string title;  // ICD-10-CM: the official title, checked; CPT: our own short words
    std::string note;   // why it is related / when to use it instead
    bool operator==(const RelatedCode&) const = default;
};

// In a category article: which code below the category applies when.
struct Subcode {
    std::string code;   // display form, "M61.2" or "M61.2-"
    std::string title;  // official title, checked
    std::string when;   // site, laterality, type, setting that select it
    bool operator==(const Subcode&) const = default;
};

struct Specialty {
    std::string name;
    std::string documentation;
    std::string scenarios;
    std::string billing;
    bool operator==(const Specialty&) const = default;
};

struct Faq {
    std::string question;
    std::string answer;
    bool operator==(const Faq&) const = default;
};

// One code article (corpus/articles/*.json, format documented in
// corpus/README.md and corpus/article.schema.json).
struct Article {
    std::string file;  // path as given to the indexer, for messages
    std::string code;  // display form as written in the article
    std::string title; // the title the article claims; the official one wins
    std::string description;
    std::vector<std::string> also_known_as;
    std::vector<std::string> presentation;   // how patients and clinicians describe it: symptoms, signs
    std::vector<std::string> causes;         // typical causes, settings and populations
    std::vector<Subcode> subcodes;           // which codes below apply when
    std::vector<std::string> key_points;
    std::vector<std::string> clinical_scenarios;
    std::vector<Specialty> specialties;
    std::vector<std::string> use_when;
    std::vector<std::string> do_not_use_when;
    std::vector<RelatedCode> related_icd10cm;
    std::vector<RelatedCode> related_cpt;
    std::vector<Faq> faqs;
    bool operator==(const Article&) const = default;
};

struct CodeRecord {
    std::string key;           // "M62561"
    std::string title;         // official long title
    std::string short_title;   // official short title
    bool billable = false;
    unsigned order = 0;        // order number in the order file
    std::string chapter;       // "13"; empty when the tabular has no context
    std::string chapter_title;
    std::string section;       // "M60-M63"
    std::string section_title;
    std::string parent;        // key of the nearest existing ancestor; empty for a category
    std::vector<std::string> context;          // inherited titles: parent first, then up to the section
    std::vector<std::string> inclusion_terms;
    std::vector<std::string> index_terms;      // "Calcification > muscle > paralytic"
    std::vector<std::string> index_above;      // index paths written for an ancestor "and its subdivisions"
    std::vector<std::string> table_terms;      // Drug/Neoplasm/External-cause paths, "Acetaminophen > Poisoning Accidental"
    std::vector<std::string> entry_phrases;    // more exact-entry phrases, not displayed ("Acetaminophen > Poisoning")
    std::vector<Note> notes;                   // written on this code in the tabular
    std::string seventh_character;             // "A: initial encounter for closed fracture"
    std::optional<Article> article;            // the code's own article
    // The article of the code's category (for codes below a category with an
    // article), indexed with a low weight and not stored; and the "when"
    // notes of that article's subcode entries that apply to this code.
    std::shared_ptr<const Article> category_article;
    std::vector<std::string> subcode_notes;
};

}  // namespace icd
