// Turning the merged TOML of a scenario into a validated Scenario. Internal to the loader.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scenario/reader.hpp"
#include "scenario/scenario.hpp"

namespace nadra::detail {

// A licence class named by a regime or a deal scope: checked once every project's is known.
struct ClassRef {
    std::string name;
    Place place;
    std::string path;
};

// What later sections refer to by name.
struct Context {
    int start_year = 2025;
    std::vector<std::string> commodities, regions, regimes;
    std::vector<ClassRef> class_refs;
};

// The named entries of a collection ([world.projects.NAME], [deals.NAME]) in input order.
std::vector<std::pair<std::string, View>> entries(Reader& reader, const View& collection);

// `royalty_rate` of a regime or stream: a rate or a band table (MODEL.md 3.6).
void read_royalty(Reader& reader, const View& view, RoyaltySchedule& out);

// `is_override`: a deal's regime_overrides entry, which changes fields of a copy of a world
// regime but not which projects the regime covers.
void read_regime(Reader& reader, const View& view, Regime& regime, Context& context,
                 bool is_override);

void read_world(Reader& reader, const View& world, World& out, Context& context);
void read_deals(Reader& reader, const View& deals, const World& world, Context& context,
                std::vector<Deal>& out);
// Every licence class that a regime or scope names must be "new", "existing" or a project's.
void check_licence_classes(Reader& reader, const World& world, const Context& context);

}  // namespace nadra::detail
