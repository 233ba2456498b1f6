// `getihu gen`: writes a synthetic region as department feed files and prints what it holds.
#ifndef GETIHU_CLI_GEN_COMMAND_H_
#define GETIHU_CLI_GEN_COMMAND_H_

#include "synth/generator.h"

namespace getihu::cli {

// Runs the generator and prints a Chinese summary (or JSON). Returns the exit code.
int RunGen(const synth::GenerateOptions& options, bool json);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_GEN_COMMAND_H_
