// "did you mean" for every unknown name (ops, attributes, blocks, ports, commands).
#pragma once

#include <string>
#include <vector>

namespace sketch {

/// Edit distance (insertions, deletions, substitutions, adjacent swaps), case-insensitive.
size_t editDistance(const std::string& a, const std::string& b);

/// The closest candidate within a distance that scales with the word's length, or "".
std::string closestMatch(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace sketch
