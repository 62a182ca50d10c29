// The content hash of the index: 64-bit FNV-1a over a sequence of strings,
// stable across runs, compilers and machines (unlike std::hash), so that a
// hash stored in one index generation can be compared by a later run.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace icd {

class ContentHash {
public:
    void add(std::string_view s) {
        for (char c : s) {
            h_ ^= static_cast<unsigned char>(c);
            h_ *= 0x100000001b3ULL;
        }
        // Separator so that ("ab","c") and ("a","bc") differ.
        h_ ^= 0xffU;
        h_ *= 0x100000001b3ULL;
    }
    std::string hex() const {
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
        return buf;
    }

private:
    std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace icd
