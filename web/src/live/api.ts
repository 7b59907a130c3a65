// The JSON API of `nadra serve` (docs/api.md), as the live page uses it.
import type { ResultsDocument } from "../document";

export interface DealInfo {
  name: string;
  description: string;
  terms: Record<string, unknown>;
}

export interface ScenarioInfo {
  scenario: string;
  name: string;
  description: string;
  start_year: number;
  paths: number;
  seed: number;
  preview_paths: number;
  max_paths: number;
  baseline: string;
  deals: DealInfo[];
  uncertain_inputs: { key: string; value: number; low: number; high: number }[];
  support_value: { host: number; partner_cost: number };
}

// What the page reads of a run's summary.json (the rest it draws from the results document).
export interface Summary {
  seed: number;
  paths: number;
}

export interface RunStatus {
  id: string;
  state: "running" | "done" | "failed";
  progress: number;
  paths: number;
  seed: number;
  set: string[];
  summary?: Summary;
  document?: ResultsDocument;
  error?: string;
  key?: string;
}

export interface RunRequest {
  set: string[];
  paths: number;
  seed: number;
  deals: string[];
  page: string;
}

// An answer of 400 and up: the message, naming the key at fault.
export class ApiError extends Error {
  constructor(
    message: string,
    readonly key: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function answer<T>(response: Response): Promise<T> {
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}`, key: "" }));
  if (!response.ok) throw new ApiError(body.error ?? `HTTP ${response.status}`, body.key ?? "", response.status);
  return body as T;
}

export async function getScenario(): Promise<ScenarioInfo> {
  return answer(await fetch("api/scenario"));
}

export async function postRun(request: RunRequest): Promise<string> {
  const body = await answer<{ id: string }>(
    await fetch("api/run", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request),
    }),
  );
  return body.id;
}

export async function getRun(id: string): Promise<RunStatus> {
  return answer(await fetch(`api/runs/${encodeURIComponent(id)}`));
}

export async function postVariant(toml: string): Promise<{ deal: string; set: string[] }> {
  return answer(
    await fetch("api/variant", { method: "POST", headers: { "Content-Type": "application/toml" }, body: toml }),
  );
}
