// `getihu init` and `getihu status`: create or upgrade the database, and show what it holds.
#ifndef GETIHU_CLI_DB_COMMAND_H_
#define GETIHU_CLI_DB_COMMAND_H_

#include <memory>
#include <string>

#include "analytics/pool_image.h"
#include "base/status.h"
#include "storage/database.h"
#include "storage/field_cipher.h"

namespace getihu::cli {

// Makes `*key_file` (--data-key, defaulted from GETIHU_DATA_KEY; "" for none) the data key
// file of this process. It is read when a database is first opened, after the command line
// has been parsed. REQUIRES: `key_file` outlives every later call of this file.
void SetDataKeyFile(const std::string* key_file);

// The field cipher of the configured data key (storage/field_cipher.h), loaded on first use
// and shared afterwards; null when no key is configured. Errors of storage::LoadDataKey,
// naming where the path came from. Not thread-safe: call it from the main thread.
base::Result<std::shared_ptr<const storage::FieldCipher>> ConfiguredFieldCipher();

// Opens the database named by --db and gives it the configured field cipher.
base::Result<std::unique_ptr<storage::Database>> OpenDatabase(const std::string& db_path);

// OpenDatabase, then applies pending migrations (the start-up path of every command that uses
// the database).
base::Result<std::unique_ptr<storage::Database>> OpenAndMigrate(const std::string& db_path);

// Where the statistics keep the images of the pool named by --db (analytics/pool_image.h):
// GETIHU_IMAGE_DIR when set ("off" for none), otherwise PATH.images beside a SQLite file and
// getihu-images in the working directory for PostgreSQL.
analytics::PoolImageOptions ConfiguredImageOptions(const std::string& db_path);

int RunInit(const std::string& db_path, bool json);
int RunStatus(const std::string& db_path, bool json);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_DB_COMMAND_H_
