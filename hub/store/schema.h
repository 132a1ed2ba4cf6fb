// The store's SQLite schema. PRAGMA user_version holds kSchemaVersion; a store with another
// version is refused at start rather than served from. docs/store.md explains each table.
#pragma once

#include <string_view>

namespace hub::store {

inline constexpr int kSchemaVersion = 1;

// Creates every table of kSchemaVersion in an empty database.
extern const std::string_view kSchemaSql;

}  // namespace hub::store
