#include "app/snowflake_connection.h"

#include <optional>
#include <string>
#include <utility>

#include "app/secret_prompt.h"
#include "snowflake/account.h"
#include "snowflake/keypair_jwt.h"
#include "snowflake/pat_credentials.h"
#include "snowflake/statement_client.h"
#include "source/snowflake_query.h"
#include "util/ascii.h"
#include "util/rsa_key.h"
#include "util/small_file.h"

namespace skyflow {
namespace {

constexpr size_t kMaxKeyFileBytes = 64 * 1024;

bool UsesKeyPair(const SnowflakeConfig& snowflake) {
  if (snowflake.authenticator.empty()) return !snowflake.private_key_file.empty();
  return EqualsIgnoreCase(snowflake.authenticator, "snowflake_jwt");
}

Result<std::unique_ptr<snowflake::SqlApiCredentials>> MakeCredentials(
    const SnowflakeConfig& snowflake, const std::string& account_identifier) {
  if (!UsesKeyPair(snowflake)) {
    Result<std::unique_ptr<snowflake::PatCredentials>> pat =
        snowflake::PatCredentials::Create(snowflake.password, snowflake.user);
    if (!pat.ok()) return pat.status();
    return std::unique_ptr<snowflake::SqlApiCredentials>(std::move(pat).value());
  }
  Result<RsaPrivateKey> key = snowflake::LoadSnowflakePrivateKey(snowflake.private_key_file,
                                                                 snowflake.private_key_passphrase);
  if (!key.ok()) return key.status();
  Result<std::unique_ptr<snowflake::KeyPairJwtCredentials>> jwt =
      snowflake::KeyPairJwtCredentials::Create(account_identifier, snowflake.user,
                                               std::move(key).value());
  if (!jwt.ok()) return jwt.status();
  return std::unique_ptr<snowflake::SqlApiCredentials>(std::move(jwt).value());
}

}  // namespace

Status CompleteSnowflakeCredentials(SnowflakeConfig* snowflake) {
  if (snowflake->user.empty()) {
    std::optional<std::string> user = PromptForText("❄️  Enter Snowflake username: ");
    if (!user) {
      return Status::InvalidArgument(
          "no Snowflake user: pass -sf-user or set snowflake.user in the config file");
    }
    snowflake->user = *user;
  }
  if (!UsesKeyPair(*snowflake)) {
    if (snowflake->password.empty()) {
      std::optional<std::string> pat =
          PromptForSecret("❄️  Enter Snowflake password (or PAT token): ");
      if (!pat) {
        return Status::InvalidArgument(
            "no Snowflake programmatic access token: set SNOWFLAKE_PAT (keeps it out of the "
            "process list), pass -sf-password, or set snowflake.password in a config file "
            "readable only by you");
      }
      snowflake->password = *pat;
    }
    return Status::Ok();
  }
  if (snowflake->private_key_file.empty()) {
    return Status::InvalidArgument(
        "SNOWFLAKE_JWT needs the private key: pass -sf-private-key-file PATH or set "
        "snowflake.private_key_file");
  }
  if (!snowflake->private_key_passphrase.empty()) return Status::Ok();
  Result<std::string> pem = ReadSmallFile(snowflake->private_key_file, kMaxKeyFileBytes);
  if (!pem.ok() || !RsaPrivateKey::IsEncryptedPem(*pem)) return Status::Ok();
  std::optional<std::string> passphrase =
      PromptForSecret("❄️  Enter the passphrase of " + snowflake->private_key_file + ": ");
  if (passphrase) snowflake->private_key_passphrase = *passphrase;
  // Without one, loading the key says to set SNOWFLAKE_PRIVATE_KEY_PASSPHRASE.
  return Status::Ok();
}

Result<std::shared_ptr<const SnowflakeConnection>> ConnectSnowflake(const LoaderConfig& config) {
  const SnowflakeConfig& snowflake = config.snowflake;
  Result<snowflake::SnowflakeEndpoint> endpoint =
      snowflake::ResolveSnowflakeEndpoint(snowflake.account, snowflake.url);
  if (!endpoint.ok()) return endpoint.status();
  Result<std::unique_ptr<snowflake::SqlApiCredentials>> credentials =
      MakeCredentials(snowflake, endpoint->account_identifier);
  if (!credentials.ok()) return credentials.status();

  auto connection = std::make_shared<SnowflakeConnection>();
  connection->credentials = std::move(credentials).value();
  snowflake::StatementClientOptions options;
  options.verify_tls = !config.run.insecure_skip_tls_verify;
  options.ca_file = config.run.ca_file;
  options.max_attempts = static_cast<int>(std::max<int64_t>(1, config.performance.max_attempts));
  connection->client = std::make_unique<snowflake::StatementClient>(
      endpoint->base_url, connection->credentials.get(), options);
  return std::shared_ptr<const SnowflakeConnection>(std::move(connection));
}

Result<std::unique_ptr<RecordSource>> OpenSnowflakeSource(
    const LoaderConfig& config, const VaultConfig& vault,
    std::shared_ptr<const SnowflakeConnection> connection) {
  RowWindow window;
  window.start_record = config.run.start_record;
  window.end_record = config.run.end_record;
  window.max_records = config.performance.max_records.value_or(0);
  Result<std::string> query = BuildVaultQuery(config.snowflake, vault, window);
  if (!query.ok()) return query.status();

  SnowflakeSourceOptions options;
  options.vault = vault.name;
  options.prefetch = static_cast<size_t>(config.snowflake.prefetch);
  options.statement.text = std::move(query).value();
  options.statement.timeout_seconds = config.snowflake.statement_timeout_seconds;
  options.statement.database = config.snowflake.database;
  options.statement.schema = config.snowflake.schema;
  options.statement.warehouse = config.snowflake.warehouse;
  options.statement.role = config.snowflake.role;
  return std::unique_ptr<RecordSource>(
      std::make_unique<SnowflakeSource>(std::move(connection), std::move(options)));
}

}  // namespace skyflow
