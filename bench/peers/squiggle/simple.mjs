// The simple model of BENCHMARKS.md ("Peers") in Squiggle, vectorised over samples: every
// quantity is a SampleSet of SAMPLES values, and each year is a handful of SampleSet operations
// (sample-wise arithmetic), not a loop over paths. The cap's min(x, cap) is written as
// (x + cap - |x - cap|) / 2 with |y| = (y^2)^0.5, all sample-wise arithmetic: about 10% faster
// than SampleSet.map(x, {|x| x < cap ? x : cap}), which calls a Squiggle lambda per sample,
// and equal to it to rounding. P(cap) is the share of samples with cap - cumulative <= $1.
//
// Usage: node simple.mjs SAMPLES
// Prints one JSON object on stdout: the timed seconds and the results.
//
// What is timed: one call of Squiggle's run(code, {environment}) with sampleCount = SAMPLES,
// which parses, compiles and evaluates the program below and returns the three numbers.
// Not timed: node's start-up, importing the package, and one warm-up run at 1,000 samples (so
// that the interpreter's code is compiled by V8 before the timed run).
import { defaultEnvironment, run } from "@quri/squiggle-lang";

const samples = Number(process.argv[2] ?? 10000);
if (!Number.isInteger(samples) || samples < 2) {
  console.error("usage: node simple.mjs SAMPLES");
  process.exit(2);
}

// One commodity, ln price a random walk (price0 100, drift 0.02 and sigma 0.25 of ln price a
// year) over 30 years; 11e6 units a year, so revenue 1.1e9 in year 0; 50% of revenue contributed
// until cumulative contributions reach 20e9; contributions of year t discounted by 1.05^-(t+1).
const code = `
years = 30
volume = 11e6
share = 0.5
cap = 20e9
rate = 0.05

start = {
  logPrice: SampleSet.fromNumber(log(100)),
  cumulative: SampleSet.fromNumber(0),
  npv: SampleSet.fromNumber(0),
}

year(state, t) = {
  logPrice = t == 0 ? state.logPrice : state.logPrice + SampleSet.fromDist(normal(0.02, 0.25))
  due = share * volume * exp(logPrice)
  uncapped = state.cumulative + due
  cumulative = (uncapped + cap - ((uncapped - cap) ^ 2) ^ 0.5) / 2
  contribution = cumulative - state.cumulative
  {
    logPrice: logPrice,
    cumulative: cumulative,
    npv: state.npv + contribution * (1 + rate) ^ (-(t + 1)),
  }
}

final = List.reduce(List.upTo(0, years - 1), start, year)
reached = cdf(cap - final.cumulative, 1)

{
  mean_npv: mean(final.npv),
  sd_npv: stdev(final.npv),
  p_cap: reached,
}
`;

async function evaluate(sampleCount) {
  const output = await run(code, {
    environment: { ...defaultEnvironment, sampleCount, seed: "nadra-bench" },
  });
  if (!output.result.ok) throw new Error(output.result.value.toString());
  const dict = output.result.value.result.value;
  const number = (key) => dict.get(key).value;
  return { mean_npv: number("mean_npv"), sd_npv: number("sd_npv"), p_cap: number("p_cap") };
}

await evaluate(1000);  // warm-up, not timed
const t0 = performance.now();
const result = await evaluate(samples);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({
    samples,
    seconds,
    mean_npv: result.mean_npv,
    sem_npv: result.sd_npv / Math.sqrt(samples),
    p_cap: result.p_cap,
    node: process.version,
    squiggle: "@quri/squiggle-lang 0.10.0",
  }) + "\n",
);
