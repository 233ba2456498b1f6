#include "ingest/xlsx_archive.h"

#include <zip.h>

#include <cstdio>
#include <utility>

namespace getihu::ingest {
namespace {

std::string FormatRatio(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", ratio);
  return buf;
}

base::Status ZipBomb(std::string_view part, std::string what) {
  return base::InvalidArgument("Excel 文件中的 " + std::string(part) + " " + what +
                               "，可能是恶意构造的压缩文件（zip 炸弹），已拒绝");
}

// Maps a libzip error code met while opening or reading to a message.
base::Status ZipError(int code) {
  switch (code) {
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
    case ZIP_ER_ENCRNOTSUPP:
      return base::InvalidArgument("Excel 文件设置了密码，请取消密码后再导入");
    case ZIP_ER_COMPNOTSUPP:
      return CorruptXlsx("使用了不支持的压缩方式");
    case ZIP_ER_MEMORY:
      return base::ResourceExhausted("内存不足，无法读取 Excel 文件");
    default:
      return CorruptXlsx("");
  }
}

}  // namespace

base::Status CorruptXlsx(std::string_view detail) {
  std::string message = "Excel 文件已损坏或不完整";
  if (!detail.empty()) message += "（" + std::string(detail) + "）";
  return base::InvalidArgument(std::move(message));
}

base::Result<std::unique_ptr<XlsxArchive>> XlsxArchive::OpenFile(const std::string& path,
                                                                 const ReaderOptions& options) {
  int code = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (z == nullptr) {
    if (code == ZIP_ER_NOENT) return base::NotFound("文件不存在：" + path);
    if (code == ZIP_ER_OPEN || code == ZIP_ER_READ) {
      return base::Unavailable("无法读取文件：" + path);
    }
    return ZipError(code);
  }
  return std::unique_ptr<XlsxArchive>(new XlsxArchive(z, {}, options));
}

base::Result<std::unique_ptr<XlsxArchive>> XlsxArchive::OpenMemory(std::string bytes,
                                                                   const ReaderOptions& options) {
  std::unique_ptr<XlsxArchive> archive(new XlsxArchive(nullptr, std::move(bytes), options));
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source =
      zip_source_buffer_create(archive->bytes_.data(), archive->bytes_.size(), 0, &error);
  if (source != nullptr) {
    archive->zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive->zip_ == nullptr) zip_source_free(source);
  }
  int code = zip_error_code_zip(&error);
  zip_error_fini(&error);
  if (archive->zip_ == nullptr) return ZipError(code);
  return archive;
}

XlsxArchive::~XlsxArchive() {
  if (zip_ != nullptr) zip_discard(zip_);
}

bool XlsxArchive::Has(std::string_view name) const {
  return zip_name_locate(zip_, std::string(name).c_str(), ZIP_FL_NOCASE) >= 0;
}

base::Result<std::unique_ptr<PartStream>> XlsxArchive::Open(std::string_view name) {
  std::string part(name);
  zip_int64_t index = zip_name_locate(zip_, part.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return CorruptXlsx("缺少 " + part);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &st) != 0 ||
      (st.valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) != (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) {
    return CorruptXlsx(part + " 的目录信息不完整");
  }
  zip_file_t* file = zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0);
  if (file == nullptr) return ZipError(zip_error_code_zip(zip_get_error(zip_)));
  std::unique_ptr<PartStream> stream(new PartStream(*this, file, part, st.size, st.comp_size));
  // Sizes in the directory may lie; Read checks the bytes actually produced as well.
  GETIHU_RETURN_IF_ERROR(stream->CheckLimits(st.size, total_ + st.size));
  return stream;
}

PartStream::~PartStream() { zip_fclose(file_); }

base::Result<size_t> PartStream::Read(char* dst, size_t n) {
  zip_int64_t got = zip_fread(file_, dst, n);
  if (got < 0) {
    int code = zip_error_code_zip(zip_file_get_error(file_));
    if (code == ZIP_ER_CRC || code == ZIP_ER_ZLIB || code == ZIP_ER_EOF || code == ZIP_ER_READ ||
        code == ZIP_ER_INCONS) {
      return CorruptXlsx(name_ + " 的数据不完整或校验失败");
    }
    return ZipError(code);
  }
  out_ += static_cast<uint64_t>(got);
  archive_.total_ += static_cast<uint64_t>(got);
  if (out_ > size_) return CorruptXlsx(name_ + " 的实际大小与目录记载不符");
  GETIHU_RETURN_IF_ERROR(CheckLimits(out_, archive_.total_));
  return static_cast<size_t>(got);
}

base::Status PartStream::CheckLimits(uint64_t out, uint64_t total) const {
  const ReaderOptions& o = archive_.options_;
  if (total > o.max_uncompressed_bytes) {
    return ZipBomb(name_, "解压后超过上限（" + FormatBytes(o.max_uncompressed_bytes) + "）");
  }
  if (out > o.compression_ratio_floor &&
      static_cast<double>(out) > o.max_compression_ratio * static_cast<double>(compressed_)) {
    return ZipBomb(name_, "的压缩比超过 " + FormatRatio(o.max_compression_ratio) + ":1");
  }
  return base::OkStatus();
}

}  // namespace getihu::ingest
