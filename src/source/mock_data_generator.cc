#include "source/mock_data_generator.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <numeric>
#include <set>
#include <system_error>
#include <utility>

#include "source/csv_pair_source.h"
#include "util/ascii.h"
#include "util/csv_writer.h"
#include "util/write_all.h"

namespace skyflow {
namespace {

// Reordering these lists changes every generated name; appending to them
// changes the NAME domain size and therefore the permutation too.
constexpr const char* kFirstNames[] = {
    "James",       "Mary",      "Robert",    "Patricia",   "John",           "Jennifer",
    "Michael",     "Linda",     "David",     "Elizabeth",  "William",        "Barbara",
    "Richard",     "Susan",     "Joseph",    "Jessica",    "Thomas",         "Sarah",
    "Christopher", "Karen",     "Charles",   "Lisa",       "Daniel",         "Nancy",
    "Matthew",     "Betty",     "Anthony",   "Sandra",     "Mark",           "Margaret",
    "Donald",      "Ashley",    "Steven",    "Kimberly",   "Andrew",         "Emily",
    "Paul",        "Donna",     "Joshua",    "Michelle",   "Kenneth",        "Carol",
    "Kevin",       "Amanda",    "Brian",     "Melissa",    "George",         "Deborah",
    "Timothy",     "Stephanie", "Ronald",    "Dorothy",    "Jason",          "Rebecca",
    "Edward",      "Sharon",    "Jeffrey",   "Laura",      "Ryan",           "Cynthia",
    "Jacob",       "Amy",       "Gary",      "Kathleen",   "Nicholas",       "Angela",
    "Eric",        "Shirley",   "Jonathan",  "Brenda",     "Stephen",        "Emma",
    "Larry",       "Anna",      "Justin",    "Pamela",     "Scott",          "Nicole",
    "Brandon",     "Samantha",  "Benjamin",  "Katherine",  "Samuel",         "Christine",
    "Gregory",     "Helen",     "Alexander", "Debra",      "Patrick",        "Rachel",
    "Frank",       "Carolyn",   "Raymond",   "Janet",      "Jack",           "Maria",
    "Dennis",      "Catherine", "Jerry",     "Heather",    "Tyler",          "Diane",
    "Aaron",       "Olivia",    "José",      "Julie",      "Adam",           "Joyce",
    "Nathan",      "Victoria",  "Henry",     "Ruth",       "Zachary",        "Virginia",
    "Douglas",     "Lauren",    "Peter",     "Kelly",      "Kyle",           "Christina",
    "Noah",        "Joan",      "Ethan",     "Evelyn",     "Jeremy",         "Judith",
    "Walter",      "Andrea",    "Christian", "Hannah",     "Keith",          "Megan",
    "Roger",       "Cheryl",    "Terry",     "Jacqueline", "Austin",         "Martha",
    "Sean",        "Madison",   "Gerald",    "Teresa",     "Carl",           "Gloria",
    "Harold",      "Sara",      "Dylan",     "Janice",     "Arthur",         "Ann",
    "Lawrence",    "Kathryn",   "Jordan",    "Abigail",    "Jesse",          "Sophia",
    "Bryan",       "Frances",   "Billy",     "Jean",       "Bruce",          "Alice",
    "Gabriel",     "Judy",      "Joe",       "Isabella",   "Logan",          "Julia",
    "Alan",        "Grace",     "Juan",      "Amber",      "Albert",         "Denise",
    "Willie",      "Danielle",  "Elijah",    "Marilyn",    "Wayne",          "Beverly",
    "Randy",       "Charlotte", "Vincent",   "Natalie",    "Mason",          "Theresa",
    "Roy",         "Diana",     "Ralph",     "Brittany",   "Robert \"Bob\"", "Doris",
    "Russell",     "Kayla",     "Mary-Kate", "Siobhán",    "Björn",          "Renée",
    "François",    "Zoë",
};

constexpr const char* kLastNames[] = {
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "García",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martínez",
    "Hernandez",
    "López",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyễn",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Gomez",
    "Phillips",
    "Evans",
    "Turner",
    "Diaz",
    "Parker",
    "Cruz",
    "Edwards",
    "Collins",
    "Reyes",
    "Stewart",
    "Morris",
    "Morales",
    "Murphy",
    "Cook",
    "Rogers",
    "Gutierrez",
    "Ortiz",
    "Morgan",
    "Cooper",
    "Peterson",
    "Bailey",
    "Reed",
    "Kelly",
    "Howard",
    "Ramos",
    "Kim",
    "Cox",
    "Ward",
    "Richardson",
    "Watson",
    "Brooks",
    "Chavez",
    "Wood",
    "James",
    "Bennett",
    "Gray",
    "Mendoza",
    "Ruiz",
    "Hughes",
    "Price",
    "Alvarez",
    "Castillo",
    "Sanders",
    "Patel",
    "Myers",
    "Long",
    "Ross",
    "Foster",
    "Jimenez",
    "Powell",
    "Jenkins",
    "Perry",
    "Russell",
    "Sullivan",
    "Bell",
    "Coleman",
    "Butler",
    "Henderson",
    "Barnes",
    "Gonzales",
    "Fisher",
    "Vasquez",
    "Simmons",
    "Romero",
    "Jordan",
    "Patterson",
    "Alexander",
    "Hamilton",
    "Graham",
    "Reynolds",
    "Griffin",
    "Wallace",
    "Moreno",
    "West",
    "Cole",
    "Hayes",
    "Bryant",
    "Herrera",
    "Gibson",
    "Ellis",
    "Tran",
    "Medina",
    "Aguilar",
    "Stevens",
    "Murray",
    "Ford",
    "Castro",
    "Marshall",
    "Owens",
    "Harrison",
    "Fernandez",
    "McDonald",
    "Woods",
    "Washington",
    "Kennedy",
    "Wells",
    "Vargas",
    "Henry",
    "Chen",
    "Freeman",
    "Webb",
    "Tucker",
    "Guzman",
    "Burns",
    "Crawford",
    "Olson",
    "Simpson",
    "Porter",
    "Hunter",
    "Gordon",
    "Mendez",
    "Silva",
    "Shaw",
    "Snyder",
    "Mason",
    "Dixon",
    "Muñoz",
    "Hunt",
    "Hicks",
    "Holmes",
    "Palmer",
    "Wagner",
    "Black",
    "Robertson",
    "Boyd",
    "Rose",
    "Stone",
    "Salazar",
    "Fox",
    "Warren",
    "Mills",
    "Meyer",
    "Rice",
    "Müller",
    "Garza",
    "Daniels",
    "Ferguson",
    "Nichols",
    "Stephens",
    "Soto",
    "Weaver",
    "Ryan",
    "Gardner",
    "Payne",
    "Grant",
    "O'Connor",
    "D'Angelo",
    "Smith-Jones, Sr.",
    "O'Brien, Jr.",
};

constexpr uint64_t kFirstNameCount = std::size(kFirstNames);
constexpr uint64_t kLastNameCount = std::size(kLastNames);
constexpr uint64_t kInitialCount = 26;
constexpr uint64_t kNameDomain = kFirstNameCount * kInitialCount * kLastNameCount;
static_assert(kNameDomain == 1'040'000, "the header documents this number");
constexpr uint64_t kIdDomain = 10'000'000'000;
// SSN areas 001-899 without 666, groups 01-99, serials 0001-9999.
constexpr uint64_t kSsnAreas = 898;
constexpr uint64_t kSsnGroups = 99;
constexpr uint64_t kSsnSerials = 9999;
constexpr uint64_t kSsnDomain = kSsnAreas * kSsnGroups * kSsnSerials;

// Howard Hinnant's days_from_civil / civil_from_days, for the proleptic
// Gregorian calendar; only dates from 1900 on are used here.
constexpr int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = year / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = days / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  CivilDate date;
  date.day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  date.month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  date.year = static_cast<int64_t>(year_of_era) + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

constexpr int64_t kFirstBirthDay = DaysFromCivil(1900, 1, 1);
// Days up to 9999-12-31, the last date with a four-digit year.
constexpr uint64_t kDobDomainLimit =
    static_cast<uint64_t>(DaysFromCivil(9999, 12, 31) - kFirstBirthDay + 1);
static_assert(kDobDomainLimit == MockVaultData::kMaxDobDates, "the header documents this number");

// The splitmix64 finalizer: a bijection on 64-bit integers (each step is
// invertible) that scatters neighbouring inputs.
constexpr uint64_t Mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// (a * b) mod m without overflow; the domains go up to 10^10, so the product
// needs 128 bits.
uint64_t MulMod(uint64_t a, uint64_t b, uint64_t m) {
  __extension__ using Uint128 = unsigned __int128;
  return static_cast<uint64_t>(static_cast<Uint128>(a) * b % m);
}

void AppendFixedWidth(uint64_t number, int width, std::string* out) {
  char digits[20];
  for (int i = width - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + number % 10);
    number /= 10;
  }
  out->append(digits, static_cast<size_t>(width));
}

void AppendNumber(uint64_t number, std::string* out) {
  char digits[20];
  const std::to_chars_result result = std::to_chars(digits, digits + sizeof(digits), number);
  out->append(digits, result.ptr);
}

uint64_t DomainSize(MockValueKind kind, uint64_t count) {
  switch (kind) {
    case MockValueKind::kName:
      return kNameDomain;
    case MockValueKind::kId:
      return kIdDomain;
    case MockValueKind::kSsn:
      return kSsnDomain;
    case MockValueKind::kDob:
      return std::clamp<uint64_t>(count, 1, kDobDomainLimit);
    case MockValueKind::kGeneric:
      return std::max<uint64_t>(count, 1);
  }
  return 1;
}

// The split used to scatter a domain's elements after the affine map (see
// MockVaultData::Permute): the size of the low "digit" of a mixed-radix
// decomposition that AppendDomainValue also uses, or 0 for no scattering.
uint64_t FeistelRadix(MockValueKind kind) {
  switch (kind) {
    case MockValueKind::kName:
      return kLastNameCount;
    case MockValueKind::kId:
      return 100'000;
    case MockValueKind::kSsn:
      return kSsnSerials;
    case MockValueKind::kDob:
    case MockValueKind::kGeneric:
      return 0;
  }
  return 0;
}

std::string ErrnoMessage(int error) {
  return std::generic_category().message(error);
}

// Appends to a file through a large buffer; every failure is an IoError
// naming the file.
class BufferedFileWriter {
 public:
  explicit BufferedFileWriter(std::string path) : path_(std::move(path)) {
    buffer_.reserve(kFlushBytes + kFlushBytes / 4);
  }
  ~BufferedFileWriter() {
    if (fd_ >= 0) ::close(fd_);
  }
  BufferedFileWriter(const BufferedFileWriter&) = delete;
  BufferedFileWriter& operator=(const BufferedFileWriter&) = delete;

  Status Open() {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::IoError("cannot create " + path_ + ": " + ErrnoMessage(errno));
    return Status::Ok();
  }

  // Callers append whole rows here, then call MaybeFlush.
  std::string* buffer() { return &buffer_; }

  Status MaybeFlush() { return buffer_.size() >= kFlushBytes ? Flush() : Status::Ok(); }

  Status Close() {
    SKYFLOW_RETURN_IF_ERROR(Flush());
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0)
      return Status::IoError("cannot write " + path_ + ": " + ErrnoMessage(errno));
    return Status::Ok();
  }

 private:
  static constexpr size_t kFlushBytes = size_t{1} << 20;

  Status Flush() {
    SKYFLOW_RETURN_IF_ERROR(WriteAll(fd_, buffer_, path_));
    buffer_.clear();
    return Status::Ok();
  }

  const std::string path_;
  int fd_ = -1;
  std::string buffer_;
};

Status CreateParentDirectory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return Status::Ok();
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    return Status::IoError("cannot create directory " + parent.string() + " for " + path + ": " +
                           error.message());
  }
  return Status::Ok();
}

// Writes one vault's two files under temporary names; the caller renames
// them into place once both are complete.
Status WriteVaultFiles(const CsvPairLayout& layout, const MockVaultData& data, uint64_t count,
                       const std::string& data_temp, const std::string& tokens_temp) {
  BufferedFileWriter data_file(data_temp);
  BufferedFileWriter tokens_file(tokens_temp);
  SKYFLOW_RETURN_IF_ERROR(data_file.Open());
  SKYFLOW_RETURN_IF_ERROR(tokens_file.Open());
  AppendCsvField(layout.value_header, ',', data_file.buffer());
  data_file.buffer()->push_back('\n');
  AppendCsvField(layout.token_header, ',', tokens_file.buffer());
  tokens_file.buffer()->push_back('\n');
  std::string value;
  for (uint64_t row = 0; row < count; ++row) {
    value.clear();
    data.AppendValue(row, &value);
    AppendCsvField(value, ',', data_file.buffer());
    data_file.buffer()->push_back('\n');
    // Tokens are hex digits and dashes: never in need of quotes.
    data.AppendToken(row, tokens_file.buffer());
    tokens_file.buffer()->push_back('\n');
    SKYFLOW_RETURN_IF_ERROR(data_file.MaybeFlush());
    SKYFLOW_RETURN_IF_ERROR(tokens_file.MaybeFlush());
  }
  SKYFLOW_RETURN_IF_ERROR(data_file.Close());
  return tokens_file.Close();
}

Status RenameIntoPlace(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    return Status::IoError("cannot rename " + from + " to " + to + ": " + ErrnoMessage(errno));
  }
  return Status::Ok();
}

}  // namespace

MockValueKind MockValueKindFor(std::string_view mock_values) {
  if (EqualsIgnoreCase(mock_values, "name")) return MockValueKind::kName;
  if (EqualsIgnoreCase(mock_values, "id")) return MockValueKind::kId;
  if (EqualsIgnoreCase(mock_values, "ssn")) return MockValueKind::kSsn;
  if (EqualsIgnoreCase(mock_values, "dob")) return MockValueKind::kDob;
  return MockValueKind::kGeneric;
}

MockVaultData::MockVaultData(MockValueKind kind, uint64_t count, uint64_t seed,
                             uint64_t vault_ordinal)
    : kind_(kind),
      vault_ordinal_(vault_ordinal),
      domain_size_(DomainSize(kind, count)),
      feistel_radix_(FeistelRadix(kind)) {
  // Distinct constants keep the keys of one seed unrelated to each other.
  const uint64_t vault_key = Mix64(Mix64(seed ^ 0x5bd1e9955bd1e995ULL) + vault_ordinal);
  multiplier_ = 1;
  offset_ = 0;
  if (domain_size_ > 1) {
    multiplier_ = 1 + Mix64(vault_key ^ 0x243f6a8885a308d3ULL) % (domain_size_ - 1);
    while (std::gcd(multiplier_, domain_size_) != 1) {
      multiplier_ = multiplier_ + 1 == domain_size_ ? 1 : multiplier_ + 1;
    }
    offset_ = Mix64(vault_key ^ 0x13198a2e03707344ULL) % domain_size_;
  }
  for (size_t round = 0; round < feistel_keys_.size(); ++round) {
    feistel_keys_[round] = Mix64(vault_key + 0x9e3779b97f4a7c15ULL * (round + 1));
  }
  // Token keys depend on the seed alone: a vault-dependent key would void
  // the argument that tokens of different vaults differ.
  token_key_high_ = Mix64(seed ^ 0xa4093822299f31d0ULL);
  token_key_low_ = Mix64(seed ^ 0x082efa98ec4e6c89ULL);
}

void MockVaultData::AppendValue(uint64_t row, std::string* out) const {
  const uint64_t generation = row / domain_size_;
  AppendDomainValue(Permute(row % domain_size_), out);
  if (generation > 0) {
    out->push_back(kind_ == MockValueKind::kName ? ' ' : '-');
    AppendNumber(generation + 1, out);
  }
}

uint64_t MockVaultData::Permute(uint64_t index) const {
  const uint64_t element = (MulMod(multiplier_, index, domain_size_) + offset_) % domain_size_;
  if (feistel_radix_ == 0) return element;
  // Rows next to each other differ by a constant under the affine map alone,
  // which shows in every digit ("526-74-5369", "557-75-5196", ...). Three
  // Feistel rounds over (element / radix, element % radix) scatter them; each
  // round adds a function of one half to the other modulo its size, so it is
  // a bijection whatever that function is.
  const uint64_t high_size = domain_size_ / feistel_radix_;
  uint64_t high = element / feistel_radix_;
  uint64_t low = element % feistel_radix_;
  low = (low + Mix64(high ^ feistel_keys_[0]) % feistel_radix_) % feistel_radix_;
  high = (high + Mix64(low ^ feistel_keys_[1]) % high_size) % high_size;
  low = (low + Mix64(high ^ feistel_keys_[2]) % feistel_radix_) % feistel_radix_;
  return high * feistel_radix_ + low;
}

void MockVaultData::AppendDomainValue(uint64_t element, std::string* out) const {
  switch (kind_) {
    case MockValueKind::kName: {
      const uint64_t last = element % kLastNameCount;
      element /= kLastNameCount;
      const uint64_t first = element % kFirstNameCount;
      const uint64_t initial = element / kFirstNameCount;
      out->append(kFirstNames[first]);
      out->push_back(' ');
      out->push_back(static_cast<char>('A' + initial));
      out->append(". ");
      out->append(kLastNames[last]);
      return;
    }
    case MockValueKind::kId:
      AppendFixedWidth(element, 10, out);
      return;
    case MockValueKind::kSsn: {
      const uint64_t serial = element % kSsnSerials + 1;
      element /= kSsnSerials;
      const uint64_t group = element % kSsnGroups + 1;
      uint64_t area = element / kSsnGroups + 1;
      if (area >= 666) ++area;
      AppendFixedWidth(area, 3, out);
      out->push_back('-');
      AppendFixedWidth(group, 2, out);
      out->push_back('-');
      AppendFixedWidth(serial, 4, out);
      return;
    }
    case MockValueKind::kDob: {
      const CivilDate date = CivilFromDays(kFirstBirthDay + static_cast<int64_t>(element));
      AppendFixedWidth(static_cast<uint64_t>(date.year), 4, out);
      out->push_back('-');
      AppendFixedWidth(date.month, 2, out);
      out->push_back('-');
      AppendFixedWidth(date.day, 2, out);
      return;
    }
    case MockValueKind::kGeneric:
      out->append("value-");
      AppendNumber(element + 1, out);
      return;
  }
}

void MockVaultData::AppendToken(uint64_t row, std::string* out) const {
  // (vault, row) -> x is injective within the limits, x -> high is a
  // bijection (adding a key, then Mix64), and all 64 bits of `high` appear in
  // the token: so two tokens of one call can only be equal if they belong to
  // the same row of the same vault. `low` only fills the remaining digits.
  const uint64_t x = (vault_ordinal_ << 40) | row;
  const uint64_t high = Mix64(x + token_key_high_);
  const uint64_t low = Mix64(high ^ token_key_low_);
  static const char kHex[] = "0123456789abcdef";
  // UUID version 4 shape: 8-4-4-4-12 hex digits, digit 12 is '4' and digit
  // 16 one of 8, 9, a, b.
  char digits[32];
  for (int i = 0; i < 12; ++i)
    digits[i] = kHex[(high >> (60 - 4 * i)) & 0xf];
  digits[12] = '4';
  for (int i = 13; i < 16; ++i)
    digits[i] = kHex[(high >> (60 - 4 * (i - 1))) & 0xf];
  digits[16] = kHex[8 | (low >> 62)];
  digits[17] = kHex[high & 0xf];
  for (int i = 18; i < 32; ++i)
    digits[i] = kHex[(low >> (4 * (i - 18))) & 0xf];
  char token[36];
  int at = 0;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) token[at++] = '-';
    token[at++] = digits[i];
  }
  out->append(token, sizeof(token));
}

Status GenerateMockData(const std::vector<VaultConfig>& vaults, const std::string& data_directory,
                        uint64_t count, uint64_t seed) {
  if (count > MockVaultData::kMaxRowsPerVault) {
    return Status::InvalidArgument(
        "-generate " + std::to_string(count) + " is more than the generator supports (" +
        std::to_string(MockVaultData::kMaxRowsPerVault) + " records per vault)");
  }
  if (vaults.size() > MockVaultData::kMaxVaults) {
    return Status::InvalidArgument("cannot generate data for " + std::to_string(vaults.size()) +
                                   " vaults; the limit is " +
                                   std::to_string(MockVaultData::kMaxVaults));
  }
  std::vector<CsvPairLayout> layouts;
  std::set<std::string> paths;
  for (const VaultConfig& vault : vaults) {
    layouts.push_back(CsvLayoutFor(vault, data_directory));
    for (const std::string* path : {&layouts.back().data_path, &layouts.back().tokens_path}) {
      if (!paths.insert(*path).second) {
        return Status::InvalidArgument(
            "vault " + vault.name + " would write " + *path +
            ", which another vault writes too; give each vault its own data_file and tokens_file");
      }
    }
  }
  for (size_t i = 0; i < vaults.size(); ++i) {
    const CsvPairLayout& layout = layouts[i];
    SKYFLOW_RETURN_IF_ERROR(CreateParentDirectory(layout.data_path));
    SKYFLOW_RETURN_IF_ERROR(CreateParentDirectory(layout.tokens_path));
    const MockVaultData data(MockValueKindFor(vaults[i].mock_values), count, seed, i);
    const std::string data_temp = layout.data_path + ".tmp";
    const std::string tokens_temp = layout.tokens_path + ".tmp";
    Status status = WriteVaultFiles(layout, data, count, data_temp, tokens_temp);
    if (status.ok()) status = RenameIntoPlace(data_temp, layout.data_path);
    if (status.ok()) status = RenameIntoPlace(tokens_temp, layout.tokens_path);
    if (!status.ok()) {
      std::remove(data_temp.c_str());
      std::remove(tokens_temp.c_str());
      return status;
    }
  }
  return Status::Ok();
}

}  // namespace skyflow
