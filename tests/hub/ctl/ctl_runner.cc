#include "tests/hub/ctl/ctl_runner.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/testutil/paths.h"
#include "tests/testutil/temp_dir.h"

namespace hub::ctl {
namespace {

std::string ShellQuote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace

CtlRun RunCtl(const std::vector<std::string>& args) {
  CtlRun run;
  testutil::TempDir tmp;
  const std::filesystem::path err_file = tmp.path() / "stderr";
  std::string command = ShellQuote((testutil::BuildDir() / "hub/ctl/sghubctl").string());
  for (const std::string& a : args) {
    command += " " + ShellQuote(a);
  }
  command += " 2>" + ShellQuote(err_file.string());
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return run;
  }
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) {
    run.out.append(buf, n);
  }
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file, std::ios::binary);
  run.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return run;
}

}  // namespace hub::ctl
