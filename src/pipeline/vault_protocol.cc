#include "pipeline/vault_protocol.h"

#include <algorithm>
#include <optional>
#include <span>
#include <unordered_set>
#include <utility>

#include "vault/insert_response.h"
#include "vault/record_lookup.h"

namespace skyflow {
namespace {

// A conflict is looked up at most this many rounds (a round: look up, send
// the absent records again); after that it is isolated by splitting.
constexpr int kMaxConflictRounds = 2;

bool IsRetryableStatus(long status) {
  return status == 408 || status == 429 || status >= 500;
}

}  // namespace

VaultProtocol::VaultProtocol(VaultEndpoint endpoint)
    : endpoint_(std::move(endpoint)),
      insert_url_(InsertUrl(endpoint_.vault_url, endpoint_.vault_id, endpoint_.insert)),
      detokenize_url_(DetokenizeUrl(endpoint_.vault_url, endpoint_.vault_id)) {}

Task VaultProtocol::InsertTask(uint64_t batch, std::vector<Record> records,
                               int conflict_rounds) const {
  Task task;
  task.kind = TaskKind::kInsert;
  task.batch = batch;
  task.records = std::move(records);
  task.conflict_rounds = conflict_rounds;
  EncodeInsertPayload(endpoint_.insert, std::span<const Record>(task.records), &task.body);
  return task;
}

Task VaultProtocol::LookupTask(TaskKind kind, const Task& parent, std::vector<Record> records,
                               LookupReason reason) const {
  Task task;
  task.kind = kind;
  task.lookup_reason = reason;
  task.batch = parent.batch;
  task.conflict_rounds = parent.conflict_rounds;
  task.records = std::move(records);
  task.last_error = parent.last_error;
  task.last_status = parent.last_status;
  task.last_request_id = parent.last_request_id;
  if (kind == TaskKind::kFindByToken) {
    EncodeDetokenizePayload(std::span<const Record>(task.records), &task.body);
  }
  return task;
}

HttpRequest VaultProtocol::RequestFor(const Task& task) const {
  HttpRequest request;
  switch (task.kind) {
    case TaskKind::kInsert:
      request.method = HttpMethod::kPost;
      request.url = insert_url_;
      break;
    case TaskKind::kFindByToken:
      request.method = HttpMethod::kPost;
      request.url = detokenize_url_;
      break;
    case TaskKind::kFindByValue:
      request.method = HttpMethod::kGet;
      request.url = ValueLookupUrl(endpoint_.vault_url, endpoint_.vault_id, endpoint_.insert.table,
                                   endpoint_.insert.column, std::span<const Record>(task.records));
      break;
  }
  request.body = task.body;
  return request;
}

void VaultProtocol::Settle(Verdict* verdict, const Task& task, RecordFate fate,
                           std::vector<Record> records, std::string reason) {
  if (records.empty()) return;
  SettledRecords settled;
  settled.fate = fate;
  settled.batch = task.batch;
  settled.records = std::move(records);
  settled.reason = std::move(reason);
  settled.http_status = verdict->answer.http_status;
  settled.request_id = verdict->answer.request_id;
  settled.attempts = task.sends;
  verdict->settled.push_back(std::move(settled));
}

void VaultProtocol::Malformed(const Status& why, Verdict* verdict) {
  verdict->then = Verdict::Then::kResend;
  verdict->answer.kind = AnswerKind::kTransient;
  verdict->answer.reason =
      DescribeHttpError(verdict->answer.http_status, why.message(), verdict->answer.request_id);
}

void VaultProtocol::AddLookups(const Task& parent, std::vector<Record> records, LookupReason reason,
                               std::vector<Task>* out) const {
  for (size_t start = 0; start < records.size(); start += kMaxLookupRecords) {
    const size_t end = std::min(records.size(), start + kMaxLookupRecords);
    std::vector<Record> chunk(std::make_move_iterator(records.begin() + start),
                              std::make_move_iterator(records.begin() + end));
    out->push_back(LookupTask(TaskKind::kFindByToken, parent, std::move(chunk), reason));
  }
}

void VaultProtocol::AddHalves(Task& task, std::vector<Task>* out) const {
  const size_t half = task.records.size() / 2;
  std::vector<Record> second(std::make_move_iterator(task.records.begin() + half),
                             std::make_move_iterator(task.records.end()));
  task.records.resize(half);
  out->push_back(InsertTask(task.batch, std::move(task.records), task.conflict_rounds));
  out->push_back(InsertTask(task.batch, std::move(second), task.conflict_rounds));
}

Status VaultProtocol::StopRunStatus(const VaultAnswer& answer) const {
  if (answer.kind == AnswerKind::kUntrustedServer) {
    // The server could not prove who it is: as fatal as our credentials
    // being refused.
    return Status::Unauthenticated(
        "vault " + endpoint_.vault_name + " at " + endpoint_.vault_url +
        ": the server's TLS certificate is not trusted (" + answer.reason +
        "); if it is issued by a private CA, give that CA's certificate with -ca-file PATH (PEM)");
  }
  return Status::Unauthenticated(
      "vault " + endpoint_.vault_name + " rejected the credentials (" + answer.reason +
      "); check -token, SKYFLOW_BEARER_TOKEN or skyflow.bearer_token: the token may be expired "
      "or lack access to this vault");
}

Verdict VaultProtocol::Interpret(Task& task, const HttpResponse& response) const {
  Verdict verdict;
  verdict.answer = ClassifyAnswer(response);
  const bool lookup = task.kind != TaskKind::kInsert;
  switch (verdict.answer.kind) {
    case AnswerKind::kThrottled:
    case AnswerKind::kTransient:
      verdict.then = Verdict::Then::kResend;
      return verdict;
    case AnswerKind::kUntrustedServer:
      verdict.then = Verdict::Then::kStopRun;
      verdict.stop = StopRunStatus(verdict.answer);
      return verdict;
    case AnswerKind::kUnauthenticated:
      // A role may insert without being allowed to read or detokenize: a
      // refused lookup leaves its records unchecked, it does not end the run.
      if (lookup && verdict.answer.http_status == 403) {
        SettleUncheckable(task, &verdict);
        return verdict;
      }
      verdict.then = Verdict::Then::kStopRun;
      verdict.stop = StopRunStatus(verdict.answer);
      return verdict;
    case AnswerKind::kRedirected:
      verdict.then = Verdict::Then::kStopLane;
      verdict.stop = Status::InvalidArgument(
          "vault " + endpoint_.vault_name + " at " + endpoint_.vault_url + " answered " +
          verdict.answer.reason +
          "; the loader does not follow redirects (the bearer token must not travel to another "
          "host): set -vault-url to the vault's own address");
      return verdict;
    case AnswerKind::kNotFound:
      // A read that finds nothing answers 404 (spec section 5).
      if (task.kind == TaskKind::kFindByValue) break;
      verdict.then = Verdict::Then::kStopLane;
      verdict.stop = Status::NotFound("vault " + endpoint_.vault_name + " answered 404 at " +
                                      insert_url_ + " (" + verdict.answer.reason +
                                      "); check the vault id, the table/column name and "
                                      "-vault-url");
      return verdict;
    case AnswerKind::kSuccess:
    case AnswerKind::kConflict:
    case AnswerKind::kRefused:
      if (lookup && verdict.answer.kind != AnswerKind::kSuccess) {
        SettleUncheckable(task, &verdict);
        return verdict;
      }
      break;
  }
  switch (task.kind) {
    case TaskKind::kInsert:
      InterpretInsert(task, response, &verdict);
      break;
    case TaskKind::kFindByToken:
      InterpretFindByToken(task, response, &verdict);
      break;
    case TaskKind::kFindByValue:
      InterpretFindByValue(task, response, &verdict);
      break;
  }
  return verdict;
}

void VaultProtocol::InterpretInsert(Task& task, const HttpResponse& response,
                                    Verdict* verdict) const {
  const size_t count = task.records.size();
  switch (verdict->answer.kind) {
    case AnswerKind::kSuccess: {
      if (endpoint_.insert.api == InsertApi::kBatch) {
        InterpretBatchAnswers(task, response, verdict);
        return;
      }
      Result<size_t> stored = CountInsertedRecords(response.body);
      if (stored.ok() && *stored == count) {
        verdict->records_stored = count;
        Settle(verdict, task, RecordFate::kLoaded, std::move(task.records), {});
        return;
      }
      // The vault said yes, but its answer does not account for the batch:
      // find out what it stored rather than assume either way.
      task.last_error = DescribeHttpError(
          verdict->answer.http_status,
          "unexpected answer: " +
              (stored.ok() ? std::to_string(*stored) + " records answered for a batch of " +
                                 std::to_string(count)
                           : stored.status().message()),
          verdict->answer.request_id);
      AddLookups(task, std::move(task.records), LookupReason::kUnconfirmed, &verdict->follow_ups);
      return;
    }
    case AnswerKind::kConflict:
      task.last_error = verdict->answer.reason;
      // A record isolated by splitting gets one lookup of its own: its
      // conflict may be explained now that the records around it are gone.
      if (task.conflict_rounds < kMaxConflictRounds ||
          (count == 1 && task.conflict_rounds == kMaxConflictRounds)) {
        AddLookups(task, std::move(task.records), LookupReason::kConflict, &verdict->follow_ups);
      } else if (count > 1) {
        AddHalves(task, &verdict->follow_ups);
      } else {
        Settle(verdict, task, RecordFate::kConflict, std::move(task.records),
               "conflict: " + verdict->answer.reason +
                   "; yet a lookup found neither the value nor the token in the vault");
      }
      return;
    default:  // kRefused: isolate the record the vault will not take
      if (count > 1) {
        AddHalves(task, &verdict->follow_ups);
      } else {
        Settle(verdict, task, RecordFate::kFailed, std::move(task.records),
               "refused: " + verdict->answer.reason);
      }
      return;
  }
}

void VaultProtocol::InterpretBatchAnswers(Task& task, const HttpResponse& response,
                                          Verdict* verdict) const {
  Result<std::vector<RecordAnswer>> answers = DecodeBatchAnswers(response.body);
  if (!answers.ok() || answers->size() != task.records.size()) {
    task.last_error = DescribeHttpError(
        verdict->answer.http_status,
        "unexpected answer: " +
            (answers.ok() ? std::to_string(answers->size()) + " records answered for a batch of " +
                                std::to_string(task.records.size())
                          : answers.status().message()),
        verdict->answer.request_id);
    AddLookups(task, std::move(task.records), LookupReason::kUnconfirmed, &verdict->follow_ups);
    return;
  }
  std::vector<Record> stored;
  std::vector<Record> conflicting;
  std::vector<Record> again;
  std::string again_reason;
  std::string conflict_reason;
  for (size_t i = 0; i < task.records.size(); ++i) {
    const RecordAnswer& answer = (*answers)[i];
    Record& record = task.records[i];
    if (answer.status >= 200 && answer.status < 300) {
      stored.push_back(std::move(record));
    } else if (IsUniquenessViolation(answer.status, answer.message)) {
      conflict_reason = DescribeHttpError(answer.status, answer.message, response.request_id);
      conflicting.push_back(std::move(record));
    } else if (IsRetryableStatus(answer.status)) {
      again_reason = DescribeHttpError(answer.status, answer.message, response.request_id);
      again.push_back(std::move(record));
    } else {
      std::vector<Record> one;
      one.push_back(std::move(record));
      Settle(verdict, task, RecordFate::kFailed, std::move(one),
             "refused: " + DescribeHttpError(answer.status, answer.message, response.request_id));
    }
  }
  verdict->records_stored = stored.size();
  Settle(verdict, task, RecordFate::kLoaded, std::move(stored), {});
  if (!conflicting.empty()) {
    task.last_error = conflict_reason;
    if (task.conflict_rounds < kMaxConflictRounds) {
      AddLookups(task, std::move(conflicting), LookupReason::kConflict, &verdict->follow_ups);
    } else {
      Settle(verdict, task, RecordFate::kConflict, std::move(conflicting),
             "conflict: " + conflict_reason +
                 "; yet a lookup found neither the value nor the token in the vault");
    }
  }
  if (!again.empty()) {
    Task retry = InsertTask(task.batch, std::move(again), task.conflict_rounds);
    retry.transient_failures = task.transient_failures + 1;
    retry.last_error = again_reason;
    retry.last_status = verdict->answer.http_status;
    retry.last_request_id = response.request_id;
    verdict->follow_ups.push_back(std::move(retry));
  }
}

void VaultProtocol::InterpretFindByToken(Task& task, const HttpResponse& response,
                                         Verdict* verdict) const {
  Result<std::vector<std::optional<std::string>>> values =
      DecodeDetokenized(response.body, task.records.size());
  if (!values.ok()) {
    Malformed(values.status(), verdict);
    return;
  }
  const RecordFate found = task.lookup_reason == LookupReason::kConflict
                               ? RecordFate::kAlreadyPresent
                               : RecordFate::kLoaded;
  std::vector<Record> present;
  std::vector<Record> taken;
  std::vector<Record> unknown;
  for (size_t i = 0; i < task.records.size(); ++i) {
    const std::optional<std::string>& value = (*values)[i];
    if (!value) {
      unknown.push_back(std::move(task.records[i]));
    } else if (*value == task.records[i].value) {
      present.push_back(std::move(task.records[i]));
    } else {
      taken.push_back(std::move(task.records[i]));
    }
  }
  Settle(verdict, task, found, std::move(present), {});
  Settle(verdict, task, RecordFate::kConflict, std::move(taken),
         "conflict: the vault holds this token for another value (" + task.last_error + ")");
  if (!unknown.empty()) {
    verdict->follow_ups.push_back(
        LookupTask(TaskKind::kFindByValue, task, std::move(unknown), task.lookup_reason));
  }
}

void VaultProtocol::InterpretFindByValue(Task& task, const HttpResponse& response,
                                         Verdict* verdict) const {
  std::unordered_set<std::string> stored_values;
  if (verdict->answer.kind == AnswerKind::kSuccess) {
    Result<std::vector<std::string>> found =
        DecodeFoundValues(response.body, endpoint_.insert.column);
    if (!found.ok()) {
      Malformed(found.status(), verdict);
      return;
    }
    stored_values.insert(found->begin(), found->end());
  }
  std::vector<Record> taken;
  std::vector<Record> absent;
  for (Record& record : task.records) {
    // With upsert a value stored under another token is updated, not a
    // conflict: sending it again settles it.
    if (!endpoint_.insert.upsert && stored_values.count(record.value) > 0) {
      taken.push_back(std::move(record));
    } else {
      absent.push_back(std::move(record));
    }
  }
  Settle(verdict, task, RecordFate::kConflict, std::move(taken),
         "conflict: the vault holds this value under another token (" + task.last_error + ")");
  if (!absent.empty()) {
    const int rounds =
        task.conflict_rounds + (task.lookup_reason == LookupReason::kConflict ? 1 : 0);
    Task again = InsertTask(task.batch, std::move(absent), rounds);
    again.last_error = task.last_error;
    verdict->follow_ups.push_back(std::move(again));
  }
}

void VaultProtocol::SettleUncheckable(Task& task, Verdict* verdict) const {
  if (task.lookup_reason == LookupReason::kConflict) {
    Settle(verdict, task, RecordFate::kConflict, std::move(task.records),
           "conflict: " + task.last_error +
               "; looking the record up to tell a duplicate from a real conflict was refused (" +
               verdict->answer.reason + "): check it in the vault");
  } else {
    Settle(verdict, task, RecordFate::kFailed, std::move(task.records),
           "unknown: " + task.last_error + "; looking the record up was refused (" +
               verdict->answer.reason + "): check whether the vault holds it");
  }
}

}  // namespace skyflow
