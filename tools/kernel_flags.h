// The flags of the kernels' export options (Kernel::options()), made from their declarations
// for compile and convert: a kernel with an option of its own edits only the kernel.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernel/kernel_registry.h"

namespace sketch {

class KernelFlags {
 public:
  /// Adds a flag per option of every kernel in `kernels` (two kernels may not declare one
  /// name: that is a bug in a kernel).
  void add(CLI::App& command, const KernelRegistry& kernels) {
    for (const auto& kernel : kernels.kernels())
      for (const KernelOption& option : kernel->options()) addOne(command, *kernel, option);
  }

  /// The options given on the command line, into `options.kernelOptions`.
  void collect(ExportOptions& options) const {
    for (const Flag& flag : flags_) {
      if (flag.cli->count() == 0) continue;
      const KernelOption& o = flag.option;
      options.kernelOptions[o.name] = o.kind == KernelOption::Kind::Flag ? Value::ofBool(true)
                                      : o.kind == KernelOption::Kind::Int
                                          ? Value::ofInt(std::stoll(*flag.text))
                                          : Value::ofString(*flag.text);
    }
  }

 private:
  struct Flag {
    KernelOption option;
    CLI::Option* cli;
    std::shared_ptr<std::string> text;  // the value as given
  };

  void addOne(CLI::App& command, const Kernel& kernel, const KernelOption& option) {
    for (const Flag& f : flags_) {
      if (f.option.name != option.name) continue;
      std::fprintf(stderr, "internal error: two kernels declare --%s\n", option.name.c_str());
      std::abort();
    }
    std::string name = "--" + option.name, help = kernel.name() + ": " + option.help;
    auto text = std::make_shared<std::string>();
    CLI::Option* cli = nullptr;
    switch (option.kind) {
      case KernelOption::Kind::Flag:
        cli = command.add_flag(name)->description(help);
        break;
      case KernelOption::Kind::Int:
        cli = command.add_option(name, *text, help + " (default " + option.defaultValue.toString() + ")")
                  ->check(CLI::Range(option.min, option.max))
                  ->type_name("INT");
        break;
      case KernelOption::Kind::Choice:
        cli = command.add_option(name, *text, help + " (default " + option.defaultValue.asString() + ")")
                  ->check(CLI::IsMember(option.choices));
        break;
    }
    flags_.push_back({option, cli, std::move(text)});
  }

  std::vector<Flag> flags_;
};

}  // namespace sketch
