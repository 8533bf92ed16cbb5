#include "pipeline/pair_check.h"

namespace skyflow {

const char* PairVerdictName(PairVerdict verdict) {
  switch (verdict) {
    case PairVerdict::kMatching:
      return "matching";
    case PairVerdict::kMissing:
      return "missing";
    case PairVerdict::kDifferent:
      return "different";
  }
  return "unknown";
}

PairVerdict ComparePair(std::string_view expected_value, const std::optional<std::string>& found) {
  if (!found.has_value()) return PairVerdict::kMissing;
  return *found == expected_value ? PairVerdict::kMatching : PairVerdict::kDifferent;
}

void PairCounts::Add(PairVerdict verdict) {
  ++checked;
  switch (verdict) {
    case PairVerdict::kMatching:
      ++matching;
      return;
    case PairVerdict::kMissing:
      ++missing;
      return;
    case PairVerdict::kDifferent:
      ++different;
      return;
  }
}

void PairCounts::Add(const PairCounts& other) {
  checked += other.checked;
  matching += other.matching;
  missing += other.missing;
  different += other.different;
}

}  // namespace skyflow
