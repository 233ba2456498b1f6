# Writes a C++ file defining getihu::storage::BuiltinMigrations() from numbered SQL files.
#   cmake -DSOURCE_DIR=<dir> -DFILES=<a.sql,b.sql,...> -DOUTPUT=<file.cc> -P embed_migrations.cmake
# Each file must be named NNNN_name.sql (four digits, lower-case name); versions must be
# 1, 2, 3 … in the order given. The SQL is embedded as a raw string literal.
set(delimiter "getihu_sql")
string(REPLACE "," ";" files "${FILES}")

set(body "")
set(expected 1)
foreach(file IN LISTS files)
  if(NOT file MATCHES "^([0-9][0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "migration file name must be NNNN_name.sql: ${file}")
  endif()
  set(name "${CMAKE_MATCH_2}")
  string(REGEX REPLACE "^0+" "" version "${CMAKE_MATCH_1}")
  if(NOT version EQUAL expected)
    message(FATAL_ERROR "migration ${file} should be number ${expected}")
  endif()
  math(EXPR expected "${expected} + 1")
  file(READ "${SOURCE_DIR}/${file}" sql)
  string(FIND "${sql}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-string delimiter )${delimiter}\"")
  endif()
  string(APPEND body "    {${version}, \"${name}\", R\"${delimiter}(${sql})${delimiter}\"},\n")
endforeach()

set(content "// Generated from src/storage/migrations/*.sql by embed_migrations.cmake. Do not edit.
#include \"storage/migrations.h\"

namespace getihu::storage {
namespace {
constexpr Migration kMigrations[] = {
${body}};
}  // namespace

std::span<const Migration> BuiltinMigrations() { return kMigrations; }

}  // namespace getihu::storage
")

file(WRITE "${OUTPUT}" "${content}")
