#include "report/fiscal_words.hpp"

#include <cmath>

namespace nadra {

std::string take_note(double value, bool discounted) {
    const std::string flow = discounted ? "the NPV of the pre-tax net cash flow (R - opex - capex)"
                                        : "the pre-tax net cash flow (R - opex - capex)";
    if (!std::isfinite(value)) {
        return "not defined: " + flow +
               " is not positive, so there is no rent to share (the project does not pay for "
               "itself before any tax)";
    }
    if (value > 1) {
        return "above 100%: the state receives more than " + flow +
               "; taxes on revenue (royalties, rent payments) are due whatever the costs, so the "
               "investor loses money and the state's revenue comes partly out of its capital";
    }
    return {};
}

std::string metr_note(MetrGap gap) {
    switch (gap) {
        case MetrGap::defined:
            return {};
        case MetrGap::breakeven_zero:
            return "not defined: the investor's NPV is positive at any price (breakeven 0), so "
                   "there is no marginal project";
        case MetrGap::breakeven_infinite:
            return "not defined: the investor's NPV is negative at every price (no breakeven)";
        case MetrGap::no_construction:
            return "not defined: the project has no construction years (lead time 0), so no "
                   "return on capital to measure";
        case MetrGap::pretax_irr_undefined:
            return "not defined: the pre-tax cash flow at the breakeven price has no IRR (its sign "
                   "changes more than once)";
        case MetrGap::pretax_irr_not_positive:
            return "not defined: the real pre-tax IRR at the breakeven price is not positive";
    }
    return {};
}

std::string payback_note(const Payback& payback) {
    if (!payback.defined) {
        return "not defined: the investor's cumulative cash flow is never negative";
    }
    if (!payback.year) return "not reached: the investor's cumulative cash flow stays negative";
    return {};
}

std::map<std::string, std::string> fiscal_notes(const ProjectFiscal& f) {
    std::map<std::string, std::string> notes;
    const auto add = [&](const std::string& key, const std::string& note) {
        if (!note.empty()) notes[key] = note;
    };
    if (!std::isfinite(f.breakeven_price)) {
        add("breakeven_price",
            "none: the investor's NPV is negative at every price (never "
            "economic)");
    }
    add("government_take", take_note(f.government_take, false));
    add("aetr", take_note(f.aetr, true));
    const std::string irr =
        "not defined: the flow does not start negative and change sign "
        "exactly once, or has no root in (-100%, 1000%]";
    if (!std::isfinite(f.irr)) add("irr", irr);
    if (!std::isfinite(f.pretax_irr)) add("pretax_irr", irr);
    add("payback_year", payback_note(f.payback));
    if (!std::isfinite(f.effective_royalty_rate)) {
        add("effective_royalty_rate", "not defined: the project never has revenue");
    }
    add("metr", metr_note(f.metr_gap));
    bool gaps = false, above = false;
    for (const Progressivity& p : f.progressivity) {
        gaps = gaps || !std::isfinite(p.government_take) || !std::isfinite(p.aetr);
        above = above || p.government_take > 1 || p.aetr > 1;
    }
    if (gaps || above) {
        std::string note;
        if (gaps) {
            note =
                "null where, at that price, the pre-tax net cash flow (for the AETR its NPV) is "
                "not positive: no rent to share";
        }
        if (above) {
            note += std::string(gaps ? "; " : "") +
                    "above 1 where the state receives more than the pre-tax net cash flow: taxes "
                    "on revenue are due whatever the costs";
        }
        add("progressivity", note);
    }
    return notes;
}

}  // namespace nadra
