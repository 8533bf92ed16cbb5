// verify (`skyflow-loader verify [flags]` or -verify): shows that the vaults
// hold what a load of the same sources put there, for an auditor.
//
// Each selected vault's source is read exactly as a load reads it (same
// config and flags, -max-records, rejections), every record or a uniform
// sample of -sample N drawn with -seed; the tokens are detokenized 25 per
// request, at most -concurrency requests in flight, and each value compared
// (pipeline/run_verify.h). Vaults are checked one after the other.
//
// Output: progress and errors on stderr; per vault and in total on stdout:
// records checked, matching, missing (token unknown to the vault), different
// (token stands for another value), rejected rows not checked, requests and
// errors; the seed of a sample; the path of the list file (-verify-report,
// default verify_<YYYYMMDD_HHMMSS>.jsonl, JSON Lines, mode 0600, always
// written, empty when everything matches) that names every missing or
// differing record with its values. Values never reach the terminal.
// With -q only the final "Result: ..." line is printed (and errors).
// -summary-json FILE: the same counts as JSON.
// Exit codes: 0 every record checked matches, 1 some are missing or differ,
// 2 usage (a source file missing, a CA file unreadable), 3 a vault or a
// source could not be read (credentials, unknown vault, retries given up,
// a malformed file) or the list file could not be written, 130 interrupted
// (requests in flight are answered and counted first).
// Runs on the calling thread.
#pragma once

#include <atomic>

#include "config/loader_config.h"

namespace skyflow {

// `config` has been validated for ConfigUse::kLoad with run.verify set.
int RunVerifyCommand(const LoaderConfig& config, const std::atomic<bool>& interrupted);

}  // namespace skyflow
