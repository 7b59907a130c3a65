// terms.json: the terms of the deals a run compared (MODEL.md 4) and what each project digs, so
// that a report made later from the run directory alone (`nadra report`) can show them.
#pragma once

#include <span>
#include <string>

#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// {"deals": [...]}, one object per deal of the run (indices into Scenario::deals), in run order:
// the Deal's fields under MODEL.md's names, money in US dollars, per-year lists as given (the last
// value repeats), enumerations as the scenario file spells them, a missing optional as null; then
// "support_value", "discount_rates" ({"host", "partner"}, a year's rate) and {"projects": [...]},
// each project's commodity, its price unit, region, licence class and regime.
std::string terms_json(const Scenario& scenario, std::span<const int> deals);

}  // namespace nadra
