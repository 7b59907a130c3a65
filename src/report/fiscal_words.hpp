// Words for the fiscal measures (MODEL.md 5, v1.3): why one is not defined, what a government take
// above 100% means. The report says these where a number would be, not a dash.
#pragma once

#include <map>
#include <string>

#include "engine/engine.hpp"

namespace nadra {

// Keyed by the measure's JSON name (government_take, aetr, irr, pretax_irr, payback_year,
// effective_royalty_rate, metr, breakeven_price): a sentence for each measure of `f` that is not
// defined, and for a government take or AETR above 100% what it means.
std::map<std::string, std::string> fiscal_notes(const ProjectFiscal& f);

// The same sentences for one ratio: a take or AETR (`discounted`: the AETR) of `value`.
std::string take_note(double value, bool discounted);
std::string metr_note(MetrGap gap);
std::string payback_note(const Payback& payback);

}  // namespace nadra
