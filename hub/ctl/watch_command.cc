#include "hub/ctl/watch_command.h"

#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <ctime>
#include <iostream>
#include <memory>
#include <sstream>

#include "hub/ctl/status_view.h"

namespace hub::ctl {
namespace {

struct WatchOptions {
  StatusViewOptions view;
  double interval_s = 2.0;
  int count = 0;  // 0: until interrupted
};

// Waits up to `seconds` for SIGINT or SIGTERM (blocked, so nothing else sees them).
// Returns true when one arrived.
bool InterruptedWithin(const sigset_t& signals, double seconds) {
  timespec wait{};
  wait.tv_sec = static_cast<time_t>(seconds);
  wait.tv_nsec = static_cast<long>((seconds - std::floor(seconds)) * 1e9);
  while (true) {
    const int got = ::sigtimedwait(&signals, nullptr, &wait);
    if (got > 0) {
      return true;
    }
    if (errno != EINTR) {
      return false;  // EAGAIN: the interval passed
    }
  }
}

ExitCode RunWatch(const WatchOptions& options) {
  if (!(options.interval_s >= 0.1 && options.interval_s <= 86400)) {
    std::cerr << "sghubctl watch: error: --interval must be between 0.1 and 86400 seconds\n";
    return ExitCode::kError;
  }
  // Ctrl-C ends the loop between refreshes and lets us return the last verdict, instead of
  // killing the process mid-output.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  ExitCode last = ExitCode::kError;
  for (int n = 0; options.count == 0 || n < options.count; ++n) {
    if (n > 0 && InterruptedWithin(signals, options.interval_s)) {
      break;
    }
    std::ostringstream screen;
    std::ostringstream errors;
    last = RunStatusView("watch", StatusView::kFull, options.view, screen, errors);
    if (terminal) {
      std::cout << "\x1b[H\x1b[2J";  // home and clear, so the view updates in place
    } else if (n > 0) {
      std::cout << "\n";
    }
    const std::time_t now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
    std::cout << "sghubctl watch  " << stamp << "  every " << options.interval_s
              << "s  (Ctrl-C to stop)\n\n"
              << screen.str() << errors.str() << std::flush;
  }
  return last;
}

}  // namespace

void AddWatchCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<WatchOptions>();
  CLI::App* sub =
      app.add_subcommand("watch", "Refresh `sghubctl status` every few seconds until Ctrl-C");
  AddStatusViewOptions(*sub, options->view);
  sub->add_option("--interval", options->interval_s, "Seconds between refreshes")
      ->capture_default_str();
  sub->add_option("--count", options->count, "Stop after this many refreshes (0: never)")
      ->capture_default_str();
  sub->callback([options, &context] { context.exit_code = RunWatch(*options); });
}

}  // namespace hub::ctl
