// `getihu feeds`: the declared layout of every department feed, for people (Chinese
// tables), for programs (--json) and for docs/feeds.md (--markdown).
#ifndef GETIHU_CLI_FEEDS_COMMAND_H_
#define GETIHU_CLI_FEEDS_COMMAND_H_

#include <string>

namespace getihu::cli {

// Returns docs/feeds.md as generated from ingest::AllFeeds().
std::string FeedsMarkdown();

// Prints the layouts (all, or only `feed` when not empty). Returns the exit code.
int RunFeeds(const std::string& feed, bool json, bool markdown);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_FEEDS_COMMAND_H_
