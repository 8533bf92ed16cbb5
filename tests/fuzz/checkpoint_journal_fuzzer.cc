// Fuzz target: the checkpoint journal (pipeline/checkpoint_journal.h) on
// arbitrary file content, as a crash, a full disk or an editor may leave it.
// Checks that:
//   - Read never crashes, and either finds the last intact checkpoint (or
//     none) or fails with a ParseError naming the file and line;
//   - Open agrees with Read: it refuses what Read refuses, and after it cut
//     a torn tail off, Read finds the same checkpoint as before;
//   - a checkpoint appended after Open is the one Read finds next, whatever
//     the file held: a resume never starts from an older or invented one.
// Input: the journal file's bytes.
// Links: skyflow_pipeline
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "pipeline/checkpoint_journal.h"

namespace skyflow {
namespace {

void CheckJournal(std::string_view bytes) {
  const std::string path = fuzz::ScratchDir() + "/checkpoint.journal";
  fuzz::WriteFile(path, bytes);
  const Result<std::optional<Checkpoint>> read = CheckpointJournal::Read(path);
  Result<std::unique_ptr<CheckpointJournal>> journal = CheckpointJournal::Open(path);
  if (!read.ok()) {
    FUZZ_CHECK(read.status().code() == StatusCode::kParseError ||
                   read.status().code() == StatusCode::kInvalidArgument,
               fuzz::Describe(read.status()));
    FUZZ_CHECK(read.status().message().rfind(path, 0) == 0, read.status().message());
    FUZZ_CHECK(!journal.ok(), "Open accepted what Read refused: " + read.status().message());
    return;
  }
  FUZZ_CHECK(journal.ok(), "Open refused what Read accepted: " + fuzz::Describe(journal.status()));
  const Result<std::optional<Checkpoint>> after_open = CheckpointJournal::Read(path);
  FUZZ_CHECK(after_open.ok() && *after_open == *read, "Open changed the last checkpoint");

  Checkpoint next = read->value_or(Checkpoint{});
  next.next_sequence += 1;
  next.cursor += "x";
  next.tally.loaded += 1;
  const Status appended = (*journal)->Append(next);
  FUZZ_CHECK(appended.ok(), fuzz::Describe(appended));
  const Result<std::optional<Checkpoint>> final_read = CheckpointJournal::Read(path);
  FUZZ_CHECK(final_read.ok() && final_read->has_value() && **final_read == next,
             "the checkpoint just appended is not the one read back");
}

}  // namespace
}  // namespace skyflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  skyflow::CheckJournal(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
