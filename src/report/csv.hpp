// Tidy CSV files of a run, for plotting and for other tools. Lines end in "\n"; a field holding
// a comma, quote, CR or LF is quoted as RFC 4180 says. Numbers are shortest-round-trip doubles
// (full precision); a missing or non-finite number is an empty field.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/statistics.hpp"
#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// One field, quoted when it must be.
std::string csv_field(std::string_view text);

// deal,year,mean,sd,sem,p5,p25,p50,p75,p95: one row per deal and year (none for a deal whose
// run kept no fund paths).
std::string fund_bands_csv(const RunSummary& summary, int start_year);

// deal,year,cap_reached_probability: one row per deal and year, every deal (0 without a cap).
std::string cap_curve_csv(const RunSummary& summary, int start_year);

// path,deal,METRIC...,cap_year: one row per path and deal, path by path, deals in run order;
// cap_year empty where the cap is not reached.
std::string paths_csv(const Scenario& scenario, const SimulationResult& result);
// The same, for the given paths only (indices in 0..result.paths-1), in the order given.
std::string paths_csv(const Scenario& scenario, const SimulationResult& result,
                      std::span<const std::int64_t> paths);

// paths.csv built a block of paths at a time (engine.hpp: simulate_blocks), the same rows as
// paths_csv() makes of the whole run.
class PathsCsvWriter {
  public:
    explicit PathsCsvWriter(const Scenario& scenario);                         // every path
    PathsCsvWriter(const Scenario& scenario, std::vector<std::int64_t> only);  // ascending
    // The rows of the block's paths (first_path, first_path + 1, ...) that this file holds.
    void add(const SimulationResult& block, std::int64_t first_path);
    // The rows of the path at `index` of `block`, numbered `path`.
    void add_path(const SimulationResult& block, std::int64_t index, std::int64_t path);
    std::string text() &&;

  private:
    void write_header();
    const Scenario* scenario_;
    std::vector<std::int64_t> only_;
    bool all_;
    std::size_t next_ = 0;  // into only_
    fmt::memory_buffer out_;
};

// min(paths, limit) path indices spread evenly over 0..paths-1: floor(i * paths / n), ascending.
// The HTML report plots this sample, whether it reads paths.csv or a run in memory.
std::vector<std::int64_t> path_sample(std::int64_t paths, std::int64_t limit);

// Reads CSV as csv_field() writes it (RFC 4180: quoted fields, doubled quotes, CRLF or LF).
class CsvReader {
  public:
    explicit CsvReader(std::string_view text) : text_(text) {}
    // The next record's fields; false when there is none left.
    bool next(std::vector<std::string>& fields);

  private:
    std::string_view text_;
    std::size_t at_ = 0;
};

// A year's AssetState as an identifier: waiting_licence, shut_in, ...
std::string asset_state_name(AssetState state);

// One row per year, the columns of CashflowYear, in US dollars (war 1 or 0, access the
// production factor, state an asset_state_name); with `deal_column` named, one more column of
// `deal`'s values (per year, as the years).
std::string cashflow_csv(const std::vector<CashflowYear>& years,
                         const std::string& deal_column = "", const std::vector<double>& deal = {});

}  // namespace nadra
