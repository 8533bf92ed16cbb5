// Mock PostgreSQL tables (-generate N -target postgres://...): the mock data
// of mock_data_generator.h as the Snowflake-shaped tables the Snowflake
// source's query modes read, so that the same data can be loaded through
// CSV, PostgreSQL or the SQL API and the outcomes compared.
//
// Row i (0-based) holds row i of the four vaults NAME, ID, DOB and SSN as
// MockVaultData makes them (vault ordinals 0 to 3, the same seed): exactly
// the values and tokens -generate N writes to CSV for the default vaults.
// In schema `schema` (created when missing; an unquoted identifier, so
// lower case):
//   patients(full_name, full_name_token, id, id_token, dob DATE, dob_token,
//            ssn, ssn_token): every row;
//   clm(src_mbr_nm, src_mbr_nm_token, src_mbr_id, src_mbr_id_token,
//       src_mbr_birth_dt, src_mbr_birth_dt_token, src_mbr_ssn,
//       src_mbr_ssn_token): rows with i % 3 != 2;
//   mbr(mbr_nm, mbr_nm_token, mbr_id, mbr_id_token, birth_dt,
//       birth_dt_token, ssn, ssn_token): rows with i % 3 != 1 (so rows with
//       i % 3 == 0 are in both);
// all columns text but patients.dob; the value columns of clm and mbr are
// indexed (the union mode's UDFs look values up there). The tables are
// dropped and created again, filled with COPY FROM STDIN, indexed and
// ANALYZEd, in one transaction: a
// rerun leaves the same content, a failed run the previous one.
//
// Reentrant; one connection per call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace skyflow {

struct MockTableCount {
  std::string table;  // "skyflow_poc.patients"
  uint64_t rows = 0;
};

struct MockTablesReport {
  std::string target;  // the target without its password
  std::vector<MockTableCount> tables;
};

// `target` is a postgres:// or postgresql:// URI. InvalidArgument for
// another target, a schema that is not a plain identifier, or a count above
// MockVaultData::kMaxDobDates (dob would no longer be a date); Unavailable
// (or InvalidArgument for SQL the server refuses) with the server's reason.
Result<MockTablesReport> GenerateMockTables(const std::string& target, const std::string& schema,
                                            uint64_t count, uint64_t seed);

}  // namespace skyflow
