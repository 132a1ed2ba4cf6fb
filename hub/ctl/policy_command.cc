#include "hub/ctl/policy_command.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "hub/policy/explain.h"
#include "hub/policy/policy_config.h"
#include "hub/policy/policy_engine.h"
#include "hub/policy/policy_toml.h"

namespace hub::ctl {
namespace {

ExitCode Fail(std::ostream& err, const std::string& message) {
  err << "sghubctl policy explain: error: " << message << "\n";
  return ExitCode::kError;
}

Result<std::string> ReadWholeFile(const std::filesystem::path& path, std::string_view option) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound(std::string(option) + ": cannot read " + path.string());
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return Status::IOError(std::string(option) + ": error reading " + path.string());
  }
  return text;
}

}  // namespace

ExitCode RunPolicyExplain(const PolicyExplainOptions& options, std::ostream& out,
                          std::ostream& err) {
  auto json = ReadWholeFile(options.header, "--header");
  if (!json.ok()) {
    return Fail(err, json.status().message());
  }
  auto input = policy::ExplainInputFromJson(*json);
  if (!input.ok()) {
    return Fail(err, options.header.string() + ": " + input.status().message());
  }
  policy::PolicyConfig config = policy::DefaultPolicy();
  if (!options.policy.empty()) {
    auto toml = ReadWholeFile(options.policy, "--policy");
    if (!toml.ok()) {
      return Fail(err, toml.status().message());
    }
    // Errors already read "<file>:<line>:<key>: <why>".
    auto parsed = policy::ParsePolicyToml(*toml, options.policy.string());
    if (!parsed.ok()) {
      return Fail(err, parsed.status().message());
    }
    config = std::move(*parsed);
  }
  const policy::PolicyEngine engine(std::move(config));
  const std::vector<policy::Decision> decisions =
      engine.Decide(input->header, input->recipients, input->history, input->now_ms);
  out << (options.json ? policy::DecisionsToJson(decisions) : policy::ExplainDecisions(decisions));
  for (const policy::Decision& d : decisions) {
    if (!d.allowed()) {
      return ExitCode::kDegraded;
    }
  }
  return ExitCode::kOk;
}

void AddPolicyCommand(CLI::App& app, CommandContext& context) {
  // CLI11 keeps the option targets beyond this call: the options live in a shared_ptr owned
  // by the callback.
  auto options = std::make_shared<PolicyExplainOptions>();
  CLI::App* policy = app.add_subcommand("policy", "Check the sharing policy without sending");
  policy->require_subcommand(1, 1);
  CLI::App* explain = policy->add_subcommand(
      "explain",
      "Show, per recipient, whether the hub would deliver an alert and which rule "
      "decides (exit 0 all allowed, 1 any refused, 2 bad input)");
  explain
      ->add_option("--header", options->header,
                   "Explain document: {\"header\": {...}, \"recipient_kinds\": {...}} "
                   "(docs/policy.md)")
      ->required();
  explain->add_option("--policy", options->policy,
                      "Policy TOML ([policy] table); default: the built-in policy");
  explain->add_flag("--json", options->json, "One line of JSON instead of text");
  explain->callback([options, &context] {
    context.exit_code = RunPolicyExplain(*options, std::cout, std::cerr);
  });
}

}  // namespace hub::ctl
