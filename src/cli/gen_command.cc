#include "cli/gen_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "domain/industry.h"

namespace getihu::cli {
namespace {

double Pct(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

void PrintSummary(const synth::GenerateOptions& o, const synth::GenerateResult& r, double seconds) {
  const synth::PopulationTally& p = r.population;
  std::printf("已生成模拟数据：%s（截至 %s，随机种子 %llu）\n", r.region_name.c_str(),
              o.as_of.ToString().c_str(), static_cast<unsigned long long>(o.seed));
  std::printf("  登记在册（存续，含歇业）：%llu 户，其中歇业 %llu 户\n",
              static_cast<unsigned long long>(p.in_stock),
              static_cast<unsigned long long>(p.suspended));
  std::printf("  历年登记共 %llu 户；已注销 %llu 户，已吊销 %llu 户，已个转企 %llu 户\n",
              static_cast<unsigned long long>(p.households),
              static_cast<unsigned long long>(p.deregistered),
              static_cast<unsigned long long>(p.revoked),
              static_cast<unsigned long long>(p.converted));
  std::printf("  三次产业：第一产业 %.2f%%，第二产业 %.2f%%，第三产业 %.2f%%\n",
              Pct(p.stock_by_sector[1], p.in_stock), Pct(p.stock_by_sector[2], p.in_stock),
              Pct(p.stock_by_sector[3], p.in_stock));
  uint64_t tertiary = p.stock_by_sector[3];
  std::printf(
      "  第三产业中：批发和零售业 %.2f%%，住宿和餐饮业 %.2f%%，居民服务、修理和其他服务业 %.2f%%\n",
      Pct(p.stock_by_section['F' - 'A'], tertiary), Pct(p.stock_by_section['H' - 'A'], tertiary),
      Pct(p.stock_by_section['O' - 'A'], tertiary));
  std::vector<size_t> order(r.townships.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return p.stock_by_township[a] > p.stock_by_township[b]; });
  std::printf("  户数最多的乡镇（街道）：");
  for (size_t i = 0; i < std::min<size_t>(5, order.size()); ++i) {
    const synth::TownshipSlot& t = r.townships[order[i]];
    std::printf("%s%s %llu 户（%.2f%%）", i ? "，" : "", t.township_name.c_str(),
                static_cast<unsigned long long>(p.stock_by_township[order[i]]),
                Pct(p.stock_by_township[order[i]], p.in_stock));
  }
  std::printf("\n  近年新设登记：");
  int last = o.as_of.year();
  for (int y = std::max(1995, last - 6); y <= last; ++y) {
    size_t i = static_cast<size_t>(y - 1995);
    std::printf("%s%d 年 %llu 户", y > std::max(1995, last - 6) ? "，" : "", y,
                static_cast<unsigned long long>(i < p.new_by_year.size() ? p.new_by_year[i] : 0));
  }
  std::printf("\n  部门数据文件（%s）：\n", o.out_dir.c_str());
  for (const synth::FeedFile& f : r.files) {
    std::printf("    %-28s %10llu 行，其中故意构造的错误行 %llu 行（%s）\n",
                (f.feed + ".csv").c_str(), static_cast<unsigned long long>(f.tally.rows),
                static_cast<unsigned long long>(f.tally.BadTotal()), f.encoding.c_str());
  }
  std::printf("  清单：%s；用时 %.1f 秒\n", r.manifest_path.c_str(), seconds);
}

}  // namespace

int RunGen(const synth::GenerateOptions& options, bool json) {
  auto start = std::chrono::steady_clock::now();
  auto result = synth::Generate(options);
  if (!result.ok()) return ReportError(result.status(), json);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (json) {
    std::ifstream in(result->manifest_path);
    std::stringstream text;
    text << in.rdbuf();
    std::printf("%s", text.str().c_str());
  } else {
    PrintSummary(options, *result, seconds);
  }
  return kExitOk;
}

}  // namespace getihu::cli
