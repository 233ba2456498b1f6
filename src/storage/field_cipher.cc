#include "storage/field_cipher.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/crypto.h"

namespace getihu::storage {
namespace {

constexpr std::string_view kEncLabel = "getihu-pii-enc";
constexpr std::string_view kLookupLabel = "getihu-pii-lookup";

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string OctalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

base::Result<FieldCipher> FieldCipher::Create(std::string_view data_key) {
  if (data_key.size() != kDataKeyBytes) {
    return base::InvalidArgument("数据密钥应为 32 字节，实际为 " + std::to_string(data_key.size()) +
                                 " 字节");
  }
  GETIHU_ASSIGN_OR_RETURN(std::string enc, base::HmacSm3(data_key, kEncLabel));
  GETIHU_ASSIGN_OR_RETURN(std::string lookup, base::HmacSm3(data_key, kLookupLabel));
  enc.resize(base::kSm4KeyBytes);
  GETIHU_ASSIGN_OR_RETURN(base::Sm4Key enc_key, base::Sm4Key::Create(enc));
  GETIHU_ASSIGN_OR_RETURN(base::HmacSm3Key lookup_key, base::HmacSm3Key::Create(lookup));
  return FieldCipher(std::move(enc_key), std::move(lookup_key));
}

base::Result<std::string> FieldCipher::Seal(std::string_view plaintext) const {
  GETIHU_ASSIGN_OR_RETURN(std::string sealed, enc_key_.Encrypt(plaintext));
  return std::string(kSealedPrefix) + base::HexEncode(sealed);
}

base::Result<std::string> FieldCipher::Open(std::string_view stored) const {
  if (!IsSealed(stored)) return std::string(stored);
  base::Result<std::string> sealed = base::HexDecode(stored.substr(kSealedPrefix.size()));
  if (!sealed.ok()) return base::DataLoss("加密字段的内容已损坏：" + sealed.status().message());
  return enc_key_.Decrypt(*sealed);
}

base::Result<std::string> FieldCipher::LookupHash(std::string_view normalized) const {
  GETIHU_ASSIGN_OR_RETURN(std::string mac, lookup_key_.Mac(normalized));
  return base::HexEncode(mac);
}

std::string NormalizeForLookup(std::string_view value) {
  std::string out(TrimAscii(value));
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

base::Result<std::optional<std::string>> SealField(const FieldCipher* cipher,
                                                   const std::optional<std::string>& value) {
  if (cipher == nullptr || !value.has_value()) return value;
  GETIHU_ASSIGN_OR_RETURN(std::string sealed, cipher->Seal(*value));
  return std::optional<std::string>(std::move(sealed));
}

base::Result<std::optional<std::string>> LookupHashOf(const FieldCipher* cipher,
                                                      const std::optional<std::string>& value) {
  if (cipher == nullptr || !value.has_value()) return std::optional<std::string>();
  GETIHU_ASSIGN_OR_RETURN(std::string hash, cipher->LookupHash(NormalizeForLookup(*value)));
  return std::optional<std::string>(std::move(hash));
}

base::Result<std::optional<std::string>> OpenField(const FieldCipher* cipher,
                                                   std::optional<std::string> stored,
                                                   std::string_view what) {
  if (!stored.has_value() || !FieldCipher::IsSealed(*stored)) return stored;
  if (cipher == nullptr) {
    return base::FailedPrecondition(
        std::string(what) +
        "已加密保存，读取需要配置加密时所用的数据密钥（getihu 的 --data-key 或环境变量 "
        "GETIHU_DATA_KEY）");
  }
  base::Result<std::string> plain = cipher->Open(*stored);
  if (!plain.ok()) return plain.status().WithContext(what);
  return std::optional<std::string>(std::move(*plain));
}

base::Result<std::string> LoadDataKey(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return base::NotFound("数据密钥文件 " + path + " 不存在");
    return base::Unavailable("无法读取数据密钥文件 " + path + "：" + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return base::InvalidArgument("数据密钥文件 " + path + " 不是普通文件");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return base::FailedPrecondition(
        "数据密钥文件 " + path + " 的权限 " + OctalMode(st.st_mode) +
        " 过宽：同组或其他用户可以访问它。密钥文件只能由属主读写，请运行 "
        "chmod 600 " +
        path);
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return base::Unavailable("无法读取数据密钥文件 " + path);
  std::string_view hex = TrimAscii(text.view());
  base::Result<std::string> key = base::HexDecode(hex);
  if (hex.size() != FieldCipher::kDataKeyBytes * 2 || !key.ok()) {
    return base::InvalidArgument("数据密钥文件 " + path +
                                 " 的内容应为 64 个十六进制字符（getihu key generate 生成）");
  }
  return key;
}

base::Status WriteNewDataKey(const std::string& path) {
  GETIHU_ASSIGN_OR_RETURN(std::string key, base::RandomBytes(FieldCipher::kDataKeyBytes));
  std::string text = base::HexEncode(key) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return base::AlreadyExists("文件 " + path +
                                 " 已存在；不会覆盖已有的密钥（覆盖后用它加密的数据将无法读取）");
    }
    return base::Unavailable("无法创建密钥文件 " + path + "：" + std::strerror(errno));
  }
  // The umask can only narrow 0600; fchmod makes the mode exact all the same.
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  int saved = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    ::unlink(path.c_str());
    return base::Unavailable("无法写入密钥文件 " + path + "：" + std::strerror(saved));
  }
  return base::OkStatus();
}

}  // namespace getihu::storage
