#include "hub/ctl/queues_command.h"

#include <iostream>
#include <memory>

#include "hub/ctl/status_view.h"

namespace hub::ctl {

void AddQueuesCommand(CLI::App& app, CommandContext& context) {
  // CLI11 keeps the option targets beyond this call: the options live in a shared_ptr owned
  // by the callback.
  auto options = std::make_shared<StatusViewOptions>();
  CLI::App* sub =
      app.add_subcommand("queues", "Recipients with queued items: depth and oldest age");
  AddStatusViewOptions(*sub, *options);
  sub->callback([options, &context] {
    context.exit_code =
        RunStatusView("queues", StatusView::kQueues, *options, std::cout, std::cerr);
  });
}

}  // namespace hub::ctl
