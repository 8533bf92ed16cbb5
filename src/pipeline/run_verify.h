// VerifyVault: checks that a vault holds the (value, token) pairs of its
// source, the way `skyflow-loader verify` does it for each selected vault.
//
//   VerifyFeed (source read as a load reads it; every record or a sample)
//     -> groups of 25 tokens -> POST {vault_url}/v1/vaults/{id}/detokenize
//     -> ComparePair per record -> counts; missing / different records to
//        the MismatchList
//
// Requests go out on the caller's HttpTransport, at most max_in_flight at a
// time; the source is read only as fast as answers come back, so memory is
// bounded by max_in_flight groups (or by the sample) whatever the input
// size. Retries follow the load's rules: 429/503 pause the vault for
// Retry-After (or a backoff) and use up no attempt, but give up after
// max_retry_time without an answer read; 408, other 5xx and network
// failures are retried with backoff and jitter, at most retry.max_attempts()
// times per request.
//
// It stops early, with VaultVerifyResult::status saying why and what to do,
// when the vault cannot be read: credentials or the TLS certificate refused
// (kUnauthenticated: no other vault can be read either), the vault unknown
// (kNotFound), retries given up (kUnavailable), an answer that is not a
// detokenize answer or any other refusal (kParseError, kInvalidArgument),
// the source failing (its own status), the list file failing (kIoError) or
// `interrupted` (kCancelled). Requests in flight are then waited for and
// their answers counted; nothing new is sent. Secrets given in
// VerifyOptions::secrets never appear in a message.
// Runs on the calling thread, which owns the transport.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/loader_config.h"
#include "net/clock.h"
#include "net/http_transport.h"
#include "net/retry_policy.h"
#include "pipeline/mismatch_list.h"
#include "pipeline/pair_check.h"
#include "source/record_source.h"
#include "util/status.h"

namespace skyflow {

struct VaultVerifyResult;

struct VerifyOptions {
  std::string vault_url;
  std::vector<std::string> headers;  // Authorization, Content-Type, ...
  std::vector<std::string> secrets;  // scrubbed from every message
  size_t max_in_flight = 32;
  RetryPolicy retry{5, std::chrono::milliseconds(250), std::chrono::milliseconds(30000)};
  std::chrono::milliseconds max_retry_time{std::chrono::minutes(30)};
  std::chrono::milliseconds request_timeout{60000};
  uint64_t max_rows = 0;  // rows read per vault; 0 = no limit
  uint64_t sample = 0;    // records checked per vault; 0 = every record
  uint64_t seed = 1;      // the sample's draw and the retry jitter
  // Called on the calling thread every `progress_interval` with the
  // counts so far.
  std::function<void(const VaultVerifyResult&)> progress;
  std::chrono::milliseconds progress_interval{std::chrono::seconds(5)};
};

struct VaultVerifyResult {
  std::string name;
  std::string id;
  std::string source;  // the source's Describe()
  uint64_t rows_read = 0;
  uint64_t rejected = 0;  // rows of the source set aside, not checked
  uint64_t eligible = 0;  // rows read that could be checked
  bool stopped_at_limit = false;
  PairCounts counts;
  uint64_t requests = 0;  // detokenize requests answered (or failed)
  uint64_t errors = 0;    // of which were not a success (retried or fatal)
  Status status;          // why the vault was not fully checked
  std::chrono::steady_clock::duration elapsed{};
};

// `lane` is the vault's place in the run (seeds its sample).
VaultVerifyResult VerifyVault(HttpTransport& transport, const Clock& clock,
                              const VerifyOptions& options, const VaultConfig& vault,
                              RecordSource* source, size_t lane, MismatchList* list,
                              const std::atomic<bool>& interrupted);

}  // namespace skyflow
