import type { DataSourceAnswer } from "./index";

export const gcp: Record<string, DataSourceAnswer> = {};
