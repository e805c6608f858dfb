#include "ArgParser.h"
#include "Commands.h"

#include "core/experiment/Registry.h"

#include <ctime>
#include <iomanip>
#include <iostream>

namespace mtlw {

int runsCommand(const Args& args) {
    ArgParser p("runs", "Lists the runs of the registry, newest first: id, status, name, creation time "
                        "and folder.");
    p.option("registry", "FILE", "SQLite registry", "$XDG_DATA_HOME/mtl-workbench/registry.sqlite");
    if (auto code = p.parseOrExit(args)) return *code;
    return withExitCodes("runs", [&] {
        mtl::Registry registry(registryPathFrom(p.has("registry") ? p.value("registry") : ""));
        std::cout << std::left << std::setw(6) << "id" << std::setw(13) << "status" << std::setw(24)
                  << "name" << std::setw(21) << "created" << "folder\n";
        for (const auto& r : registry.listRuns()) {
            const std::time_t t = static_cast<std::time_t>(r.createdAt);
            char when[32];
            std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", std::localtime(&t));
            std::cout << std::setw(6) << r.id << std::setw(13) << mtl::toString(r.status) << std::setw(24)
                      << r.name << std::setw(21) << when << r.runDir << "\n";
        }
        return 0;
    });
}

} // namespace mtlw
