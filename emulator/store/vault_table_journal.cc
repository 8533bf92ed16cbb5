// VaultTable's side of persistence: appending its changes to the journal,
// and replaying journal puts into it (see journal.h for the format and the
// durability contract).
#include "emulator/store/vault_table.h"

namespace skyflow::emulator {

void VaultTable::AttachJournal(Journal* journal, std::string key) {
  std::lock_guard lock(mutex_);
  journal_ = journal;
  journal_key_ = std::move(key);
}

void VaultTable::JournalInsert(const InsertRequest& request, const InsertResult& result,
                               JournalPuts* puts) const {
  for (uint32_t r = 0; r < request.records.size(); ++r) {
    const InsertRecord& record = request.records[r];
    puts->BeginRecord(journal_key_, result.id(r),
                      result.created(r) ? JournalPut::kCreate : JournalPut::kUpdate);
    for (uint32_t i = 0; i < record.field_count; ++i) {
      const uint32_t field = record.first_field + i;
      // The token stored, which may be a generated one: result.token, not
      // the request's.
      puts->AddField(request.fields[field].column, request.fields[field].value,
                     result.token(field));
    }
  }
}

void VaultTable::ReplacePair(uint32_t field, std::string_view value, uint32_t value_hash,
                             std::string_view token, uint32_t token_hash) {
  Field& stored = fields_[field];
  Column& column = columns_[stored.column];
  const std::string_view old_value = stored.value();
  const std::string_view old_token = stored.token();
  if (old_token != token) {
    column.tokens.Erase(StringIndex::Hash(old_token), field);
    column.tokens.Insert(token_hash, field);
  }
  const bool value_changes = old_value != value;
  if (value_changes && column.values_indexed) {
    UnindexValue(&column, field, StringIndex::Hash(old_value));
  }
  stored.data = arena_.StorePair(value, token);
  stored.value_size = static_cast<uint32_t>(value.size());
  stored.token_size = static_cast<uint32_t>(token.size());
  if (value_changes && column.values_indexed) IndexValue(&column, field, value_hash);
}

Status VaultTable::Restore(const Uuid& id, JournalPut put,
                           const std::vector<JournalField>& fields) {
  std::lock_guard lock(mutex_);
  uint32_t record = FindRecord(id);
  if (record != kNoField && put == JournalPut::kCreate) {
    // Refused like mid-file corruption: the file stays as it is, and no
    // acknowledged record is dropped by a merge.
    return Status::InvalidArgument(
        "creates record " + UuidText(id) +
        " while a stored record has that skyflow_id; refusing to merge two acknowledged "
        "records. Move the file aside to start empty");
  }
  if (record == kNoField) record = AppendRecordWithId(id);
  for (const JournalField& field : fields) {
    const uint32_t column = ColumnId(field.column);
    const uint32_t value_hash = StringIndex::Hash(field.value);
    const uint32_t token_hash = StringIndex::Hash(field.token);
    const uint32_t existing = FindField(record, column);
    if (existing == kNoField) {
      AppendField(record, column, field.value, value_hash, field.token, token_hash);
    } else {
      digest_.Remove(fields_[existing].value(), fields_[existing].token());
      ReplacePair(existing, field.value, value_hash, field.token, token_hash);
    }
    digest_.Add(field.value, field.token);
  }
  return Status::Ok();
}

}  // namespace skyflow::emulator
