// MismatchList: the file verify writes every missing or differing record
// to, as JSON Lines, for an auditor to follow up; the terminal only shows
// counts and this file's path, never values.
//
// The file holds plaintext values and tokens, so it is created with mode
// 0600 (an existing file at the path is truncated and made 0600): it lists
// one run only. Lines are written as answers arrive (not in source order),
// and Close() syncs them to disk. Not thread-safe: verify answers arrive on
// one thread.
//
// Line format:
//   {"vault":"NAME","origin":"data/name_data.csv:17","sequence":16,
//    "token":"...","expected_value":"...","found_value":null|"...",
//    "reason":"missing"|"different"}
// "missing": the vault does not know the token (found_value null);
// "different": the token stands for found_value instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pipeline/pair_check.h"
#include "source/record.h"
#include "util/status.h"

namespace skyflow {

class MismatchList {
 public:
  MismatchList() = default;
  ~MismatchList();
  MismatchList(const MismatchList&) = delete;
  MismatchList& operator=(const MismatchList&) = delete;

  // Creates (or truncates) the file at `path`, mode 0600.
  Status Create(const std::string& path);

  // `origin_label` is the source's OriginLabel(); values and tokens are
  // valid UTF-8 (the batcher set the others aside).
  Status Append(const std::string& vault, const std::string& origin_label, const Record& record,
                const std::optional<std::string>& found, PairVerdict verdict);

  // Syncs and closes the file; Ok when nothing was opened.
  Status Close();

  const std::string& path() const { return path_; }
  uint64_t lines() const { return lines_; }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t lines_ = 0;
};

// One line of the list file, newline included (for tests and Append).
std::string MismatchLine(const std::string& vault, const std::string& origin_label,
                         const Record& record, const std::optional<std::string>& found,
                         PairVerdict verdict);

}  // namespace skyflow
