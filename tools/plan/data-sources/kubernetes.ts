import type { DataSourceAnswer } from "./index";

export const kubernetes: Record<string, DataSourceAnswer> = {};
