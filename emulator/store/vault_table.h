// VaultTable: the records of one vault table, with an index per column from
// token to record and from value to record, an index from skyflow_id to
// record, and the running PairDigest of every stored (value, token) pair.
//
// Contract of Insert (spec section 1, and section 4 for collisions, which
// Skyflow does not document): all-or-nothing. The whole request is checked
// against the table first (a token may not belong to another record; an
// upsert value may not match several records); only then is anything
// written, so a failed request leaves no trace. Every column is tokenized:
// a field without a supplied token gets the generated one the request
// carries. Token uniqueness is per column. Values need not be unique, but an
// upsert on a value held by several records is refused.
//
// Layout, for millions of records: a record is 24 bytes (id, first and last
// field); a field 32 bytes (pointer to its value and token, stored side by
// side in the arena, their sizes, column, record, next field of the record,
// next field with the same value); each column's token index ~11 bytes per
// field. A column's value index exists only once an upsert has named the
// column (built then from the stored fields): loads without upsert do not
// pay for it. It holds each distinct value once and chains the fields that
// share it, so a column where many records hold the same value (a date of
// birth) stays O(1) per insert. The skyflow_id index costs ~11 bytes per
// record (StringIndex over the id's first 4 random bytes).
//
// Deletion (spec section 5) takes a record out of every index (token, value,
// skyflow_id) and its pairs out of the digest, and marks it deleted in
// place: record numbers stay stable, so fields need no renumbering. Its
// fields and arena bytes stay behind until DeleteAll or a reset (the table
// is a test stand-in; a "*" delete does free everything). Reads page over
// live records in insertion order from a first-live / end-live hint, so the
// clearing loop "read offset 0, delete what came back" costs O(page) per
// round, not O(records deleted so far).
//
// With a TableSchema (--schema): only declared columns are accepted (400),
// an upsert must name a unique column (400), a unique column takes values of
// at most 2,500 characters (400, spec section 1) and refuses a value another
// record holds, like a token collision (kConflict). Unique columns keep
// their value index from the start. Without a schema none of this costs
// anything: the checks sit behind one pointer test.
//
// Thread-safety: every public method takes the table's mutex (InsertTogether
// the mutexes of all its tables, in address order, so two of them never
// deadlock); a table may be used from any number of threads.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/common/random.h"
#include "emulator/common/string_map.h"
#include "emulator/common/uuid.h"
#include "emulator/store/insert_request.h"
#include "emulator/store/journal.h"
#include "emulator/store/string_arena.h"
#include "emulator/store/string_index.h"
#include "emulator/store/vault_schema.h"
#include "util/pair_digest.h"
#include "util/status.h"

namespace skyflow::emulator {

// What an insert wrote: records[i] answers request record i; tokens are in
// request field order. Owns copies, so it stays valid after the table's lock
// is released. Reused per worker.
class InsertResult {
 public:
  void Clear() {
    ids_.clear();
    created_.clear();
    token_spans_.clear();
    token_bytes_.clear();
  }
  void AddRecord(const Uuid& id, bool created) {
    ids_.push_back(id);
    created_.push_back(created ? 1 : 0);
  }
  void AddToken(std::string_view token) {
    token_spans_.push_back(static_cast<uint32_t>(token_bytes_.size()));
    token_bytes_.append(token);
  }

  size_t record_count() const { return ids_.size(); }
  const Uuid& id(size_t record) const { return ids_[record]; }
  // True when the request created the record (false: an upsert updated a
  // stored one, or an earlier record of the same request created it).
  bool created(size_t record) const { return created_[record] != 0; }
  std::string_view token(size_t field) const {
    const size_t begin = token_spans_[field];
    const size_t end =
        field + 1 < token_spans_.size() ? token_spans_[field + 1] : token_bytes_.size();
    return std::string_view(token_bytes_).substr(begin, end - begin);
  }

 private:
  std::vector<Uuid> ids_;
  std::vector<uint8_t> created_;
  std::vector<uint32_t> token_spans_;  // start of each token in token_bytes_
  std::string token_bytes_;
};

// A copy of one stored record, for look-ups (the GET endpoint, tests). Fields
// in the order the record first received them.
struct StoredRecordCopy {
  struct Field {
    std::string column;
    std::string value;
    std::string token;
  };
  Uuid id;
  std::vector<Field> fields;
};

struct TableStats {
  uint64_t records = 0;  // live records
  PairDigest digest;
};

// Where a token was found by Detokenize.
struct TokenMatch {
  std::string column;
  std::string value;
  // Another column holds the token for a different value: the token names
  // no single value (BYOT tokens, or generated ones that met across columns).
  bool ambiguous = false;
};

class VaultTable {
 public:
  // `schema` (nullptr: none) must outlive the table.
  explicit VaultTable(const TableSchema* schema = nullptr);
  VaultTable(const VaultTable&) = delete;
  VaultTable& operator=(const VaultTable&) = delete;

  // `request` comes from InsertRequestParser. `random` gives skyflow_ids (and
  // replacement tokens in the unlikely case a generated one is taken).
  // Errors: kConflict (a token or a unique value belongs to another record),
  // kInvalidArgument (upsert value held by several records, a column or
  // value the schema refuses, or the table is full).
  Status Insert(const InsertRequest& request, Random* random, InsertResult* result);

  // All-or-nothing across tables: requests[i] goes to tables[i] (distinct
  // tables); every request is checked before any is written, so on error
  // no table changes. results[i] answers requests[i].
  static Status InsertTogether(std::span<VaultTable* const> tables,
                               std::span<const InsertRequest> requests, Random* random,
                               std::span<InsertResult> results);

  std::optional<StoredRecordCopy> FindByToken(std::string_view column,
                                              std::string_view token) const;
  // The value behind `token` in whichever column holds it (the first column,
  // in creation order, when several do; `ambiguous` if they disagree).
  std::optional<TokenMatch> Detokenize(std::string_view token) const;
  std::optional<StoredRecordCopy> FindById(const Uuid& id) const;
  // Live records holding `value` in `column`, in insertion order. Builds the
  // column's value index on first use (as an upsert would).
  std::vector<StoredRecordCopy> FindByValue(std::string_view column, std::string_view value);
  // Up to `limit` live records after skipping `offset` of them, in insertion
  // order or (descending) its reverse.
  std::vector<StoredRecordCopy> Page(uint64_t offset, uint64_t limit, bool descending) const;

  // False when no live record has `id`.
  // Persistence (--data-file): from now on every change is appended to
  // `journal` under this table's lock, so the journal holds the table's
  // changes in commit order; `key` is the table's "<vaultID>/<table>".
  void AttachJournal(Journal* journal, std::string key);
  // Replay of a journal put: record `id` (created with that id if absent)
  // gets these fields' values and tokens, its other fields unchanged. A put
  // that `creates` the record while a live record already has its id is
  // refused (kInvalidArgument), nothing changed: merging the two would lose
  // one acknowledged record.
  Status Restore(const Uuid& id, JournalPut put, const std::vector<JournalField>& fields);

  bool Delete(const Uuid& id);
  // Deletes every record and frees their storage; returns how many there
  // were. Column names are kept: the table still exists.
  uint64_t DeleteAll();

  // Calls visit(column, value, token) for every stored pair of live records,
  // record by record in insertion order, under the table's lock (visit must
  // not call back into the table).
  template <typename Visit>
  void ForEachPair(Visit&& visit) const {
    std::lock_guard lock(mutex_);
    for (uint32_t r = first_live_; r < end_live_; ++r) {
      if (IsDeleted(r)) continue;
      for (uint32_t f = records_[r].first_field; f != kNoField; f = fields_[f].next) {
        visit(std::string_view(columns_[fields_[f].column].name), fields_[f].value(),
              fields_[f].token());
      }
    }
  }

  bool HasColumn(std::string_view column) const;
  size_t column_count() const;
  TableStats Stats() const;

 private:
  static constexpr uint32_t kNoField = UINT32_MAX;
  // Record::first_field of a deleted record (no field number reaches it:
  // they stay below StringIndex::kMaxRef).
  static constexpr uint32_t kDeletedRecord = UINT32_MAX - 1;

  struct Column {
    std::string name;
    StringIndex tokens;  // token -> field
    // value -> first field holding it (see Field::next_same_value); built
    // on the first upsert naming this column, or at once if it is unique.
    StringIndex values;
    bool values_indexed = false;
    bool unique = false;  // declared unique by the schema
  };
  struct Field {
    const char* data = nullptr;  // value bytes, then token bytes
    uint32_t value_size = 0;
    uint32_t token_size = 0;
    uint32_t column = 0;
    uint32_t record = 0;
    uint32_t next = kNoField;             // next field of the same record
    uint32_t next_same_value = kNoField;  // next field of the column with this value
    std::string_view value() const { return {data, value_size}; }
    std::string_view token() const { return {data + value_size, token_size}; }
  };
  struct Record {
    Uuid id;
    uint32_t first_field = kNoField;
    uint32_t last_field = kNoField;
  };

  // The two halves of an insert, under the lock: Plan checks the request
  // against the table and decides where each record goes (targets_), Apply
  // writes; Apply may only follow a successful Plan of the same request.
  Status Plan(const InsertRequest& request);
  void Apply(const InsertRequest& request, Random* random, InsertResult* result);
  // After a failed Plan: drops the columns it created (no field refers to
  // them yet), so that a refused request leaves the table as it was.
  void UndoPlan();
  // The schema's rules that need no stored data: declared columns, upsert
  // on a unique column, the length of unique values.
  Status CheckSchema(const InsertRequest& request) const;
  // Unique columns: no value may end up in two records (stored or in the
  // request). Needs targets_.
  Status CheckUniqueValues(const InsertRequest& request);

  static uint32_t IdHash(const Uuid& id) {
    // The id's bytes are random: the first four are as good as any hash.
    return static_cast<uint32_t>(id.bytes[0]) | static_cast<uint32_t>(id.bytes[1]) << 8 |
           static_cast<uint32_t>(id.bytes[2]) << 16 | static_cast<uint32_t>(id.bytes[3]) << 24;
  }
  bool IsDeleted(uint32_t record) const { return records_[record].first_field == kDeletedRecord; }
  uint32_t FindRecord(const Uuid& id) const;  // kNoField if no live record has it
  uint32_t AppendRecord(Random* random);
  uint32_t AppendRecordWithId(const Uuid& id);
  // Gives stored field `field` a new value and token, keeping the token and
  // value indexes right (the digest is the caller's).
  void ReplacePair(uint32_t field, std::string_view value, uint32_t value_hash,
                   std::string_view token, uint32_t token_hash);
  // Adds the records an applied request wrote to `puts` (under the lock).
  void JournalInsert(const InsertRequest& request, const InsertResult& result,
                     JournalPuts* puts) const;
  void DeleteRecord(uint32_t record);
  StoredRecordCopy CopyRecord(uint32_t record) const;
  uint32_t ColumnId(std::string_view name);  // creates the column on first use
  uint32_t FindField(uint32_t record, uint32_t column) const;
  void PrefetchTokenSlot(const InsertRequest& request, size_t field) const;
  uint32_t FindToken(const Column& column, uint32_t hash, std::string_view token) const;
  // A generated token that no field of `column` holds yet.
  std::string_view UniqueGeneratedToken(const Column& column, std::string_view candidate,
                                        const TokenFormat& format, Random* random,
                                        std::string* storage) const;
  void AppendField(uint32_t record, uint32_t column, std::string_view value, uint32_t value_hash,
                   std::string_view token, uint32_t token_hash);
  void EnsureValueIndex(uint32_t column);
  // Add or remove `field` (with its current value) in its column's value
  // index; callers check values_indexed.
  void IndexValue(Column* column, uint32_t field, uint32_t value_hash);
  void UnindexValue(Column* column, uint32_t field, uint32_t value_hash);

  mutable std::mutex mutex_;
  const TableSchema* schema_;
  bool has_unique_columns_ = false;
  std::vector<Column> columns_;
  StringMap<uint32_t> column_ids_;
  std::vector<Record> records_;
  std::vector<Field> fields_;
  StringArena arena_;
  PairDigest digest_;
  StringIndex ids_;  // IdHash(id) -> live record
  uint64_t live_records_ = 0;
  // Every record below first_live_ and from end_live_ on is deleted.
  uint32_t first_live_ = 0;
  uint32_t end_live_ = 0;
  // Per-insert scratch, kept to reuse its capacity (guarded by mutex_).
  std::vector<uint32_t> column_map_;
  uint32_t columns_before_plan_ = 0;  // columns_.size() when Plan began
  std::vector<uint32_t> targets_;
  StringIndex request_values_;
  Journal* journal_ = nullptr;  // guarded by mutex_
  std::string journal_key_;     // unique values within one request -> field
};

}  // namespace skyflow::emulator
