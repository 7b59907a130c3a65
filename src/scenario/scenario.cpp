// The scenario model's small pure functions. No I/O: the engine links this file.
#include "scenario/scenario.hpp"

#include <algorithm>

namespace nadra {

double value_in_year(const YearList& list, int year_index) {
    if (list.empty()) return 0;
    const auto last = static_cast<int>(list.size()) - 1;
    return list[static_cast<std::size_t>(std::clamp(year_index, 0, last))];
}

namespace {

// What band `band` gives at benchmark price p, `below` being what the band under it gives at
// this band's lower bound (MODEL.md 3.6).
double band_value(const RoyaltyBand& band, double price, double below) {
    if (band.mode == BandMode::whole) return band.rate * price;
    return below + band.rate * (price - band.lower);
}

}  // namespace

double RoyaltySchedule::per_unit(double benchmark_price) const {
    if (bands.empty()) return rate * benchmark_price;
    const auto above =
        std::upper_bound(bands.begin(), bands.end(), benchmark_price,
                         [](double price, const RoyaltyBand& band) { return price < band.lower; });
    if (above == bands.begin()) return 0;  // no royalty below the first band
    const auto chosen = static_cast<std::size_t>(above - bands.begin()) - 1;
    double below = 0;
    for (std::size_t i = 0; i < chosen; ++i)
        below = band_value(bands[i], bands[i + 1].lower, below);
    return band_value(bands[chosen], benchmark_price, below);
}

double RoyaltySchedule::on_revenue(double benchmark_price, double revenue) const {
    if (benchmark_price <= 0) return 0;
    if (bands.empty()) return rate * revenue;
    return per_unit(benchmark_price) / benchmark_price * revenue;
}

double ProfitSplit::at(double r_factor) const {
    if (table.empty()) return constant;
    const auto above =
        std::upper_bound(table.begin(), table.end(), r_factor,
                         [](double r, const ProfitSplitRow& row) { return r < row.r_factor; });
    return above == table.begin() ? table.front().split : std::prev(above)->split;
}

const char* to_string(RegionStatus status) {
    switch (status) {
        case RegionStatus::free:
            return "free";
        case RegionStatus::frontline:
            return "frontline";
        case RegionStatus::occupied:
            return "occupied";
    }
    return "?";
}

const char* to_string(RevenueItem item) {
    switch (item) {
        case RevenueItem::royalty:
            return "royalty";
        case RevenueItem::licence_fee:
            return "licence_fee";
        case RevenueItem::profit_share:
            return "profit_share";
        case RevenueItem::income_tax:
            return "income_tax";
        case RevenueItem::dividend:
            return "dividend";
        case RevenueItem::rent_tax:
            return "rent_tax";
    }
    return "?";
}

}  // namespace nadra
