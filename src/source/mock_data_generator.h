// Mock data generator (-generate N): test data in the CSV pair layout.
//
// For every vault, writes N (value, token) rows into the data and tokens
// files that CsvLayoutFor names, with the layout's headers, so that
// CsvPairSource reads them back as N records and no rejects.
//
// Guarantees, all by construction rather than by chance:
//   - The output is a function of (vaults, count, seed): the same call writes
//     the same bytes.
//   - Tokens are distinct within a vault and across the vaults of one call:
//     64 bits of each token are a keyed bijection of (vault position, row).
//   - Values are distinct within a vault: row i gets element p(i) of the
//     vault kind's value domain, p a keyed permutation of [0, M) (an affine
//     map a*i+b mod M with gcd(a, M) = 1, then, for NAME, ID and SSN, three
//     Feistel rounds so that neighbouring rows do not differ by a constant);
//     rows beyond the domain size M repeat the domain with a generation
//     suffix (" 2", "-2", ...).
// Value domains, chosen by the vault's mock_values setting (any letter case;
// config/seed_vaults.h gives the seed's vaults their own):
//   NAME  "First M. Last" from 200 first names, 26 initials, 200 last names
//         (1,040,000 values; some with a comma, an apostrophe, a quote or
//         non-ASCII letters, to exercise CSV quoting and UTF-8 downstream);
//   ID    10-digit zero-padded numbers;
//   SSN   "AAA-GG-SSSS" with the SSA's structural rules (area 001-899 except
//         666, group 01-99, serial 0001-9999);
//   DOB   ISO dates, N consecutive days from 1900-01-01 in permuted order: past
//         about 46,000 rows the dates reach the future, past 2,958,464 rows
//         (9999-12-31) they take a generation suffix and stop being dates;
//   other "value-<n>" for n in 1..N.
// The values are synthetic; any resemblance to a real person is chance.
//
// Files are written to "<path>.tmp" and renamed into place, so an interrupted
// run never leaves a short file that looks complete. Mode 0644: this is test
// data, not secrets.
//
// Thread-safety: functions are reentrant; a MockVaultData is immutable after
// construction and may be shared.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader_config.h"
#include "util/status.h"

namespace skyflow {

enum class MockValueKind { kName, kId, kSsn, kDob, kGeneric };

// The kind of value a vault's mock_values setting names ("name", "id",
// "ssn", "dob"; anything else is generic).
MockValueKind MockValueKindFor(std::string_view mock_values);

// Values and tokens of one vault in a data set of `count` rows.
class MockVaultData {
 public:
  // Tokens are distinct across vaults with different `vault_ordinal` and the
  // same `seed`. Rows are numbered from 0; count must be at most
  // kMaxRowsPerVault and vault_ordinal at most kMaxVaults - 1.
  MockVaultData(MockValueKind kind, uint64_t count, uint64_t seed, uint64_t vault_ordinal);

  static constexpr uint64_t kMaxRowsPerVault = uint64_t{1} << 40;
  static constexpr uint64_t kMaxVaults = uint64_t{1} << 24;
  // A DOB vault of at most this many rows holds ISO dates only (1900-01-01
  // to 9999-12-31); larger ones repeat them with a generation suffix.
  static constexpr uint64_t kMaxDobDates = 2'958'464;

  // Appends the value / the token of row `row` (< count) to `out`.
  void AppendValue(uint64_t row, std::string* out) const;
  void AppendToken(uint64_t row, std::string* out) const;

 private:
  // The keyed permutation of [0, domain_size_) that assigns domain elements
  // to rows.
  uint64_t Permute(uint64_t index) const;
  void AppendDomainValue(uint64_t element, std::string* out) const;

  MockValueKind kind_;
  uint64_t vault_ordinal_;
  // The permutation p(r) = (multiplier_ * r + offset_) mod domain_size_.
  uint64_t domain_size_;
  uint64_t multiplier_;
  uint64_t offset_;
  // Non-zero for domains scattered further by a Feistel network (Permute).
  uint64_t feistel_radix_;
  std::array<uint64_t, 3> feistel_keys_;
  uint64_t token_key_high_;
  uint64_t token_key_low_;
};

// Writes `count` rows for each of `vaults` into the files CsvLayoutFor(vault,
// data_directory) names, creating directories as needed. InvalidArgument when
// two vaults would share a file or the limits of MockVaultData are exceeded;
// IoError naming the file when a directory or file cannot be written.
Status GenerateMockData(const std::vector<VaultConfig>& vaults, const std::string& data_directory,
                        uint64_t count, uint64_t seed);

}  // namespace skyflow
