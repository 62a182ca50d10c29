// Document data: what a hit displays, stored in each document as a compact
// binary record (and the JSON helpers of the output formats). Internal to the
// core library; the format is versioned by schema::kVersion.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "icd/record.hpp"

namespace icd::detail {

std::string encode_record(const CodeRecord& record);
// Inverse of encode_record (context is not stored and comes back empty).
// Throws std::runtime_error on data that is not ours or is corrupt.
CodeRecord decode_record(const std::string& data);

nlohmann::json notes_to_json(const std::vector<Note>& notes);
std::vector<Note> notes_from_json(const nlohmann::json& j);

nlohmann::json article_to_json(const Article& article);
Article article_from_json(const nlohmann::json& j);

}  // namespace icd::detail
