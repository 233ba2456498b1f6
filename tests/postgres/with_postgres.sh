#!/usr/bin/env bash
# Runs COMMAND… against a private, throw-away PostgreSQL cluster: initdb under
# ${BUILD_DIR:-build-test}/pgtest (or $GETIHU_PG_DIR), listening on 127.0.0.1 only on a free
# port from 55432 up, trust authentication, database getihu_test. Exports
# GETIHU_TEST_PG=postgresql://… for the command, then stops the cluster and removes its
# directory on exit, failure or interrupt. Fails loudly when PostgreSQL cannot be started,
# so that CI never skips the PostgreSQL tests silently. Uses Debian's PostgreSQL binaries
# (/usr/lib/postgresql/*/bin); as root, the cluster runs as the `postgres` system user.
set -euo pipefail

if (($# == 0)); then
  echo "用法：$0 命令 [参数…]" >&2
  exit 2
fi

fail() {
  echo "with_postgres.sh: 无法启动 PostgreSQL 测试集群：$*" >&2
  exit 1
}

bin_dir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
    bin_dir=$d
    break
  fi
done
[[ -n "$bin_dir" ]] || fail "找不到 initdb/pg_ctl（请安装 Debian 的 postgresql 软件包：scripts/install-deps.sh）"

# initdb refuses to run as root: run the server as the postgres system user.
run_as=()
owner=""
if [[ $(id -u) -eq 0 ]]; then
  owner=postgres
  id "$owner" >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$owner" ||
    fail "无法创建系统用户 $owner"
  run_as=(runuser -u "$owner" --)
fi

base_dir=${GETIHU_PG_DIR:-${BUILD_DIR:-build-test}/pgtest}
mkdir -p "$base_dir"
cluster_dir=$(mktemp -d "$(cd "$base_dir" && pwd)/cluster.XXXXXX")
if [[ -n "$owner" ]]; then
  chown "$owner" "$cluster_dir"
  # The server user must reach the directory; under a private home it cannot: use /tmp.
  if ! runuser -u "$owner" -- test -w "$cluster_dir"; then
    rm -rf "$cluster_dir"
    cluster_dir=$(mktemp -d /tmp/getihu-pgtest.XXXXXX)
    chown "$owner" "$cluster_dir"
  fi
fi
data_dir=$cluster_dir/data
log_file=$cluster_dir/server.log

started=0
cleanup() {
  local rc=$?
  if ((started)); then
    "${run_as[@]}" "$bin_dir/pg_ctl" -D "$data_dir" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$cluster_dir"
  rmdir "$base_dir" 2>/dev/null || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
port=${GETIHU_PG_PORT:-55432}
while ! port_free "$port"; do
  ((port++))
  ((port < 55532)) || fail "55432–55531 之间没有空闲端口"
done

"${run_as[@]}" "$bin_dir/initdb" -D "$data_dir" -U postgres -A trust -E UTF8 --locale=C \
  --no-sync >"$cluster_dir/initdb.log" 2>&1 || {
  cat "$cluster_dir/initdb.log" >&2
  fail "initdb 失败"
}
# Private cluster: TCP on loopback only, no Unix socket, no durability (tests only).
"${run_as[@]}" "$bin_dir/pg_ctl" -D "$data_dir" -l "$log_file" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c fsync=off \
      -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null || {
  cat "$log_file" >&2 || true
  fail "pg_ctl start 失败"
}
started=1
"$bin_dir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 || fail "服务器没有在 30 秒内就绪"
"$bin_dir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE getihu_test" || fail "无法创建数据库 getihu_test"

export GETIHU_TEST_PG="postgresql://postgres@127.0.0.1:$port/getihu_test"
echo "with_postgres.sh: PostgreSQL $("$bin_dir/pg_ctl" --version | awk '{print $3}')" \
  "在 127.0.0.1:$port 运行（GETIHU_TEST_PG=$GETIHU_TEST_PG）"
set +e
"$@"
rc=$?
set -e
exit "$rc"
