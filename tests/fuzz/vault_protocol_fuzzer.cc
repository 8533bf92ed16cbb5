// Fuzz target: VaultProtocol (pipeline/vault_protocol.h) fed fuzzed answers,
// one per task, starting from an insert of N records and following the
// tasks each verdict asks for (lookups, halves, resends). Checks that:
//   - records are conserved: when a verdict settles the task, the records of
//     its settled groups and follow-up tasks are the task's records (as a
//     multiset), and across the whole exchange every record is settled at
//     most once and is either settled or still in a task;
//   - otherwise (resend, stop) the task is unchanged, and a stop says why;
//   - no settled group and no follow-up task is empty, a lookup carries at
//     most 25 records, a conflict or failure has a reason, only a 2xx answer
//     settles records as loaded or already present, and a request never
//     counts more records stored than it settled as loaded.
// Input: byte 0 is N - 1 (low 6 bits: 1 to 64 records), byte 1 the options
// (bit 0 the batch endpoint, bit 1 upsert, bits 2-3 the conflict rounds
// already made); then answers separated by NUL bytes, each "<status> <body>"
// (a status of up to three digits; no digits is a transport failure: of TLS
// verification when the answer starts with 'u', a timeout with 'o').
// Links: skyflow_pipeline
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "fuzz_support.h"
#include "pipeline/vault_protocol.h"
#include "vault/record_lookup.h"

namespace skyflow {
namespace {

// Answers after which the exchange stops: enough for a conflict to go
// through its lookup rounds and splits, bounded so that a run stays short.
constexpr size_t kMaxAnswers = 64;

using RecordKey = std::tuple<uint64_t, uint64_t, std::string, std::string>;

RecordKey KeyOf(const Record& record) {
  return {record.sequence, record.origin_line, record.value, record.token};
}

std::vector<RecordKey> Sorted(std::vector<RecordKey> keys) {
  std::sort(keys.begin(), keys.end());
  return keys;
}

void AppendKeys(const std::vector<Record>& records, std::vector<RecordKey>* keys) {
  for (const Record& record : records)
    keys->push_back(KeyOf(record));
}

bool SameTask(const Task& a, const Task& b) {
  std::vector<RecordKey> a_keys;
  std::vector<RecordKey> b_keys;
  AppendKeys(a.records, &a_keys);
  AppendKeys(b.records, &b_keys);
  return a.kind == b.kind && a.lookup_reason == b.lookup_reason && a.batch == b.batch &&
         a_keys == b_keys && a.body == b.body && a.conflict_rounds == b.conflict_rounds &&
         a.sends == b.sends && a.transient_failures == b.transient_failures &&
         a.last_error == b.last_error && a.last_status == b.last_status &&
         a.last_request_id == b.last_request_id && a.deadline == b.deadline;
}

HttpResponse ParseAnswer(std::string_view text) {
  HttpResponse response;
  response.request_id = "req-fuzz";
  size_t digits = 0;
  while (digits < 3 && digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    response.status = response.status * 10 + (text[digits] - '0');
    ++digits;
  }
  if (digits == 0 || response.status == 0) {
    response.status = 0;
    response.tls_untrusted = text.starts_with("u");
    response.timed_out = text.starts_with("o");
    response.transport_error = "fuzzed transport failure";
    return response;
  }
  text.remove_prefix(digits);
  if (text.starts_with(" ")) text.remove_prefix(1);
  response.body = std::string(text);
  return response;
}

const char* ThenName(Verdict::Then then) {
  switch (then) {
    case Verdict::Then::kSettled:
      return "settled";
    case Verdict::Then::kResend:
      return "resend";
    case Verdict::Then::kStopLane:
      return "stop lane";
    case Verdict::Then::kStopRun:
      return "stop run";
  }
  return "?";
}

}  // namespace
}  // namespace skyflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace skyflow;
  if (size < 2) return 0;
  const size_t record_count = 1 + (data[0] & 0x3f);
  const uint8_t options = data[1];
  std::string_view answers(reinterpret_cast<const char*>(data) + 2, size - 2);

  VaultEndpoint endpoint;
  endpoint.vault_name = "SSN";
  endpoint.vault_url = "https://vault.example";
  endpoint.vault_id = "v1";
  endpoint.insert.column = "ssn";
  endpoint.insert.table = "persons";
  endpoint.insert.api = (options & 1) ? InsertApi::kBatch : InsertApi::kTable;
  endpoint.insert.upsert = (options & 2) != 0;
  const VaultProtocol protocol(endpoint);

  std::vector<Record> records(record_count);
  std::vector<RecordKey> all_records;
  for (size_t i = 0; i < record_count; ++i) {
    records[i].sequence = i;
    records[i].origin_line = i + 2;
    records[i].value = "v" + std::to_string(i);
    records[i].token = "t" + std::to_string(i);
    all_records.push_back(KeyOf(records[i]));
  }
  std::deque<Task> waiting;
  waiting.push_back(protocol.InsertTask(1, std::move(records), (options >> 2) & 3));
  std::vector<RecordKey> settled_records;

  for (size_t step = 0; step < kMaxAnswers && !waiting.empty() && !answers.empty(); ++step) {
    const size_t end = answers.find('\0');
    const HttpResponse response = ParseAnswer(answers.substr(0, end));
    answers = end == std::string_view::npos ? std::string_view() : answers.substr(end + 1);

    Task task = std::move(waiting.front());
    waiting.pop_front();
    const Task before = task;
    const std::string where = "answer " + std::to_string(step) + " (HTTP " +
                              std::to_string(response.status) + ", " + TaskKindName(before.kind) +
                              " of " + std::to_string(before.records.size()) + "): ";
    Verdict verdict = protocol.Interpret(task, response);

    if (verdict.then != Verdict::Then::kSettled) {
      FUZZ_CHECK(SameTask(task, before), where + ThenName(verdict.then) + " changed the task");
      FUZZ_CHECK(verdict.settled.empty() && verdict.follow_ups.empty(),
                 where + ThenName(verdict.then) + " with records settled or tasks to follow");
      if (verdict.then == Verdict::Then::kResend) {
        waiting.push_back(std::move(task));
        continue;
      }
      FUZZ_CHECK(!verdict.stop.ok(), where + ThenName(verdict.then) + " without a reason");
      waiting.push_back(std::move(task));  // unsent, still accounted for
      break;
    }

    std::vector<RecordKey> out;
    uint64_t loaded = 0;
    for (const SettledRecords& group : verdict.settled) {
      FUZZ_CHECK(!group.records.empty(), where + "an empty settled group");
      FUZZ_CHECK(group.fate != RecordFate::kUnsent, where + "records settled as unsent");
      const bool failed = group.fate == RecordFate::kConflict || group.fate == RecordFate::kFailed;
      FUZZ_CHECK(!failed || !group.reason.empty(),
                 where + RecordFateName(group.fate) + " without a reason");
      const bool stored =
          group.fate == RecordFate::kLoaded || group.fate == RecordFate::kAlreadyPresent;
      FUZZ_CHECK(!stored || (response.status >= 200 && response.status < 300),
                 where + RecordFateName(group.fate) + " on an answer that is not a success");
      if (group.fate == RecordFate::kLoaded) loaded += group.records.size();
      AppendKeys(group.records, &out);
      AppendKeys(group.records, &settled_records);
    }
    FUZZ_CHECK(verdict.records_stored <= loaded, where + std::to_string(verdict.records_stored) +
                                                     " stored, " + std::to_string(loaded) +
                                                     " settled as loaded");
    for (Task& follow_up : verdict.follow_ups) {
      FUZZ_CHECK(!follow_up.records.empty(), where + "an empty follow-up task");
      FUZZ_CHECK(
          follow_up.kind == TaskKind::kInsert || follow_up.records.size() <= kMaxLookupRecords,
          where + "a lookup of " + std::to_string(follow_up.records.size()) + " records");
      FUZZ_CHECK((follow_up.kind == TaskKind::kFindByValue) == follow_up.body.empty(),
                 where + "a " + TaskKindName(follow_up.kind) + " task with body " +
                     fuzz::Escaped(follow_up.body));
      AppendKeys(follow_up.records, &out);
      waiting.push_back(std::move(follow_up));
    }
    std::vector<RecordKey> in;
    AppendKeys(before.records, &in);
    FUZZ_CHECK(Sorted(out) == Sorted(in), where + std::to_string(out.size()) +
                                              " records out of a task of " +
                                              std::to_string(in.size()));
  }

  // Settled once each, and what is not settled is still waiting.
  std::vector<RecordKey> accounted = settled_records;
  for (const Task& task : waiting)
    AppendKeys(task.records, &accounted);
  FUZZ_CHECK(Sorted(accounted) == all_records,
             std::to_string(settled_records.size()) + " settled and " +
                 std::to_string(accounted.size() - settled_records.size()) + " waiting of " +
                 std::to_string(all_records.size()) + " records");
  return 0;
}
