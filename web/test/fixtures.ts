// What every made-up document of the unit tests starts with: who made it, from what, on which
// paths (document.ts's Identity).
export const identity = (horizon: number) => ({
  nadra_version: 't',
  scenario: 's',
  scenario_sha256: 'x',
  seed: 1,
  paths: 100,
  start_year: 2025,
  horizon,
});
