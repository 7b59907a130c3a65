#include "engine/deal_years.hpp"

#include <algorithm>

namespace nadra::engine {

namespace {

// Each asset's weight in a year: the share that applies to it times its scoped revenue, in
// the years the deal takes a share (its term), as run_deal's due; into `scratch`: the assets
// with an item in scope and, per year, the contribution per unit of weight (and discounted).
// False when no year's contribution is split.
bool split_weights(const Plan& plan, int k, const AssetRevenue& revenue, const PathLedger& ledger,
                   DealYearsScratch& scratch) {
    const Deal& deal = plan.scenario->deals[plan.deals[k]];
    const int horizon = plan.horizon;
    const int assets = plan.asset_count();
    const std::vector<std::uint8_t>& mask = plan.scope_mask[k];
    const auto h = static_cast<std::size_t>(horizon);
    // Only the years with a contribution are split, and only the assets with an item in scope.
    const double share = deal.share;
    const double share_liberated = deal.share_liberated.value_or(deal.share);
    const int term_end = std::min(horizon, deal.term_years ? *deal.term_years : horizon);
    scratch.assets.clear();
    if (term_end <= 0 || (share == 0 && share_liberated == 0)) return false;
    const bool spans = revenue.first_year.size() == static_cast<std::size_t>(assets) &&
                       revenue.end_year.size() == static_cast<std::size_t>(assets) &&
                       revenue.items_written.size() == static_cast<std::size_t>(assets);
    std::vector<DealYearsScratch::Asset>& active = scratch.assets;
    active.clear();
    for (int a = 0; a < assets; ++a) {
        const unsigned items = spans ? mask[a] & revenue.items_written[a] : mask[a];
        if (!items) continue;
        DealYearsScratch::Asset asset;
        asset.index = a;
        asset.first = spans ? std::max(0, revenue.first_year[a]) : 0;
        asset.end = std::min(term_end, spans ? revenue.end_year[a] : horizon);
        if (asset.first >= asset.end) continue;
        asset.share = plan.asset_occupied[a] ? share_liberated : share;
        if (asset.share == 0) continue;
        for (int i = 0; i < revenue_item_count; ++i) {
            if (!(items & (1u << i))) continue;
            asset.rows[asset.row_count++] =
                revenue.items.data() +
                (static_cast<std::size_t>(a) * revenue_item_count + static_cast<std::size_t>(i)) *
                    h;
        }
        active.push_back(asset);
    }
    // W(t), the weights summed (the year's due); then asset a's part of year t's contribution
    // c(t) is c(t) / W(t) * share_a * scoped_a(t): with f(t) = c(t) / W(t), asset a's total is
    // share_a * the sum over its rows and years of f(t) * row(t) (and its NPV the same with
    // f(t) * discount(t)). Every loop runs along a row's years.
    std::vector<double>& total = scratch.weight;
    total.assign(h, 0.0);
    for (const DealYearsScratch::Asset& asset : active) {
        for (int r = 0; r < asset.row_count; ++r) {
            const double* const row = asset.rows[r];
            for (int t = asset.first; t < asset.end; ++t) total[t] += asset.share * row[t];
        }
    }
    std::vector<double>& per_weight = scratch.per_weight;
    std::vector<double>& per_weight_npv = scratch.per_weight_npv;
    per_weight.assign(h, 0.0);
    per_weight_npv.assign(h, 0.0);
    const double* const discount = plan.host_discount.data();
    bool any = false;
    for (int t = 0; t < term_end; ++t) {
        const double contribution = ledger.years[static_cast<std::size_t>(t)].contribution;
        if (contribution == 0 || !(total[t] > 0)) continue;
        per_weight[t] = contribution / total[t];
        per_weight_npv[t] = per_weight[t] * discount[t];
        any = true;
    }
    return any;
}

}  // namespace

void record_deal_years(const Plan& plan, int k, const AssetRevenue& revenue,
                       const PathLedger& ledger, DealYearsScratch& scratch, double* years,
                       double* contributions, double* contributions_npv) {
    const int horizon = plan.horizon;
    const int assets = plan.asset_count();
    const auto h = static_cast<std::size_t>(horizon);

    double* const series[year_series_count] = {
        years,         years + h,     years + 2 * h, years + 3 * h, years + 4 * h,
        years + 5 * h, years + 6 * h, years + 7 * h, years + 8 * h, years + 9 * h,
    };
    const auto at = [&](YearSeries s) { return series[static_cast<int>(s)]; };
    double cumulative = 0;
    for (int t = 0; t < horizon; ++t) {
        const LedgerYear& y = ledger.years[static_cast<std::size_t>(t)];
        cumulative += y.contribution;
        at(YearSeries::host_revenue)[t] = y.host_revenue;
        at(YearSeries::scoped_revenue)[t] = y.scoped_revenue;
        at(YearSeries::contributions)[t] = y.contribution;
        at(YearSeries::cumulative_contributions)[t] = cumulative;
        at(YearSeries::cap)[t] = y.cap;
        at(YearSeries::distributions_to_host)[t] = y.to_host;
        at(YearSeries::distributions_to_partner)[t] = y.to_partner;
        at(YearSeries::co_invest_paid)[t] = y.co_invest_paid;
        at(YearSeries::co_invest_receipts)[t] = y.co_invest_receipts;
        at(YearSeries::co_invest_unpaid)[t] = y.co_invest_unpaid;
    }

    std::fill(contributions, contributions + assets, 0.0);
    std::fill(contributions_npv, contributions_npv + assets, 0.0);
    if (!split_weights(plan, k, revenue, ledger, scratch)) return;
    const std::vector<double>& per_weight = scratch.per_weight;
    const std::vector<double>& per_weight_npv = scratch.per_weight_npv;
    for (const DealYearsScratch::Asset& asset : scratch.assets) {
        double sum = 0, npv = 0;
        for (int r = 0; r < asset.row_count; ++r) {
            const double* const row = asset.rows[r];
            for (int t = asset.first; t < asset.end; ++t) {
                sum += per_weight[t] * row[t];
                npv += per_weight_npv[t] * row[t];
            }
        }
        contributions[asset.index] = asset.share * sum;
        contributions_npv[asset.index] = asset.share * npv;
    }
}

void asset_contribution_years(const Plan& plan, int k, const AssetRevenue& revenue,
                              const PathLedger& ledger, int asset, DealYearsScratch& scratch,
                              double* contributions) {
    std::fill(contributions, contributions + plan.horizon, 0.0);
    if (!split_weights(plan, k, revenue, ledger, scratch)) return;
    for (const DealYearsScratch::Asset& a : scratch.assets) {
        if (a.index != asset) continue;
        for (int r = 0; r < a.row_count; ++r) {
            for (int t = a.first; t < a.end; ++t) {
                contributions[t] += a.share * (scratch.per_weight[t] * a.rows[r][t]);
            }
        }
    }
}

}  // namespace nadra::engine
