// Maps PostgreSQL SQLSTATE codes to base::Status with Chinese messages. Thread-safe.
#ifndef GETIHU_STORAGE_POSTGRES_POSTGRES_STATUS_H_
#define GETIHU_STORAGE_POSTGRES_POSTGRES_STATUS_H_

#include <string_view>

#include "base/status.h"

namespace getihu::storage {

// Returns the Status for a failed PostgreSQL command. `sqlstate` is the five-character
// SQLSTATE of the error (empty when the server sent none, e.g. a lost connection);
// `detail` is the server's own message, appended in parentheses.
//   23505 unique violation                          → AlreadyExists
//   23503 foreign key, 23514 check, 23502 not null  → InvalidArgument
//   22xxx data exception (bad value for the type)   → InvalidArgument
//   40001 serialization failure, 40P01 deadlock     → Aborted (retry the transaction)
//   55P03 lock not available, 57014 query canceled  → Aborted
//   08xxx connection, 57P01–57P03 server shutdown   → Unavailable
//   53xxx insufficient resources                    → ResourceExhausted
//   25006 read-only transaction                     → FailedPrecondition
//   42xxx syntax or undefined object, anything else → Internal
base::Status PostgresStatus(std::string_view sqlstate, std::string_view detail);

// Whether `sqlstate` says the connection is gone (08xxx, 57P01–57P03, or empty).
bool IsConnectionFailure(std::string_view sqlstate);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_POSTGRES_POSTGRES_STATUS_H_
