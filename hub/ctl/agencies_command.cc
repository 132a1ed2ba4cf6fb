#include "hub/ctl/agencies_command.h"

#include <iostream>
#include <memory>

#include "hub/ctl/status_view.h"

namespace hub::ctl {

void AddAgenciesCommand(CLI::App& app, CommandContext& context) {
  // CLI11 keeps the option targets beyond this call: the options live in a shared_ptr owned
  // by the callback.
  auto options = std::make_shared<StatusViewOptions>();
  CLI::App* sub = app.add_subcommand(
      "agencies", "Registered agencies: connected, last seen, in flight, queued");
  AddStatusViewOptions(*sub, *options);
  sub->callback([options, &context] {
    context.exit_code =
        RunStatusView("agencies", StatusView::kAgencies, *options, std::cout, std::cerr);
  });
}

}  // namespace hub::ctl
