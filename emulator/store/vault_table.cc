#include "emulator/store/vault_table.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "util/utf8.h"

namespace skyflow::emulator {
namespace {

// How many fields ahead Insert prefetches token-index slots: enough to cover
// a memory access with the work on the fields in between.
constexpr size_t kPrefetchDistance = 8;

// Spec section 1: unique string columns take at most 2,500 characters.
constexpr size_t kMaxUniqueValueCharacters = 2500;

// Code points of valid UTF-8 (the parser has validated it): the bytes that
// do not continue a sequence.
std::string Quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

}  // namespace

VaultTable::VaultTable(const TableSchema* schema) : schema_(schema) {
  if (schema_ == nullptr) return;
  for (const ColumnSchema& declared : schema_->columns) {
    Column& column = columns_[ColumnId(declared.name)];
    column.unique = declared.unique;
    column.values_indexed = declared.unique;
    has_unique_columns_ = has_unique_columns_ || declared.unique;
  }
}

uint32_t VaultTable::ColumnId(std::string_view name) {
  if (auto it = column_ids_.find(name); it != column_ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(columns_.size());
  columns_.push_back(Column{std::string(name), {}, {}});
  column_ids_.emplace(std::string(name), id);
  return id;
}

void VaultTable::PrefetchTokenSlot(const InsertRequest& request, size_t field) const {
  if (field >= request.fields.size()) return;
  const InsertField& ahead = request.fields[field];
  columns_[column_map_[ahead.column_slot]].tokens.Prefetch(ahead.token_hash);
}

uint32_t VaultTable::FindField(uint32_t record, uint32_t column) const {
  for (uint32_t f = records_[record].first_field; f != kNoField; f = fields_[f].next) {
    if (fields_[f].column == column) return f;
  }
  return kNoField;
}

uint32_t VaultTable::FindToken(const Column& column, uint32_t hash, std::string_view token) const {
  const uint32_t field =
      column.tokens.Find(hash, [&](uint32_t ref) { return fields_[ref].token() == token; });
  return field == StringIndex::kNone ? kNoField : field;
}

std::string_view VaultTable::UniqueGeneratedToken(const Column& column, std::string_view candidate,
                                                  const TokenFormat& format, Random* random,
                                                  std::string* storage) const {
  // A generated token has 53 to 128 random bits; a clash means a draw hit
  // a stored one (or the caller supplied tokens of the same shape). Draw
  // again until it is free.
  std::string_view token = candidate;
  for (int attempt = 0; attempt < 64; ++attempt) {
    if (FindToken(column, StringIndex::Hash(token), token) == kNoField) return token;
    *storage = format.Generate(random);
    token = *storage;
  }
  return token;
}

void VaultTable::AppendField(uint32_t record, uint32_t column, std::string_view value,
                             uint32_t value_hash, std::string_view token, uint32_t token_hash) {
  const auto ref = static_cast<uint32_t>(fields_.size());
  Field field;
  field.data = arena_.StorePair(value, token);
  field.value_size = static_cast<uint32_t>(value.size());
  field.token_size = static_cast<uint32_t>(token.size());
  field.column = column;
  field.record = record;
  fields_.push_back(field);
  Record& owner = records_[record];
  if (owner.last_field == kNoField) {
    owner.first_field = ref;
  } else {
    fields_[owner.last_field].next = ref;
  }
  owner.last_field = ref;
  Column& owner_column = columns_[column];
  owner_column.tokens.Insert(token_hash, ref);
  if (owner_column.values_indexed) IndexValue(&owner_column, ref, value_hash);
}

void VaultTable::EnsureValueIndex(uint32_t column_id) {
  Column& column = columns_[column_id];
  if (column.values_indexed) return;
  column.values_indexed = true;
  for (uint32_t f = 0; f < fields_.size(); ++f) {
    if (fields_[f].column == column_id && !IsDeleted(fields_[f].record)) {
      IndexValue(&column, f, StringIndex::Hash(fields_[f].value()));
    }
  }
}

void VaultTable::IndexValue(Column* column, uint32_t field, uint32_t value_hash) {
  const std::string_view value = fields_[field].value();
  const uint32_t head =
      column->values.Find(value_hash, [&](uint32_t ref) { return fields_[ref].value() == value; });
  if (head == StringIndex::kNone) {
    fields_[field].next_same_value = kNoField;
    column->values.Insert(value_hash, field);
  } else {
    fields_[field].next_same_value = fields_[head].next_same_value;
    fields_[head].next_same_value = field;
  }
}

void VaultTable::UnindexValue(Column* column, uint32_t field, uint32_t value_hash) {
  const std::string_view value = fields_[field].value();
  const uint32_t head =
      column->values.Find(value_hash, [&](uint32_t ref) { return fields_[ref].value() == value; });
  if (head == StringIndex::kNone) return;
  if (head == field) {
    column->values.Erase(value_hash, field);
    if (fields_[field].next_same_value != kNoField) {
      column->values.Insert(value_hash, fields_[field].next_same_value);
    }
  } else {
    // Only an upsert that changes a shared value gets here; the walk is as
    // long as the number of records sharing it.
    uint32_t previous = head;
    while (fields_[previous].next_same_value != kNoField &&
           fields_[previous].next_same_value != field) {
      previous = fields_[previous].next_same_value;
    }
    if (fields_[previous].next_same_value == field) {
      fields_[previous].next_same_value = fields_[field].next_same_value;
    }
  }
  fields_[field].next_same_value = kNoField;
}

Status VaultTable::Insert(const InsertRequest& request, Random* random, InsertResult* result) {
  result->Clear();
  std::lock_guard lock(mutex_);
  if (Status planned = Plan(request); !planned.ok()) {
    UndoPlan();
    return planned;
  }
  Apply(request, random, result);
  if (journal_ != nullptr) {
    thread_local JournalPuts puts;  // reused: a request allocates nothing once warm
    puts.Clear();
    JournalInsert(request, *result, &puts);
    journal_->AppendPuts(puts);
  }
  return Status::Ok();
}

Status VaultTable::InsertTogether(std::span<VaultTable* const> tables,
                                  std::span<const InsertRequest> requests, Random* random,
                                  std::span<InsertResult> results) {
  std::vector<size_t> order(tables.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return std::less<>()(tables[a], tables[b]); });
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(order.size());
  for (const size_t i : order)
    locks.emplace_back(tables[i]->mutex_);
  for (size_t planned = 0; planned < order.size(); ++planned) {
    VaultTable* table = tables[order[planned]];
    results[order[planned]].Clear();
    if (Status status = table->Plan(requests[order[planned]]); !status.ok()) {
      // Tables planned before this one may have created columns too.
      for (size_t undone = 0; undone <= planned; ++undone)
        tables[order[undone]]->UndoPlan();
      return status;
    }
  }
  // One journal entry for the whole request, across its tables, so that it
  // is on disk whole or not at all.
  thread_local JournalPuts puts;
  puts.Clear();
  Journal* journal = nullptr;
  for (const size_t i : order) {
    tables[i]->Apply(requests[i], random, &results[i]);
    if (tables[i]->journal_ != nullptr) {
      journal = tables[i]->journal_;
      tables[i]->JournalInsert(requests[i], results[i], &puts);
    }
  }
  if (journal != nullptr && !puts.empty()) journal->AppendPuts(puts);
  return Status::Ok();
}

Status VaultTable::CheckSchema(const InsertRequest& request) const {
  for (const InsertField& field : request.fields) {
    if (column_ids_.find(field.column) != column_ids_.end()) continue;
    return Status::InvalidArgument(
        "Invalid field " + Quoted(field.column) + " in " + request.RecordLabel(field.record) +
        ".fields: table " + schema_->name +
        " has no such column (its columns: " + schema_->ColumnList() + ")");
  }
  if (request.upsert()) {
    const ColumnSchema* column = schema_->FindColumn(request.upsert_column);
    if (column == nullptr || !column->unique) {
      return Status::InvalidArgument("Upsert failed: column " + Quoted(request.upsert_column) +
                                     " of table " + schema_->name +
                                     " is not unique; \"upsert\" must name a column the schema "
                                     "declares unique");
    }
  }
  return Status::Ok();
}

Status VaultTable::CheckUniqueValues(const InsertRequest& request) {
  request_values_.Reset(request.fields.size());
  for (uint32_t f = 0; f < request.fields.size(); ++f) {
    const InsertField& field = request.fields[f];
    const uint32_t column_id = column_map_[field.column_slot];
    const Column& column = columns_[column_id];
    if (!column.unique) continue;
    if (field.value.size() > kMaxUniqueValueCharacters &&
        CountCodePoints(field.value) > kMaxUniqueValueCharacters) {
      return Status::InvalidArgument(
          request.RecordLabel(field.record) + ".fields." + std::string(field.column) + " has " +
          std::to_string(CountCodePoints(field.value)) +
          " characters; a unique column takes at most 2500. Nothing was stored");
    }
    const uint32_t target = targets_[field.record];
    const uint32_t holder = column.values.Find(
        field.value_hash, [&](uint32_t ref) { return fields_[ref].value() == field.value; });
    if (holder != StringIndex::kNone && fields_[holder].record != target) {
      return Status::Conflict("Unique constraint violation: the value given for unique column " +
                              Quoted(field.column) + " in " + request.RecordLabel(field.record) +
                              " is already held by another record. Nothing was stored; send "
                              "\"upsert\": " +
                              Quoted(field.column) + " to update that record instead");
    }
    const uint32_t hash = field.value_hash ^ (column_id * 0x9e3779b9U);
    const uint32_t earlier = request_values_.Find(hash, [&](uint32_t ref) {
      return request.fields[ref].column_slot == field.column_slot &&
             request.fields[ref].value == field.value;
    });
    if (earlier == StringIndex::kNone) {
      request_values_.Insert(hash, f);
    } else if (targets_[request.fields[earlier].record] != target) {
      return Status::Conflict(
          "Unique constraint violation: " + request.RecordLabel(request.fields[earlier].record) +
          " and " + request.RecordLabel(field.record) + " carry the same value for unique column " +
          Quoted(field.column) + ". Nothing was stored");
    }
  }
  return Status::Ok();
}

Status VaultTable::Plan(const InsertRequest& request) {
  columns_before_plan_ = static_cast<uint32_t>(columns_.size());  // first: see UndoPlan
  if (records_.size() + request.records.size() >= StringIndex::kMaxRef ||
      fields_.size() + request.fields.size() >= StringIndex::kMaxRef) {
    return Status::InvalidArgument("The emulator's table is full (2^32 records or fields)");
  }

  if (schema_ != nullptr) SKYFLOW_RETURN_IF_ERROR(CheckSchema(request));
  // The checks below need column ids, so the request's new columns are
  // created now; UndoPlan drops them again if the request is refused.
  column_map_.resize(request.columns.size());
  for (size_t i = 0; i < request.columns.size(); ++i)
    column_map_[i] = ColumnId(request.columns[i]);

  // Which stored record each request record ends up as: an existing one (an
  // upsert match) or the next new one. Nothing is written in this pass.
  targets_.resize(request.records.size());
  auto next_new = static_cast<uint32_t>(records_.size());
  for (uint32_t r = 0; r < request.records.size(); ++r) {
    const InsertRecord& record = request.records[r];
    if (!request.upsert()) {
      targets_[r] = next_new++;
      continue;
    }
    if (record.upsert_leader != r) {
      targets_[r] = targets_[record.upsert_leader];
      continue;
    }
    const InsertField& key = request.fields[record.upsert_field];
    EnsureValueIndex(column_map_[key.column_slot]);
    const Column& column = columns_[column_map_[key.column_slot]];
    const uint32_t match = column.values.Find(
        key.value_hash, [&](uint32_t ref) { return fields_[ref].value() == key.value; });
    if (match != StringIndex::kNone && fields_[match].next_same_value != kNoField) {
      return Status::InvalidArgument(
          "Upsert failed: column \"" + std::string(request.upsert_column) +
          "\" is not unique here; the value in " + request.RecordLabel(r) +
          " is held by several records. Nothing was stored");
    }
    targets_[r] = match != StringIndex::kNone ? fields_[match].record : next_new++;
  }

  if (has_unique_columns_) SKYFLOW_RETURN_IF_ERROR(CheckUniqueValues(request));

  for (size_t f = 0; f < request.fields.size(); ++f) {
    PrefetchTokenSlot(request, f + kPrefetchDistance);
    const InsertField& field = request.fields[f];
    if (!field.token_supplied) continue;
    const uint32_t owner =
        FindToken(columns_[column_map_[field.column_slot]], field.token_hash, field.token);
    if (owner != kNoField && fields_[owner].record != targets_[field.record]) {
      return Status::Conflict("Unique constraint violation: the token given for column \"" +
                              std::string(field.column) + "\" in " +
                              request.RecordLabel(field.record) +
                              " already belongs to another record. Nothing was stored; send "
                              "\"upsert\" to update existing records");
    }
  }
  return Status::Ok();
}

void VaultTable::UndoPlan() {
  // A refused request must leave no trace: no new column in an export
  // header, no "fields=" that a read accepts.
  while (columns_.size() > columns_before_plan_) {
    column_ids_.erase(columns_.back().name);
    columns_.pop_back();
  }
}

void VaultTable::Apply(const InsertRequest& request, Random* random, InsertResult* result) {
  // Apply. request.added_pairs counts every field's (value, token) as new;
  // where a field updates or keeps a stored pair, the digest is corrected.
  std::string replacement_token;
  for (uint32_t r = 0; r < request.records.size(); ++r) {
    const uint32_t target = targets_[r];
    const bool created = target == records_.size();
    if (created) AppendRecord(random);
    result->AddRecord(records_[target].id, created);
    const InsertRecord& record = request.records[r];
    for (uint32_t i = 0; i < record.field_count; ++i) {
      PrefetchTokenSlot(request, record.first_field + i + kPrefetchDistance);
      const InsertField& field = request.fields[record.first_field + i];
      const uint32_t column_id = column_map_[field.column_slot];
      Column& column = columns_[column_id];
      const uint32_t existing = FindField(target, column_id);

      std::string_view token = field.token;
      if (existing != kNoField && !field.token_supplied &&
          fields_[existing].value() == field.value) {
        token = fields_[existing].token();  // unchanged value keeps its token
      } else if (!field.token_supplied) {
        token = UniqueGeneratedToken(column, field.token, *request.token_format, random,
                                     &replacement_token);
      }
      if (token != field.token) {
        digest_.Remove(field.value, field.token);
        digest_.Add(field.value, token);
      }
      const uint32_t token_hash =
          token == field.token ? field.token_hash : StringIndex::Hash(token);

      if (existing == kNoField) {
        AppendField(target, column_id, field.value, field.value_hash, token, token_hash);
        result->AddToken(token);
        continue;
      }
      Field& stored = fields_[existing];
      const std::string_view old_value = stored.value();
      const std::string_view old_token = stored.token();
      // The stored pair leaves the digest (added_pairs already holds the new
      // one); when the two are equal the net effect is nothing.
      digest_.Remove(old_value, old_token);
      if (old_value == field.value && old_token == token) {
        result->AddToken(token);
        continue;
      }
      ReplacePair(existing, field.value, field.value_hash, token, token_hash);
      result->AddToken(token);
    }
  }
  digest_.Merge(request.added_pairs);
}

std::optional<StoredRecordCopy> VaultTable::FindByToken(std::string_view column_name,
                                                        std::string_view token) const {
  std::lock_guard lock(mutex_);
  const auto column = column_ids_.find(column_name);
  if (column == column_ids_.end()) return std::nullopt;
  const uint32_t field = FindToken(columns_[column->second], StringIndex::Hash(token), token);
  if (field == kNoField) return std::nullopt;
  return CopyRecord(fields_[field].record);
}

uint32_t VaultTable::AppendRecord(Random* random) {
  // 122 random bits make a clash all but impossible, except when the stream
  // itself repeats (a fixed --seed over a replayed data file): a skyflow_id
  // must never name two records, so a taken one is drawn again.
  Uuid id = RandomUuid(random);
  while (FindRecord(id) != kNoField)
    id = RandomUuid(random);
  return AppendRecordWithId(id);
}

uint32_t VaultTable::AppendRecordWithId(const Uuid& id) {
  const auto record = static_cast<uint32_t>(records_.size());
  records_.push_back(Record{id, kNoField, kNoField});
  ids_.Insert(IdHash(records_.back().id), record);
  ++live_records_;
  end_live_ = record + 1;
  return record;
}

uint32_t VaultTable::FindRecord(const Uuid& id) const {
  const uint32_t record =
      ids_.Find(IdHash(id), [&](uint32_t ref) { return records_[ref].id == id; });
  return record == StringIndex::kNone ? kNoField : record;
}

StoredRecordCopy VaultTable::CopyRecord(uint32_t record) const {
  StoredRecordCopy copy;
  copy.id = records_[record].id;
  for (uint32_t f = records_[record].first_field; f != kNoField; f = fields_[f].next) {
    copy.fields.push_back({columns_[fields_[f].column].name, std::string(fields_[f].value()),
                           std::string(fields_[f].token())});
  }
  return copy;
}

void VaultTable::DeleteRecord(uint32_t record) {
  Record& doomed = records_[record];
  for (uint32_t f = doomed.first_field; f != kNoField; f = fields_[f].next) {
    const Field& field = fields_[f];
    Column& column = columns_[field.column];
    column.tokens.Erase(StringIndex::Hash(field.token()), f);
    if (column.values_indexed) UnindexValue(&column, f, StringIndex::Hash(field.value()));
    digest_.Remove(field.value(), field.token());
  }
  ids_.Erase(IdHash(doomed.id), record);
  doomed.first_field = kDeletedRecord;
  doomed.last_field = kNoField;
  --live_records_;
  while (first_live_ < end_live_ && IsDeleted(first_live_))
    ++first_live_;
  while (end_live_ > first_live_ && IsDeleted(end_live_ - 1))
    --end_live_;
}

std::optional<TokenMatch> VaultTable::Detokenize(std::string_view token) const {
  std::lock_guard lock(mutex_);
  const uint32_t hash = StringIndex::Hash(token);
  std::optional<TokenMatch> match;
  for (const Column& column : columns_) {
    const uint32_t field = FindToken(column, hash, token);
    if (field == kNoField) continue;
    if (!match) {
      match = TokenMatch{column.name, std::string(fields_[field].value())};
    } else if (match->value != fields_[field].value()) {
      match->ambiguous = true;
      break;
    }
  }
  return match;
}

std::optional<StoredRecordCopy> VaultTable::FindById(const Uuid& id) const {
  std::lock_guard lock(mutex_);
  const uint32_t record = FindRecord(id);
  if (record == kNoField) return std::nullopt;
  return CopyRecord(record);
}

std::vector<StoredRecordCopy> VaultTable::FindByValue(std::string_view column_name,
                                                      std::string_view value) {
  std::lock_guard lock(mutex_);
  std::vector<StoredRecordCopy> found;
  const auto column = column_ids_.find(column_name);
  if (column == column_ids_.end()) return found;
  EnsureValueIndex(column->second);
  const uint32_t hash = StringIndex::Hash(value);
  uint32_t field = columns_[column->second].values.Find(
      hash, [&](uint32_t ref) { return fields_[ref].value() == value; });
  std::vector<uint32_t> records;
  static_assert(StringIndex::kNone == kNoField, "one \"none\" for fields and index misses");
  for (; field != kNoField; field = fields_[field].next_same_value)
    records.push_back(fields_[field].record);
  std::sort(records.begin(), records.end());
  for (const uint32_t record : records)
    found.push_back(CopyRecord(record));
  return found;
}

std::vector<StoredRecordCopy> VaultTable::Page(uint64_t offset, uint64_t limit,
                                               bool descending) const {
  std::lock_guard lock(mutex_);
  std::vector<StoredRecordCopy> page;
  if (offset >= live_records_) return page;
  const uint64_t wanted = std::min(limit, live_records_ - offset);
  page.reserve(wanted);
  uint64_t skipped = 0;
  // Deleted records inside [first_live_, end_live_) are skipped one by one;
  // the clearing loop deletes from the front (or, descending, the back), so
  // the hints keep those runs short.
  auto visit = [&](uint32_t record) {
    if (IsDeleted(record)) return true;
    if (skipped < offset) {
      ++skipped;
      return true;
    }
    page.push_back(CopyRecord(record));
    return page.size() < wanted;
  };
  if (descending) {
    for (uint32_t r = end_live_; r > first_live_ && visit(r - 1); --r) {
    }
  } else {
    for (uint32_t r = first_live_; r < end_live_ && visit(r); ++r) {
    }
  }
  return page;
}

bool VaultTable::Delete(const Uuid& id) {
  std::lock_guard lock(mutex_);
  const uint32_t record = FindRecord(id);
  if (record == kNoField) return false;
  DeleteRecord(record);
  if (journal_ != nullptr) journal_->AppendDelete(journal_key_, {id});
  return true;
}

uint64_t VaultTable::DeleteAll() {
  std::lock_guard lock(mutex_);
  const uint64_t deleted = live_records_;
  for (Column& column : columns_) {
    column.tokens.Reset();
    column.values.Reset();
    // Unique columns check values through this index and never rebuild it:
    // it must stay on (empty) for them.
    column.values_indexed = column.unique;
  }
  records_ = {};
  fields_ = {};
  arena_.Clear();
  ids_.Reset();
  digest_ = PairDigest();
  live_records_ = 0;
  first_live_ = end_live_ = 0;
  if (journal_ != nullptr) journal_->AppendDeleteAll(journal_key_);
  return deleted;
}

bool VaultTable::HasColumn(std::string_view column) const {
  std::lock_guard lock(mutex_);
  return column_ids_.find(column) != column_ids_.end();
}

size_t VaultTable::column_count() const {
  std::lock_guard lock(mutex_);
  return columns_.size();
}

TableStats VaultTable::Stats() const {
  std::lock_guard lock(mutex_);
  return TableStats{live_records_, digest_};
}

}  // namespace skyflow::emulator
